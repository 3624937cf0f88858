// Issue 10 §3, the lists that were left: the inbox searched (by a tracking
// code or words), filtered (only unread) and sorted (oldest first) on the
// page and in the API, with the count of what matches; the users page and the
// audit log sorted. An unknown sort is refused naming the field.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv, chenji, admin, token;
test.before(async () => {
  srv = await startServer();
  chenji = new Browser(srv.base);
  await chenji.login('chenji');
  admin = new Browser(srv.base);
  await admin.login('admin');
  token = await apiToken(srv.base, 'chenji');
});
test.after(async () => { await srv.stop(); });

const inbox = async (q) => (await api(srv.base, token, 'GET', '/api/v1/inbox?limit=500' + q)).json;
const shownTotal = (html, id) => Number(new RegExp(`id="${id}">共 (\\d+)`).exec(html)[1]);

test('the inbox: only unread, words or a code, oldest first — page and API agree', async () => {
  let all = await inbox('');
  assert.ok(all.notifications.length >= 5, 'the demo secretary has messages');
  // two of them opened: read
  for (const n of all.notifications.slice(1, 3)) assert.equal((await chenji.get(`/inbox/${n.id}`)).status, 303);
  all = await inbox('');
  assert.equal(all.unread, all.notifications.filter((n) => !n.read).length);
  // the page's total without a filter is the count kept per user (migration 043)
  assert.ok(all.notifications.length < 500);
  assert.equal(shownTotal((await chenji.get('/inbox')).text, 'inbox-total'), all.notifications.length);
  assert.ok(all.unread < all.notifications.length);
  const unread = await inbox('&unread=1');
  assert.equal(unread.notifications.length, all.unread);
  assert.ok(unread.notifications.every((n) => !n.read));
  assert.equal(shownTotal((await chenji.get('/inbox?unread=1')).text, 'inbox-total'), all.unread);

  // a word of one message, and a tracking code in another
  // the message text most others do not share: its first word of two characters or more
  const word = all.notifications.map((n) => n.text.replace(/[A-Z0-9]{4}-[A-Z0-9]{4}/g, ' ').split(/[\s，。：,]+/).filter((w) => w.length >= 2))
    .flat().find((w) => { const k = all.notifications.filter((n) => n.text.includes(w)).length; return k > 0 && k < all.notifications.length; });
  assert.ok(word, 'a word some messages have and others not');
  const withWord = all.notifications.filter((n) => n.text.includes(word));
  const found = await inbox('&q=' + encodeURIComponent(word));
  assert.deepEqual(found.notifications.map((n) => n.id), withWord.map((n) => n.id));
  assert.equal(shownTotal((await chenji.get('/inbox?q=' + encodeURIComponent(word))).text, 'inbox-total'), withWord.length);
  const code = /[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(all.notifications.map((n) => n.text).join(' '));
  if (code) {
    const byCode = await inbox('&q=' + code[0]);
    assert.ok(byCode.notifications.length >= 1 && byCode.notifications.every((n) => n.text.includes(code[0])));
  }
  // % is a character, not a wildcard
  assert.equal((await inbox('&q=%25')).notifications.length, all.notifications.filter((n) => n.text.includes('%')).length);

  const old = await inbox('&sort=old');
  assert.deepEqual(old.notifications.map((n) => n.id), all.notifications.map((n) => n.id).reverse());
  // oldest first, a page at a time after the last id shown
  const first = (await api(srv.base, token, 'GET', '/api/v1/inbox?sort=old&limit=2')).json.notifications;
  const next = (await api(srv.base, token, 'GET', `/api/v1/inbox?sort=old&limit=2&after=${first[1].id}`)).json.notifications;
  assert.deepEqual([...first, ...next].map((n) => n.id), old.notifications.slice(0, 4).map((n) => n.id));
  const page = await chenji.get('/inbox?sort=old');
  assert.match(page.text, /<option value="old" selected>最早在前/);
});

test('an unknown sort is refused naming the field, on each list', async () => {
  const res = await api(srv.base, token, 'GET', '/api/v1/inbox?sort=sideways');
  assert.equal(res.status, 422);
  assert.match(res.json.error.fields.sort, /排序/);
  for (const p of ['/inbox?sort=x', '/admin/users?sort=x', '/audit?sort=x']) {
    const b = p.startsWith('/inbox') ? chenji : admin;
    const r = await b.get(p);
    assert.equal(r.status, 422, p);
    assert.match(r.text, /排序方式/, p);
  }
});

test('the users page sorts by username, name or role; the audit log oldest first', async () => {
  const names = (html) => [...html.matchAll(/<td data-label="用户名">(?:<a [^>]*>)?([^<]+)/g)].map((m) => m[1]);
  const byUser = names((await admin.get('/admin/users?sort=username')).text);
  assert.ok(byUser.length >= 7, byUser.join());
  assert.deepEqual(byUser, [...byUser].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const byOrg = names((await admin.get('/admin/users')).text);
  assert.deepEqual([...byOrg].sort(), [...byUser].sort(), 'the same accounts either way');
  assert.notDeepEqual(byOrg, byUser, 'the default order is by organisation');

  const times = (html) => [...html.matchAll(/<tr><td>(\d{4}-\d\d-\d\d \d\d:\d\d)/g)].map((m) => m[1]);
  const newest = times((await admin.get('/audit')).text), oldest = times((await admin.get('/audit?sort=old')).text);
  assert.ok(newest.length > 1 && oldest.length > 1);
  assert.ok(oldest[0] <= newest.at(-1) && oldest[0] <= oldest.at(-1), `${oldest[0]} … ${oldest.at(-1)}`);
  assert.deepEqual(oldest, [...oldest].sort());
});

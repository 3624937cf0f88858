// A branch secretary (and every other role) reaches only its own org subtree:
// every page and API path of another branch's records answers 403 or 404 and
// shows nothing of it, while the same paths inside the subtree answer 200.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv, orgs;
test.before(async () => {
  srv = await startServer();
  const admin = await apiToken(srv.base, 'admin');
  orgs = (await api(srv.base, admin, 'GET', '/api/v1/orgs')).json.orgs;
  assert.ok(orgs.length >= 20, 'the demo town has its orgs');
});
test.after(async () => { await srv.stop(); });

// The codes each demo account's subtree holds.
function subtree(code) {
  const byCode = new Map(orgs.map((o) => [o.code, o]));
  const inside = new Set([code]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of orgs) if (o.parent_code && inside.has(o.parent_code) && !inside.has(o.code)) { inside.add(o.code); grew = true; }
  }
  assert.ok(byCode.has(code));
  return inside;
}

const accounts = [
  ['chenji', 'CJZ-CJC'],   // branch secretary
  ['xijie', 'CJZ-XJC'],    // another branch's secretary
  ['dangyuan', 'CJZ-CJC'], // member
  ['wangge', 'CJZ-CJC'],   // grid worker
  ['zuzhi', 'CJZ'],        // committee: the town, not the county above it
  ['jiwei', 'CJZ-JW'],     // review department
];

for (const [user, home] of accounts) {
  test(`${user} sees exactly the orgs of ${home}'s subtree, on pages and in the API`, async () => {
    const inside = subtree(home);
    const token = await apiToken(srv.base, user);
    const b = new Browser(srv.base);
    await b.login(user);

    const listed = (await api(srv.base, token, 'GET', '/api/v1/orgs')).json.orgs.map((o) => o.code).sort();
    assert.deepEqual(listed, [...inside].sort());
    const tree = await b.get('/orgs');
    assert.equal(tree.status, 200);

    for (const o of orgs) {
      const mine = inside.has(o.code);
      const page = await b.get(`/orgs/${o.id}`);
      const byId = await api(srv.base, token, 'GET', `/api/v1/orgs/${o.id}`);
      const byCode = await api(srv.base, token, 'GET', `/api/v1/orgs/${encodeURIComponent(o.code)}`);
      if (mine) {
        assert.equal(page.status, 200, `${user} /orgs/${o.id}`);
        assert.ok(page.text.includes(o.name));
        assert.equal(byId.status, 200);
        assert.equal(byCode.json.code, o.code);
      } else {
        assert.ok([403, 404].includes(page.status), `${user} must not open /orgs/${o.id} (${o.code}): ${page.status}`);
        assert.ok(!page.text.includes(o.name), `${user} must not see the name of ${o.code}`);
        assert.ok(!tree.text.includes(`href="/orgs/${o.id}"`), `${user}'s tree must not link ${o.code}`);
        for (const r of [byId, byCode]) {
          assert.ok([403, 404].includes(r.status), `${user} API ${o.code}: ${r.status}`);
          assert.ok(!r.text.includes(o.name));
          assert.ok(r.json && r.json.error && r.json.error.code, 'a JSON error object');
        }
      }
    }
  });
}

// Role gates of the console: who may open which page (SPEC §1).
const gates = [
  ['/console', ['admin', 'zuzhi', 'chenji', 'dangyuan', 'wangge', 'jiwei']],
  ['/orgs', ['admin', 'zuzhi', 'chenji', 'dangyuan', 'wangge', 'jiwei']],
  ['/account/password', ['admin', 'zuzhi', 'chenji', 'dangyuan', 'wangge', 'jiwei']],
  ['/admin/users', ['admin']],
  ['/admin/users/new', ['admin']],
  ['/audit', ['admin', 'zuzhi']],
];

test('role gates: each console page answers 200 to its roles and 403 to the others', async () => {
  const users = ['admin', 'zuzhi', 'chenji', 'dangyuan', 'wangge', 'jiwei'];
  const browsers = {};
  for (const u of users) { browsers[u] = new Browser(srv.base); await browsers[u].login(u); }
  for (const [path, allowed] of gates) {
    for (const u of users) {
      const r = await browsers[u].get(path);
      assert.equal(r.status, allowed.includes(u) ? 200 : 403, `${u} ${path}`);
    }
    const anon = await new Browser(srv.base).get(path);
    assert.equal(anon.status, 303, `anonymous ${path} is sent to login`);
    assert.match(anon.headers.get('location'), /^\/login\?next=/);
  }
});

test('an admin-only record (a user account) is 403 to everyone else, and an unknown one 404 to admin', async () => {
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const list = await admin.get('/admin/users');
  const id = /href="\/admin\/users\/(\d+)"/.exec(list.text)[1];
  for (const u of ['zuzhi', 'chenji', 'dangyuan']) {
    const b = new Browser(srv.base);
    await b.login(u);
    assert.equal((await b.get(`/admin/users/${id}`)).status, 403, u);
  }
  assert.equal((await admin.get('/admin/users/99999')).status, 404);
});

test('the audit log of the committee holds its subtree only', async () => {
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const page = await z.get('/audit');
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('login.ok'));
});

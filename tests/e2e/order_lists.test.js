// The order list scales (issue 10 §3, issue 9 §2): paging (numbered and
// keyset), search and every filter of the list, on the page and in the API,
// return exactly the rows that the API's own unfiltered list says they should;
// bad filters are refused naming the field.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv, tok = {}, all = {};

const list = async (who, query) => {
  const r = await api(srv.base, tok[who], 'GET', `/api/v1/orders?limit=500&${query}`);
  assert.equal(r.status, 200, `${query}: ${r.text}`);
  return r.json;
};
const ids = (orders) => orders.map((o) => o.id);
const newest = (orders) => [...orders].sort((a, b) => b.id - a.id);
// a Beijing date's first second, as order_list reads from= and to=
const dayStart = (d) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 1000 - 8 * 3600;
const beijingDate = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);

test.before(async () => {
  srv = await startServer();
  for (const u of ['zuzhi', 'chenji', 'dangyuan', 'wangge']) {
    tok[u] = await apiToken(srv.base, u);
    all[u] = await list(u, '');
    assert.equal(all[u].total, all[u].orders.length, `${u}: total is the number of rows`);
  }
  assert.ok(all.zuzhi.orders.length >= 50, 'the demo town has enough orders to page through');
  assert.deepEqual(ids(all.zuzhi.orders), ids(newest(all.zuzhi.orders)), 'newest first by default');
});
test.after(async () => { await srv.stop(); });

// Every filter, alone and combined, against the unfiltered list.
function cases(orders, who) {
  const c = [];
  const distinct = (f) => [...new Set(orders.map(f).filter((v) => v !== null && v !== undefined))];
  for (const s of distinct((o) => o.state)) c.push([`state=${s}`, (o) => o.state === s]);
  for (const k of distinct((o) => o.kind)) c.push([`kind=${k}`, (o) => o.kind === k]);
  for (const u of ['urgent', 'normal', 'complex']) c.push([`urgency=${u}`, (o) => o.urgency === u]);
  for (const g of distinct((o) => o.org).slice(0, 4)) c.push([`org=${encodeURIComponent(g)}`, (o) => o.org === g]);
  for (const g of distinct((o) => o.grid).slice(0, 3)) c.push([`grid=${encodeURIComponent(g)}`, (o) => o.grid === g]);
  c.push(['overdue=1', (o) => o.overdue]);
  c.push(['escalated=1', (o) => o.escalated]);
  c.push(['mine=1', (o) => o.assignee === who]);
  const days = distinct((o) => beijingDate(o.created_at)).sort();
  const mid = days[Math.floor(days.length / 2)], last = days[days.length - 1];
  c.push([`from=${mid}`, (o) => o.created_at >= dayStart(mid)]);
  c.push([`to=${mid}`, (o) => o.created_at < dayStart(mid) + 86400]);
  c.push([`from=${mid}&to=${last}`, (o) => o.created_at >= dayStart(mid) && o.created_at < dayStart(last) + 86400]);
  c.push([`from=${mid}&to=${mid}`, (o) => beijingDate(o.created_at) === mid]);
  // search: a tracking code typed in lower case with spaces around, a phone's last 4 digits, a word of the content
  const one = orders[Math.floor(orders.length / 3)];
  // (lower case when codes are upper case only: typed as shown otherwise)
  const typed = one.code === one.code.toUpperCase() ? one.code.toLowerCase() : one.code;
  c.push([`q=${encodeURIComponent(`  ${typed} `)}`, (o) => o.id === one.id]);
  const tail = one.contact_phone.slice(-4);
  c.push([`q=${tail}`, (o) => o.contact_phone.endsWith(tail)]);
  const word = [...one.content].slice(0, 2).join('');
  c.push([`q=${encodeURIComponent(word)}`, (o) => o.content.includes(word) || o.code === word.toUpperCase()]);
  c.push(['q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E8%AF%8D', () => false]);
  // combined
  const s0 = orders[0].state, k0 = orders[0].kind;
  c.push([`state=${s0}&kind=${k0}`, (o) => o.state === s0 && o.kind === k0]);
  c.push([`state=${s0}&overdue=1&urgency=normal`, (o) => o.state === s0 && o.overdue && o.urgency === 'normal']);
  return c;
}

test('every filter of the API returns exactly the expected rows, for every role', async () => {
  for (const who of ['zuzhi', 'chenji', 'dangyuan', 'wangge']) {
    const orders = all[who].orders;
    let nonEmpty = 0;
    for (const [query, keep] of cases(orders, who)) {
      const got = await list(who, query);
      const want = orders.filter(keep);
      assert.deepEqual(ids(got.orders), ids(want), `${who} ${query}`);
      assert.equal(got.total, want.length, `${who} ${query}: total`);
      nonEmpty += want.length > 0;
    }
    if (who === 'zuzhi') assert.ok(nonEmpty >= 15, `most filters find something in the demo town (${nonEmpty})`);
  }
});

test('sorts: newest, oldest and earliest time limit first', async () => {
  const orders = all.zuzhi.orders;
  assert.deepEqual(ids((await list('zuzhi', 'sort=old')).orders), ids(orders).reverse());
  const due = [...orders].sort((a, b) => a.due_at - b.due_at || a.id - b.id);
  assert.deepEqual(ids((await list('zuzhi', 'sort=due')).orders), ids(due));
  assert.deepEqual(ids((await list('zuzhi', 'sort=new')).orders), ids(orders));
});

test('paging: offset pages and the keyset (before=) both walk the whole list once', async () => {
  const want = ids(all.zuzhi.orders);
  for (const sort of ['new', 'old']) {
    const expect = sort === 'new' ? want : [...want].reverse();
    const seen = [];
    let before = 0, pages = 0;
    for (;;) {
      const r = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/orders?limit=7&sort=${sort}${before ? `&before=${before}` : ''}`);
      assert.equal(r.status, 200);
      assert.equal(r.json.total, want.length, 'the total is the whole list on every page');
      seen.push(...ids(r.json.orders));
      pages++;
      if (r.json.next_before === undefined) break;
      assert.equal(r.json.next_before, r.json.orders[r.json.orders.length - 1].id);
      before = r.json.next_before;
    }
    assert.deepEqual(seen, expect, `keyset ${sort}`);
    assert.equal(pages, Math.ceil(want.length / 7) + (want.length % 7 === 0 ? 1 : 0));
  }
  const byOffset = [];
  for (let off = 0; off < want.length; off += 9)
    byOffset.push(...ids((await api(srv.base, tok.zuzhi, 'GET', `/api/v1/orders?limit=9&offset=${off}`)).json.orders));
  assert.deepEqual(byOffset, want);
  // a filter and the keyset together
  const open = all.zuzhi.orders.filter((o) => o.state === 'submitted');
  const p1 = await list('zuzhi', 'state=submitted&limit=3'.replace('limit=500&', ''));
  assert.ok(p1.orders.length >= 1);
  const r = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/orders?state=submitted&limit=3&before=${open[Math.min(2, open.length - 1)].id}`);
  assert.deepEqual(ids(r.json.orders), ids(open.slice(Math.min(3, open.length), Math.min(3, open.length) + 3)));
});

test('bad filters are refused naming the field, on the API and the page', async () => {
  for (const [query, field] of [['state=bogus', 'state'], ['kind=x', 'kind'], ['urgency=very', 'urgency'], ['sort=id;drop', 'sort'],
    ['from=2025-13-01', 'from'], ['to=yesterday', 'to'], ['from=2025-03-02&to=2025-03-01', 'to'], ['grid=NO-SUCH-GRID', 'grid']]) {
    const r = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/orders?${query}`);
    assert.equal(r.status, 422, `${query}: ${r.text}`);
    assert.ok(r.json.error.fields[field], `${query}: ${field} named in ${r.text}`);
  }
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const page = await b.get('/orders?from=2025-03-02&to=2025-03-01');
  assert.equal(page.status, 422);
  assert.match(page.text, /结束日期早于开始日期/);
  assert.doesNotMatch(page.text, /<a href="\/orders\/\d+">/, 'no rows for a refused filter');
});

// The ids a list page links to, in its order.
const pageIds = (html) => [...html.matchAll(/<td data-label="查询码"><a href="\/orders\/(\d+)">/g)].map((m) => Number(m[1]));

test('the page shows the same rows as the API for every filter, 25 at a time, with its total', async () => {
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const orders = all.zuzhi.orders;
  for (const [query, keep] of cases(orders, 'zuzhi')) {
    const want = orders.filter(keep);
    const page = await b.get(`/orders?${query}`);
    assert.equal(page.status, 200, query);
    assert.deepEqual(pageIds(page.text), ids(want).slice(0, 25), `page ${query}`);
    assert.match(page.text, new RegExp(`共 ${want.length} 条`), `page ${query}: total`);
  }
  // numbered pages, then the keyset from the last row
  const first = await b.get('/orders');
  assert.match(first.text, /<span aria-current="page">1<\/span>/);
  assert.match(first.text, /<th>紧急<\/th>/, 'urgency is a column');
  assert.match(first.text, /<th>时限<\/th>/, 'the time limit is a column');
  const p2 = await b.get('/orders?page=2');
  assert.deepEqual(pageIds(p2.text), ids(orders).slice(25, 50));
  const next = /<a rel="next" href="\/orders\?([^"]*)">/.exec(p2.text);
  assert.ok(next, 'a next link');
  const p3 = await b.get(`/orders?${next[1].replace(/&amp;/g, '&')}`);
  assert.deepEqual(pageIds(p3.text), ids(orders).slice(50, 75));
  const lastId = ids(orders)[24];
  const keyed = await b.get(`/orders?before=${lastId}`);
  assert.deepEqual(pageIds(keyed.text), ids(orders).slice(25, 50), 'before= continues after the given row');
  assert.match(keyed.text, /第一页/);
  // a member's and a grid worker's pages list what their API lists
  for (const who of ['dangyuan', 'wangge']) {
    const m = new Browser(srv.base);
    await m.login(who);
    assert.deepEqual(pageIds((await m.get('/orders')).text), ids(all[who].orders).slice(0, 25), who);
  }
});

test('the inbox pages by the last id shown, and the users page by number with a search', async () => {
  const whole = (await api(srv.base, tok.chenji, 'GET', '/api/v1/inbox?limit=500')).json.notifications;
  assert.ok(whole.length >= 3, 'the branch secretary has messages');
  const seen = [];
  let before = 0;
  for (;;) {
    const page = (await api(srv.base, tok.chenji, 'GET', `/api/v1/inbox?limit=2${before ? `&before=${before}` : ''}`)).json.notifications;
    if (!page.length) break;
    seen.push(...page.map((n) => n.id));
    before = page[page.length - 1].id;
  }
  assert.deepEqual(seen, whole.map((n) => n.id), 'newest first, each once');
  const b = new Browser(srv.base);
  await b.login('chenji');
  const inbox = await b.get('/inbox');
  assert.match(inbox.text, new RegExp(`共 ${whole.length} 条`));
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const users = await admin.get('/admin/users?q=chenji');
  assert.equal(users.status, 200);
  assert.match(users.text, /共 1 个用户/);
  assert.match(users.text, />chenji</);
  assert.doesNotMatch(users.text, />zuzhi</);
});

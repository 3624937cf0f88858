// Grids and households (SPEC M9): listed within scope, created with checks,
// and orders placed with a grid go to that grid's branch.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv, tok = {};
test.before(async () => {
  srv = await startServer();
  for (const u of ['zuzhi', 'chenji', 'xijie', 'wangge', 'dangyuan']) tok[u] = await apiToken(srv.base, u);
});
test.after(async () => { await srv.stop(); });

test('the demo grids: each branch sees its own, with households and 党员中心户', async () => {
  const mine = (await api(srv.base, tok.chenji, 'GET', '/api/v1/grids')).json.grids;
  assert.deepEqual(mine.map((g) => g.code).sort(), ['CJC-G1', 'CJC-G2']);
  const g1 = mine.find((g) => g.code === 'CJC-G1');
  assert.equal(g1.worker, 'wangge');
  assert.ok(g1.households > 0 && g1.central_households > 0);
  const town = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/grids')).json.grids;
  assert.ok(town.length >= 9);
  assert.equal((await api(srv.base, tok.xijie, 'GET', '/api/v1/grids/CJC-G1/households')).status, 404);
  const hh = (await api(srv.base, tok.chenji, 'GET', '/api/v1/grids/CJC-G1/households')).json.households;
  assert.equal(hh.length, g1.households);
  assert.ok(hh.every((h) => h.address.startsWith('东阿县陈集镇')));
  assert.equal((await api(srv.base, tok.dangyuan, 'GET', '/api/v1/grids')).status, 403);
  const b = new Browser(srv.base);
  await b.login('wangge');
  const page = await b.get('/grids/CJC-G1');
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('陈集村第一网格'));
});

test('creating grids and households checks every field', async () => {
  let r = await api(srv.base, tok.chenji, 'POST', '/api/v1/grids', { code: 'CJC-G3', name: '陈集村第三网格', org: 'CJZ-CJC', worker: 'wangge' });
  assert.equal(r.status, 201, r.text);
  r = await api(srv.base, tok.chenji, 'POST', '/api/v1/grids', { code: 'CJC-G3', name: '', org: 'CJZ-XJC', worker: 'dangyuan' });
  assert.equal(r.status, 422);
  for (const f of ['code', 'name', 'org', 'worker']) assert.ok(r.json.error.fields[f], f);
  r = await api(srv.base, tok.chenji, 'POST', '/api/v1/grids/CJC-G3/households', { address: '东阿县陈集镇陈集村88号', head_name: '王某', size: 4 });
  assert.equal(r.status, 201, r.text);
  r = await api(srv.base, tok.chenji, 'POST', '/api/v1/grids/CJC-G3/households', { address: '', size: 99, central_member_id: 1 });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.address && r.json.error.fields.size);
  r = await api(srv.base, tok.xijie, 'POST', '/api/v1/grids/CJC-G3/households', { address: '别村' });
  assert.equal(r.status, 404);
});

test('an order placed with a grid goes to the grid\'s branch', async () => {
  const res = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': '192.0.2.200' },
    body: JSON.stringify({ kind: 'proxy_power', content: '帮忙代缴电费', grid: 'CJC-G1', contact_name: '刘奶奶', contact_phone: '13600004444' }),
  });
  assert.equal(res.status, 201);
  const { code } = await res.json();
  const o = (await api(srv.base, tok.wangge, 'GET', '/api/v1/orders?limit=5')).json.orders.find((x) => x.code === code);
  assert.ok(o, 'the grid worker sees it');
  assert.equal(o.grid, 'CJC-G1');
  assert.equal(o.org, 'CJZ-CJC');
  // 网格员接单: the grid worker takes it and it is theirs
  const r = await api(srv.base, tok.wangge, 'POST', `/api/v1/orders/${o.id}/actions/accept`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.assignee, 'wangge');
  // the grid worker's list is its grid's orders and its own, not the whole village's
  const list = (await api(srv.base, tok.wangge, 'GET', '/api/v1/orders?limit=500')).json.orders;
  assert.ok(list.every((x) => x.grid === 'CJC-G1' || x.assignee === 'wangge'));
});

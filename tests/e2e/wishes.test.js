// The micro-wish wall (SPEC M2): public, no personal data; a member claims a
// wish and the claim is the assignment.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv;
test.before(async () => { srv = await startServer(); });
test.after(async () => { await srv.stop(); });

test('a resident\'s wish is on the wall until a member claims it', async () => {
  const res = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': '192.0.2.9' },
    body: JSON.stringify({ kind: 'wish', content: '想要一副老花镜', org: 'CJZ-XJC', contact_name: '钱奶奶', contact_phone: '13500005555' }),
  });
  assert.equal(res.status, 201);
  const wall = (await (await fetch(srv.base + '/api/v1/public/wishes')).json()).wishes;
  const w = wall.find((x) => x.content === '想要一副老花镜');
  assert.ok(w, 'on the wall');
  assert.ok(!JSON.stringify(wall).includes('13500005555') && !JSON.stringify(wall).includes('钱奶奶'));
  const anon = await new Browser(srv.base).get('/wishes');
  assert.ok(anon.text.includes('想要一副老花镜') && !anon.text.includes('我来认领'));
  // a branch secretary may not claim; a member (of another branch, too) may
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  const sp = await sec.get('/wishes');
  assert.equal((await sec.post(`/wishes/${w.id}/claim`, { _csrf: Browser.csrf(sp.text) })).status, 403);
  const m = new Browser(srv.base);
  await m.login('dangyuan');
  const page = await m.get('/wishes');
  assert.ok(page.text.includes('我来认领'));
  const r = await m.post(`/wishes/${w.id}/claim`, { _csrf: Browser.csrf(page.text) });
  assert.equal(r.status, 303);
  assert.ok(!(await (await fetch(srv.base + '/api/v1/public/wishes')).json()).wishes.some((x) => x.id === w.id), 'off the wall');
  const mine = (await api(srv.base, await apiToken(srv.base, 'dangyuan'), 'GET', '/api/v1/orders')).json.orders;
  assert.ok(mine.some((o) => o.id === w.id && o.state === 'assigned' && o.assignee === 'dangyuan'));
  // a second claim is refused
  const again = await m.post(`/wishes/${w.id}/claim`, { _csrf: Browser.csrf(page.text) });
  assert.equal(again.status, 409);
});

test('我要许愿 on the wish wall opens the order form with 微心愿 chosen', async () => {
  const wall = await fetch(srv.base + '/wishes').then((r) => r.text());
  assert.match(wall, /<a class="btn btn-primary" href="\/order\?kind=wish">我要许愿<\/a>/);
  const form = await fetch(srv.base + '/order?kind=wish').then((r) => r.text());
  assert.match(form, /<option value="wish" selected>微心愿<\/option>/);
  const plain = await fetch(srv.base + '/order?kind=bogus').then((r) => r.text());
  assert.match(plain, /<option value="need" selected>/, 'an unknown kind falls back to 需求');
});

// Grids and households edited from the console (issue 10 §9): the branch
// creates and edits its grids, the branch and the grid worker (its own grid
// only) add, edit and remove households; the 三长制 of seed 003 is recorded on
// the grid and each 三长 places 社情民意 on residents' behalf, counted for them.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv, chenji, wangge, xijie, dangyuan, zuzhi;
test.before(async () => {
  srv = await startServer();
  chenji = new Browser(srv.base); await chenji.login('chenji');
  wangge = new Browser(srv.base); await wangge.login('wangge');
  xijie = new Browser(srv.base); await xijie.login('xijie');
  dangyuan = new Browser(srv.base); await dangyuan.login('dangyuan');
  zuzhi = new Browser(srv.base); await zuzhi.login('zuzhi');
});
test.after(async () => { await srv.stop(); });

const auditCount = async (action) => {
  const admin = new Browser(srv.base);
  await admin.login('admin');
  return Number(/共 (\d+) 条/.exec((await admin.get(`/audit?action=${action}`)).text)[1]);
};

test('网格 is in the navigation; a grid worker finds their own grid from it', async () => {
  for (const b of [chenji, zuzhi]) assert.match((await b.get('/console')).text, /href="\/grids"[^>]*>网格</);
  const home = await wangge.get('/console');
  assert.match(home.text, /href="\/grids\/mine"[^>]*>我的网格</);
  const mine = await wangge.get('/grids/mine');
  assert.equal(mine.status, 303);
  assert.equal(mine.headers.get('location'), '/grids/CJC-G1');
  assert.match((await wangge.get('/grids')).text, /我的网格<\/span>/);
  assert.match((await dangyuan.get('/console')).text, /href="\/grids\/collect"[^>]*>三长反映</);
});

test('the branch creates and edits a grid; bad input is named and writes nothing', async () => {
  let r = await chenji.postForm('/grids/new', '/grids/new', { code: 'new', name: '', org: 'CJZ-XJC', worker: 'nobody' });
  assert.equal(r.status, 422);
  for (const f of ["code", "name", "org", "worker"]) assert.match(r.text, new RegExp(`id="e-${f}"`), f);
  r = await chenji.postForm('/grids/new', '/grids/new', { code: 'CJC-G9', name: '陈集村第九网格', org: 'CJZ-CJC', worker: '' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/grids/CJC-G9');
  r = await chenji.postForm('/grids/CJC-G9/edit', '/grids/CJC-G9/edit', { name: '', worker: 'wangge' });
  assert.equal(r.status, 422);
  assert.match(r.text, /请填写网格名称/);
  r = await chenji.postForm('/grids/CJC-G9/edit', '/grids/CJC-G9/edit', { name: '陈集村九组网格', worker: 'wangge' });
  assert.equal(r.status, 303);
  const page = await chenji.get('/grids/CJC-G9');
  assert.match(page.text, /陈集村九组网格/);
  assert.match(page.text, /修改网格/);
  assert.equal(await auditCount('grid.update'), 1);
  // another branch: not found; a grid worker or a member: refused
  assert.equal((await xijie.get('/grids/CJC-G9/edit')).status, 404);
  assert.equal((await wangge.get('/grids/CJC-G9/edit')).status, 403);
  assert.equal((await dangyuan.get('/grids/new')).status, 403);
});

test('households: added, edited, removed by the branch and by the grid worker in their own grid only', async () => {
  let r = await wangge.postForm('/grids/CJC-G1/households/new', '/grids/CJC-G1/households/new', { address: '', size: '99' });
  assert.equal(r.status, 422);
  assert.match(r.text, /请填写住址/);
  assert.match(r.text, /人口应为 1 到 30/);
  r = await wangge.postForm('/grids/CJC-G1/households/new', '/grids/CJC-G1/households/new', { address: '东阿县陈集镇陈集村东街 99 号', head_name: '王大山', size: '3' });
  assert.equal(r.status, 303);
  let page = await wangge.get('/grids/CJC-G1');
  const m = /<a href="\/grids\/CJC-G1\/households\/(\d+)">东阿县陈集镇陈集村东街 99 号<\/a><\/td><td>王大山<\/td><td>3<\/td><td>—<\/td>/.exec(page.text);
  assert.ok(m, 'the new household is listed with an edit link');
  const id = m[1];
  r = await wangge.postForm(`/grids/CJC-G1/households/${id}`, `/grids/CJC-G1/households/${id}`, { address: '东阿县陈集镇陈集村东街 99 号', head_name: '王大山', size: '4' });
  assert.equal(r.status, 303);
  page = await wangge.get('/grids/CJC-G1');
  assert.match(page.text, /王大山<\/td><td>4</);
  // the grid worker of CJC-G1 may not touch CJC-G2's households; another branch sees nothing
  const g2 = (await api(srv.base, await apiToken(srv.base, 'chenji'), 'GET', '/api/v1/grids/CJC-G2/households')).json.households[0].id;
  assert.equal((await wangge.get(`/grids/CJC-G2/households/${g2}`)).status, 403);
  assert.equal((await wangge.postForm('/grids/CJC-G2', `/grids/CJC-G2/households/${g2}/delete`, {})).status, 403);
  assert.equal((await xijie.get(`/grids/CJC-G1/households/${id}`)).status, 404);
  assert.equal((await chenji.get(`/grids/CJC-G2/households/${id}`)).status, 404, 'a household of another grid');
  const edit = await chenji.get(`/grids/CJC-G1/households/${id}`);
  assert.match(edit.text, /data-confirm="确定删除住户/);
  r = await chenji.postForm(`/grids/CJC-G1/households/${id}`, `/grids/CJC-G1/households/${id}/delete`, {});
  assert.equal(r.status, 303);
  assert.doesNotMatch((await chenji.get('/grids/CJC-G1')).text, /东街 99 号/);
  assert.equal(await auditCount('household.update'), 1);
  assert.equal(await auditCount('household.delete'), 1);
});

test('a 党员中心户 looks after at most 15 households, an edit not counting itself', async () => {
  const tok = await apiToken(srv.base, 'chenji');
  const hh = (await api(srv.base, tok, 'GET', '/api/v1/grids/CJC-G1/households')).json.households;
  const central = hh.find((h) => h.central_member_id).central_member_id;
  const mine = hh.filter((h) => h.central_member_id === central);
  for (let i = mine.length; i < 15; i++)
    assert.equal((await api(srv.base, tok, 'POST', '/api/v1/grids/CJC-G1/households', { address: `陈集村南街 ${i} 号`, central_member_id: central })).status, 201);
  let r = await chenji.postForm('/grids/CJC-G1/households/new', '/grids/CJC-G1/households/new', { address: '陈集村南街 16 号', size: '2', central_member_id: String(central) });
  assert.equal(r.status, 422);
  assert.match(r.text, /已满 15 户/);
  r = await chenji.postForm(`/grids/CJC-G1/households/${mine[0].id}`, `/grids/CJC-G1/households/${mine[0].id}`,
    { address: mine[0].address, head_name: mine[0].head_name, size: '5', central_member_id: String(central) });
  assert.equal(r.status, 303, 'editing one of the 15 keeps it');
});

test('三长制: recorded on the grid; a 三长 with a login and the branch each place 社情民意, counted for the 三长', async () => {
  let r = await chenji.postForm('/grids/CJC-G1/leaders/new', '/grids/CJC-G1/leaders/new', { role: '村长', name: '', phone: '123', username: 'nobody' });
  assert.equal(r.status, 422);
  for (const f of ["role", "name", "phone", "username"]) assert.match(r.text, new RegExp(`id="e-${f}"`), f);
  r = await chenji.postForm('/grids/CJC-G1/leaders/new', '/grids/CJC-G1/leaders/new', { role: '片长', name: '刘建华', phone: '13700001111', area: '东街全片', username: 'dangyuan' });
  assert.equal(r.status, 303);
  r = await wangge.postForm('/grids/CJC-G1/leaders/new', '/grids/CJC-G1/leaders/new', { role: '邻长', name: '孙大妈', area: '东街 1–10 号' });
  assert.equal(r.status, 303, 'the grid worker records the 三长 of their grid');
  let page = await chenji.get('/grids/CJC-G1');
  assert.match(page.text, /<strong>片长 刘建华<\/strong><br><small class="muted">137\*\*\*\*1111 · 东街全片 · 账号 dangyuan<\/small><\/td><td>0 件</);
  const sunId = /collect\?leader=(\d+)"/.exec(page.text.split('<tr>').find((row) => row.includes('孙大妈')))[1];

  // the 三长 with a login, from the phone: the form offers their role
  let form = await dangyuan.get('/grids/collect');
  assert.match(form.text, /陈集村第一网格 片长（刘建华）/);
  const leaderId = /<option value="(\d+)"[^>]*>陈集村第一网格 片长/.exec(form.text)[1];
  r = await dangyuan.postForm('/grids/collect', '/grids/collect', { leader: leaderId, content: '', contact_name: '', contact_phone: '12' });
  assert.equal(r.status, 422);
  assert.match(r.text, /请写下您的诉求/);
  r = await dangyuan.postForm('/grids/collect', '/grids/collect', { leader: leaderId, content: '东街路灯坏了三盏，晚上出行不便', contact_name: '赵大爷', contact_phone: '13600007777', _key: 'collect-key-0001' });
  assert.equal(r.status, 200);
  const code = /查询码 <strong class="code">([^<]+)</.exec(r.text)[1];
  // resubmitting the same form does not place a second one
  r = await dangyuan.postForm('/grids/collect', '/grids/collect', { leader: leaderId, content: '东街路灯坏了三盏，晚上出行不便', contact_name: '赵大爷', contact_phone: '13600007777', _key: 'collect-key-0001' });
  assert.match(r.text, new RegExp(code));
  // someone else's 三长 role cannot be used by a member
  r = await dangyuan.postForm('/grids/collect', '/grids/collect', { leader: sunId, content: '冒名', contact_name: '某', contact_phone: '13600008888' });
  assert.ok([403, 404].includes(r.status), `${r.status} ${r.text.slice(-1500)}`);

  // the branch on the 邻长's behalf
  form = await chenji.get(`/grids/collect?leader=${sunId}`);
  assert.match(form.text, new RegExp(`name="leader" value="${sunId}"`));
  r = await chenji.postForm(`/grids/collect?leader=${sunId}`, '/grids/collect', { leader: sunId, content: '垃圾桶不够用', contact_name: '钱阿姨', contact_phone: '13600009999' });
  assert.equal(r.status, 200);
  // another branch cannot
  r = await xijie.postForm('/console', '/grids/collect', { leader: sunId, content: '别村', contact_name: '某', contact_phone: '13600008888' });
  assert.equal(r.status, 404);

  page = await chenji.get('/grids/CJC-G1');
  assert.match(page.text, /片长 刘建华<\/strong><br><small class="muted">137\*\*\*\*1111 · 东街全片 · 账号 dangyuan<\/small><\/td><td>1 件</);
  assert.match(page.text, /邻长 孙大妈<\/strong><br><small class="muted">无电话 · 东街 1–10 号<\/small><\/td><td>1 件</);
  // the orders are 社情民意 of the grid, seen by the branch
  const tok = await apiToken(srv.base, 'chenji');
  const o = (await api(srv.base, tok, 'GET', '/api/v1/orders?limit=10')).json.orders.find((x) => x.code === code);
  assert.equal(o.kind, 'opinion');
  assert.equal(o.grid, 'CJC-G1');
  assert.equal(await auditCount('order.collect'), 2);
  // removed: gone from the grid page, with a confirmation on the button
  assert.match(page.text, /data-confirm="确定移除邻长 孙大妈/);
  r = await chenji.postForm('/grids/CJC-G1', `/grids/CJC-G1/leaders/${sunId}/delete`, {});
  assert.equal(r.status, 303);
  assert.doesNotMatch((await chenji.get('/grids/CJC-G1')).text, /孙大妈/);
});

test('a member who is no 三长 is told so', async () => {
  const b = new Browser(srv.base);
  await b.login('dangyuan2').catch(() => null);
  const other = new Browser(srv.base);
  await other.login('xijie');
  const r = await other.get('/grids/collect');
  assert.match(r.text, /还没有登记为网格的片长、组长或邻长/);
});

// Issue 10 §4-§6 on orders: reaching the resident (address, audited phone
// reveal, who may see it), tracking codes people can keep (alphabet, input
// forgiveness, lookup by phone), correct records (required rating, the branch
// hears of low ratings and reopens, dispatch checks branch and handler,
// decided_by / refer_to).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, apiToken, api, Browser } = require('./lib');

let srv, tok = {}, admin;
let ipSeq = 1;

async function place(body = {}) {
  const r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': `203.0.113.${(ipSeq++ % 250) + 1}` },
    body: JSON.stringify({ kind: 'need', content: '院墙倒了，需要帮忙清理', org: 'CJZ-CJC', contact_name: '陈奶奶', contact_phone: '13912345678', ...body }),
  });
  const text = await r.text();
  assert.equal(r.status, 201, text);
  const { code } = JSON.parse(text);
  const o = (await api(srv.base, tok.admin, 'GET', '/api/v1/orders?limit=1')).json.orders[0];
  assert.equal(o.code, code);
  return { id: o.id, code };
}

async function act(who, o, action, body = {}) {
  return api(srv.base, tok[who], 'POST', `/api/v1/orders/${o.id}/actions/${action}`, body);
}

async function auditCount(action) {
  const page = await admin.get(`/audit?action=${action}`);
  assert.equal(page.status, 200);
  return Number(/共 (\d+) 条/.exec(page.text)[1]);
}

test.before(async () => {
  srv = await startServer({ demo: true });
  for (const u of ['admin', 'zuzhi', 'chenji', 'xijie', 'dangyuan', 'wangge']) tok[u] = await apiToken(srv.base, u);
  admin = new Browser(srv.base);
  await admin.login('admin');
  // a party member of another branch (西街村), with a login
  const form = await admin.get('/admin/users/new');
  const orgId = /<option value="(\d+)">[\s　]*西街村党支部<\/option>/.exec(form.text)[1];
  const r = await admin.post('/admin/users/new', { _csrf: Browser.csrf(form.text), username: 'xjmember', name: '周明', role: 'member', org_id: orgId, password: 'Zhouming2026' });
  assert.equal(r.status, 303, r.text);
  tok.xjmember = await apiToken(srv.base, 'xjmember', 'Zhouming2026');
});
test.after(async () => { await srv.stop(); });

test('tracking codes: no look-alikes, grouped, found in lowercase with spaces; old codes still work', async () => {
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await place({ content: `第 ${i} 件` })).code);
  for (const c of codes) assert.match(c, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/, c);
  const c = codes[0];
  const typed = ` ${c.slice(0, 2).toLowerCase()} ${c.slice(2, 4).toLowerCase()}${c.slice(5).toLowerCase()} `;
  // the form's GET redirects to the canonical code
  let r = await fetch(`${srv.base}/track?code=${encodeURIComponent(typed)}`, { redirect: 'manual' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/track/${c}`);
  // the page and the API read it as typed too
  r = await fetch(`${srv.base}/track/${encodeURIComponent(typed.trim())}`);
  const page = await r.text();
  assert.equal(r.status, 200, page);
  assert.ok(page.includes(`data-copy="${c}"`), 'a copy button');
  assert.ok(page.includes(`data-remember-code="${c}"`), 'remembered on this device by app.js');
  assert.ok(/<svg class="qr"[^>]*aria-label="本诉求查询页二维码"/.test(page), 'a QR code of the page');
  assert.ok(!/<script>/.test(page), 'no inline script');
  r = await fetch(`${srv.base}/api/v1/public/orders/${c.toLowerCase().replace('-', '')}`);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).code, c);
  // an old 12-character code keeps working, exactly as issued
  const db = await api(srv.base, tok.admin, 'GET', `/api/v1/orders?limit=500`);
  const old = db.json.orders.find((o) => o.code.length === 12);
  if (old) {
    r = await fetch(`${srv.base}/track/${old.code}`);
    assert.equal(r.status, 200);
  }
  r = await fetch(`${srv.base}/track/ZZZZ-ZZZZ`);
  assert.equal(r.status, 404);
});

test('a resident lists their orders by phone number and one code; wrong pairs are refused and throttled', async () => {
  const a = await place({ contact_phone: '13700001234', content: '第一件' });
  const b = await place({ contact_phone: '13700001234', content: '第二件' });
  const other = await place({ contact_phone: '13700009999', content: '别人的' });
  const br = new Browser(srv.base);
  const hdr = { 'x-real-ip': '192.0.2.77' };
  let form = await br.get('/track');
  assert.ok(form.text.includes('data-device-orders'));
  let r = await br.post('/track/lookup', { _csrf: Browser.csrf(form.text), phone: '13700001234', code: b.code.toLowerCase().replace('-', ' ') }, hdr);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.text.includes(a.code) && r.text.includes(b.code), 'both orders of the phone');
  assert.ok(!r.text.includes(other.code), 'not another phone’s');
  assert.ok(r.text.includes('137****1234') && !r.text.includes('13700001234'), 'masked');
  // another phone's code does not open this phone's list
  r = await br.post('/track/lookup', { _csrf: Browser.csrf(form.text), phone: '13700001234', code: other.code }, hdr);
  assert.equal(r.status, 404);
  assert.ok(r.text.includes('手机号与查询码不匹配'));
  assert.ok(!r.text.includes(a.code));
  r = await br.post('/track/lookup', { _csrf: Browser.csrf(form.text), phone: '123', code: '' }, hdr);
  assert.equal(r.status, 422);
  assert.ok(r.text.includes('11 位手机号') && r.text.includes('请填写您最近一次的查询码'));
  // guessing is throttled like logins
  let last;
  for (let i = 0; i < 12; i++) {
    last = await br.post('/track/lookup', { _csrf: Browser.csrf(form.text), phone: '13700001234', code: `ABCD-EF${i % 8 + 2}${i % 7 + 2}` }, hdr);
    if (last.status === 429) break;
  }
  assert.equal(last.status, 429, 'refused after repeated wrong codes');
  assert.ok(last.text.includes('尝试次数过多'));
});

test('the address is optional and bounded; the phone is revealed to the handler and the branch only, audited', async () => {
  let r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': '203.0.113.250' },
    body: JSON.stringify({ kind: 'need', content: 'x', org: 'CJZ-CJC', contact_name: '陈', contact_phone: '13912345678', address: '长'.repeat(81) }),
  });
  assert.equal(r.status, 422);
  assert.ok((await r.text()).includes('地址不能超过 80 个字'));
  const o = await place({ address: '陈集村三组 12 号' });
  // the list and the detail show the phone masked, never the address
  let g = await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}`);
  assert.equal(g.json.contact_phone, '139****5678');
  assert.equal(g.json.address, undefined);
  const before = await auditCount('order.reveal_phone');
  // the branch secretary reveals it (the API, reveal=1)
  g = await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}?reveal=1`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.contact_phone, '13912345678');
  assert.equal(g.json.address, '陈集村三组 12 号');
  // the committee above too; a member of the branch not assigned: refused
  assert.equal((await api(srv.base, tok.zuzhi, 'GET', `/api/v1/orders/${o.id}?reveal=1`)).status, 200);
  let m = await api(srv.base, tok.dangyuan, 'GET', `/api/v1/orders/${o.id}?reveal=1`);
  assert.equal(m.status, 403, m.text);
  assert.ok(!m.text.includes('13912345678'));
  // the other branch: not even the order
  for (const who of ['xijie', 'xjmember']) {
    const x = await api(srv.base, tok[who], 'GET', `/api/v1/orders/${o.id}?reveal=1`);
    assert.equal(x.status, 404, `${who}: ${x.text}`);
    assert.ok(!x.text.includes('13912345678'));
  }
  // assigned to the member: now it may, and the page gives a tel: link
  assert.equal((await act('chenji', o, 'accept')).status, 200);
  assert.equal((await act('chenji', o, 'assign', { assignee: 'dangyuan' })).status, 200);
  m = await api(srv.base, tok.dangyuan, 'GET', `/api/v1/orders/${o.id}?reveal=1`);
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.contact_phone, '13912345678');
  const member = new Browser(srv.base);
  await member.login('dangyuan');
  let page = await member.get(`/orders/${o.id}`);
  assert.ok(page.text.includes('139****5678') && !page.text.includes('13912345678'));
  assert.ok(page.text.includes(`action="/orders/${o.id}/reveal"`), 'a reveal button for the handler');
  page = await member.post(`/orders/${o.id}/reveal`, { _csrf: Browser.csrf(page.text) });
  assert.equal(page.status, 200, page.text);
  assert.ok(page.text.includes('href="tel:13912345678"'));
  assert.ok(page.text.includes('陈集村三组 12 号'));
  // a grid worker of the branch that is not the handler gets no button and no number
  const grid = new Browser(srv.base);
  await grid.login('wangge');
  page = await grid.get(`/orders/${o.id}`);
  if (page.status === 200) assert.ok(!page.text.includes('/reveal'));
  const gr = await grid.post(`/orders/${o.id}/reveal`, { _csrf: Browser.csrf((await grid.get('/orders')).text) });
  assert.ok(gr.status === 403 || gr.status === 404, String(gr.status));
  assert.ok(!gr.text.includes('13912345678'));
  // every reveal that answered is in the audit log
  assert.equal(await auditCount('order.reveal_phone') - before, 4);
  const log = await admin.get('/audit?action=order.reveal_phone');
  assert.ok(log.text.includes(o.code), 'the audit row names the order');
});

test('a member never sees the phone of another branch’s resident, even of an order of its town', async () => {
  const o = await place({ org: 'CJZ-XJC', contact_phone: '13655556666', kind: 'wish', content: '想要一台收音机' });
  // a member of 陈集村 sees the open wish on the wall (its town) but not the phone
  let g = await api(srv.base, tok.dangyuan, 'GET', `/api/v1/orders/${o.id}`);
  assert.ok(!g.text.includes('13655556666'));
  g = await api(srv.base, tok.dangyuan, 'GET', `/api/v1/orders/${o.id}?reveal=1`);
  assert.ok(g.status === 403 || g.status === 404, g.text);
  assert.ok(!g.text.includes('13655556666'));
  const wall = await fetch(srv.base + '/wishes').then((x) => x.text());
  assert.ok(!wall.includes('13655556666') && !wall.includes('6666'));
  // the branch secretary of 陈集村 does not see it at all
  g = await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}?reveal=1`);
  assert.equal(g.status, 404);
  // the member of 西街村 that claims it may reach the resident
  assert.equal((await act('xjmember', o, 'claim')).status, 200);
  g = await api(srv.base, tok.xjmember, 'GET', `/api/v1/orders/${o.id}?reveal=1`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.contact_phone, '13655556666');
  // …and 陈集村's member still not
  g = await api(srv.base, tok.dangyuan, 'GET', `/api/v1/orders/${o.id}?reveal=1`);
  assert.ok(g.status === 403 || g.status === 404);
});

async function delivered() {
  const o = await place();
  assert.equal((await act('chenji', o, 'accept')).status, 200);
  assert.equal((await act('chenji', o, 'assign', { assignee: 'dangyuan' })).status, 200);
  assert.equal((await act('dangyuan', o, 'deliver', { note: '已清理' })).status, 200);
  return o;
}

async function inbox(user) {
  const b = new Browser(srv.base);
  await b.login(user);
  return (await b.get('/inbox')).text;
}

test('the rating is required and explicit; 1-2 stars or a reopen tell the branch', async () => {
  const o = await delivered();
  const pub = (action, body) => fetch(`${srv.base}/api/v1/public/orders/${o.code}/actions/${action}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  }).then(async (x) => ({ status: x.status, text: await x.text() }));
  let r = await pub('confirm', { note: '好' });
  assert.equal(r.status, 422);
  assert.ok(r.text.includes('rating'));
  // the page's form has no preselected stars, and a post without one is refused
  const b = new Browser(srv.base);
  const page = await b.get(`/track/${o.code}`);
  assert.ok(page.text.includes('name="rating"'));
  assert.ok(!/name="rating"[^>]*(checked|selected)/.test(page.text) && !/<option[^>]*selected[^>]*>★/.test(page.text), 'no default stars');
  r = await b.post(`/track/${o.code}/confirm`, { _csrf: Browser.csrf(page.text), note: '' });
  assert.equal(r.status, 422);
  assert.ok(r.text.includes('请给出 1 到 5 星的评价'));
  assert.equal((await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}`)).json.state, 'delivered');
  // reopen: the branch hears (and the handler, as before)
  r = await pub('reopen', { note: '墙根还有碎砖' });
  assert.equal(r.status, 200, r.text);
  assert.ok((await inbox('chenji')).includes(`诉求 ${o.code} 群众反映未解决`));
  assert.equal((await act('dangyuan', o, 'deliver', { note: '碎砖也清走了' })).status, 200);
  r = await pub('confirm', { rating: 2, note: '太慢了' });
  assert.equal(r.status, 200, r.text);
  assert.ok((await inbox('chenji')).includes(`诉求 ${o.code} 群众评价 2 星`));
  // a good rating does not
  const o2 = await delivered();
  r = await fetch(`${srv.base}/api/v1/public/orders/${o2.code}/actions/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: 4 }) });
  assert.equal(r.status, 200);
  assert.ok(!(await inbox('chenji')).includes(`诉求 ${o2.code} 群众评价`));
});

test('dispatch: the handler belongs to the target branch; the history names the branch and the instruction', async () => {
  const o = await place();
  assert.equal((await act('chenji', o, 'accept')).status, 200);
  assert.equal((await act('chenji', o, 'escalate', { note: '需镇里协调' })).status, 200);
  // 西街村's branch with 陈集村's member: refused, nothing written
  let r = await act('zuzhi', o, 'dispatch', { to_org: 'CJZ-XJC', assignee: 'dangyuan', note: '请西街村协助' });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.text.includes('办理人不属于派往的支部'));
  assert.equal((await api(srv.base, tok.zuzhi, 'GET', `/api/v1/orders/${o.id}`)).json.state, 'escalated');
  // no branch named: the handler must belong to the order's branch
  r = await act('zuzhi', o, 'dispatch', { assignee: 'xjmember' });
  assert.equal(r.status, 422, r.text);
  r = await act('zuzhi', o, 'dispatch', { to_org: 'CJZ-XJC', assignee: 'xjmember', note: '三天内清理完毕' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.org, 'CJZ-XJC');
  assert.equal(r.json.assignee, 'xjmember');
  const h = (await api(srv.base, tok.zuzhi, 'GET', `/api/v1/orders/${o.id}`)).json.history.find((e) => e.action === 'dispatch');
  assert.equal(h.note, '派往西街村党支部，办理人：周明。党委意见：三天内清理完毕');
});

test('不予受理 and 不属于本级职责 store who decided and where to turn', async () => {
  const o = await place();
  let r = await act('chenji', o, 'reject', { note: '属于物业纠纷', decided_by: '陈集村支委会', refer_to: '镇司法所' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.decided_by, '陈集村支委会');
  assert.equal(r.json.refer_to, '镇司法所');
  let page = await fetch(`${srv.base}/track/${o.code}`).then((x) => x.text());
  assert.ok(page.includes('陈集村支委会') && page.includes('镇司法所 反映'));
  // not ours: where to turn is required; who decided defaults to the actor
  const o2 = await place();
  assert.equal((await act('chenji', o2, 'accept')).status, 200);
  r = await act('chenji', o2, 'close', { reason: 'not_ours', note: '属县级事权' });
  assert.equal(r.status, 422);
  assert.ok(r.text.includes('refer_to'));
  r = await act('chenji', o2, 'close', { reason: 'not_ours', note: '属县级事权', refer_to: '县住建局' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.refer_to, '县住建局');
  assert.ok(r.json.decided_by.includes('张建国'), r.json.decided_by);
  const staff = new Browser(srv.base);
  await staff.login('chenji');
  page = await staff.get(`/orders/${o2.id}`);
  assert.ok(page.text.includes('县住建局') && page.text.includes('<dt>认定</dt>'));
});

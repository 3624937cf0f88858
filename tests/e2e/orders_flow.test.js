// Resident orders over time (issue 4): a scripted month comes out of the
// statistics API exactly; time limits flag overdue orders; delivered orders
// nobody answers are closed after N days. The server's clock is injected
// through DANGJIAN_NOW_FILE and moved by the test.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, apiToken, api } = require('./lib');

const clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-clock-')), 'now');
const at = (s) => Math.floor(Date.parse(s + '+08:00') / 1000); // Asia/Shanghai wall time
const setClock = (t) => fs.writeFileSync(clockFile, String(t));

let srv, tok = {}, ip = 1;
test.before(async () => {
  setClock(at('2027-03-01T09:00:00'));
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clockFile } });
  await login();
});
async function login() {
  for (const u of ['admin', 'zuzhi', 'chenji', 'dangyuan']) tok[u] = await apiToken(srv.base, u);
}
test.after(async () => { await srv.stop(); });

async function place(extra = {}) {
  const r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': `203.0.113.${ip++}` },
    body: JSON.stringify({ kind: 'need', content: '帮忙代购降压药', org: 'CJZ-CJC', contact_name: '李奶奶', contact_phone: '13900002222', ...extra }),
  });
  const j = await r.json();
  assert.equal(r.status, 201, JSON.stringify(j));
  const list = await api(srv.base, tok.chenji, 'GET', '/api/v1/orders?limit=1');
  assert.equal(list.status, 200, list.text);
  return { id: list.json.orders[0].id, code: j.code };
}
const act = async (who, o, action, body = {}) => {
  const r = await api(srv.base, tok[who], 'POST', `/api/v1/orders/${o.id}/actions/${action}`, body);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  return r.json;
};
const confirm = async (o, rating) => {
  const r = await fetch(`${srv.base}/api/v1/public/orders/${o.code}/actions/confirm`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating, note: '谢谢' }),
  });
  assert.equal(r.status, 200, await r.text());
};

test('a scripted month of orders comes out of the statistics exactly', async () => {
  // March 2027: after the demo town's three months of orders, so the month holds only these
  const ratings = [5, 5, 4, 5, 3, 5, 4];
  for (let d = 0; d < 7; d++) { // resolved by the branch, closed a day after being placed
    const t = at(`2027-03-${String(d + 1).padStart(2, '0')}T10:00:00`);
    setClock(t);
    const o = await place();
    await act('chenji', o, 'accept');
    await act('chenji', o, 'assign', { assignee: 'dangyuan' });
    setClock(t + 6 * 3600);
    await act('dangyuan', o, 'deliver', { note: '药已送到' });
    setClock(t + 24 * 3600);
    await confirm(o, ratings[d]);
  }
  const escalated = [];
  for (let d = 0; d < 3; d++) { // escalated: two dispatched by the committee and closed in three days
    const t = at(`2027-03-${String(d + 10)}T10:00:00`);
    setClock(t);
    const o = await place({ kind: 'opinion', content: '村口道路破损需要修缮' });
    await act('chenji', o, 'accept');
    await act('chenji', o, 'escalate', { note: '需镇里协调资金' });
    escalated.push({ o, t });
  }
  for (const [i, { o, t }] of escalated.slice(0, 2).entries()) {
    setClock(t + 3600);
    await act('zuzhi', o, 'dispatch', { to_org: 'CJZ-CJC', assignee: 'dangyuan' });
    setClock(t + 48 * 3600);
    await act('dangyuan', o, 'deliver', { note: '已修缮' });
    setClock(t + 72 * 3600);
    await confirm(o, [5, 4][i]);
  }
  setClock(at('2027-03-20T10:00:00'));
  await act('chenji', await place(), 'reject', { note: '不属于群众诉求范围，已电话说明' });
  setClock(at('2027-03-21T10:00:00'));
  const w = await place();
  const wr = await fetch(`${srv.base}/api/v1/public/orders/${w.code}/actions/withdraw`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(wr.status, 200);
  setClock(at('2027-04-01T09:00:00'));
  await login(); // API tokens last 30 days, on the moved clock too
  // one placed after the month does not count in it
  await place();

  const s = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/stats/orders?org=CJZ&from=2027-03-01&to=2027-03-31')).json;
  assert.deepEqual(
    { c: s.collected, a: s.accepted, rej: s.rejected, b: s.resolved_by_branch, cm: s.resolved_by_committee, e: s.escalated, d: s.dispatched, w: s.withdrawn, o: s.open, od: s.overdue, r: s.rated },
    { c: 12, a: 10, rej: 1, b: 7, cm: 2, e: 3, d: 2, w: 1, o: 1, od: 1, r: 9 });
  assert.deepEqual(s.closed_by_reason, { resolved: 9, unresolvable: 0, not_ours: 0, duplicate: 0 });
  assert.ok(Math.abs(s.average_satisfaction - 40 / 9) < 1e-4, String(s.average_satisfaction));
  assert.equal(s.median_hours_to_close, 24);
  assert.equal(s.summary, '共收集需求清单12项，支部有效解决及时销单7项，向上反馈3项');
  // the branch sees the same figures for its own subtree; another branch none of them
  const b = (await api(srv.base, tok.chenji, 'GET', '/api/v1/stats/orders?from=2027-03-01&to=2027-03-31')).json;
  assert.equal(b.collected, 12);
  assert.equal((await api(srv.base, tok.chenji, 'GET', '/api/v1/stats/orders?org=CJZ&from=2027-03-01&to=2027-03-31')).status, 404);
  assert.equal((await api(srv.base, tok.zuzhi, 'GET', '/api/v1/stats/orders?org=CJZ-XJC&from=2027-03-01&to=2027-03-31')).json.collected, 0);
  // the page shows the same figures, cell by cell
  const { Browser } = require('./lib');
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const page = (await z.get('/stats/orders?org=CJZ&from=2027-03-01&to=2027-03-31')).text;
  const cell = (label) => Number(new RegExp(`<tr><td>${label}</td><td>(\\d+)</td></tr>`).exec(page)[1]);
  assert.deepEqual(
    [cell('收集诉求（需求清单）'), cell('支部接单'), cell('不予受理'), cell('支部解决并销单'), cell('向上反馈'), cell('党委派单'),
      cell('党委派单后解决'), cell('群众撤回'), cell('办理中'), cell('逾期'), cell('已评价')],
    [12, 10, 1, 7, 3, 2, 2, 1, 1, 1, 9]);
  assert.ok(page.includes('共收集需求清单12项，支部有效解决及时销单7项，向上反馈3项'));
  assert.ok(page.includes('data-values="12,10,1,7,3,2,2,1,1,1"'), 'the chart draws the same numbers');
  const bad = await api(srv.base, tok.zuzhi, 'GET', '/api/v1/stats/orders?from=2026-13-01&to=x');
  assert.equal(bad.status, 422);
  assert.ok(bad.json.error.fields.from && bad.json.error.fields.to);
});

test('an order past its time limit is flagged overdue, and the level above can chase it', async () => {
  const t = at('2027-04-05T08:00:00');
  setClock(t);
  const o = await place({ urgency: 'urgent', content: '老人突发疾病需要送医' });
  let list = (await api(srv.base, tok.chenji, 'GET', '/api/v1/orders?overdue=1')).json.orders.map((x) => x.id);
  assert.ok(!list.includes(o.id), 'within the hour it is not overdue');
  setClock(t + 2 * 3600); // urgent orders are to be taken within an hour
  const row = (await api(srv.base, tok.chenji, 'GET', '/api/v1/orders?overdue=1')).json.orders.find((x) => x.id === o.id);
  assert.ok(row && row.overdue, 'flagged on the list');
  await act('zuzhi', o, 'remind', { note: '请立即处理' });
  const detail = (await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}`)).json;
  assert.equal(detail.history.at(-1).action, 'remind');
  const pub = await (await fetch(`${srv.base}/api/v1/public/orders/${o.code}`)).json();
  assert.ok(!pub.history.some((h) => h.action === 'remind'), '催办 is internal');
  await act('chenji', o, 'accept');
  const after = (await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}`)).json;
  assert.equal(after.overdue, false, 'accepting gives it the next limit (24 h for urgent feedback)');
});

test('a delivered order nobody answers is closed after 7 days by the background task', async () => {
  const t = at('2027-04-06T10:00:00');
  setClock(t);
  const o = await place();
  await act('chenji', o, 'accept');
  await act('chenji', o, 'assign', { assignee: 'dangyuan' });
  await act('dangyuan', o, 'deliver', { note: '已办结' });
  srv.run(['tick', '--now', String(t + 6 * 86400)]);
  assert.equal((await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}`)).json.state, 'delivered', 'not yet');
  assert.match(srv.run(['tick', '--now', String(t + 8 * 86400)]), /tick: \d+ record/);
  const d = (await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}`)).json;
  assert.equal(d.state, 'closed');
  assert.equal(d.close_reason, 'resolved');
  assert.equal(d.history.at(-1).action, 'auto_close');
  assert.equal(d.history.at(-1).by, '系统');
});

test('the public side: idempotent placing, tracking without personal data, rate limit, bad input', async () => {
  setClock(at('2027-04-10T10:00:00'));
  const req = (key, body, ipAddr = '192.0.2.50') => fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-real-ip': ipAddr },
    body: JSON.stringify(body),
  });
  const good = { kind: 'wish', content: '希望给孩子买一套课外书', org: 'CJZ-CJC', contact_name: '赵小明', contact_phone: '13700003333' };
  const a = await req('double-submit-key-1', good);
  const b = await req('double-submit-key-1', good);
  assert.equal(a.status, 201);
  assert.equal(b.status, 200);
  const [ja, jb] = [await a.json(), await b.json()];
  assert.equal(ja.code, jb.code, 'one order for one key');
  assert.equal(jb.repeated, true);
  const track = await (await fetch(`${srv.base}/api/v1/public/orders/${ja.code}`)).json();
  assert.equal(track.status, 'open');
  assert.equal(track.state, 'submitted');
  assert.ok(!JSON.stringify(track).includes('13700003333') && !JSON.stringify(track).includes('赵小明'), 'no contact data');
  assert.equal((await fetch(`${srv.base}/api/v1/public/orders/NOSUCHCODE`)).status, 404);
  // field errors name the field
  const bad = await req('bad-input-key-01', { kind: 'x', content: '', org: 'CJZ', contact_name: '', contact_phone: '123' });
  assert.equal(bad.status, 422);
  const fields = (await bad.json()).error.fields;
  for (const f of ['kind', 'content', 'org', 'contact_name', 'contact_phone']) assert.ok(fields[f], f);
  // ten an hour from one address, then 429
  let last;
  for (let i = 0; i < 12; i++) last = await req(`rate-limit-key-${i}`, good, '192.0.2.77');
  assert.equal(last.status, 429);
  // illegal public actions are refused and change nothing
  const r = await fetch(`${srv.base}/api/v1/public/orders/${ja.code}/actions/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rating":5}' });
  assert.equal(r.status, 409);
  assert.equal((await (await fetch(`${srv.base}/api/v1/public/orders/${ja.code}`)).json()).state, 'submitted');
});

test('notifications: the branch hears of new and overdue orders, the committee of escalations, the assignee of its orders', async () => {
  const t = at('2027-04-20T09:00:00');
  setClock(t);
  await login();
  const inbox = async (u) => (await api(srv.base, tok[u], 'GET', '/api/v1/inbox')).json;
  const o = await place({ content: '楼道灯不亮' });
  let n = await inbox('chenji');
  assert.equal(n.notifications[0].kind, 'new_order', 'the newest first');
  assert.equal(n.notifications[0].order_id, o.id);
  await act('chenji', o, 'accept');
  await act('chenji', o, 'assign', { assignee: 'dangyuan' });
  assert.equal((await inbox('dangyuan')).notifications[0].kind, 'assigned');
  await act('chenji', o, 'escalate', { note: '需要镇里协调' });
  assert.equal((await inbox('zuzhi')).notifications[0].kind, 'escalated');
  // overdue: the background task tells the branch once, and sends the outbox
  const late = await place({ urgency: 'urgent', content: '急需送医' });
  const out = srv.run(['tick', '--now', String(t + 3 * 3600)]);
  assert.match(out, /tick: \d+ record/);
  n = await inbox('chenji');
  assert.ok(n.notifications.some((x) => x.kind === 'overdue' && x.order_id === late.id));
  srv.run(['tick', '--now', String(t + 4 * 3600)]);
  assert.equal((await inbox('chenji')).notifications.filter((x) => x.kind === 'overdue' && x.order_id === late.id).length, 1, 'once');
  assert.ok(n.unread > 0);
});

test('time limits are configurable per urgency and per kind', async () => {
  const t = at('2027-05-01T09:00:00');
  setClock(t);
  await login();
  srv.run(['config', 'set', 'order_limit.normal.accept', '7200']);
  srv.run(['config', 'set', 'order_limit.proxy_medical.normal.accept', '600']);
  const a = await place({ kind: 'need' });
  const b = await place({ kind: 'proxy_medical' });
  const due = async (o) => (await api(srv.base, tok.chenji, 'GET', `/api/v1/orders/${o.id}`)).json.due_at;
  assert.equal(await due(a), t + 7200);
  assert.equal(await due(b), t + 600);
  assert.match(srv.run(['config', 'list']), /order_limit\.normal\.accept=7200/);
});

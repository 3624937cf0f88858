// Meetings and decisions (issue 13, SPEC M5), on SQLite and PostgreSQL:
// the 四议两公开 step table drives its own test (every step in order, every
// skipped or repeated step refused, the quorums), attendance with leave and
// QR sign-in, decisions with owners and deadlines (an overdue one flagged
// and never counted as done), bad input naming its field, and a scripted
// month that comes out of the report page, the API and the .xlsx alike with
// the 三会一课 compliance marking exactly the branches that missed a meeting.
// The clock is the server's DANGJIAN_NOW_FILE, moved by the test.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, dbSql, shell } = require('./lib');

const PY = '/usr/bin/python3';
const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-clock-'));
const clockFile = path.join(clockDir, 'now');
const tokens = {};
// Beijing wall time → Unix seconds
const bj = (s) => Math.floor(Date.parse(s.replace(' ', 'T') + ':00+08:00') / 1000);
// moving the clock far ends the API tokens: take new ones
function setClock(s) { fs.writeFileSync(clockFile, String(bj(s))); for (const u of Object.keys(tokens)) delete tokens[u]; }

// The months the meetings happen in lie well after the demo town's year (which
// ends about now): the scripted month is the first quarter's last month at
// least five months ahead, the attendance test takes the quarter's first.
const addMonth = (ym, k) => { const d = new Date(Date.UTC(+ym.slice(0, 4), +ym.slice(5, 7) - 1 + k, 1)); return d.toISOString().slice(0, 7); };
const MONTH = (() => { let ym = new Date(Date.now() + 150 * 86400e3).toISOString().slice(0, 7); while (+ym.slice(5, 7) % 3) ym = addMonth(ym, 1); return ym; })();
const A = addMonth(MONTH, -2);
let srv, tables;
async function tok(u) { return tokens[u] || (tokens[u] = await apiToken(srv.base, u)); }
async function call(u, method, p, body) { return api(srv.base, await tok(u), method, p, body); }

test.before(async () => {
  setClock('2026-11-30 10:00');
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clockFile } });
  tables = (await api(srv.base, '', 'GET', '/api/v1/meetings/tables')).json;
});
test.after(async () => { await srv.stop(); fs.rmSync(clockDir, { recursive: true, force: true }); });

test('the tables: six steps of 四议两公开 in order, two with a quorum; the meeting states', async () => {
  assert.deepEqual(tables.matter_steps.map((s) => s.label),
    ['党支部会提议', '村两委会商议', '党员大会审议', '村民代表会议(或村民会议)决议', '决议公开', '实施结果公开']);
  assert.deepEqual(tables.matter_steps.map((s) => s.quorum), ['none', 'none', 'members', 'representatives', 'none', 'none']);
  assert.deepEqual(tables.meeting_transitions, [{ from: 'planned', action: 'hold', to: 'held' }, { from: 'planned', action: 'cancel', to: 'cancelled' }]);
  assert.deepEqual(tables.requirements.map((r) => [r.type, r.months]).sort(), [['assembly', 3], ['committee', 1], ['group', 1], ['lesson', 3]]);
});

// A valid body for a step of the table (counts from the matter: all present, all in favour).
function stepBody(s, matter, date = '2026-11-20') {
  const b = { step: s.key, date, record: `${s.label}：记录` };
  if (s.quorum === 'members') Object.assign(b, { present: matter.members, favour: matter.members });
  if (s.quorum === 'representatives') Object.assign(b, { total: 30, present: 30, favour: 30 });
  return b;
}

async function newMatter(title) {
  const r = await call('chenji', 'POST', '/api/v1/matters', { org: 'CJZ-CJC', title, description: '村内重大事项' });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('四议两公开: every step in order works; every skipped or repeated step is refused with the field named', async () => {
  let m = await newMatter('村集体机动地对外发包');
  assert.ok(m.members >= 3, 'the branch has members');
  const steps = tables.matter_steps;
  for (let i = 0; i < steps.length; i++) {
    for (let j = 0; j < steps.length; j++) {
      if (j === i) continue;
      const r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, stepBody(steps[j], m));
      assert.equal(r.status, 422, `step ${steps[j].key} when ${steps[i].key} is next: ${r.text}`);
      assert.ok(r.json.error.fields.step, r.text);
      assert.match(r.json.error.fields.step, j < i ? /不能重复/ : /不能跳过/);
    }
    const r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, stepBody(steps[i], m));
    assert.equal(r.status, 201, `${steps[i].key}: ${r.text}`);
    assert.equal(r.json.passed, true);
    m = r.json.matter;
    assert.equal(m.steps.length, i + 1, 'nothing written by the refused steps');
  }
  assert.equal(m.state, 'done');
  assert.equal(m.next_step, null);
  for (const s of steps) assert.equal((await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, stepBody(s, m))).status, 422);
});

async function toReview(title) {
  const m = await newMatter(title);
  for (const s of tables.matter_steps.slice(0, 2)) assert.equal((await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, stepBody(s, m))).status, 201);
  return m;
}

test('四议两公开: a 党员大会 with 2/3 − 1 present, or exactly half in favour, stops the matter; it can be proposed again', async () => {
  const m = await toReview('修建村西生产路');
  const n = m.members, need = Math.ceil((2 * n) / 3);
  let r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, { step: 'review', date: '2026-11-21', record: '党员大会', present: need - 1, favour: need - 1 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.passed, false);
  assert.equal(r.json.matter.state, 'stopped');
  r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, { step: 'resolve', date: '2026-11-22', record: '代表会', total: 30, present: 30, favour: 30 });
  assert.equal(r.status, 422, 'a stopped matter cannot move on');
  r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, stepBody(tables.matter_steps[0], m, '2026-11-23'));
  assert.equal(r.status, 201, 'proposed again');
  assert.equal(r.json.matter.round, 2);
  assert.equal(r.json.matter.state, 'open');

  // exactly half in favour of those present: stopped; more than half with exactly 2/3 present: passes
  const even = need % 2 === 0 ? need : need + 1;
  assert.ok(even <= n, 'an even number present that still makes the quorum');
  const m2 = await toReview('村内道路硬化');
  r = await call('chenji', 'POST', `/api/v1/matters/${m2.id}/steps`, { step: 'review', date: '2026-11-21', record: '党员大会', present: even, favour: even / 2 });
  assert.equal(r.json.passed, false, r.text);
  assert.equal(r.json.matter.state, 'stopped');
  const m3 = await toReview('文化广场改造');
  r = await call('chenji', 'POST', `/api/v1/matters/${m3.id}/steps`, { step: 'review', date: '2026-11-21', record: '党员大会', present: need, favour: Math.floor(need / 2) + 1 });
  assert.equal(r.json.passed, true, r.text);
  // the 村民代表会议: 2/3 of the representatives
  r = await call('chenji', 'POST', `/api/v1/matters/${m3.id}/steps`, { step: 'resolve', date: '2026-11-22', record: '代表会', total: 30, present: 19, favour: 19 });
  assert.equal(r.json.passed, false, '19 of 30 is less than 2/3');
});

test('四议两公开: figures larger than the membership, votes beyond those present, missing fields: refused, nothing written', async () => {
  const m = await toReview('新建村级光伏电站');
  const cases = [
    [{ present: m.members + 1, favour: 1 }, 'present'],
    [{ present: 3, favour: 4 }, 'favour'],
    [{ favour: 1 }, 'present'],
    [{ present: 3, favour: 2, date: '' }, 'date'],
    [{ present: 3, favour: 2, record: '' }, 'record'],
  ];
  for (const [extra, field] of cases) {
    const r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, { step: 'review', date: '2026-11-21', record: '党员大会', ...extra });
    assert.equal(r.status, 422, JSON.stringify(extra));
    assert.ok(r.json.error.fields[field], `${field}: ${r.text}`);
  }
  const after = (await call('chenji', 'GET', `/api/v1/matters/${m.id}`)).json;
  assert.equal(after.steps.length, 2);
  assert.equal(after.next_step, 'review');
  // another branch's secretary does not see it; a member may not run it
  assert.equal((await call('xijie', 'GET', `/api/v1/matters/${m.id}`)).status, 404);
  assert.equal((await call('dangyuan', 'POST', `/api/v1/matters/${m.id}/steps`, stepBody(tables.matter_steps[2], m))).status, 403);
});

// ---- meetings ----

const plan = (extra = {}) => ({ org: 'CJZ-CJC', type: 'red730', theme: '人居环境整治', date: `${A}-03`, start: '19:30', end: '21:00', place: '村党群服务中心', content: '学习、议事、办事', ...extra });

test('a meeting without one of the 四定 is refused with the field named, nothing written', async () => {
  setClock(`${A}-01 09:00`);
  const before = (await call('chenji', 'GET', `/api/v1/meetings?month=${A}`)).json.meetings.length;
  for (const f of ['theme', 'date', 'place', 'content']) {
    const r = await call('chenji', 'POST', '/api/v1/meetings', plan({ [f]: '' }));
    assert.equal(r.status, 422, f);
    assert.ok(r.json.error.fields[f], `${f}: ${r.text}`);
  }
  let r = await call('chenji', 'POST', '/api/v1/meetings', plan({ start: '25:00' }));
  assert.ok(r.json.error.fields.start);
  r = await call('chenji', 'POST', '/api/v1/meetings', plan({ end: '19:00' }));
  assert.ok(r.json.error.fields.end);
  r = await call('chenji', 'POST', '/api/v1/meetings', plan({ type: 'group' }));
  assert.ok(r.json.error.fields.type, 'a 党小组会 is held by a 党小组');
  assert.equal((await call('chenji', 'POST', '/api/v1/meetings', plan({ org: 'CJZ-XJC' }))).status, 404);
  assert.equal((await call('dangyuan', 'POST', '/api/v1/meetings', plan())).status, 403);
  assert.equal((await call('chenji', 'GET', `/api/v1/meetings?month=${A}`)).json.meetings.length, before);
});

test('attendance: leave before the meeting (approved by the secretary), QR sign-in in the window only, the rest absent; decisions', async () => {
  setClock(`${A}-01 09:00`);
  let r = await call('chenji', 'POST', '/api/v1/meetings', plan());
  assert.equal(r.status, 201, r.text);
  const id = r.json.meeting.id;
  const att = r.json.attendance;
  assert.ok(att.length >= 5);
  const me = att.find((a) => a.name === '李志强');
  assert.ok(me, 'the member dangyuan is invited');
  // the invitee was told
  const inbox = await (async () => { const b = new Browser(srv.base); await b.login('dangyuan'); return b.get('/inbox'); })();
  assert.match(inbox.text, /人居环境整治/);

  const other = att.find((a) => a.name !== '李志强' && a.name !== '张建国');
  // leave: the member asks, the secretary approves
  r = await call('dangyuan', 'POST', `/api/v1/meetings/${id}/leave`, { reason: '' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.reason);
  r = await call('dangyuan', 'POST', `/api/v1/meetings/${id}/leave`, { reason: '外出务工' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.attendance.find((a) => a.member_id === me.member_id).status, 'leave_requested');
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/leave/${me.member_id}`, { approve: false });
  assert.equal(r.json.attendance.find((a) => a.member_id === me.member_id).status, 'invited');

  // the screen's code is not shown before the window opens; a scan is refused
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  assert.equal((await sec.get(`/checkin/meeting/${id}/code`)).status, 409);

  // in the window: the secretary's screen gives the code, the member's phone signs in
  setClock(`${A}-03 19:35`);
  tokens.chenji = tokens.dangyuan = undefined;
  await sec.login('chenji');
  const code = JSON.parse((await sec.get(`/checkin/meeting/${id}/code`)).text);
  assert.match(code.url, new RegExp(`/c/meeting/${id}/[A-Z0-9]{8}$`));
  const phone = new Browser(srv.base);
  await phone.login('dangyuan');
  // leave asked after the meeting started: refused
  r = await call('dangyuan', 'POST', `/api/v1/meetings/${id}/leave`, { reason: '临时有事' });
  assert.equal(r.status, 409);
  // a code of another meeting is refused
  const p2 = await call('chenji', 'POST', '/api/v1/meetings', plan({ theme: '另一个会', date: `${A}-03` }));
  const foreign = JSON.parse((await sec.get(`/checkin/meeting/${p2.json.meeting.id}/code`)).text);
  const scanPath = new URL(code.url).pathname;
  const foreignPath = `/c/meeting/${id}/${foreign.code}`;
  r = await phone.postForm(scanPath, foreignPath, {});
  assert.equal(r.status, 422, 'a foreign code');
  r = await phone.postForm(scanPath, scanPath, {});
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /已签到 19:35/);
  // a secretary of another branch cannot see the meeting at all
  const x = new Browser(srv.base);
  await x.login('xijie');
  assert.equal((await x.get(scanPath)).status, 404);
  // by hand: another member present
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/attendance`, { member_id: other.member_id, status: 'present' });
  assert.equal(r.status, 200, r.text);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/attendance`, { member_id: other.member_id, status: 'late' });
  assert.ok(r.json.error.fields.status);

  // a decision: owner and deadline required, the deadline not before the meeting
  const body = { matter: '疏通村西排水沟', owner_member_id: me.member_id, deadline: `${A}-10`, supervisors: [{ kind: 'member', member_id: other.member_id }, { kind: 'rep', name: '王大爷' }] };
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/decisions`, { ...body, owner_member_id: undefined });
  assert.ok(r.json.error.fields.owner_member_id, r.text);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/decisions`, { ...body, deadline: undefined });
  assert.ok(r.json.error.fields.deadline, r.text);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/decisions`, { ...body, deadline: `${A}-02` });
  assert.match(r.json.error.fields.deadline, /不能早于会议日期/);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/decisions`, { ...body, supervisors: [{ kind: 'rep', name: '' }] });
  assert.ok(r.json.error.fields.supervisors);
  assert.equal((await call('chenji', 'GET', `/api/v1/meetings/${id}`)).json.decisions.length, 0, 'nothing written');
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/decisions`, body);
  assert.equal(r.status, 201, r.text);
  const dec = r.json;
  assert.deepEqual(dec.supervisors.map((s) => s.name), [other.name, '王大爷']);
  const late = (await call('chenji', 'POST', `/api/v1/meetings/${id}/decisions`, { ...body, matter: '修路灯', deadline: `${A}-05` })).json;

  // held with minutes: whoever did not come is absent
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/hold`, { minutes: '' });
  assert.ok(r.json.error.fields.minutes);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/hold`, { minutes: '会议记录：学习、议事、办事', topics: '排水沟', youth: 3, masses: 5, reps: ['王大爷', '刘大姐'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.meeting.state, 'held');
  assert.equal(r.json.meeting.present, 2);
  assert.equal(r.json.meeting.absent, att.length - 2);
  assert.deepEqual(r.json.reps, ['王大爷', '刘大姐']);
  assert.equal((await call('chenji', 'POST', `/api/v1/meetings/${id}/hold`, { minutes: 'x' })).status, 409);
  assert.equal((await call('chenji', 'POST', `/api/v1/meetings/${id}/cancel`, { reason: 'x' })).status, 409);
  // the code no longer works once the meeting is held
  r = await phone.postForm(scanPath, scanPath, {});
  assert.equal(r.status, 409);

  // the owner records progress and marks it done
  setClock(`${A}-06 10:00`);
  tokens.dangyuan = tokens.chenji = undefined;
  r = await call('dangyuan', 'POST', `/api/v1/decisions/${dec.id}/progress`, { note: '已清理淤泥200米' });
  assert.equal(r.status, 200, r.text);
  r = await call('dangyuan', 'POST', `/api/v1/decisions/${dec.id}/done`, { result: '排水沟全线疏通' });
  assert.equal(r.json.state, 'done');
  assert.equal(r.json.done_on_time, true);
  assert.equal((await call('dangyuan', 'POST', `/api/v1/decisions/${dec.id}/progress`, { note: 'x' })).status, 409);
  // an overdue decision: flagged, never counted as done
  const ov = (await call('chenji', 'GET', `/api/v1/decisions/${late.id}`)).json;
  assert.equal(ov.overdue, true);
  assert.equal(ov.state, 'open');
  const list = (await call('chenji', 'GET', '/api/v1/decisions?overdue=1')).json.decisions;
  assert.ok(list.some((d) => d.id === late.id) && !list.some((d) => d.id === dec.id));
  const rep = (await call('chenji', 'GET', `/api/v1/meetings/report?org=CJZ-CJC&from=${A}-01&to=${A}-28`)).json.total;
  assert.equal(rep.decisions, 2);
  assert.equal(rep.done, 1);
  assert.equal(rep.overdue, 1);
  const page = await sec.get(`/decisions?overdue=1`);
  await sec.login('chenji');
  assert.match((await sec.get('/decisions?overdue=1')).text, /修路灯[\s\S]*逾期/);
  // flagged on the workbench too, and the owner finds it on theirs
  // the workbench shows the five longest overdue of the branch (the demo's come first); 修路灯 is among all of them above
  assert.match((await sec.get('/console')).text, /逾期决策事项[\s\S]*<\/a><span class="work-meta">逾期/);
  await phone.login('dangyuan');
  assert.match((await phone.get('/console')).text, /我负责的决策事项[\s\S]*修路灯<\/a><span class="work-meta">逾期/);
  assert.ok(page);
  // the village's public page: nothing until the secretary publishes it (决议公开),
  // then the decision and its published result, no names of people, no progress notes
  let pub = await new Browser(srv.base).get('/p/decisions/CJZ-CJC');
  assert.equal(pub.status, 200);
  // (exactly this matter: the demo's decisions may hold one beginning with the same words)
  assert.doesNotMatch(pub.text, /<h3>疏通村西排水沟<\/h3>/);
  assert.equal((await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish`, {})).status, 200);
  assert.equal((await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish-result`, {})).status, 200);
  pub = await new Browser(srv.base).get('/p/decisions/CJZ-CJC');
  assert.match(pub.text, /<h3>疏通村西排水沟<\/h3>[\s\S]*实施结果[^<]*：排水沟全线疏通/);
  assert.doesNotMatch(pub.text, /李志强|王大爷|已清理淤泥200米/);
});

test("a resident's order becomes a decision: assigned to its owner, delivered with the result, confirmed by the resident", async () => {
  setClock(`${A}-12 09:00`);
  const placed = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': '203.0.113.77' },
    body: JSON.stringify({ kind: 'need', content: '村西小桥栏杆断了，孩子上学不安全', org: 'CJZ-CJC', contact_name: '周大娘', contact_phone: '13900007777' }),
  });
  assert.equal(placed.status, 201);
  const code = (await placed.json()).code;
  const orderId = (await call('chenji', 'GET', '/api/v1/orders?limit=1')).json.orders[0].id;
  let r = await call('chenji', 'POST', '/api/v1/meetings', plan({ date: `${A}-12`, theme: '群众点单议事' }));
  const m = r.json;
  const owner = m.attendance.find((a) => a.name === '李志强');
  setClock(`${A}-12 19:40`);
  const body = { matter: '修复村西小桥栏杆', owner_member_id: owner.member_id, deadline: `${A}-20`, order_code: code };
  // not accepted yet: refused, the field named, nothing written
  r = await call('chenji', 'POST', `/api/v1/meetings/${m.meeting.id}/decisions`, body);
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.order_code, r.text);
  r = await call('chenji', 'POST', `/api/v1/meetings/${m.meeting.id}/decisions`, { ...body, order_code: 'XXXX-XXXX' });
  assert.ok(r.json.error.fields.order_code);
  assert.equal((await call('chenji', 'GET', `/api/v1/meetings/${m.meeting.id}`)).json.decisions.length, 0);
  assert.equal((await call('chenji', 'POST', `/api/v1/orders/${orderId}/actions/accept`, {})).status, 200);
  r = await call('chenji', 'POST', `/api/v1/meetings/${m.meeting.id}/decisions`, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.order_code, code);
  let o = (await call('chenji', 'GET', `/api/v1/orders/${orderId}`)).json;
  assert.equal(o.state, 'assigned');
  assert.equal(o.assignee, 'dangyuan', 'assigned to the owner through the orders state machine');
  // taken up once
  assert.ok((await call('chenji', 'POST', `/api/v1/meetings/${m.meeting.id}/decisions`, body)).json.error.fields.order_code);
  // the owner marks the decision done: the order is delivered with the result
  setClock(`${A}-15 10:00`);
  r = await call('dangyuan', 'POST', `/api/v1/decisions/${r.json.id}/done`, { result: '栏杆已焊接加固' });
  assert.equal(r.status, 200, r.text);
  o = (await call('chenji', 'GET', `/api/v1/orders/${orderId}`)).json;
  assert.equal(o.state, 'delivered');
  assert.match(o.result, /议事决策办结：栏杆已焊接加固/);
  // and the resident closes the loop (销单)
  const c = await fetch(`${srv.base}/api/v1/public/orders/${code}/actions/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: 5 }) });
  assert.equal(c.status, 200, await c.text());
  assert.equal((await call('chenji', 'GET', `/api/v1/orders/${orderId}`)).json.state, 'closed');
});

test("the committee's monthly plan, inherited and adapted by a village; leave approved is neither present nor absent", async () => {
  setClock(`${A}-20 09:00`);
  const month = A;
  let r = await call('chenji', 'POST', '/api/v1/meeting-plans', { month, theme: 'x', content: 'y' });
  assert.equal(r.status, 403, 'a branch does not publish the town plan');
  r = await call('zuzhi', 'POST', '/api/v1/meeting-plans', { org: 'CJZ', month: '2026-13', theme: '文化移风易俗', content: '修订村规民约' });
  assert.ok(r.json.error.fields.month);
  r = await call('zuzhi', 'POST', '/api/v1/meeting-plans', { org: 'CJZ', month, theme: '文化移风易俗', content: '修订村规民约，红白理事会议定操办标准' });
  assert.equal(r.status, 201, r.text);
  const planId = r.json.id;
  const plans = (await call('chenji', 'GET', `/api/v1/meeting-plans?month=${month}`)).json.plans;
  assert.ok(plans.some((p) => p.id === planId), 'the village sees the town plan');
  // inherited: theme and content left empty come from the plan
  r = await call('chenji', 'POST', '/api/v1/meetings', plan({ date: `${A}-22`, plan_id: planId, theme: '', content: '' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.meeting.theme, '文化移风易俗');
  assert.equal(r.json.meeting.content, '修订村规民约，红白理事会议定操办标准');
  assert.equal(r.json.meeting.plan_id, planId);
  // adapted: the village's own theme, the plan's content
  const adapted = await call('chenji', 'POST', '/api/v1/meetings', plan({ date: `${A}-23`, plan_id: planId, theme: '文化移风易俗：陈集村红白事新规', content: '' }));
  assert.equal(adapted.json.meeting.theme, '文化移风易俗：陈集村红白事新规');
  assert.equal(adapted.json.meeting.content, '修订村规民约，红白理事会议定操办标准');
  // leave asked and approved before the meeting: after it is held, on leave, not absent
  const id = r.json.meeting.id;
  const me = r.json.attendance.find((a) => a.name === '李志强');
  assert.equal((await call('dangyuan', 'POST', `/api/v1/meetings/${id}/leave`, { reason: '陪老人住院' })).status, 200);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/leave/${me.member_id}`, { approve: true });
  assert.equal(r.json.attendance.find((a) => a.member_id === me.member_id).status, 'leave');
  setClock(`${A}-22 21:00`);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/hold`, { minutes: '按计划召开' });
  assert.equal(r.status, 200, r.text);
  const mine = r.json.attendance.find((a) => a.member_id === me.member_id);
  assert.deepEqual([mine.status, mine.leave_reason], ['leave', '陪老人住院']);
  assert.equal(r.json.meeting.leave, 1);
  // no points either way for approved leave
  assert.equal(sql(`SELECT COUNT(*) FROM points_ledger WHERE source_kind = 'meeting' AND source_id = ${id} AND member_id = ${me.member_id}`), '0');

  // photos with the minutes: JPEG or PNG by their first bytes, at most 2 MiB
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  const upload = async (bytes, name) => {
    const page = await sec.get(`/meetings/${id}`);
    const fd = new FormData();
    fd.append('_csrf', Browser.csrf(page.text));
    fd.append('photo', new Blob([bytes]), name);
    const res = await fetch(`${srv.base}/meetings/${id}/photos`, { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: sec.cookieHeader() } });
    sec.keep(res);
    return (await sec.get(`/meetings/${id}`)).text;
  };
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
  let html = await upload(Buffer.from('not a picture'), 'x.jpg');
  assert.match(html, /照片应为 JPEG 或 PNG 格式/);
  html = await upload(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024)]), 'big.jpg');
  assert.match(html, /照片不能超过 2 MiB/);
  assert.doesNotMatch(html, /<img src="\/meetings\/\d+\/photos\//, 'nothing stored');
  html = await upload(png, 'site.png');
  const src = /<img src="(\/meetings\/\d+\/photos\/\d+)"/.exec(html)[1];
  const got = await fetch(srv.base + src, { headers: { cookie: sec.cookieHeader() } });
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
  const other = new Browser(srv.base);
  await other.login('xijie');
  assert.equal((await other.get(src)).status, 404, 'not outside the meeting\'s branch');
});

// ---- the scripted month ----

async function meeting(u, org, type, day, extra = {}) {
  setClock(`${MONTH}-${day} 09:00`);
  tokens[u] = undefined;
  const r = await call(u, 'POST', '/api/v1/meetings', { org, type, theme: `${type}会议`, date: `${MONTH}-${day}`, start: '19:30', end: '21:00', place: '党员活动室', content: '三会一课' });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function hold(u, m, presentN, extra = {}) {
  const day = m.meeting.date.slice(8);
  setClock(`${MONTH}-${day} 20:00`);
  tokens[u] = undefined;
  for (const a of m.attendance.slice(0, presentN))
    assert.equal((await call(u, 'POST', `/api/v1/meetings/${m.meeting.id}/attendance`, { member_id: a.member_id, status: 'present' })).status, 200);
  const r = await call(u, 'POST', `/api/v1/meetings/${m.meeting.id}/hold`, { minutes: '按时召开', ...extra });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// SQL on the test's database, through the engine's own client.
function sql(q) {
  return dbSql(srv, q);
}

function sheets(file) {
  return JSON.parse(shell(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({n: [list(r) for r in wb[n].iter_rows(values_only=True)] for n in wb.sheetnames}, ensure_ascii=False))`, file], { encoding: 'utf8' }));
}

test('a scripted month: the report page, the API and the .xlsx agree exactly; the compliance table marks exactly the branches that missed', async () => {
  // 陈集村: every required meeting, a 红色七点半 with guests and three decisions
  const cjc = {};
  cjc.committee = await hold('chenji', await meeting('chenji', 'CJZ-CJC', 'committee', '02'), 2);
  cjc.group = await hold('chenji', await meeting('chenji', 'CJZ-CJC-1', 'group', '03'), 3);
  cjc.assembly = await hold('chenji', await meeting('chenji', 'CJZ-CJC', 'assembly', '05'), 6);
  cjc.lesson = await hold('chenji', await meeting('chenji', 'CJZ-CJC', 'lesson', '06'), 4);
  const red = await meeting('chenji', 'CJZ-CJC', 'red730', '08');
  const owner = red.attendance[0].member_id;
  setClock(`${MONTH}-08 20:00`);
  tokens.chenji = undefined;
  const mk = async (matter, deadline) => (await call('chenji', 'POST', `/api/v1/meetings/${red.meeting.id}/decisions`, { matter, owner_member_id: owner, deadline })).json;
  const onTime = await mk('修复村东路灯', `${MONTH}-20`);
  const overdue = await mk('清理村北垃圾点', `${MONTH}-10`);
  const lateDone = await mk('维修村委会屋顶', `${MONTH}-12`);
  cjc.red = await hold('chenji', red, 5, { youth: 4, masses: 6, reps: ['孙阿姨'] });
  // a cancelled meeting counts as cancelled, never as held
  const cancelled = await meeting('chenji', 'CJZ-CJC', 'theme_day', '09');
  assert.equal((await call('chenji', 'POST', `/api/v1/meetings/${cancelled.meeting.id}/cancel`, { reason: '暴雨' })).status, 200);
  setClock(`${MONTH}-15 10:00`);
  tokens.chenji = undefined;
  assert.equal((await call('chenji', 'POST', `/api/v1/decisions/${onTime.id}/done`, { result: '已修复' })).status, 200);
  setClock(`${MONTH}-25 10:00`);
  tokens.chenji = undefined;
  assert.equal((await call('chenji', 'POST', `/api/v1/decisions/${lateDone.id}/done`, { result: '已维修' })).status, 200);
  // 西街村: the monthly ones only — the quarter ends without a 党员大会 or 党课
  const xjHeld = [await hold('xijie', await meeting('xijie', 'CJZ-XJC', 'committee', '04'), 2),
    await hold('xijie', await meeting('xijie', 'CJZ-XJC-1', 'group', '04'), 2)];

  setClock(`${addMonth(MONTH, 1)}-01 10:00`);
  for (const u of Object.keys(tokens)) tokens[u] = undefined;
  const q = `org=CJZ&from=${MONTH}-01&to=${MONTH}-30`;
  const rep = (await call('zuzhi', 'GET', `/api/v1/meetings/report?${q}`)).json;
  const row = rep.branches.find((b) => b.org === 'CJZ-CJC');
  const present = Object.values(cjc).reduce((n, h) => n + h.meeting.present, 0);
  assert.ok(present >= 12);
  assert.deepEqual(row.held, { assembly: 1, committee: 1, group: 1, lesson: 1, theme_day: 0, red730: 1, other: 0 });
  assert.deepEqual([row.held_total, row.cancelled, row.member_times, row.guest_times], [5, 1, present, 10]);
  assert.deepEqual([row.decisions, row.done, row.done_on_time, row.overdue, row.open], [3, 2, 1, 1, 0]);
  const xj = rep.branches.find((b) => b.org === 'CJZ-XJC');
  assert.deepEqual([xj.held_total, xj.member_times, xj.decisions], [2, xjHeld.reduce((n, h) => n + h.meeting.present, 0), 0]);
  assert.deepEqual([rep.total.held_total, rep.total.decisions, rep.total.done, rep.total.overdue], [7, 3, 2, 1]);
  assert.equal(rep.branches.reduce((s, b) => s + b.held_total, 0), rep.total.held_total);
  // attendance and absence went through the points ledger, one entry per invitee and meeting
  const ids = Object.values(cjc).map((h) => h.meeting.id).join(',');
  const ledger = sql(`SELECT code || ':' || COUNT(*) || ':' || SUM(points) FROM points_ledger WHERE source_kind = 'meeting' AND source_id IN (${ids}) GROUP BY code ORDER BY code`);
  const absent = Object.values(cjc).reduce((n, h) => n + h.meeting.absent, 0);
  assert.deepEqual(ledger.split('\n'), [`meeting_absent:${absent}:${-2 * absent}`, `meeting_attended:${present}:${2 * present}`]);
  const ovd = (await call('chenji', 'GET', `/api/v1/decisions/${overdue.id}`)).json;
  assert.equal(ovd.overdue, true);

  // the report page shows the same figures
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const page = (await z.get(`/meetings/report?${q}`)).text;
  const cells = (name) => {
    const tr = page.split('<tr').find((t) => t.includes(`>${name}<`) || t.includes(`>${name} 合计<`));
    return [...tr.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  };
  const types = tables.meeting_types.map((t) => t.key);
  const expectRow = (r) => [...types.map((t) => String(r.held[t])), ...[r.held_total, r.member_times, r.guest_times, r.decisions, r.done, r.done_on_time, r.overdue].map(String)];
  assert.deepEqual(cells('陈集村党支部').slice(1), expectRow(row));
  assert.deepEqual(cells('中共陈集镇委员会').slice(1), expectRow(rep.total));
  assert.match(page, /共召开会议7次，解决难题、急事2件/);

  // the .xlsx: the same rows
  const res = await fetch(`${srv.base}/meetings/report.xlsx?${q}`, { headers: { cookie: z.cookieHeader() } });
  assert.equal(res.status, 200);
  const file = path.join(clockDir, 'r.xlsx');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const x = sheets(file);
  assert.deepEqual(Object.keys(x), ['会议统计', '三会一课落实情况']);
  const xr = x['会议统计'].find((r) => r[0] === '陈集村党支部');
  assert.deepEqual(xr.slice(1), [...types.map((t) => row.held[t]), row.held_total, row.cancelled, row.member_times, row.guest_times, row.decisions, row.done, row.done_on_time, row.overdue, row.open]);
  const xt = x['会议统计'].find((r) => r[0] === '中共陈集镇委员会 合计');
  assert.equal(xt[types.length + 1], rep.total.held_total);

  // compliance: exactly the branches that missed a required meeting
  const comp = (await call('zuzhi', 'GET', `/api/v1/meetings/compliance?org=CJZ&month=${MONTH}`)).json.branches;
  const missed = comp.filter((b) => b.missed).map((b) => b.org).sort();
  const all = comp.map((b) => b.org);
  assert.deepEqual(missed, all.filter((o) => o !== 'CJZ-CJC').sort());
  const cell = (org, type) => comp.find((b) => b.org === org).cells.find((c) => c.type === type);
  assert.deepEqual(['committee', 'group', 'assembly', 'lesson'].map((t) => cell('CJZ-CJC', t).status), ['ok', 'ok', 'ok', 'ok']);
  assert.deepEqual(['committee', 'group', 'assembly', 'lesson'].map((t) => cell('CJZ-XJC', t).status), ['ok', 'ok', 'missed', 'missed']);
  assert.equal(cell('CJZ-ZX', 'group').status, 'exempt', 'a branch without 党小组');
  // in the month before the quarter's last is not over: the quarterly meetings are pending, not missed
  const may = (await call('zuzhi', 'GET', `/api/v1/meetings/compliance?org=CJZ&month=${addMonth(MONTH, -1)}`)).json.branches;
  assert.equal(may.find((b) => b.org === 'CJZ-XJC').cells.find((c) => c.type === 'assembly').status, 'pending');
  // the page and the workbook mark the same branches
  const compPage = page.split('三会一课落实情况')[1];
  const pageMissed = [...compPage.matchAll(/<tr class="missed"><td[^>]*>([^<]+)<\/td>/g)].map((m) => m[1]).sort();
  assert.deepEqual(pageMissed, comp.filter((b) => b.missed).map((b) => b.org_name).sort());
  const xMissed = x['三会一课落实情况'].slice(1).filter((r) => r.at(-1) === '是').map((r) => r[0]).sort();
  assert.deepEqual(xMissed, pageMissed);
});

test('bad report input names the field; a member may not read the report', async () => {
  let r = await call('zuzhi', 'GET', `/api/v1/meetings/report?org=CJZ&from=${MONTH}-30&to=${MONTH}-01`);
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.to);
  r = await call('zuzhi', 'GET', '/api/v1/meetings/compliance?org=CJZ&month=2027-13');
  assert.ok(r.json.error.fields.month);
  assert.equal((await call('dangyuan', 'GET', `/api/v1/meetings/report?org=CJZ-CJC&from=${MONTH}-01&to=${MONTH}-30`)).status, 403);
  assert.equal((await call('xijie', 'GET', `/api/v1/meetings/report?org=CJZ-CJC&from=${MONTH}-01&to=${MONTH}-30`)).status, 404);
});

test("the town's figures (各村共召开会议…次，解决村内难题、急事…件) are counted from the records, the demo's year included", async () => {
  const t = (await call('zuzhi', 'GET', '/api/v1/meetings/report?org=CJZ&from=2000-01-01&to=2099-12-31')).json.total;
  assert.equal(t.held_total, Number(sql("SELECT COUNT(*) FROM meetings WHERE state = 'held'")));
  assert.equal(t.done, Number(sql("SELECT COUNT(*) FROM decisions WHERE state = 'done'")));
  assert.ok(t.held_total > 100 && t.done > 50, 'the demo town holds a year of meetings and decisions');
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const page = (await z.get('/meetings/report?org=CJZ&from=2000-01-01&to=2099-12-31')).text;
  assert.match(page, new RegExp(`共召开会议${t.held_total}次，解决难题、急事${t.done}件`));
});

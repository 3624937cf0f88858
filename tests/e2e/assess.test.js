// Branch assessment (SPEC M8, issue 16): a scripted month of records (March
// 2030, after anything the demo holds; the clock injected) gives each branch
// exactly the expected score item by item; the bulletin's sentences carry
// exactly the record counts (read back from the page and from the PDF with
// pdftotext); a published bulletin keeps its figures after the records
// change and republishing makes version 2; quarters, stars and excellent
// branches; every kind of bad input refused naming its field, nothing written;
// and the dashboard of the same month (issue 17): every figure walked (page,
// drill-down list, API, .xlsx), each number the bulletin prints equal to the
// dashboard's figure of the same records.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, Browser, apiToken, api } = require('./lib');
const { walk } = require('./figures_walk');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-assess-'));
const CLOCK = path.join(dir, 'now');
const at = (s) => Math.floor(Date.parse(s + '+08:00') / 1000); // Asia/Shanghai wall time
const setClock = (s) => fs.writeFileSync(CLOCK, String(at(s)));

let srv, ip = 1;
const tok = {};
async function login() {
  for (const u of ['admin', 'zuzhi', 'chenji', 'xijie', 'dangyuan']) tok[u] = await apiToken(srv.base, u);
}
// moving the clock ends sessions: log in again at each step
async function clock(s) {
  setClock(s);
  await login();
}
const call = (who, method, p, body) => api(srv.base, tok[who], method, p, body);

async function place(org) {
  const r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': `198.51.100.${ip++}` },
    body: JSON.stringify({ kind: 'need', content: '帮忙修缮院墙', org, contact_name: '王大娘', contact_phone: '13900003333' }),
  });
  const j = await r.json();
  assert.equal(r.status, 201, JSON.stringify(j));
  const who = org === 'CJZ-CJC' ? 'chenji' : 'xijie';
  const list = await call(who, 'GET', '/api/v1/orders?limit=1');
  return { id: list.json.orders[0].id, code: j.code };
}
async function act(who, o, action, body = {}) {
  const r = await call(who, 'POST', `/api/v1/orders/${o.id}/actions/${action}`, body);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
}
async function confirm(o, rating) {
  const r = await fetch(`${srv.base}/api/v1/public/orders/${o.code}/actions/confirm`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating, note: '满意' }),
  });
  assert.equal(r.status, 200, await r.text());
}

test.before(async () => {
  setClock('2030-03-02T09:00:00');
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: CLOCK } });
  await login();
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const o = {};
let cjcMembers, xjcMembers;
const mtg = {}, vol = {}, dec = {};

test('a scripted month of records', async () => {
  // 陈集村: three orders on 2 March; 西街村: one on 5 March
  o[1] = await place('CJZ-CJC');
  o[2] = await place('CJZ-CJC');
  o[3] = await place('CJZ-CJC');
  await clock('2030-03-02T10:00:00');
  await act('chenji', o[1], 'accept'); // 1 h: on time (24 h)
  await act('chenji', o[1], 'assign', { assignee: 'dangyuan' });
  await clock('2030-03-02T11:00:00');
  await act('chenji', o[2], 'accept'); // on time
  await act('chenji', o[2], 'assign', { assignee: 'dangyuan' });
  await clock('2030-03-03T15:00:00');
  await act('dangyuan', o[1], 'deliver', { note: '已修好' }); // 29 h after acceptance: on time (7 days)
  await confirm(o[1], 5);
  await clock('2030-03-04T12:00:00');
  await act('chenji', o[3], 'accept'); // 51 h: late
  await clock('2030-03-05T09:00:00');
  o[4] = await place('CJZ-XJC');
  await act('xijie', o[4], 'reject', { note: '不属于本支部受理范围', refer_to: '镇社会事务办' }); // answered on time
  await clock('2030-03-12T15:00:00');
  await act('dangyuan', o[2], 'deliver', { note: '已办结' }); // 10 days after acceptance: late
  await confirm(o[2], 3);
  // the theme day: 陈集村 plans March and carries out the practice; 西街村 has no plan
  const plan = await call('chenji', 'POST', '/api/v1/plans', { month: '2030-03', lesson: '点单微党课', film: '观看本月教育片', practice: '清理河道' });
  assert.equal(plan.status, 201, plan.text);
  const pr = await call('chenji', 'POST', '/api/v1/practices', { title: '清理河道垃圾', date: '2030-03-12', participants: 15 });
  assert.equal(pr.status, 201, pr.text);
  const done = await call('chenji', 'POST', `/api/v1/plans/${plan.json.id}/parts/practice`, { kind: 'practice', id: pr.json.id });
  assert.equal(done.status, 200, done.text);
  const m = await call('zuzhi', 'GET', '/api/v1/members?org=CJZ-CJC&limit=1');
  cjcMembers = m.json.total;
  assert.ok(cjcMembers > 10);
  xjcMembers = (await call('zuzhi', 'GET', '/api/v1/members?org=CJZ-XJC&limit=1')).json.total;
  assert.ok(xjcMembers > 0);

  // meetings: 陈集村 holds its 支委会, a 党课 and two 红色七点半; 西街村 plans a
  // 红色七点半 and never holds it (nothing of 三会一课 either)
  const meeting = async (who, org, type, date, theme) => {
    const r = await call(who, 'POST', '/api/v1/meetings', { org, type, theme, date, start: '19:30', end: '21:00', place: '村党群服务中心', content: '学习、议事、办事' });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const committee = await meeting('chenji', 'CJZ-CJC', 'committee', '2030-03-13', '研究三月重点工作');
  const lesson = await meeting('chenji', 'CJZ-CJC', 'lesson', '2030-03-13', '书记讲党课');
  const red1 = await meeting('chenji', 'CJZ-CJC', 'red730', '2030-03-13', '人居环境整治');
  const red2 = await meeting('chenji', 'CJZ-CJC', 'red730', '2030-03-20', '春耕用水');
  await meeting('xijie', 'CJZ-XJC', 'red730', '2030-03-26', '道路硬化');
  mtg.held = [committee, lesson, red1, red2].map((x) => x.meeting.id);
  mtg.red = [red1, red2].map((x) => x.meeting.id);
  // volunteer: an activity of 陈集村 on 14 March, two members signed up and checked in by hand
  const owner = committee.attendance[0].member_id;
  const va = await call('chenji', 'POST', '/api/v1/volunteer/activities', { title: '村道保洁', kind: 'cleanup', place: '陈集村主街', starts: '2030-03-14 09:00', ends: '2030-03-14 11:00', capacity: 30, org: 'CJZ-CJC', publish: true });
  assert.equal(va.status, 201, va.text);
  vol.served = lesson.attendance.slice(1, 3).map((x) => x.member_id); // a 党课 invites every member
  assert.equal(vol.served.length, 2);
  for (const id of vol.served) {
    const r = await call('chenji', 'POST', `/api/v1/volunteer/activities/${va.json.id}/actions/signup`, { member_id: id });
    assert.equal(r.status, 200, r.text);
  }
  const hold = async (id) => {
    const r = await call('chenji', 'POST', `/api/v1/meetings/${id}/hold`, { minutes: '会议记录：学习、议事、办事' });
    assert.equal(r.status, 200, r.text);
  };
  await clock('2030-03-13T21:00:00');
  for (const x of [committee, lesson, red1]) await hold(x.meeting.id);
  // decisions of the 支委会: due 15, 20 and 25 March, and one due in April (not March's)
  const decide = async (matter, deadline) => {
    const r = await call('chenji', 'POST', `/api/v1/meetings/${committee.meeting.id}/decisions`, { matter, owner_member_id: owner, deadline, supervisors: [{ kind: 'rep', name: '王大爷' }] });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  dec.onTime = await decide('疏通村西排水沟', '2030-03-15');
  dec.late = await decide('修复村口路灯', '2030-03-20');
  dec.overdue = await decide('清理河塘淤泥', '2030-03-25');
  dec.april = await decide('修缮村委会屋顶', '2030-04-10');
  await clock('2030-03-14T12:00:00');
  for (const id of vol.served) {
    const r = await call('chenji', 'POST', `/api/v1/volunteer/activities/${va.json.id}/actions/checkin`, { member_id: id, at: '2030-03-14 09:00' });
    assert.equal(r.status, 200, r.text);
  }
  // the minute's background tasks at this time, run now rather than whenever
  // the server's timer comes round: the activity (ended 11:00) finishes, the
  // forgotten check-outs close at its end and earn their 2 hours' points
  srv.run(['tick', '--now', String(at('2030-03-14T12:00:00'))]);
  let r = await call('chenji', 'POST', `/api/v1/decisions/${dec.onTime}/done`, { result: '排水沟全线疏通' });
  assert.equal(r.status, 200, r.text);
  await clock('2030-03-20T21:00:00');
  await hold(red2.meeting.id);
  await clock('2030-03-25T10:00:00');
  r = await call('chenji', 'POST', `/api/v1/decisions/${dec.late}/done`, { result: '路灯已修复' }); // five days late
  assert.equal(r.status, 200, r.text);
});

// linear rule: weight × measure / full, in hundredths, rounded half up
const pts = (weight, num, den, pct = true, full = 100) => {
  const measure = pct ? Math.floor((num * 10000 * 2 + den) / (2 * den)) : Math.floor((num * 100 * 2 + den) / (2 * den));
  return Math.min(weight * 100, Math.floor((2 * weight * measure + full) / (2 * full)));
};

test('the monthly check: each branch exactly the expected score, item by item', async () => {
  await clock('2030-04-05T09:00:00');
  const r = await call('zuzhi', 'GET', '/api/v1/assessment/checks?month=2030-03');
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.json.branches.map((b) => [b.org, b]));
  const items = (b) => Object.fromEntries(b.items.map((i) => [i.item, i]));
  const c = items(by['CJZ-CJC']);
  assert.deepEqual([c.order_accept.num, c.order_accept.den], [2, 3]);
  assert.deepEqual([c.order_deliver.num, c.order_deliver.den], [1, 3]); // o3 accepted, past the limit, not delivered
  assert.deepEqual([c.satisfaction.num, c.satisfaction.den], [8, 10]); // 5 + 3 stars of 10
  assert.deepEqual([c.themeday.num, c.themeday.den], [1, 3]);
  // points: the deliveries (2 × 3) and the meetings' attendance and absence, as the points module counts them
  const ranking = (await call('zuzhi', 'GET', '/api/v1/points/ranking?org=CJZ-CJC&year=2030&month=3&limit=10000')).json.ranking;
  const cjcPoints = ranking.reduce((a, x) => a + x.points, 0);
  assert.deepEqual([c.points.num, c.points.den], [cjcPoints, cjcMembers]);
  // 三会一课: 支委会 (monthly) and 党课 (quarterly, March ends the quarter) held, 党员大会 missed;
  // 党小组会 counts only where the branch has 党小组 (the meetings module's compliance table says)
  const comp = (await call('zuzhi', 'GET', '/api/v1/meetings/compliance?org=CJZ&month=2030-03')).json.branches;
  const cells = (org) => Object.fromEntries(comp.find((b) => b.org === org).cells.map((x) => [x.type, x.status]));
  const cc = cells('CJZ-CJC'), xc = cells('CJZ-XJC');
  assert.deepEqual([cc.committee, cc.lesson, cc.assembly], ['ok', 'ok', 'missed']);
  assert.ok(['missed', 'exempt'].includes(cc.group), cc.group);
  const cjcDen = cc.group === 'missed' ? 4 : 3;
  assert.deepEqual([c.meetings.num, c.meetings.den], [2, cjcDen]);
  assert.deepEqual([c.qidianban.num, c.qidianban.den], [1, 1]); // two held: the month's one is met
  assert.deepEqual([c.decisions.num, c.decisions.den], [1, 3]); // on time; done late; overdue — April's not yet
  assert.deepEqual([c.volunteer.num, c.volunteer.den], [2, cjcMembers]);
  const want = {
    meetings: pts(15, 2, cjcDen), qidianban: 1500, themeday: pts(15, 1, 3),
    order_accept: pts(10, 2, 3), order_deliver: pts(10, 1, 3), satisfaction: pts(10, 8, 10),
    volunteer: pts(10, 2, cjcMembers), decisions: pts(5, 1, 3), points: Math.max(0, pts(10, cjcPoints, cjcMembers, false, 10)),
  };
  assert.deepEqual(want, { ...want, order_accept: 667, order_deliver: 333, satisfaction: 800, themeday: 500, decisions: 167, meetings: cjcDen === 4 ? 750 : 1000 });
  for (const [k, v] of Object.entries(want)) assert.equal(Math.round(c[k].score * 100), v, k);
  const sum = Object.values(want).reduce((a, b) => a + b, 0);
  assert.equal(Math.round(by['CJZ-CJC'].score * 100), Math.floor((sum * 100 * 2 + 100) / (2 * 100)));
  const x = items(by['CJZ-XJC']);
  assert.deepEqual([x.order_accept.num, x.order_accept.den, x.order_accept.score], [1, 1, 10]);
  assert.equal(x.order_deliver.has_data, false); // refused, never accepted: nothing to deliver
  assert.equal(x.satisfaction.has_data, false);
  assert.deepEqual([x.themeday.num, x.themeday.den, x.themeday.score], [0, 3, 0]);
  const xjcDen = xc.group === 'missed' ? 4 : 3;
  assert.deepEqual([x.meetings.num, x.meetings.den, x.meetings.score], [0, xjcDen, 0]);
  assert.deepEqual([x.qidianban.num, x.qidianban.den, x.qidianban.score], [0, 1, 0]); // planned, never held
  assert.equal(x.decisions.has_data, false); // no decision due
  assert.deepEqual([x.volunteer.num, x.volunteer.den, x.volunteer.score], [0, xjcMembers, 0]);
  assert.equal(by['CJZ-XJC'].score, 13.33); // 10 of the 75 points with data (no deliveries, ratings nor decisions)
  assert.equal(r.json.branches[0].rank, 1);
  assert.equal(r.json.branches[0].org, 'CJZ-CJC');

  // drill-down: the meetings and the compliance table behind 三会一课, the decisions, the volunteer report
  const drill = async (item) => {
    const q = await call('zuzhi', 'GET', `/api/v1/assessment/checks/CJZ-CJC/2030-03/${item}`);
    assert.equal(q.status, 200, q.text);
    return q.json.records;
  };
  const dm = await drill('meetings');
  assert.deepEqual(dm.filter((x) => x.kind === 'meeting').map((x) => x.href), mtg.held.map((id) => `/meetings/${id}`));
  const reqs = dm.filter((x) => x.kind === 'requirement');
  assert.equal(reqs.length, cjcDen);
  assert.equal(reqs.filter((x) => x.counts).length, 2);
  assert.ok(reqs.every((x) => x.href === '/meetings/report?org=CJZ-CJC&from=2030-03-01&to=2030-03-31'), JSON.stringify(reqs));
  assert.deepEqual((await drill('qidianban')).map((x) => [x.href, x.counts]), mtg.red.map((id) => [`/meetings/${id}`, true]));
  const dd = await drill('decisions');
  assert.deepEqual(dd.map((x) => [x.href, x.counts]), [[`/decisions/${dec.onTime}`, true], [`/decisions/${dec.late}`, false], [`/decisions/${dec.overdue}`, false]]);
  assert.match(dd[2].detail, /逾期未办结/);
  const dv = await drill('volunteer');
  assert.equal(dv.length, cjcMembers);
  assert.deepEqual(dv.filter((x) => x.counts).map((x) => x.id).sort(), [...vol.served].sort());
  assert.equal(dv[0].href, '/volunteer/report?org=CJZ-CJC&from=2030-03-01&to=2030-03-31');
  const xq = await call('zuzhi', 'GET', '/api/v1/assessment/checks/CJZ-XJC/2030-03/qidianban');
  assert.deepEqual(xq.json.records.map((x) => [x.title, x.counts]), [['本月未召开红色“七点半”会议', false]]);
  // 红色七点半 is the villages' and communities' requirement: a 机关 branch holding none is not marked down for it
  const jg = items(by['CJZ-JG-1']);
  assert.equal(jg.qidianban.has_data, false, JSON.stringify(jg.qidianban));
  const jq = await call('zuzhi', 'GET', '/api/v1/assessment/checks/CJZ-JG-1/2030-03/qidianban');
  assert.equal(jq.status, 200, jq.text);
  assert.equal(jq.json.has_data, false, jq.text);
  assert.deepEqual(jq.json.records.map((x) => [x.title, x.counts]), [['不适用', false]]);
  // the pages they point to answer
  const pb = new Browser(srv.base);
  await pb.login('zuzhi');
  for (const h of [reqs[0].href, dv[0].href, dd[0].href, dm[dm.length - 1].href]) assert.equal((await pb.get(h)).status, 200, h);

  // drill-down: the orders behind 陈集村's acceptance score
  const d = await call('zuzhi', 'GET', '/api/v1/assessment/checks/CJZ-CJC/2030-03/order_accept');
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.json.records.map((x) => [x.id, x.counts]), [[o[1].id, true], [o[2].id, true], [o[3].id, false]]);
  assert.equal(d.json.records[0].href, `/orders/${o[1].id}`);
  const page = await new Browser(srv.base);
  await page.login('zuzhi');
  const html = (await page.get('/assessment/check/CJZ-CJC/2030-03/order_accept')).text;
  for (const k of [1, 2, 3]) assert.match(html, new RegExp(`href="/orders/${o[k].id}"`));
  const table = (await page.get('/assessment?month=2030-03')).text;
  assert.match(table, /href="\/assessment\/check\/CJZ-CJC\/2030-03\/order_accept">6\.67</);
  // a branch secretary sees its own branch only
  const own = await call('chenji', 'GET', '/api/v1/assessment/checks?month=2030-03');
  assert.deepEqual(own.json.branches.map((b) => b.org), ['CJZ-CJC']);
  assert.equal((await call('chenji', 'GET', '/api/v1/assessment/checks/CJZ-XJC/2030-03/order_accept')).status, 404);
});

function numbers(text) {
  const one = (re) => { const m = re.exec(text); return m ? Number(m[1]) : null; };
  return {
    collected: one(/收集需求清单(\d+)项/), resolved: one(/及时销单(\d+)项/), escalated: one(/向上反馈(\d+)项/), rated: one(/收到群众评价(\d+)次/),
    practices: one(/开展主题实践活动(\d+)次/), points: one(/党员获得积分(\d+)人次/), lessons: one(/开展微党课(\d+)场/), branches: one(/参加月检查的(\d+)个支部/),
    red730: one(/召开红色“七点半”会议(\d+)次/), meetings: one(/召开“三会一课”(\d+)次/), solved: one(/解决难题、急事(\d+)件/), overdue: one(/到期决议事项逾期(\d+)件/),
    activities: one(/开展志愿服务活动(\d+)次/), volunteers: one(/参与党员(\d+)人次/),
  };
}

// Every figure the bulletin stores, with the dashboard figure that counts the
// same records and the key of its sentence in numbers() (null: not printed).
const BULLETIN_FIGURES = [
  ['collected', 'orders.collected', 'collected'], ['resolved_by_branch', 'orders.resolved', 'resolved'],
  ['escalated', 'orders.escalated', 'escalated'], ['lessons', 'lessons.delivered', 'lessons'], ['screenings', 'themeday.screenings', null],
  ['practices', 'themeday.practices', 'practices'], ['plans_complete', 'themeday.plans_complete', null], ['branches', 'orgs.branches', 'branches'],
  ['points', 'points.earned', 'points'], ['rated', 'orders.rated', 'rated'], ['meetings', 'meetings.sanhui', 'meetings'],
  ['red730', 'meetings.red730', 'red730'], ['decisions_done', 'meetings.solved', 'solved'], ['decisions_overdue', 'meetings.due_overdue', 'overdue'],
  ['volunteer_activities', 'volunteer.activities', 'activities'], ['volunteer_times', 'volunteer.checkins', 'volunteers'],
];

let first;
test('the bulletin: sentences carry the record counts, in the page and the PDF; frozen; republished as version 2', async () => {
  const stats = (await call('zuzhi', 'GET', '/api/v1/stats/orders?org=CJZ&from=2030-03-01&to=2030-03-31')).json;
  assert.equal(stats.collected, 4);
  const pub = await call('zuzhi', 'POST', '/api/v1/assessment/bulletins', { month: '2030-03', remarks: '请各支部抓紧补齐主题党日缺项。' });
  assert.equal(pub.status, 201, pub.text);
  first = pub.json;
  assert.equal(first.version, 1);
  const want = {
    collected: 4, resolved: stats.resolved_by_branch, escalated: null, rated: 2, practices: 1, points: 4, lessons: null, branches: first.rows.length,
    red730: 2, meetings: 2, solved: 2, overdue: 2, activities: 1, volunteers: 2,
  };
  assert.match(first.summary, /召开红色“七点半”会议2次，召开“三会一课”2次，解决难题、急事2件/); // seed 004's voice
  assert.ok(stats.resolved_by_branch > 0);
  assert.deepEqual(numbers(first.summary), want);
  assert.doesNotMatch(first.summary, /[^\d]0(项|次|场|个|人次)/); // no "0项" sentences
  assert.doesNotMatch(first.summary, /环比/); // no February bulletin to compare with
  assert.equal(first.figures.collected, 4);

  // each branch secretary is told, in the same transaction, with its own place and a link to the bulletin
  const told = async (who, id) => (await call(who, 'GET', '/api/v1/inbox?limit=500')).json.notifications.filter((n) => n.kind === 'bulletin' && n.entity_id === id);
  for (const [who, name] of [['chenji', '陈集村党支部'], ['xijie', '西街村党支部']]) {
    const row = first.rows.find((x) => x.org_name === name);
    const n = await told(who, first.id);
    assert.equal(n.length, 1, `${who} told once`);
    assert.equal(n[0].entity, 'bulletin');
    assert.equal(n[0].read, false);
    assert.match(n[0].text, /2030年3月党建工作月通报已发布（第 1 版）/);
    assert.ok(n[0].text.includes(`${name}排名第 ${row.rank} / ${first.rows.length}，综合得分 ${row.score.toFixed(2)}`), n[0].text);
  }
  assert.equal((await told('zuzhi', first.id)).length, 0, 'the committee that published it is not told');
  assert.equal((await told('dangyuan', first.id)).length, 0, 'members are not told');
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  const msg = (await told('chenji', first.id))[0];
  const open = await sec.get(`/inbox/${msg.id}`);
  assert.equal(open.status, 303);
  assert.equal(open.headers.get('location'), `/assessment/bulletins/${first.id}`);
  const mineRow = await sec.get(`/assessment/bulletins/${first.id}`);
  assert.match(mineRow.text, /<tr class="mine">[^]*?陈集村党支部（本支部）/, 'the bulletin marks the secretary\'s own row');

  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const page = await b.get(`/assessment/bulletins/${first.id}`);
  assert.equal(page.status, 200);
  const text = page.text.replace(/<[^>]+>/g, '');
  assert.deepEqual(numbers(text), want);
  assert.match(text, /请各支部抓紧补齐主题党日缺项/);
  const pdf = await fetch(`${srv.base}/assessment/bulletins/${first.id}/pdf`, { headers: { cookie: b.cookieHeader() } });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const file = path.join(dir, 'b.pdf');
  fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  const pdfLines = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  for (const line of pdfLines.split('\n')) assert.doesNotMatch(line.trimEnd(), /[（“《]$/, 'no line of the PDF ends with an opening mark');
  for (const line of pdfLines.split('\n')) assert.doesNotMatch(line.trimStart(), /^[，。、；）”：]/, 'no line of the PDF starts with a closing mark');
  const pdfText = pdfLines.replace(/\s+/g, '');
  assert.deepEqual(numbers(pdfText), want);
  assert.match(pdfText, /陈集村党支部/);
  const xlsx = await fetch(`${srv.base}/assessment/bulletins/${first.id}/xlsx`, { headers: { cookie: b.cookieHeader() } });
  assert.equal(xlsx.status, 200);
  assert.equal((await xlsx.arrayBuffer()).byteLength > 1000, true);

  // the records change: a new order in March (placed late, the clock back), the published bulletin keeps its figures
  setClock('2030-03-30T09:00:00');
  await place('CJZ-CJC');
  await clock('2030-04-06T09:00:00');
  const again = await call('zuzhi', 'GET', `/api/v1/assessment/bulletins/${first.id}`);
  assert.equal(again.json.summary, first.summary);
  assert.equal(again.json.figures.collected, 4);
  const draft = await call('zuzhi', 'GET', '/api/v1/assessment/bulletins/draft?month=2030-03');
  assert.equal(draft.json.figures.collected, 5);
  const v2 = await call('zuzhi', 'POST', '/api/v1/assessment/bulletins', { month: '2030-03' });
  assert.equal(v2.status, 201, v2.text);
  assert.equal(v2.json.version, 2);
  assert.equal(numbers(v2.json.summary).collected, 5);
  for (const who of ['chenji', 'xijie']) {
    const n = await told(who, v2.json.id);
    assert.equal(n.length, 1, `${who} told of version 2`);
    assert.match(n[0].text, /（第 2 版）/);
    assert.equal((await told(who, first.id)).length, 1, 'version 1 was told once, not again');
  }
  assert.equal((await call('zuzhi', 'GET', `/api/v1/assessment/bulletins/${first.id}`)).json.figures.collected, 4);
  // the branches see the published bulletins and their rank
  const mine = await call('chenji', 'GET', '/api/v1/assessment/branches/CJZ-CJC');
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.ranks[0].month, '2030-03');
  assert.equal(mine.json.ranks[0].of, first.rows.length);
  assert.ok((await call('chenji', 'GET', `/api/v1/assessment/bulletins/${first.id}`)).status === 200);
  // April's bulletin compares with March: 环比
  await clock('2030-05-03T09:00:00');
  const apr = await call('zuzhi', 'GET', '/api/v1/assessment/bulletins/draft?month=2030-04');
  assert.equal(apr.status, 200, apr.text);
  assert.doesNotMatch(apr.json.summary, /收集需求清单/); // no orders in April: no sentence
  assert.match(apr.json.summary, /暂无可通报|参加月检查/);
});

test('quarter, stars and excellent branches', async () => {
  await clock('2031-01-05T09:00:00');
  let r = await call('zuzhi', 'POST', '/api/v1/assessment/evaluations', { org: 'CJZ-CJC', period: '2030-Q1', kind: 'bonus', points: 2, note: '经验交流' });
  assert.equal(r.status, 201, r.text);
  r = await call('zuzhi', 'GET', '/api/v1/assessment/quarters?quarter=2030-Q1');
  assert.equal(r.status, 200, r.text);
  const cjc = r.json.branches.find((b) => b.org === 'CJZ-CJC');
  const check = (await call('zuzhi', 'GET', '/api/v1/assessment/checks?month=2030-03')).json.branches.find((b) => b.org === 'CJZ-CJC');
  assert.equal(cjc.months[2], check.score);
  assert.equal(cjc.bonus, 2);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/evaluations', { org: 'CJZ-CJC', period: '2030', kind: 'evaluation', points: 95 });
  assert.equal(r.status, 201, r.text);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/stars', { year: 2030 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 1);
  const year = (await call('zuzhi', 'GET', '/api/v1/assessment/years?year=2030')).json;
  const y = year.branches.find((b) => b.org === 'CJZ-CJC');
  assert.equal(y.evaluation, 95);
  assert.equal(y.total, Math.round((y.basic * 70 + 95 * 30)) / 100);
  const hist = await call('chenji', 'GET', '/api/v1/assessment/branches/CJZ-CJC');
  assert.equal(hist.json.stars.at(-1).year, 2030);
  assert.equal(hist.json.stars.at(-1).stars, y.stars);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/excellent', { org: 'CJZ-CJC', period: '2030', note: '红色七点半优秀党支部' });
  assert.equal(r.status, 201, r.text);
  const ex = (await call('zuzhi', 'GET', '/api/v1/assessment/excellent?period=2030')).json;
  assert.equal(ex.count, 1);
  // the stars page counts them and designates from the ranking (a form)
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const page = await b.get('/assessment/stars?year=2030');
  assert.equal(page.status, 200);
  assert.match(page.text, /2030 年度共评选优秀党支部 1 个/);
  const res = await b.postForm('/assessment/stars?year=2030', '/assessment/excellent', { org: 'CJZ-XJC', period: '2030', note: '' });
  assert.equal(res.status, 303);
  assert.equal((await call('zuzhi', 'GET', '/api/v1/assessment/excellent?period=2030')).json.count, 2);
  const again = await b.postForm('/assessment/stars?year=2030', '/assessment/excellent', { org: 'CJZ-XJC', period: '2030', note: '' });
  assert.equal(again.status, 422, 'designated twice');
  assert.equal((await call('zuzhi', 'GET', '/api/v1/assessment/excellent?period=2030')).json.count, 2);
  // counted in the reports: the dashboard's figure of the designations made in January 2031, town and branch
  const fig = async (who, org) => (await call(who, 'GET', `/api/v1/dashboard?org=${org}&from=2031-01-01&to=2031-01-31`)).json.figures.find((f) => f.key === 'assess.excellent');
  assert.equal((await fig('zuzhi', 'CJZ')).value, 2);
  assert.equal((await fig('chenji', 'CJZ-CJC')).value, 1);

  // the branch's own page (/orgs/:id) shows its rank, its star history and its titles to its secretary and the committee
  const cjcId = (await call('chenji', 'GET', '/api/v1/orgs/CJZ-CJC')).json.id;
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  const own = await sec.get(`/orgs/${cjcId}`);
  assert.equal(own.status, 200);
  const section = /<section class="card org-assess"[^]*?<\/section>/.exec(own.text)?.[0];
  assert.ok(section, 'the assessment section on the branch page');
  const plain = section.replace(/<[^>]+>/g, '');
  const latest = hist.json.ranks[0];
  assert.ok(plain.includes(`最近一期月通报（${latest.month}）：第 ${latest.rank} 名 / 共 ${latest.of} 个支部`), plain);
  const row = /<tr class="star-(\w+)"><td data-label="年度">2030<\/td>[^]*?<\/tr>/.exec(section);
  assert.ok(row, 'the 2030 rating in the star history');
  assert.ok(row[0].replace(/<[^>]+>/g, '').includes(`${y.stars} 星`), row[0]);
  assert.match(plain, /优秀党支部：.*2030 红色七点半优秀党支部/);
  assert.doesNotMatch(plain, /西街村/, 'only its own titles');
  const committee = await b.get(`/orgs/${cjcId}`);
  assert.match(committee.text, /id="org-assess"/);
  const xjcId = (await call('zuzhi', 'GET', '/api/v1/orgs/CJZ-XJC')).json.id;
  assert.match((await b.get(`/orgs/${xjcId}`)).text, /<span class="badge badge-red">2030 优秀党支部<\/span>/, 'a designation without a note');
  const town = (await call('zuzhi', 'GET', '/api/v1/orgs/CJZ')).json.id;
  assert.doesNotMatch((await b.get(`/orgs/${town}`)).text, /id="org-assess"/, 'only a 党支部 has the section');
  const member = new Browser(srv.base);
  await member.login('dangyuan');
  const mp = await member.get(`/orgs/${cjcId}`);
  assert.equal(mp.status, 200);
  assert.doesNotMatch(mp.text, /id="org-assess"/, 'a member does not see the branch\'s scores');
  assert.equal((await sec.get(`/orgs/${xjcId}`)).status, 404, 'another branch stays hidden');
});

test('bad input: refused naming the field, nothing written', async () => {
  const versions = async () => (await call('zuzhi', 'GET', '/api/v1/assessment/rules')).json.versions.length;
  const before = await versions();
  const items = [{ item: 'themeday', weight: 50 }, { item: 'order_accept', weight: 40 }];
  let r = await call('zuzhi', 'POST', '/api/v1/assessment/rules', { valid_from: '2031-02', items });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.error.fields.weight, r.text);
  assert.match(r.json.error.fields.weight, /100%/);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/rules', { valid_from: '2031-02', items: [{ item: 'themeday', weight: 100 }], cutoffs: [90, 70, 80, 60] });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.cutoffs, r.text);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/rules', { valid_from: '2031-02', items: [{ item: 'themeday', weight: 100 }], quota5: 120 });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.quota5, r.text);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/rules', { valid_from: '2031-02', items: [{ item: 'nosuch', weight: 100 }] });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.items, r.text);
  assert.equal(await versions(), before);
  // the same on the console's form: the message beside the form, nothing written
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const form = await b.postForm('/assessment/rules', '/assessment/rules', { valid_from: '2031-03', w_themeday: '50', w_points: '20', f_points: '10' });
  assert.equal(form.status, 422);
  assert.match(form.text, /各项权重之和应为 100%，现为 70%/);
  const cut = await b.postForm('/assessment/rules', '/assessment/rules', { valid_from: '2031-03', w_themeday: '100', cut5: '80', cut4: '85' });
  assert.equal(cut.status, 422);
  assert.match(cut.text, /从高到低排列/);
  assert.equal(await versions(), before);
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  assert.equal((await sec.postForm('/assessment/rules', '/assessment/rules', { valid_from: '2031-03', w_themeday: '100' })).status, 403);
  assert.equal(await versions(), before);
  // a good version is kept
  r = await call('zuzhi', 'POST', '/api/v1/assessment/rules', { valid_from: '2031-02', items: [{ item: 'themeday', weight: 60 }, { item: 'points', weight: 40, full: 5 }], quota5: 20 });
  assert.equal(r.status, 201, r.text);
  assert.equal(await versions(), before + 1);

  const count = async () => (await call('zuzhi', 'GET', '/api/v1/assessment/bulletins')).json.bulletins.length;
  const nb = await count();
  r = await call('zuzhi', 'POST', '/api/v1/assessment/bulletins', { month: '2031-01' }); // the clock is in January 2031
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.month, /还没有结束/);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/bulletins', { month: '2030-13' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.month);
  r = await call('zuzhi', 'POST', `/api/v1/assessment/bulletins/${first.id}`, { remarks: '改一下' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /已发布的月通报不能修改/);
  r = await call('chenji', 'POST', '/api/v1/assessment/bulletins', { month: '2030-03' });
  assert.equal(r.status, 403);
  assert.equal(await count(), nb);
  // a branch officer trying to change its own score
  r = await call('chenji', 'POST', '/api/v1/assessment/evaluations', { org: 'CJZ-CJC', period: '2030', kind: 'evaluation', points: 100 });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /支部不能修改/);
  r = await call('chenji', 'POST', '/api/v1/assessment/stars', { year: 2030 });
  assert.equal(r.status, 403);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/evaluations', { org: 'CJZ-CJC', period: '2030-Q5', kind: 'bonus', points: 1 });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.period);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/evaluations', { org: 'CJZ-CJC', period: '2030', kind: 'evaluation', points: 101 });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.points);
  r = await call('zuzhi', 'POST', '/api/v1/assessment/stars', { year: 2031 });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.year);
  const y = (await call('zuzhi', 'GET', '/api/v1/assessment/years?year=2030')).json.branches.find((b) => b.org === 'CJZ-CJC');
  assert.equal(y.evaluation, 95, 'the refused evaluations wrote nothing');
  // ?org= names an org inside the caller's subtree (orgs_from_request): anything else is 404
  r = await call('zuzhi', 'GET', '/api/v1/assessment/checks?month=2030-03&org=NOSUCH');
  assert.equal(r.status, 404);
  assert.match(r.json.error.message, /组织不存在或不在您的管辖范围内/);
  r = await call('chenji', 'GET', '/api/v1/assessment/checks?month=2030-03&org=CJZ-XJC');
  assert.equal(r.status, 404, 'another branch');
  r = await call('chenji', 'GET', '/api/v1/assessment/quarters?quarter=2030-Q1&org=CJZ-XJC');
  assert.equal(r.status, 404, 'another branch');
  r = await call('chenji', 'GET', '/api/v1/assessment/checks?month=2030-03&org=CJZ-CJC');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.branches.map((x) => x.org), ['CJZ-CJC']);
  assert.equal((await b.get('/assessment?month=2030-03&org=NOSUCH')).status, 404);
  r = await call('zuzhi', 'GET', '/api/v1/assessment/checks?month=2030-3');
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.month);
  r = await call('zuzhi', 'GET', '/api/v1/assessment/checks/CJZ-CJC/2030-03/nosuch');
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.item);
});

test('the dashboard of the scripted month: every figure walked, and each number the bulletin prints is the dashboard\'s', async () => {
  // what the minute's background tasks would do at this time (the volunteer
  // activity finished, its forgotten check-outs closed) done now, so that
  // nothing changes between the bulletin and the dashboard read after it
  const now = Number(fs.readFileSync(CLOCK, 'utf8'));
  srv.run(['tick', '--now', String(now)], { env: { DANGJIAN_NOW_FILE: CLOCK } });
  const pub = await call('zuzhi', 'POST', '/api/v1/assessment/bulletins', { month: '2030-03' });
  assert.equal(pub.status, 201, pub.text);
  const b = pub.json;
  const zb = new Browser(srv.base);
  await zb.login('zuzhi');
  // every figure equals its drill-down list, the page and the .xlsx cell
  const w = await walk({ base: srv.base, browser: zb, token: tok.zuzhi, org: 'CJZ', from: '2030-03-01', to: '2030-03-31', srv });
  const printed = numbers(b.summary);
  for (const [bk, dk, sk] of BULLETIN_FIGURES) {
    assert.ok(dk in w.byKey, `${dk} registered`);
    assert.equal(w.byKey[dk], b.figures[bk], `the bulletin's ${bk} (stored) is the dashboard's ${dk}`);
    if (sk && printed[sk] !== null) assert.equal(printed[sk], w.byKey[dk], `the bulletin's sentence (${sk}) is the dashboard's ${dk}`);
    const cell = w.book[w.figs.find((f) => f.key === dk).group].find((r) => r[3] === dk);
    assert.equal(cell[1], b.figures[bk], `${dk} in the .xlsx is the bulletin's ${bk}`);
  }
  // the scripted month is behind most of them: the comparison is not of zeros
  const nonzero = BULLETIN_FIGURES.filter(([bk]) => b.figures[bk] > 0).map(([bk]) => bk);
  assert.ok(nonzero.length >= 12, JSON.stringify(b.figures));
});

test('the star history on the branch page: a second year with its up- or downgrade', async () => {
  await clock('2032-01-06T09:00:00');
  const r = await call('zuzhi', 'POST', '/api/v1/assessment/stars', { year: 2031 });
  assert.equal(r.status, 201, r.text);
  const stars = (await call('chenji', 'GET', '/api/v1/assessment/branches/CJZ-CJC')).json.stars;
  const [y0, y1] = [stars.find((s) => s.year === 2030), stars.find((s) => s.year === 2031)];
  assert.ok(y0 && y1, JSON.stringify(stars));
  const want = y1.stars > y0.stars ? 'up' : y1.stars < y0.stars ? 'down' : 'same';
  assert.equal(y1.change, want);
  const cjcId = (await call('chenji', 'GET', '/api/v1/orgs/CJZ-CJC')).json.id;
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  const page = (await sec.get(`/orgs/${cjcId}`)).text;
  const row = new RegExp(`<tr class="star-${want}"><td data-label="年度">2031</td>[^]*?</tr>`).exec(page);
  assert.ok(row, `the 2031 row marked ${want}`);
  assert.ok(row[0].includes({ up: '↑ 升星', down: '↓ 降星', same: '持平' }[want]), row[0]);
  assert.ok(row[0].includes(`${y1.stars} 星`));
  assert.match(page, /<tr class="star-new"><td data-label="年度">2030<\/td>/, 'the first year has nothing to compare with');
});

// A branch is assessed from the month it entered the system (orgs.created_at):
// 新建村 is set up on 10 February 2032, so January 2032 is 未纳入考核 for it —
// no items, no score, not ranked, not in the quarter's months nor in 2031's
// stars — and it is ranked from February; the quarter averages only its months.
test('a branch created after a month is 未纳入考核 in it and ranked from its first month', async () => {
  await clock('2032-02-10T09:00:00');
  let r = await call('zuzhi', 'POST', '/api/v1/orgs', { code: 'CJZ-XIN', name: '新建村党支部', type: 'branch', kind: '农村', parent_code: 'CJZ' });
  assert.equal(r.status, 201, r.text);
  // its theme day in February and March: the practice done, so its months score above 0
  for (const [month, date] of [['2032-02', '2032-02-20'], ['2032-03', '2032-03-12']]) {
    const plan = await call('zuzhi', 'POST', '/api/v1/plans', { org: 'CJZ-XIN', month, lesson: '微党课', film: '教育片', practice: '清理沟渠' });
    assert.equal(plan.status, 201, plan.text);
    const pr = await call('zuzhi', 'POST', '/api/v1/practices', { org: 'CJZ-XIN', title: '清理沟渠', date, participants: 9 });
    assert.equal(pr.status, 201, pr.text);
    const done = await call('zuzhi', 'POST', `/api/v1/plans/${plan.json.id}/parts/practice`, { kind: 'practice', id: pr.json.id });
    assert.equal(done.status, 200, done.text);
  }
  await clock('2032-04-06T09:00:00');
  const check = async (month) => (await call('zuzhi', 'GET', `/api/v1/assessment/checks?month=${month}`)).json.branches;
  const jan = await check('2032-01');
  const xinJan = jan.find((b) => b.org === 'CJZ-XIN');
  assert.deepEqual([xinJan.assessed, xinJan.start_month, xinJan.rank, xinJan.score, xinJan.items], [false, '2032-02', null, null, []]);
  assert.equal(jan.at(-1).org, 'CJZ-XIN', 'listed after the ranked branches');
  const ranked = jan.filter((b) => b.assessed);
  assert.deepEqual(ranked.map((b) => b.rank), ranked.map((_, i) => i + 1), 'the others ranked 1..n without it');
  const feb = (await check('2032-02')).find((b) => b.org === 'CJZ-XIN');
  assert.equal(feb.assessed, true);
  assert.equal(typeof feb.rank, 'number');
  assert.ok(feb.score > 0, JSON.stringify(feb));
  const mar = (await check('2032-03')).find((b) => b.org === 'CJZ-XIN');
  // the drill-down of January: no records, no score
  const drill = await call('zuzhi', 'GET', '/api/v1/assessment/checks/CJZ-XIN/2032-01/themeday');
  assert.equal(drill.status, 200, drill.text);
  assert.deepEqual([drill.json.assessed, drill.json.has_data, drill.json.score, drill.json.records], [false, false, null, []]);
  // the check page and the drill-down page say so
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const page = (await b.get('/assessment?month=2032-01')).text;
  assert.match(page, /<tr data-org="CJZ-XIN" class="notin"><td data-label="名次">—<\/td><td data-label="支部">新建村党支部<\/td>[^]*?未纳入考核[^]*?自 2032-02 起纳入考核/);
  assert.match(page, /另有 1 个支部本月尚未纳入系统，未纳入考核/);
  // a month before every branch entered: none assessed, and the page says why instead of "共 0 个支部"
  const starts = (await check('2032-01')).map((x) => x.start_month).sort();
  const [sy, sm] = starts[0].split('-').map(Number);
  const early = sm === 1 ? `${sy - 1}-12` : `${sy}-${String(sm - 1).padStart(2, '0')}`;
  const none = await check(early);
  assert.deepEqual(none.map((x) => x.assessed), none.map(() => false), early);
  const earlyPage = (await b.get(`/assessment?month=${early}`)).text;
  assert.match(earlyPage, new RegExp(`id="check-summary">${early} 尚无支部参加月检查：支部自纳入系统的月份起参加月检查，这 ${none.length} 个支部都在 ${early} 之后才纳入系统（最早自 ${starts[0]} 起考核）。</p>`));
  assert.doesNotMatch(earlyPage, /共 0 个支部/);
  assert.equal((earlyPage.match(/class="notin"/g) || []).length, none.length);
  assert.match((await b.get('/assessment/check/CJZ-XIN/2032-01/themeday')).text, /未纳入考核：新建村党支部 自 2032-02 起纳入系统/);
  // the quarter: January left out, the average over February and March only
  const rules = (await call('zuzhi', 'GET', '/api/v1/assessment/rules')).json.versions.find((v) => v.valid_from <= '2032-01');
  const [, w2, w3] = rules.quarter_weights;
  const q = (await call('zuzhi', 'GET', '/api/v1/assessment/quarters?quarter=2032-Q1')).json.branches.find((x) => x.org === 'CJZ-XIN');
  assert.deepEqual(q.months, [null, feb.score, mar.score]);
  const want = Math.round((Math.round(feb.score * 100) * w2 + Math.round(mar.score * 100) * w3) / (w2 + w3)) / 100;
  assert.equal(q.months_score, want);
  assert.equal(q.assessed, true);
  assert.equal(typeof q.rank, 'number');
  // 2031's stars: not rated (it entered in 2032)
  const y = (await call('zuzhi', 'GET', '/api/v1/assessment/years?year=2031')).json.branches.find((x) => x.org === 'CJZ-XIN');
  assert.deepEqual([y.assessed, y.rank, y.stars], [false, null, 0]);
  // the January bulletin: listed as 未纳入考核, not ranked, not among the lagging; the same in the PDF and the .xlsx
  const pub = await call('zuzhi', 'POST', '/api/v1/assessment/bulletins', { month: '2032-01' });
  assert.equal(pub.status, 201, pub.text);
  const bl = (await call('zuzhi', 'GET', `/api/v1/assessment/bulletins/${pub.json.id}`)).json;
  const row = bl.rows.find((x) => x.org_name === '新建村党支部');
  assert.deepEqual([row.assessed, row.rank, row.score], [false, null, null]);
  assert.equal(bl.rows.at(-1).org_name, '新建村党支部');
  assert.equal(bl.figures.branches, ranked.length);
  assert.doesNotMatch(bl.summary, /新建村/);
  const bpage = (await b.get(`/assessment/bulletins/${pub.json.id}`)).text;
  assert.match(bpage, /<td data-label="名次">—<\/td><td data-label="支部">新建村党支部<\/td><td data-label="综合得分">未纳入考核<\/td>/);
  const pdf = await fetch(`${srv.base}/assessment/bulletins/${pub.json.id}/pdf`, { headers: { cookie: b.cookieHeader() } });
  const file = path.join(dir, 'xin.pdf');
  fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  assert.match(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }), /—\s+新建村党支部\s+未纳入考核/);
  const xlsx = await fetch(`${srv.base}/assessment/bulletins/${pub.json.id}/xlsx`, { headers: { cookie: b.cookieHeader() } });
  const xf = path.join(dir, 'xin.xlsx');
  fs.writeFileSync(xf, Buffer.from(await xlsx.arrayBuffer()));
  assert.match(execFileSync('unzip', ['-p', xf, 'xl/sharedStrings.xml'], { encoding: 'utf8' }), /未纳入考核/);
  // its February bulletin ranks it: the branch's rank history starts there
  const pubFeb = await call('zuzhi', 'POST', '/api/v1/assessment/bulletins', { month: '2032-02' });
  assert.equal(pubFeb.status, 201, pubFeb.text);
  const hist = (await call('zuzhi', 'GET', '/api/v1/assessment/branches/CJZ-XIN')).json.ranks;
  assert.deepEqual(hist.map((x) => x.month), ['2032-02']);
  assert.equal(hist[0].rank, feb.rank);
});

// The figures of the mechanisms merged after the dashboard (volunteer
// service, meetings and decisions, lessons and the theme day, role models,
// dues and transfers; SPEC M11): that they move when their records change —
// a volunteer activity finished, a meeting held — and that their drill-down
// list (/dashboard/records) moves with them; that a campaign task linked to
// an activity or a meeting counts it once it is finished or held, without
// anyone typing it (M10); and the drill-down's bad input. That every figure
// equals its list, the page, the API and the .xlsx is dashboard.test.js.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api, dbSql } = require('./lib');

let srv, tok = {}, zuzhi, chenji;
test.before(async () => {
  srv = await startServer();
  for (const u of ['zuzhi', 'chenji', 'xijie', 'dangyuan']) tok[u] = await apiToken(srv.base, u);
  zuzhi = new Browser(srv.base);
  await zuzhi.login('zuzhi');
  chenji = new Browser(srv.base);
  await chenji.login('chenji');
});
test.after(async () => { await srv.stop(); });

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);
const q = (org) => `org=${org}&from=${daysAgo(30)}&to=${today()}`;
async function figures(org) {
  const r = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/dashboard?${q(org)}`);
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.json.figures.map((f) => [f.key, f]));
}
async function listed(browser, href) {
  const p = await browser.get(href);
  assert.equal(p.status, 200, `${href}: ${p.text.slice(0, 200)}`);
  const m = /共\s*(\d+)/.exec(p.text);
  assert.ok(m, href);
  return { n: Number(m[1]), html: p.text };
}

const NEW = ['volunteer.activities', 'volunteer.checkins', 'volunteer.volunteers', 'volunteer.hours', 'volunteer.teams', 'volunteer.team_members',
  'meetings.held', 'meetings.red730', 'meetings.sanhui', 'meetings.present', 'meetings.decisions', 'meetings.solved', 'meetings.on_time',
  'meetings.overdue', 'lessons.catalogue', 'lessons.ordered', 'lessons.delivered', 'lessons.speakers', 'themeday.screenings',
  'themeday.reflections', 'themeday.plans_complete', 'exemplars.nominated', 'exemplars.awarded', 'exemplars.tour_sessions',
  'exemplars.tour_audience', 'dues.due', 'dues.paid', 'dues.owing', 'dues.arrears', 'transfers.out', 'transfers.in'];

test('every new figure is registered, and the demo town has records behind them over a year', async () => {
  const r = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/dashboard?org=CJZ&from=${daysAgo(365)}&to=${today()}`);
  const figs = Object.fromEntries(r.json.figures.map((f) => [f.key, f]));
  const zero = NEW.filter((k) => !figs[k] || !(figs[k].value > 0));
  assert.deepEqual(zero, [], 'registered and non-zero on the demo town');
  // a branch's figure is a part of the town's
  const b = await api(srv.base, tok.chenji, 'GET', `/api/v1/dashboard?org=CJZ-CJC&from=${daysAgo(365)}&to=${today()}`);
  for (const f of b.json.figures) if (NEW.includes(f.key)) assert.ok(f.value <= figs[f.key].value, f.key);
  // dues: what is owing is what was due less what was paid, to the 元 (each rounded once)
  assert.ok(Math.abs(figs['dues.due'].value - figs['dues.paid'].value - figs['dues.owing'].value) <= 1);
});

test('a volunteer activity finished moves the figures, their lists and the campaign task linked to it', async () => {
  const before = await figures('CJZ-CJC');
  const town = await figures('CJZ');
  const r = await api(srv.base, tok.chenji, 'POST', '/api/v1/volunteer/activities',
    { title: '清理河道垃圾', kind: 'cleanup', place: '陈集村河道', starts: `${today()} 06:00`, ends: `${today()} 07:00`, capacity: 10, org: 'CJZ-CJC', publish: true });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  // a campaign task of the branch linked to it, and one linked to another branch's record is refused
  const c = await api(srv.base, tok.zuzhi, 'POST', '/api/v1/campaigns', { org: 'CJZ', title: '河道清洁月', starts: daysAgo(10), ends: daysAgo(-20) });
  assert.equal(c.status, 201, c.text);
  const a = await api(srv.base, tok.zuzhi, 'POST', `/api/v1/campaigns/${c.json.id}/activities`, { title: '陈集村清河', org: 'CJZ-CJC' });
  const t = await api(srv.base, tok.zuzhi, 'POST', `/api/v1/campaign-activities/${a.json.id}/tasks`, { title: '开展清河活动', owner: '张建国', deadline: daysAgo(-10), target: 1 });
  assert.equal(t.status, 201, t.text);
  let l = await api(srv.base, tok.chenji, 'POST', `/api/v1/campaign-tasks/${t.json.id}/links`, { kind: 'volunteer', id });
  assert.equal(l.status, 201, l.text);
  assert.equal(l.json.progress, 0, 'published, not yet finished');
  l = await api(srv.base, tok.chenji, 'POST', `/api/v1/campaign-tasks/${t.json.id}/links`, { kind: 'volunteer', id: 99999999 });
  assert.equal(l.status, 422);
  assert.match(l.json.error.fields.id, /志愿服务活动不存在/);
  const progress = async () => (await api(srv.base, tok.zuzhi, 'GET', `/api/v1/campaigns/${c.json.id}`)).json.activities[0].task_list[0].progress;
  // published counts as 开展 (as the volunteer report and the bulletin count it); the task waits for it to finish
  assert.equal((await figures('CJZ-CJC'))['volunteer.activities'].value, before['volunteer.activities'].value + 1, 'published is 开展');
  assert.equal(await progress(), 0, 'the task counts it once finished');
  const f = await api(srv.base, tok.chenji, 'POST', `/api/v1/volunteer/activities/${id}/actions/finish`, {});
  assert.equal(f.status, 200, f.text);
  const after = await figures('CJZ-CJC');
  assert.equal(after['volunteer.activities'].value, before['volunteer.activities'].value + 1);
  assert.equal((await figures('CJZ'))['volunteer.activities'].value, town['volunteer.activities'].value + 1, 'the town counts its branch');
  const c2 = await api(srv.base, tok.chenji, 'POST', '/api/v1/volunteer/activities',
    { title: '取消的活动', kind: 'cleanup', place: '陈集村', starts: `${today()} 08:00`, ends: `${today()} 09:00`, capacity: 10, org: 'CJZ-CJC', publish: true });
  const cx = await api(srv.base, tok.chenji, 'POST', `/api/v1/volunteer/activities/${c2.json.id}/actions/cancel`, { reason: '下雨' });
  assert.equal(cx.status, 200, cx.text);
  assert.equal((await figures('CJZ-CJC'))['volunteer.activities'].value, after['volunteer.activities'].value, 'a cancelled activity is not counted');
  const list = await listed(chenji, after['volunteer.activities'].href);
  assert.equal(list.n, after['volunteer.activities'].value);
  assert.match(list.html, /清理河道垃圾/);
  assert.equal(await progress(), 1, 'the finished activity counts on the task');
});

test('a meeting held moves 召开会议, 红色七点半 and the campaign task linked to it; a decision done moves 解决难题急事', async () => {
  const before = await figures('CJZ-CJC');
  const r = await api(srv.base, tok.chenji, 'POST', '/api/v1/meetings',
    { org: 'CJZ-CJC', type: 'red730', theme: '秸秆禁烧宣传', date: today(), start: '00:00', end: '00:30', place: '村党群服务中心', content: '学习、议事、办事' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id ?? r.json.meeting.id;
  const c = await api(srv.base, tok.zuzhi, 'POST', '/api/v1/campaigns', { org: 'CJZ-CJC', title: '红色七点半月', starts: daysAgo(5), ends: daysAgo(-5) });
  const a = await api(srv.base, tok.zuzhi, 'POST', `/api/v1/campaigns/${c.json.id}/activities`, { title: '召开议事会', org: 'CJZ-CJC' });
  const t = await api(srv.base, tok.zuzhi, 'POST', `/api/v1/campaign-activities/${a.json.id}/tasks`, { title: '每周一次', owner: '张建国', deadline: daysAgo(-5), target: 4 });
  let l = await api(srv.base, tok.chenji, 'POST', `/api/v1/campaign-tasks/${t.json.id}/links`, { kind: 'meeting', id });
  assert.equal(l.status, 201, l.text);
  assert.equal(l.json.progress, 0, 'planned, not held');
  // a meeting of another branch is outside the campaign's subtree
  const other = await api(srv.base, tok.xijie, 'POST', '/api/v1/meetings',
    { org: 'CJZ-XJC', type: 'red730', theme: '西街议事', date: today(), start: '00:00', end: '00:30', place: '西街', content: '议事' });
  assert.equal(other.status, 201, other.text);
  l = await api(srv.base, tok.zuzhi, 'POST', `/api/v1/campaign-tasks/${t.json.id}/links`, { kind: 'meeting', id: other.json.id ?? other.json.meeting.id });
  assert.equal(l.status, 422);
  assert.match(l.json.error.fields.id, /不在本次活动的组织范围内/);
  const h = await api(srv.base, tok.chenji, 'POST', `/api/v1/meetings/${id}/hold`, { minutes: '会议记录：宣传秸秆禁烧', topics: '秸秆禁烧' });
  assert.equal(h.status, 200, h.text);
  const after = await figures('CJZ-CJC');
  for (const k of ['meetings.held', 'meetings.red730']) assert.equal(after[k].value, before[k].value + 1, k);
  assert.equal(after['meetings.sanhui'].value, before['meetings.sanhui'].value, '红色七点半 is not one of 三会一课');
  const list = await listed(chenji, after['meetings.red730'].href);
  assert.equal(list.n, after['meetings.red730'].value);
  assert.match(list.html, /秸秆禁烧宣传/);
  const prog = (await api(srv.base, tok.zuzhi, 'GET', `/api/v1/campaigns/${c.json.id}`)).json.activities[0].task_list[0];
  assert.equal(prog.progress, 1, 'the held meeting counts on the task');
  // a decision made at the meeting, then done: 作出决策 and 解决难题急事 move, on time
  const owner = (await api(srv.base, tok.dangyuan, 'GET', '/api/v1/volunteer/members/me')).json.member_id;
  const d = await api(srv.base, tok.chenji, 'POST', `/api/v1/meetings/${id}/decisions`, { matter: '村口堆放秸秆清运', owner_member_id: owner, deadline: daysAgo(-7) });
  assert.equal(d.status, 201, d.text);
  const did = d.json.id ?? d.json.decision.id;
  const mid = await figures('CJZ-CJC');
  assert.equal(mid['meetings.decisions'].value, before['meetings.decisions'].value + 1);
  const done = await api(srv.base, tok.chenji, 'POST', `/api/v1/decisions/${did}/done`, { result: '已清运完毕' });
  assert.equal(done.status, 200, done.text);
  const end = await figures('CJZ-CJC');
  assert.equal(end['meetings.solved'].value, before['meetings.solved'].value + 1);
  assert.equal(end['meetings.on_time'].value, before['meetings.on_time'].value + 1);
  assert.equal((await listed(chenji, end['meetings.solved'].href)).n, end['meetings.solved'].value);
});

test('a lesson ordered and delivered moves 点单, 送课 and 上台讲课, and the campaign task linked to the order', async () => {
  const before = await figures('CJZ-XJC');
  const members = async (org, q = '') => (await api(srv.base, tok.zuzhi, 'GET', `/api/v1/members?org=${org}&limit=10${q}`)).json.members;
  const lecturer = (await members('CJZ-CJC', `&q=${encodeURIComponent('李志强')}`)).find((m) => m.name === '李志强');
  assert.ok(lecturer, 'the demo lecturer');
  const l = await api(srv.base, tok.zuzhi, 'POST', '/api/v1/lessons', { title: '小院议事的那些事', topic: 'governance', minutes: 20, lecturers: [lecturer.id] });
  assert.equal(l.status, 201, l.text);
  const o = await api(srv.base, tok.xijie, 'POST', '/api/v1/lesson-orders', { lesson_id: l.json.id, want_from: today(), want_to: daysAgo(-7) });
  assert.equal(o.status, 201, o.text);
  const c = await api(srv.base, tok.zuzhi, 'POST', '/api/v1/campaigns', { org: 'CJZ-XJC', title: '送课进村', starts: daysAgo(3), ends: daysAgo(-10) });
  const a = await api(srv.base, tok.zuzhi, 'POST', `/api/v1/campaigns/${c.json.id}/activities`, { title: '微党课', org: 'CJZ-XJC' });
  const t = await api(srv.base, tok.zuzhi, 'POST', `/api/v1/campaign-activities/${a.json.id}/tasks`, { title: '送课一次', owner: '王建军', deadline: daysAgo(-10), target: 1 });
  const link = await api(srv.base, tok.xijie, 'POST', `/api/v1/campaign-tasks/${t.json.id}/links`, { kind: 'lesson_order', id: o.json.id });
  assert.equal(link.status, 201, link.text);
  assert.equal(link.json.progress, 0);
  let f = await figures('CJZ-XJC');
  assert.equal(f['lessons.ordered'].value, before['lessons.ordered'].value + 1, '点单');
  const step = (action, who, body) => api(srv.base, tok[who], 'POST', `/api/v1/lesson-orders/${o.json.id}/actions/${action}`, body);
  let r = await step('confirm', 'dangyuan', { date: today(), place: '西街村党群服务中心' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await figures('CJZ-XJC'))['lessons.delivered'].value, before['lessons.delivered'].value, 'scheduled is not delivered');
  const xjc = (await members('CJZ-XJC')).map((m) => m.id);
  r = await step('deliver', 'xijie', { present: xjc.slice(0, 3), speakers: [xjc[0], xjc[1]], others: 2 });
  assert.equal(r.status, 200, r.text);
  f = await figures('CJZ-XJC');
  assert.equal(f['lessons.delivered'].value, before['lessons.delivered'].value + 1, '送课');
  assert.equal(f['lessons.speakers'].value, before['lessons.speakers'].value + 2, '上台讲课 人次');
  assert.equal((await listed(zuzhi, f['lessons.delivered'].href)).n, f['lessons.delivered'].value);
  const task = (await api(srv.base, tok.zuzhi, 'GET', `/api/v1/campaigns/${c.json.id}`)).json.activities[0].task_list[0];
  assert.equal(task.progress, 1, 'the delivered lesson counts on the task');
});

function idNumber(birth, seq, male) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = '371524' + birth.replaceAll('-', '') + String(seq).padStart(2, '0') + String(male ? 1 : 2);
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

// 党员 reads the counts per org the database keeps (org_member_counts,
// migration 043); 预备党员 is still counted. Both against a count of the
// member records themselves (every status) and the roster's totals, as a
// member is added, moved to another branch and transferred out.
test('党员 and 预备党员 equal the member records and the roster as members are added and moved', async () => {
  const counted = (code, cat) => Number(dbSql(srv, `SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE (SELECT path FROM orgs WHERE code = '${code}') || '%'${cat ? ` AND m.category = '${cat}'` : ''};`));
  const roster = async (code, qs = '') => (await api(srv.base, tok.zuzhi, 'GET', `/api/v1/members?org=${code}&limit=1${qs}`)).json.total;
  const check = async () => {
    const f = {};
    for (const code of ['CJZ', 'CJZ-CJC', 'CJZ-XJC']) {
      f[code] = await figures(code);
      assert.equal(f[code]['members.count'].value, counted(code), `党员 of ${code}`);
      assert.equal(f[code]['members.count'].value, await roster(code), `党员 of ${code} = the roster's 共 N`);
      assert.equal(f[code]['members.probationary'].value, counted(code, 'probationary'), `预备党员 of ${code}`);
      assert.equal(f[code]['members.probationary'].value, await roster(code, '&category=probationary'), `预备党员 of ${code} = the roster's`);
    }
    return f;
  };
  const before = await check();
  assert.ok(before.CJZ['members.count'].value > before['CJZ-CJC']['members.count'].value && before['CJZ-CJC']['members.count'].value > 0);
  const add = await api(srv.base, tok.zuzhi, 'POST', '/api/v1/members', { name: '看板甲', id_number: idNumber('1996-05-04', 41, true), join_date: '2025-12-01', org: 'CJZ-CJC' });
  assert.equal(add.status, 201, add.text);
  let f = await check();
  assert.equal(f.CJZ['members.count'].value, before.CJZ['members.count'].value + 1);
  assert.equal(f['CJZ-CJC']['members.count'].value, before['CJZ-CJC']['members.count'].value + 1);
  assert.equal(f['CJZ-CJC']['members.probationary'].value, before['CJZ-CJC']['members.probationary'].value + 1);
  const move = await api(srv.base, tok.zuzhi, 'PATCH', `/api/v1/members/${add.json.id}`, { org: 'CJZ-XJC' });
  assert.equal(move.status, 200, move.text);
  f = await check();
  assert.equal(f.CJZ['members.count'].value, before.CJZ['members.count'].value + 1);
  assert.equal(f['CJZ-CJC']['members.count'].value, before['CJZ-CJC']['members.count'].value);
  assert.equal(f['CJZ-XJC']['members.count'].value, before['CJZ-XJC']['members.count'].value + 1);
  const out = await api(srv.base, tok.zuzhi, 'PATCH', `/api/v1/members/${add.json.id}`, { status: 'transferred' });
  f = await check(); // 转出 or refused: the figure is the records either way
  assert.equal(f['CJZ-XJC']['members.count'].value, before['CJZ-XJC']['members.count'].value + 1, `a status leaves the member counted (${out.status})`);
});

test('the drill-down: an unknown figure, a bad period, another subtree, a member', async () => {
  let p = await zuzhi.get(`/dashboard/records?figure=volunteer.nothing&${q('CJZ')}`);
  assert.equal(p.status, 404);
  assert.match(p.text, /没有这项统计/);
  p = await zuzhi.get('/dashboard/records?figure=volunteer.activities&org=CJZ&from=2026-05-01&to=2026-04-01');
  assert.equal(p.status, 422);
  assert.match(p.text, /不能早于/);
  assert.doesNotMatch(p.text, /records-total/);
  p = await chenji.get(`/dashboard/records?figure=meetings.held&${q('CJZ-XJC')}`);
  assert.equal(p.status, 404);
  const member = new Browser(srv.base);
  await member.login('dangyuan');
  p = await member.get(`/dashboard/records?figure=meetings.held&${q('CJZ-CJC')}`);
  assert.equal(p.status, 403);
  // a snapshot figure's list takes the org alone
  const f = (await figures('CJZ'))['volunteer.teams'];
  assert.doesNotMatch(f.href, /from=/);
  assert.equal((await listed(zuzhi, f.href)).n, f.value);
  // the console form offers the kinds a task links
  const camp = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/campaigns')).json.campaigns[0];
  const page = await zuzhi.get(`/campaigns/${camp.id}`);
  for (const k of ['order', 'volunteer', 'meeting', 'lesson_order']) assert.match(page.text, new RegExp(`<option value="${k}">`));
});

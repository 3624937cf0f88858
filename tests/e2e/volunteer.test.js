// Volunteer service (issue 12, SPEC M3), on SQLite and PostgreSQL, with the
// server's clock moved by a file (DANGJIAN_NOW_FILE): capacity and the
// waiting list in order, QR check-in by code (an old or a foreign code
// refused, a replay not a check-out), 3 hours − 30 minutes late = 2.5 hours,
// hours by hand marked with their reason, a forgotten check-out closed at the
// end, the minimums report listing exactly the members below N, and a
// scripted period coming out of the report page, the API and the .xlsx alike,
// for a branch and for the town. The scripted period is in 2027, after the
// demo town's year, so its figures are the script's alone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, Browser, apiToken, api, shell } = require('./lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-vol-'));
const clock = path.join(dir, 'now');
// 2027-03-01 08:00 in Beijing
const T0 = Date.UTC(2027, 2, 1, 0, 0) / 1000;
const at = (day, hh, mm = 0) => T0 + (day - 1) * 86400 + (hh - 8) * 3600 + mm * 60; // 2027-03-DD HH:MM Beijing
const setNow = (t) => fs.writeFileSync(clock, String(t));
setNow(T0);

let srv, chenji, xijie, zuzhi, dangyuan;
let cjc = []; // roster members of 陈集村 (not 停止党籍), not dangyuan
let me; // dangyuan's roster id
let A, B; // activities: A of 陈集村 (capacity 3), B of 西街村

test.before(async () => {
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clock } });
  [chenji, xijie, zuzhi, dangyuan] = await Promise.all(['chenji', 'xijie', 'zuzhi', 'dangyuan'].map((u) => apiToken(srv.base, u)));
  const meRes = await api(srv.base, dangyuan, 'GET', '/api/v1/volunteer/members/me');
  assert.equal(meRes.status, 200, meRes.text);
  me = meRes.json.member_id;
  const roster = await api(srv.base, chenji, 'GET', '/api/v1/members?org=CJZ-CJC&limit=500');
  cjc = roster.json.members.filter((m) => m.status !== 'stopped' && m.id !== me);
  assert.ok(cjc.length > 10);
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const act = (tok, id, action, body = {}) => api(srv.base, tok, 'POST', `/api/v1/volunteer/activities/${id}/actions/${action}`, body);
const create = async (tok, body) => {
  const r = await api(srv.base, tok, 'POST', '/api/v1/volunteer/activities', { kind: 'cleanup', place: '陈集村主街', capacity: 3, ...body });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
};
// A console session as of the server's clock now (moving the clock by days ends older sessions).
const login = async (u) => { const b = new Browser(srv.base); await b.login(u); return b; };
const code = async (id, who = 'chenji') => {
  const r = await (await login(who)).get(`/checkin/volunteer/${id}/code`);
  assert.equal(r.status, 200, r.text);
  return JSON.parse(r.text);
};
const signups = async (id) => (await api(srv.base, chenji, 'GET', `/api/v1/volunteer/activities/${id}`)).json.signups;

test('an activity is made, checked and published; bad input names its field', async () => {
  const bad = await api(srv.base, chenji, 'POST', '/api/v1/volunteer/activities',
    { title: '', kind: 'nope', place: 'x', starts: '2027-03-03 12:00', ends: '2027-03-03 09:00', capacity: 0 });
  assert.equal(bad.status, 422);
  for (const f of ['title', 'kind', 'ends', 'capacity']) assert.ok(bad.json.error.fields[f], f);
  const form = await (await login('chenji')).postForm('/volunteer/new', '/volunteer/new',
    { title: '', kind: 'cleanup', place: '主街', starts: '明天上午', ends: '2027-03-03 12:00', capacity: '20', org: 'CJZ-CJC', publish: '1' });
  assert.equal(form.status, 422, 'the page keeps the form and names the fields');
  assert.match(form.text, /请填写活动名称/);
  assert.match(form.text, /请填写开始时间/);
  assert.match(form.text, /value="主街"/, 'what was typed stays');
  A = await create(chenji, { title: '人居环境整治', starts: '2027-03-03 09:00', ends: '2027-03-03 12:00', org: 'CJZ-CJC' });
  B = await create(xijie, { title: '西街村义诊', kind: 'clinic', place: '西街村卫生室', starts: '2027-03-03 09:00', ends: '2027-03-03 12:00', org: 'CJZ-XJC' });
  const other = await api(srv.base, xijie, 'POST', '/api/v1/volunteer/activities', { title: 'x', kind: 'care', place: 'y', starts: '2027-03-03 09:00', ends: '2027-03-03 10:00', capacity: 3, org: 'CJZ-CJC' });
  assert.equal(other.status, 422, 'another branch is outside 西街村\'s scope');
  assert.ok(other.json.error.fields.org);
  const listed = await api(srv.base, dangyuan, 'GET', '/api/v1/volunteer/activities?state=published');
  assert.ok(listed.json.activities.some((a) => a.id === A));
  assert.ok(!listed.json.activities.some((a) => a.id === B), 'another branch\'s activity is not shown to the member');
});

test('capacity and the waiting list move in order when someone cancels', async () => {
  const [m1, m2, m3, m4] = cjc;
  for (const m of [m1, m2]) assert.equal((await act(chenji, A, 'signup', { member_id: m.id })).status, 200);
  assert.equal((await act(dangyuan, A, 'signup')).status, 200, 'the member signs up on the phone');
  for (const m of [m3, m4]) assert.equal((await act(chenji, A, 'signup', { member_id: m.id })).status, 200, 'past capacity: waiting, not an error');
  let s = await signups(A);
  assert.deepEqual(s.filter((x) => x.state === 'signed').map((x) => x.member_id).sort(), [m1.id, m2.id, me].sort());
  assert.deepEqual(s.filter((x) => x.state === 'waiting').map((x) => x.member_id), [m3.id, m4.id]);
  const twice = await act(dangyuan, A, 'signup');
  assert.equal(twice.status, 409);
  assert.match(twice.json.error.message, /不能重复报名/);
  const outside = await act(xijie, A, 'signup', { member_id: m1.id });
  assert.equal(outside.status, 404, 'a 西街村 secretary does not see 陈集村');
  const notHis = await act(xijie, B, 'signup', { member_id: m1.id });
  assert.equal(notHis.status, 404, 'nor may sign up a member outside its subtree');
  assert.equal((await act(chenji, A, 'cancel_signup', { member_id: m1.id })).status, 200);
  s = await signups(A);
  assert.deepEqual(s.filter((x) => x.state === 'signed').map((x) => x.member_id).sort(), [m2.id, me, m3.id].sort(), 'the first waiting moves up');
  assert.deepEqual(s.filter((x) => x.state === 'waiting').map((x) => x.member_id), [m4.id]);
  assert.equal((await act(chenji, A, 'cancel_signup', { member_id: m2.id })).status, 200);
  s = await signups(A);
  assert.deepEqual(s.filter((x) => x.state === 'signed').map((x) => x.member_id).sort(), [me, m3.id, m4.id].sort());
  assert.equal(s.filter((x) => x.state === 'waiting').length, 0);
});

test('QR check-in: old and foreign codes refused, 30 minutes late gives 2.5 hours, a replay is not a check-out', async () => {
  setNow(at(3, 9, 27));
  const old = (await code(A)).code;
  setNow(at(3, 9, 30));
  const late = await act(chenji, A, 'signup', { member_id: cjc[5].id });
  assert.equal(late.status, 409, 'no sign-up after the start');
  const foreign = (await code(B, 'xijie')).code;
  const f = await act(dangyuan, A, 'scan', { code: foreign });
  assert.equal(f.status, 422, 'another activity\'s code');
  const o = await act(dangyuan, A, 'scan', { code: old });
  assert.equal(o.status, 422, 'a code three minutes old');
  assert.match(o.json.error.message, /过期/);
  assert.equal((await act(dangyuan, A, 'checkout', { member_id: me })).status, 403, 'a member has no organiser\'s hand');
  const nowCode = await code(A);
  assert.equal(nowCode.url, `${srv.base}/c/volunteer/${A}/${nowCode.code}`);
  const inRes = await act(dangyuan, A, 'scan', { code: nowCode.code });
  assert.equal(inRes.status, 200, inRes.text);
  assert.match(inRes.json.done, /已签到 09:30/);
  setNow(at(3, 9, 31));
  const replay = await act(dangyuan, A, 'scan', { code: nowCode.code });
  assert.equal(replay.status, 200);
  assert.match(replay.json.done, /已签到 09:30/, 'the same code again is not a check-out');
  let mine = (await api(srv.base, dangyuan, 'GET', `/api/v1/volunteer/activities/${A}`)).json.mine;
  assert.equal(mine.checkout_at, null);
  setNow(at(3, 12, 40));
  const pointsBefore = (await api(srv.base, dangyuan, 'GET', '/api/v1/volunteer/members/me')).json;
  assert.equal(pointsBefore.year, 2027);
  const outRes = await act(dangyuan, A, 'scan', { code: (await code(A)).code });
  assert.equal(outRes.status, 200, outRes.text);
  assert.match(outRes.json.done, /服务 2\.5 小时/, 'capped by the end: 09:30–12:00');
  const row = (await signups(A)).find((x) => x.member_id === me);
  assert.equal(row.minutes, 150);
  assert.equal(row.hours, '2.5');
  assert.equal(row.checkin_how, 'scan');
  const again = await act(dangyuan, A, 'scan', { code: (await code(A)).code });
  assert.equal(again.status, 409, 'checked out already');
  const st = (await api(srv.base, dangyuan, 'GET', '/api/v1/volunteer/members/me')).json;
  assert.equal(st.minutes - pointsBefore.minutes, 150);
  // the points ledger, in the check-out's transaction: rule volunteer_hour (1 point an hour) per full hour, 2.5 h → 2
  assert.equal(st.points_year - pointsBefore.points_year, 2);
});

test('the organiser\'s hand: check-in marked manual with who, hours with a reason, never longer than the activity; no check-out before check-in', async () => {
  const [, , m3, m4] = cjc;
  const early = await act(chenji, A, 'checkout', { member_id: m4.id });
  assert.equal(early.status, 409);
  assert.match(early.json.error.message, /尚未签到/);
  assert.equal((await act(chenji, A, 'checkin', { member_id: m3.id, at: '2027-03-03 09:00' })).status, 200);
  const noReason = await act(chenji, A, 'hours', { member_id: m3.id, hours: '3' });
  assert.equal(noReason.status, 422);
  assert.ok(noReason.json.error.fields.reason);
  const tooLong = await act(chenji, A, 'hours', { member_id: m3.id, hours: '3.5', reason: '提前到场布置' });
  assert.equal(tooLong.status, 422);
  assert.match(tooLong.json.error.fields.hours, /不能超过活动时长 3\.0 小时/);
  assert.equal((await act(chenji, A, 'hours', { member_id: m3.id, hours: '3', reason: '忘记扫码签退，组织者核实' })).status, 200);
  const row = (await signups(A)).find((x) => x.member_id === m3.id);
  assert.equal(row.checkin_how, 'manual');
  assert.equal(row.checkin_by, '张建国');
  assert.equal(row.minutes, 180);
  assert.equal(row.minutes_manual, true);
  assert.equal(row.minutes_reason, '忘记扫码签退，组织者核实');
  const m3st = (await api(srv.base, chenji, 'GET', `/api/v1/volunteer/members/${m3.id}`)).json;
  assert.equal(m3st.points_year, 3, 'hours by hand pay too, once');
  assert.equal((await act(chenji, A, 'hours', { member_id: m3.id, hours: '2', reason: '更正' })).status, 200);
  assert.equal((await api(srv.base, chenji, 'GET', `/api/v1/volunteer/members/${m3.id}`)).json.points_year, 2,
    'hours corrected after the award correct the points (points_correct), they do not pay again');
  assert.equal((await act(chenji, A, 'hours', { member_id: m3.id, hours: '3', reason: '忘记扫码签退，组织者核实' })).status, 200);
  assert.equal((await api(srv.base, chenji, 'GET', `/api/v1/volunteer/members/${m3.id}`)).json.points_year, 3, 'and back');
  const page = await (await login('chenji')).get(`/volunteer/${A}`);
  assert.match(page.text, /手工：张建国/);
  assert.match(page.text, /手工核定：忘记扫码签退，组织者核实/);
  const outsider = await act(chenji, A, 'checkin', { member_id: 999999 });
  assert.equal(outsider.status, 404);
});

test('a forgotten check-out is closed at the end of the activity, marked', async () => {
  const [, , , m4] = cjc;
  assert.equal((await act(chenji, A, 'checkin', { member_id: m4.id, at: '2027-03-03 10:00' })).status, 200);
  setNow(at(3, 13, 5));
  srv.run(['tick'], { env: { DANGJIAN_NOW: String(at(3, 13, 5)) } });
  const a = (await api(srv.base, chenji, 'GET', `/api/v1/volunteer/activities/${A}`)).json;
  assert.equal(a.activity.state, 'finished');
  const row = a.signups.find((x) => x.member_id === m4.id);
  assert.equal(row.checkout_how, 'auto');
  assert.equal(row.minutes, 120);
  const page = await (await login('chenji')).get(`/volunteer/${A}`);
  assert.match(page.text, /活动结束时自动签退/);
  const scan = await act(dangyuan, A, 'scan', { code: 'ABCDEFGH' });
  assert.equal(scan.status, 409, 'a finished activity takes no check-in');
});

test('a cancelled activity notifies who signed up, and takes no sign-up', async () => {
  setNow(at(4, 8));
  const C = await create(chenji, { title: '文明劝导', kind: 'civility', place: '十字路口', starts: '2027-03-10 09:00', ends: '2027-03-10 10:00' });
  assert.equal((await act(dangyuan, C, 'signup')).status, 200);
  const noReason = await act(chenji, C, 'cancel');
  assert.equal(noReason.status, 422);
  assert.equal((await act(chenji, C, 'cancel', { reason: '大风天气' })).status, 200);
  assert.equal((await act(dangyuan, C, 'signup')).status, 409);
  const inbox = await login('dangyuan');
  const n = await inbox.get('/inbox');
  assert.match(n.text, /文明劝导”已取消：大风天气/);
});

// The scripted period: A (3 attendances: 2.5 h + 3 h + 2 h) and B (one attendance by hand, 1 h of 3), in March 2027.
test('the report page, the API and the .xlsx agree, for the branch and for the town', async () => {
  setNow(at(5, 9));
  assert.equal((await act(xijie, B, 'public', { public_count: 7 })).status, 200);
  const xj = (await api(srv.base, xijie, 'GET', '/api/v1/members?org=CJZ-XJC&limit=5')).json.members[0];
  // B started on day 3 and is still in progress (no tick ran for it): the organiser records by hand
  const t = at(3, 9, 30);
  setNow(at(3, 12, 30));
  assert.equal((await act(xijie, B, 'checkin', { member_id: xj.id, at: '2027-03-03 09:30' })).status, 200);
  assert.equal((await act(xijie, B, 'checkout', { member_id: xj.id, at: '2027-03-03 10:30' })).status, 200);
  assert.ok(t);
  const want = {
    'CJZ-CJC': { activities: 1, person_times: 3, active: 3, minutes: 450, hours: '7.5', public_times: 0 },
    CJZ: { activities: 2, person_times: 4, active: 4, minutes: 510, hours: '8.5', public_times: 7 },
  };
  for (const [org, w] of Object.entries(want)) {
    const q = `org=${org}&from=2027-03-01&to=2027-03-31`;
    const j = (await api(srv.base, zuzhi, 'GET', `/api/v1/volunteer/report?${q}`)).json;
    for (const k of Object.keys(w)) assert.equal(j[k], w[k], `${org} ${k}`);
    const z = await login('zuzhi');
    const page = (await z.get(`/volunteer/report?${q}`)).text;
    const fromPage = Object.fromEntries([...page.matchAll(/data-k="(\w+)">([^<]*)</g)].map((m) => [m[1], m[2]]));
    for (const k of ['registered', 'active', 'activities', 'person_times', 'public_times', 'hours', 'teams', 'team_members'])
      assert.equal(fromPage[k], String(j[k]), `page ${org} ${k}`);
    const x = await fetch(`${srv.base}/volunteer/report.xlsx?${q}`, { headers: { cookie: z.cookieHeader() } });
    assert.equal(x.status, 200);
    const file = path.join(dir, `${org}.xlsx`);
    fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
    const book = JSON.parse(shell('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({n: [[c.value for c in r] for r in wb[n].iter_rows()] for n in wb.sheetnames}))`, file], { encoding: 'utf8' }));
    const rows = book['按支部'];
    const total = rows.find((r) => typeof r[0] === 'string' && r[0].endsWith(' 合计'));
    assert.deepEqual(total.slice(1, 10), [j.registered, j.active, j.activities, j.person_times, j.public_times, Number(j.hours), j.teams, j.team_members, j.members]);
    // a row per branch: the API's branches, in the same order, with the same figures
    const branchRows = rows.slice(1, rows.indexOf(total));
    assert.deepEqual(branchRows.map((r) => [r[0], r[4], r[6]]), j.branches.map((b) => [b.name, b.person_times, Number(b.hours)]));
    // a row per member who served, most hours first: the API, the file and the page agree
    assert.deepEqual(book['按党员'].slice(1).map((r) => [r[0], r[2], r[3]]), j.by_member.map((m) => [m.name, m.times, Number(m.hours)]));
    assert.equal(j.by_member.length, w.active);
    assert.equal(j.by_member.reduce((t, m) => t + m.minutes, 0), w.minutes, 'in the period every attendance is a member of the subtree\'s');
    const pageMembers = [...page.matchAll(/<td data-label="党员"><a href="\/volunteer\/members\/(\d+)">/g)].map((m) => Number(m[1]));
    assert.deepEqual(pageMembers, j.by_member.map((m) => m.member_id));
  }
  const forbidden = await api(srv.base, dangyuan, 'GET', '/api/v1/volunteer/report?org=CJZ-CJC');
  assert.equal(forbidden.status, 403);
  const outside = await api(srv.base, xijie, 'GET', '/api/v1/volunteer/report?org=CJZ-CJC');
  assert.equal(outside.status, 404);
});

test('the minimums report lists exactly the members below N, in the page, the API and the .xlsx', async () => {
  const none = await api(srv.base, chenji, 'GET', '/api/v1/volunteer/minimums?org=CJZ-CJC&year=2027');
  assert.equal(none.status, 422, 'no minimum set for 2027 yet');
  assert.equal((await api(srv.base, chenji, 'POST', '/api/v1/volunteer/minimums', { year: 2027, required: 1 })).status, 403, 'the committee sets it');
  assert.equal((await api(srv.base, zuzhi, 'POST', '/api/v1/volunteer/minimums', { year: 2027, required: 1, org: 'CJZ', title: '每名党员不少于1次' })).status, 200);
  const r = (await api(srv.base, chenji, 'GET', '/api/v1/volunteer/minimums?org=CJZ-CJC&year=2027')).json;
  assert.equal(r.required, 1, 'the town\'s minimum holds for its branches');
  const served = new Set([me, cjc[2].id, cjc[3].id]);
  const roster = (await api(srv.base, chenji, 'GET', '/api/v1/members?org=CJZ-CJC&limit=500')).json.members.filter((m) => m.status !== 'stopped');
  assert.deepEqual(r.below.map((b) => b.member_id).sort((a, b) => a - b), roster.filter((m) => !served.has(m.id)).map((m) => m.id).sort((a, b) => a - b));
  assert.ok(r.below.every((b) => b.times === 0));
  const page = await (await login('chenji')).get('/volunteer/minimums?org=CJZ-CJC&year=2027');
  assert.equal([...page.text.matchAll(/<td data-label="党员"><a href="\/volunteer\/members\/(\d+)"/g)].length, r.below.length);
  assert.match(page.text, new RegExp(`<strong id="vol-below-n">${r.below.length}</strong>`));
  const x = await fetch(`${srv.base}/volunteer/minimums.xlsx?org=CJZ-CJC&year=2027`, { headers: { cookie: (await login('chenji')).cookieHeader() } });
  assert.equal(x.status, 200);
  const file = path.join(dir, 'min.xlsx');
  fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
  const names = JSON.parse(shell('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([r[1] for r in ws.iter_rows(min_row=2, values_only=True) if r[1]]))`, file], { encoding: 'utf8' }));
  assert.deepEqual(names, r.below.map((b) => b.name));
  const two = (await api(srv.base, chenji, 'GET', '/api/v1/volunteer/minimums?org=CJZ-CJC&year=2027&required=2')).json;
  assert.equal(two.required, 1, 'the query cannot change the minimum');
});

test('teams: made within the scope, members added once; the page lists them', async () => {
  const m = cjc[7];
  const t = await api(srv.base, chenji, 'POST', '/api/v1/volunteer/teams', { name: '陈集村青年突击队', org: 'CJZ-CJC', leader_member_id: m.id });
  assert.equal(t.status, 201, t.text);
  assert.equal((await api(srv.base, chenji, 'POST', '/api/v1/volunteer/teams', { name: '陈集村青年突击队', org: 'CJZ-CJC' })).status, 409);
  assert.equal((await api(srv.base, xijie, 'POST', '/api/v1/volunteer/teams', { name: '越权', org: 'CJZ-CJC' })).status, 422);
  assert.equal((await api(srv.base, chenji, 'POST', `/api/v1/volunteer/teams/${t.json.id}/members`, { member_id: cjc[8].id })).status, 201);
  assert.equal((await api(srv.base, chenji, 'POST', `/api/v1/volunteer/teams/${t.json.id}/members`, { member_id: cjc[8].id })).status, 409);
  const list = (await api(srv.base, chenji, 'GET', '/api/v1/volunteer/teams')).json.teams;
  const mine = list.find((x) => x.id === t.json.id);
  assert.equal(mine.members, 2);
  assert.equal(mine.leader_name, m.name);
});

const haveTools = (() => {
  try { execFileSync('sh', ['-c', 'command -v rsvg-convert && command -v zbarimg'], { stdio: 'ignore' }); return true; } catch { return false; }
})();
test('the QR code of the organiser\'s screen decodes to the check-in URL (rsvg-convert + zbarimg)', { skip: !haveTools && 'zbar-tools and librsvg2-bin are not installed (scripts/setup.sh)' }, async () => {
  setNow(at(6, 8));
  const D = await create(chenji, { title: '扫码测试', starts: '2027-03-06 08:20', ends: '2027-03-06 09:00' });
  const page = await (await login('chenji')).get(`/checkin/volunteer/${D}`);
  assert.equal(page.status, 200);
  const svg = /<svg class="qr"[\s\S]*?<\/svg>/.exec(page.text)[0];
  fs.writeFileSync(path.join(dir, 'qr.svg'), svg);
  execFileSync('rsvg-convert', ['-w', '400', '-h', '400', '-b', 'white', '-o', path.join(dir, 'qr.png'), path.join(dir, 'qr.svg')]);
  const out = execFileSync('zbarimg', ['-q', '--raw', path.join(dir, 'qr.png')], { encoding: 'utf8' }).trim();
  const c = await code(D);
  assert.equal(out, `${srv.base}/c/volunteer/${D}/${c.code}`);
  const member = await api(srv.base, dangyuan, 'GET', `/api/v1/volunteer/activities/${D}`);
  assert.equal(member.status, 200);
  const shown = await new Browser(srv.base).get(`/checkin/volunteer/${D}`);
  assert.notEqual(shown.status, 200, 'not logged in: no code');
});

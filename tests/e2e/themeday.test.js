// The theme party day 一月一课一片一实践 (SPEC M4, issue 14): a scripted
// quarter with an injected clock (2030 Q1, after anything the demo holds) —
// catalogue, orders, deliveries, screenings, reflections, practices, plans —
// comes out of the report page, the API and the .xlsx exactly; the
// compliance table marks exactly the branches and months with a missing
// part; every kind of bad input is refused naming its field, nothing written.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, shell } = require('./lib');

const PY = '/usr/bin/python3';
const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-clock-'));
const CLOCK = path.join(clockDir, 'now');
// a day of 2030 at 10:00 in Beijing
const setDay = (d) => fs.writeFileSync(CLOCK, String(Date.parse(`${d}T02:00:00Z`) / 1000));

let srv;
const tok = {};
// moving the clock days ahead ends the sessions: new tokens for the new day
async function day(d) {
  setDay(d);
  for (const u of ['admin', 'zuzhi', 'chenji', 'xijie', 'dangyuan', 'wangge']) tok[u] = await apiToken(srv.base, u);
}
const m = {}; // member ids
const call = (who, method, p, body) => api(srv.base, tok[who], method, p, body);

async function members(org) {
  const r = await call('zuzhi', 'GET', `/api/v1/members?org=${org}&limit=20`);
  assert.equal(r.status, 200, r.text);
  return r.json.members;
}

function idNumber(birth, seq) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = '371524' + birth.replaceAll('-', '') + String(seq).padStart(2, '0') + '1';
  return body + '10X98765432'[[...body].reduce((s, c, i) => s + Number(c) * w[i], 0) % 11];
}

function sheets(file) {
  return JSON.parse(shell(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({n: [list(r) for r in wb[n].iter_rows(values_only=True)] for n in wb.sheetnames}, ensure_ascii=False))`, file], { encoding: 'utf8' }));
}

test.before(async () => {
  setDay('2030-01-05');
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: CLOCK } });
  await day('2030-01-05');
  const cjc = await members('CJZ-CJC');
  const li = await call('zuzhi', 'GET', `/api/v1/members?org=CJZ-CJC&q=${encodeURIComponent('李志强')}`);
  m.lecturer = li.json.members.find((x) => x.name === '李志强').id;
  m.cjc = cjc.filter((x) => x.id !== m.lecturer).map((x) => x.id);
  m.xjc = (await members('CJZ-XJC')).map((x) => x.id);
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(clockDir, { recursive: true, force: true });
});

const Q = { from: '2030-01-01', to: '2030-03-31' };
let baseLessons;
const ids = {};

test('a scripted quarter', async () => {
  baseLessons = (await call('zuzhi', 'GET', `/api/v1/stats/themeday?org=CJZ&from=${Q.from}&to=${Q.to}`)).json.lessons;
  // the catalogue: three lessons by 李志强
  for (const [k, title, topic] of [['a', '庭院里的乡村振兴', 'rural'], ['b', '拋砖屋场的故事', 'red'], ['c', '小微权力清单', 'integrity']]) {
    const r = await call('zuzhi', 'POST', '/api/v1/lessons', { title, topic, minutes: 20, lecturers: [m.lecturer], media_url: 'https://example.cn/v/1' });
    assert.equal(r.status, 201, r.text);
    ids[k] = r.json.id;
  }
  // the films of the quarter: two in January, one each in February and March
  const list = async (month) => (await call('zuzhi', 'POST', '/api/v1/film-lists', { month, notice: `${month} 请各支部组织观看` })).json.id;
  const film = async (l, title, kind) => {
    const r = await call('zuzhi', 'POST', `/api/v1/film-lists/${l}/films`, { title, kind, url: 'https://www.12371.cn/film' });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const jan = await list('2030-01'), feb = await list('2030-02'), mar = await list('2030-03');
  ids.f1 = await film(jan, '解码中部崛起——促进城乡融合', 'policy');
  ids.f2 = await film(jan, '抛砖屋场', 'local');
  ids.f3 = await film(feb, '警钟长鸣', 'warning');
  ids.f4 = await film(mar, '星火燎原', 'red');

  const order = async (who, lesson, from) => {
    const r = await call(who, 'POST', '/api/v1/lesson-orders', { lesson_id: lesson, want_from: from, want_to: from });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const step = async (who, id, action, body) => {
    const r = await call(who, 'POST', `/api/v1/lesson-orders/${id}/actions/${action}`, body);
    assert.equal(r.status, 200, `${action}: ${r.text}`);
    return r.json;
  };
  // 西街村 orders A: confirmed, delivered (3 members, 1 spoke, 2 others), rated
  ids.oa = await order('xijie', ids.a, '2030-01-12');
  await step('dangyuan', ids.oa, 'confirm', { date: '2030-01-12', place: '西街村屋场' });
  await day('2030-01-12');
  const points = async () => (await call('dangyuan', 'GET', '/api/v1/lesson-orders?mine=1')).json.my_points;
  const p0 = await points();
  await step('xijie', ids.oa, 'deliver', { present: m.xjc.slice(0, 3), speakers: [m.xjc[0]], others: 2 });
  assert.equal(await points(), p0 + 5, 'the lecturer earns lesson_given (5) when the branch records the delivery');
  await step('xijie', ids.oa, 'rate', { rating: 4, comment: '接地气' });
  // 陈集村 orders B: delivered in February, two members both spoke, not rated yet
  ids.ob = await order('chenji', ids.b, '2030-02-08');
  await step('dangyuan', ids.ob, 'confirm', { date: '2030-02-08', place: '陈集村党群服务中心' });
  await day('2030-02-08');
  await step('chenji', ids.ob, 'deliver', { present: [], speakers: m.cjc.slice(0, 2), others: 0 });
  // declined, cancelled, left requested
  ids.oc = await order('xijie', ids.c, '2030-02-20');
  await step('dangyuan', ids.oc, 'decline', { reason: '当月在县委党校学习' });
  ids.od = await order('chenji', ids.c, '2030-03-01');
  await step('chenji', ids.od, 'cancel', { reason: '与春耕冲突' });
  ids.oe = await order('xijie', ids.c, '2030-03-15');

  // screenings: 西街村 in January and February, 陈集村 in March
  const screen = async (who, f, date, n) => {
    const r = await call(who, 'POST', `/api/v1/films/${f}/screenings`, { date, place: '屋场微阵地', attendees: n });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  ids.s1 = await screen('xijie', ids.f1, '2030-01-15', 6);
  ids.s2 = await screen('xijie', ids.f3, '2030-02-16', 5);
  ids.s3 = await screen('chenji', ids.f4, '2030-03-10', 7);
  // a reflection from the phone, shared by the branch
  await day('2030-01-16');
  const rf = await call('dangyuan', 'POST', `/api/v1/films/${ids.f1}/reflections`, { body: '农为邦本，本固邦宁，作为农村党员，应该带头发展特色产业。' });
  assert.equal(rf.status, 201, rf.text);
  assert.equal(await points(), p0 + 5 + 5 + 1, 'two lessons given and one reflection');
  assert.equal((await call('chenji', 'POST', `/api/v1/reflections/${rf.json.id}/share`, { shared: true })).status, 200);
  // a practice of 西街村 in January
  const pr = await call('xijie', 'POST', '/api/v1/practices', { title: '人居环境整治', date: '2030-01-20', participants: 12 });
  assert.equal(pr.status, 201, pr.text);

  // plans: 西街村 January complete; 陈集村 January lesson only... (B was February); 西街村 February nothing done;
  // 陈集村 March: its practice is a volunteer activity (issue 12), referred to by kind and id once it has finished
  const plan = async (who, month) => {
    const r = await call(who, 'POST', '/api/v1/plans', { month, lesson: '点单微党课', film: '观看本月教育片', practice: '志愿服务' });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const part = (who, p, name, body) => call(who, 'POST', `/api/v1/plans/${p}/parts/${name}`, body);
  const pxJan = await plan('xijie', '2030-01');
  for (const [name, kind, id] of [['lesson', 'lesson_order', ids.oa], ['film', 'screening', ids.s1], ['practice', 'practice', pr.json.id]]) {
    const r = await part('xijie', pxJan, name, { kind, id });
    assert.equal(r.status, 200, `${name}: ${r.text}`);
  }
  const pcJan = await plan('chenji', '2030-01');
  // a lesson of another month does not complete January; a February delivery completes February only
  let r = await part('chenji', pcJan, 'lesson', { kind: 'lesson_order', id: ids.ob });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.ref_id, /不在计划月份/);
  // a screening of another branch is not this plan's
  r = await part('chenji', pcJan, 'film', { kind: 'screening', id: ids.s1 });
  assert.equal(r.status, 422, 'a screening of another branch does not complete this plan');
  assert.match(r.json.error.fields.ref_id, /不属于本支部/);
  assert.equal((await part('chenji', pxJan, 'film', { kind: 'screening', id: ids.s3 })).status, 404, "another branch's plan is not there");
  r = await part('xijie', pxJan, 'film', { kind: 'screening', id: ids.s3 });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.ref_id, /不属于本支部/);
  await plan('xijie', '2030-02');
  const pcMar = await plan('chenji', '2030-03');
  r = await part('chenji', pcMar, 'practice', { kind: 'volunteer', id: 999999, title: '清理河道志愿服务' });
  assert.equal(r.status, 422, 'an activity that does not exist is not taken on trust');
  assert.ok(r.json.error.fields.ref_id, r.text);
  const va = await call('chenji', 'POST', '/api/v1/volunteer/activities', {
    title: '清理河道志愿服务', kind: 'cleanup', place: '陈集河', starts: '2030-03-12 09:00', ends: '2030-03-12 11:00', capacity: 20, org: 'CJZ-CJC', publish: true,
  });
  assert.equal(va.status, 201, va.text);
  ids.va = va.json.id;
  r = await part('chenji', pcMar, 'practice', { kind: 'volunteer', id: ids.va });
  assert.equal(r.status, 422, 'not finished yet');
  assert.match(r.json.error.fields.ref_id, /还没有完成/);
  await day('2030-03-12');
  for (const a of ['start', 'finish']) {
    const x = await call('chenji', 'POST', `/api/v1/volunteer/activities/${ids.va}/actions/${a}`, {});
    assert.equal(x.status, 200, `${a}: ${x.text}`);
  }
  r = await part('chenji', pcMar, 'practice', { kind: 'volunteer', id: ids.va });
  assert.equal(r.status, 200, r.text);
  r = await part('chenji', pcMar, 'film', { kind: 'screening', id: ids.s3 });
  assert.equal(r.status, 200, r.text);
});

test('the quarter comes out of the API, the report page and the .xlsx exactly', async () => {
  await day('2030-04-02');
  const s = (await call('zuzhi', 'GET', `/api/v1/stats/themeday?org=CJZ&from=${Q.from}&to=${Q.to}`)).json;
  const want = {
    lessons: baseLessons + 3, orders: 5, deliveries: 2, attendance: 3 + 2 + 2, members_present: 3 + 2, others: 2, speakers: 1 + 2, rated: 1,
    films: 4, film_lists: 3, screenings: 3, screening_attendance: 18, reflections: 1, practices: 1, plans: 4, plans_complete: 1,
  };
  for (const [k, v] of Object.entries(want)) assert.equal(s[k], v, k);
  assert.deepEqual(s.orders_by_state, { requested: 1, scheduled: 0, delivered: 1, rated: 1, declined: 1, cancelled: 1 });
  // a branch sees its own subtree only
  const x = (await call('xijie', 'GET', `/api/v1/stats/themeday?from=${Q.from}&to=${Q.to}`)).json;
  assert.equal(x.orders, 3);
  assert.equal(x.deliveries, 1);
  assert.equal(x.speakers, 1);
  assert.equal(x.screenings, 2);
  assert.equal((await call('xijie', 'GET', `/api/v1/stats/themeday?org=CJZ-CJC&from=${Q.from}&to=${Q.to}`)).status, 404);

  // the page
  const zuzhi = new Browser(srv.base);
  await zuzhi.login('zuzhi');
  const page = await zuzhi.get(`/themeday/report?org=CJZ&from=${Q.from}&to=${Q.to}`);
  assert.equal(page.status, 200);
  const fig = (k) => Number(new RegExp(`data-key="${k}"><strong class="stat-num">(\\d+)<`).exec(page.text)[1]);
  for (const k of ['lessons', 'orders', 'deliveries', 'attendance', 'speakers', 'screenings', 'screening_attendance', 'reflections', 'practices', 'plans_complete']) {
    assert.equal(fig(k), s[k], `page ${k}`);
  }
  assert.equal(fig('covered'), 2);
  assert.match(page.text, new RegExp(`开发微党课${s.lessons}堂，接受点单5次，授课2场，上台讲微党课3人次，观看党员教育片3场次`));

  const xp = await zuzhi.get(`/themeday/report?org=CJZ-XJC&from=${Q.from}&to=${Q.to}`);
  assert.match(xp.text, /data-key="orders"><strong class="stat-num">3</);
  assert.match(xp.text, /<option value="CJZ-XJC" selected>西街村党支部<\/option>/);
  assert.match(xp.text, /report\.xlsx\?from=2030-01-01&amp;to=2030-03-31&amp;org=CJZ-XJC/);
  // the workbook
  const res = await fetch(`${srv.base}/themeday/report.xlsx?org=CJZ&from=${Q.from}&to=${Q.to}`, { headers: { cookie: zuzhi.cookieHeader() } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const file = path.join(clockDir, 'r.xlsx');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const wb = sheets(file);
  const val = (label) => wb['统计'].find((row) => row[0] === label)[1];
  assert.equal(val('微党课（课程清单）'), s.lessons);
  assert.equal(val('点单'), 5);
  assert.equal(val('点单·已评价'), 1);
  assert.equal(val('授课场次'), 2);
  assert.equal(val('听课人次'), 7);
  assert.equal(val('上台讲微党课人次'), 3);
  assert.equal(val('观看教育片场次'), 3);
  assert.equal(val('观后感'), 1);
  assert.equal(val('计划全部落实'), 1);
  const cov = wb['巡讲覆盖'].slice(1);
  assert.deepEqual(cov.filter((row) => row[3] === '已覆盖').map((row) => row[0]).sort(), ['CJZ-CJC', 'CJZ-XJC']);
  const plans = wb['月度落实'].slice(1);
  assert.deepEqual(plans.filter((row) => row[5] === '已落实').map((row) => [row[0], row[1]]), [['西街村党支部', '2030-01']]);
  const log = await zuzhi.get('/audit?action=themeday.export');
  assert.match(log.text, /themeday\.export/);
});

test('巡讲进支部全覆盖: the coverage report names the branches with and without a lesson', async () => {
  const c = (await call('zuzhi', 'GET', `/api/v1/lessons/coverage?org=CJZ&from=${Q.from}&to=${Q.to}`)).json;
  assert.equal(c.covered, 2);
  assert.equal(c.full_coverage, false);
  assert.deepEqual(c.branches.filter((b) => b.covered).map((b) => [b.code, b.deliveries]).sort(), [['CJZ-CJC', 1], ['CJZ-XJC', 1]]);
  assert.equal(c.branches.length, c.total);
  assert.ok(c.total > 2);
});

test('the compliance table marks exactly the branches and months with a missing part, and the committee chases them', async () => {
  const r = await call('zuzhi', 'GET', '/api/v1/plans/compliance?from=2030-01&to=2030-03');
  assert.equal(r.status, 200, r.text);
  const rows = r.json.rows;
  const branches = new Set(rows.map((x) => x.org_code));
  assert.equal(rows.length, branches.size * 3);
  assert.deepEqual(rows.filter((x) => !x.gap).map((x) => [x.org_code, x.month]), [['CJZ-XJC', '2030-01']]);
  assert.equal(r.json.gaps, rows.length - 1);
  const cmar = rows.find((x) => x.org_code === 'CJZ-CJC' && x.month === '2030-03');
  assert.equal(cmar.lesson.done, false);
  assert.equal(cmar.film.done, true);
  assert.deepEqual([cmar.practice.done, cmar.practice.kind, cmar.practice.id, cmar.practice.record], [true, 'volunteer', ids.va, '清理河道志愿服务']);
  const xfeb = rows.find((x) => x.org_code === 'CJZ-XJC' && x.month === '2030-02');
  assert.ok(xfeb.plan_id && xfeb.gap && !xfeb.lesson.done && xfeb.lesson.planned);
  assert.equal(rows.find((x) => x.org_code === 'CJZ-HZC' && x.month === '2030-01').plan_id, null);
  // the page shows the same rows
  const zuzhi = new Browser(srv.base);
  await zuzhi.login('zuzhi');
  const page = await zuzhi.get('/plans?from=2030-01&to=2030-03');
  assert.equal((page.text.match(/<tr class="ok"/g) || []).length, 1);
  assert.match(page.text, /<tr class="ok" data-org="CJZ-XJC" data-month="2030-01">/);
  assert.equal((page.text.match(/<tr class="gap"/g) || []).length, rows.length - 1);
  // a branch sees only itself
  const mine = (await call('xijie', 'GET', '/api/v1/plans/compliance?from=2030-01&to=2030-03')).json.rows;
  assert.deepEqual([...new Set(mine.map((x) => x.org_code))], ['CJZ-XJC']);
  // 催办 for February: every branch has a gap, each secretary is told
  const ch = await call('zuzhi', 'POST', '/api/v1/plans/chase', { month: '2030-02' });
  assert.equal(ch.status, 200, ch.text);
  assert.equal(ch.json.chased, branches.size);
  const inboxOf = async (u) => { const b = new Browser(srv.base); await b.login(u); return (await b.get('/inbox')).text; };
  // each is told what is missing: the parts not done, or that there is no plan
  const missing = (row) => (row.plan_id ? `${['lesson', 'film', 'practice'].filter((k) => !row[k].done).map((k) => ({ lesson: '一课', film: '一片', practice: '一实践' })[k]).join('、')}未完成` : '未制定计划');
  const inbox = await inboxOf('xijie');
  assert.match(inbox, new RegExp(`2030-02 主题党日“一月一课一片一实践”尚未全部落实（${missing(xfeb)}）`));
  assert.equal((await call('xijie', 'POST', '/api/v1/plans/chase', { month: '2030-02' })).status, 403);
  // 催办 for January: 西街村 carried out all three and is not told; 陈集村 is told its gap
  const chJan = await call('zuzhi', 'POST', '/api/v1/plans/chase', { month: '2030-01' });
  assert.equal(chJan.status, 200, chJan.text);
  assert.equal(chJan.json.chased, branches.size - 1);
  assert.doesNotMatch(await inboxOf('xijie'), /2030-01 主题党日/);
  const cjan = rows.find((x) => x.org_code === 'CJZ-CJC' && x.month === '2030-01');
  assert.match(await inboxOf('chenji'), new RegExp(`2030-01 主题党日“一月一课一片一实践”尚未全部落实（${missing(cjan)}）`));
  // a month that is not one
  const bad = await call('zuzhi', 'POST', '/api/v1/plans/chase', { month: '2030-13' });
  assert.equal(bad.status, 422);
  assert.ok(bad.json.error.fields.month, bad.text);
});

test('bad input is refused naming the field, and nothing is written', async () => {
  await day('2030-04-02');
  const count = async () => (await call('zuzhi', 'GET', '/api/v1/lessons')).json.total;
  const before = await count();
  // a lesson without a lecturer, or with a lecturer of another town
  let r = await call('zuzhi', 'POST', '/api/v1/lessons', { title: '无讲师', topic: 'rural', minutes: 20, lecturers: [] });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.lecturers, r.text);
  for (const o of [{ code: 'T2', name: '中共第二镇委员会', type: 'committee', kind: '机关', parent_code: 'DEX' },
    { code: 'T2-A', name: '第二镇甲村党支部', type: 'branch', kind: '农村', parent_code: 'T2' }]) {
    assert.equal((await call('admin', 'POST', '/api/v1/orgs', o)).status, 201);
  }
  const far = await call('admin', 'POST', '/api/v1/members', { name: '外镇讲师', id_number: idNumber('1980-01-01', 21), join_date: '2003-07-01', full_date: '2004-07-01', org: 'T2-A' });
  assert.equal(far.status, 201, far.text);
  r = await call('zuzhi', 'POST', '/api/v1/lessons', { title: '外镇的课', topic: 'rural', minutes: 20, lecturers: [far.json.id] });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.lecturers, /本镇/);
  r = await call('zuzhi', 'POST', '/api/v1/lessons', { title: '坏主题', topic: 'nope', minutes: 500, media_url: 'ftp://x', lecturers: [m.lecturer] });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.topic && r.json.error.fields.minutes && r.json.error.fields.media_url, r.text);
  assert.equal(await count(), before, 'no lesson written');

  // an order for a date in the past
  const orders = async () => (await call('zuzhi', 'GET', '/api/v1/lesson-orders')).json.total;
  const o0 = await orders();
  r = await call('xijie', 'POST', '/api/v1/lesson-orders', { lesson_id: ids.a, want_from: '2030-03-01' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.want_from, /不能早于今天/);
  assert.equal(await orders(), o0);

  // confirming a lesson that is not yours: 陈集村 orders a lesson of another lecturer; 李志强 (also of 陈集村) may not confirm it
  const other = m.cjc[3];
  const l2 = await call('zuzhi', 'POST', '/api/v1/lessons', { title: '网格里的治理', topic: 'governance', minutes: 15, lecturers: [other] });
  assert.equal(l2.status, 201, l2.text);
  const o2 = await call('chenji', 'POST', '/api/v1/lesson-orders', { lesson_id: l2.json.id, want_from: '2030-04-10' });
  assert.equal(o2.status, 201);
  r = await call('dangyuan', 'POST', `/api/v1/lesson-orders/${o2.json.id}/actions/confirm`, { date: '2030-04-10', place: '村部' });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /不是您的微党课/);
  assert.equal((await call('zuzhi', 'GET', `/api/v1/lesson-orders/${o2.json.id}`)).json.state, 'requested');

  // attendance above the branch's size
  const o3 = await call('xijie', 'POST', '/api/v1/lesson-orders', { lesson_id: ids.a, want_from: '2030-04-10' });
  await call('dangyuan', 'POST', `/api/v1/lesson-orders/${o3.json.id}/actions/confirm`, { date: '2030-04-10', place: '村部' });
  r = await call('xijie', 'POST', `/api/v1/lesson-orders/${o3.json.id}/actions/deliver`, { present: m.xjc.slice(0, 2), others: 5000 });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.others, /超过了本支部党员人数/);
  r = await call('xijie', 'POST', `/api/v1/lesson-orders/${o3.json.id}/actions/deliver`, { present: [m.cjc[0]] });
  assert.equal(r.status, 422, 'a member of another branch is not an attendee');
  assert.ok(r.json.error.fields.present);
  const still = (await call('zuzhi', 'GET', `/api/v1/lesson-orders/${o3.json.id}`)).json;
  assert.equal(still.state, 'scheduled');
  assert.equal(still.attendees.length, 0);

  // a second reflection on the same film
  const refl = async () => (await call('dangyuan', 'GET', `/api/v1/reflections?film=${ids.f1}`)).json.reflections.length;
  const r0 = await refl();
  r = await call('dangyuan', 'POST', `/api/v1/films/${ids.f1}/reflections`, { body: '再写一篇观后感，应该被拒绝才对。' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.film_id, /已经提交过/);
  assert.equal(await refl(), r0);

  // a film link that is not http(s)
  const lists = (await call('zuzhi', 'GET', '/api/v1/film-lists')).json.lists;
  const jan = lists.find((l) => l.month === '2030-01');
  r = await call('zuzhi', 'POST', `/api/v1/film-lists/${jan.id}/films`, { title: '坏链接', kind: 'red', url: 'javascript:alert(1)' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.url);
  assert.equal((await call('zuzhi', 'GET', '/api/v1/film-lists')).json.lists.find((l) => l.id === jan.id).films.length, jan.films.length);

  // a plan for a month that already has one; a month list twice
  r = await call('xijie', 'POST', '/api/v1/plans', { month: '2030-01', lesson: 'x', film: 'y', practice: 'z' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.month, /已经制定过/);
  r = await call('zuzhi', 'POST', '/api/v1/film-lists', { month: '2030-01' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.month);
  const rows = (await call('xijie', 'GET', '/api/v1/plans/compliance?from=2030-01&to=2030-01')).json.rows;
  assert.equal(rows[0].lesson.title, '点单微党课', 'the first plan stands');
});

test('topics are configurable by the committee; the catalogue filters by topic and lecturer', async () => {
  let r = await call('xijie', 'POST', '/api/v1/lesson-topics', { key: 'ecology', label: '生态文明' });
  assert.equal(r.status, 403);
  r = await call('zuzhi', 'POST', '/api/v1/lesson-topics', { key: 'ecology', label: '生态文明' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.topics.at(-1).label, '生态文明');
  r = await call('zuzhi', 'POST', '/api/v1/lesson-topics', { key: 'ecology', label: '生' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.key && r.json.error.fields.label);
  const l = await call('zuzhi', 'POST', '/api/v1/lessons', { title: '守护一河清水', topic: 'ecology', minutes: 15, lecturers: [m.lecturer] });
  assert.equal(l.status, 201, l.text);
  const byTopic = (await call('dangyuan', 'GET', '/api/v1/lessons?topic=ecology')).json.lessons;
  assert.deepEqual(byTopic.map((x) => x.title), ['守护一河清水']);
  const byLecturer = (await call('dangyuan', 'GET', `/api/v1/lessons?lecturer=${m.lecturer}`)).json.lessons;
  assert.ok(byLecturer.length >= 4 && byLecturer.every((x) => x.lecturers.includes('李志强')));
  const page = new Browser(srv.base);
  await page.login('dangyuan');
  const html = (await page.get(`/lessons?lecturer=${m.lecturer}&topic=integrity`)).text;
  assert.match(html, /小微权力清单/);
  assert.doesNotMatch(html, /守护一河清水/);
  assert.match(html, new RegExp(`<option value="${m.lecturer}" selected>李志强</option>`));
});

test('roles: a member cannot publish, order or plan; another branch sees nothing of an order', async () => {
  assert.equal((await call('dangyuan', 'POST', '/api/v1/film-lists', { month: '2030-05' })).status, 403);
  assert.equal((await call('dangyuan', 'POST', '/api/v1/lesson-orders', { lesson_id: ids.a, want_from: '2030-05-01' })).status, 403);
  assert.equal((await call('dangyuan', 'POST', '/api/v1/plans', { month: '2030-05', lesson: 'a', film: 'b', practice: 'c' })).status, 403);
  assert.equal((await call('xijie', 'POST', '/api/v1/film-lists', { month: '2030-05' })).status, 403);
  assert.equal((await call('chenji', 'GET', `/api/v1/lesson-orders/${ids.oa}`)).status, 404);
  assert.equal((await call('chenji', 'POST', `/api/v1/lesson-orders/${ids.oe}/actions/cancel`, {})).status, 404);
  // the lecturer sees the orders of its lessons in other villages
  assert.equal((await call('dangyuan', 'GET', `/api/v1/lesson-orders/${ids.oa}`)).status, 200);
  // the branch's shared reflections reach its other members (a 党小组's too), the unshared ones do not
  const seen = async (who) => (await call(who, 'GET', `/api/v1/reflections?film=${ids.f1}`)).json.reflections.filter((x) => x.body.startsWith('农为邦本'));
  assert.equal((await seen('wangge')).length, 1);
  assert.equal((await seen('xijie')).length, 0, 'another branch');
  const rid = (await seen('chenji'))[0].id;
  assert.equal((await call('chenji', 'POST', `/api/v1/reflections/${rid}/share`, { shared: false })).status, 200);
  assert.equal((await seen('wangge')).length, 0);
  assert.equal((await seen('dangyuan')).length, 1, 'its writer always');
  assert.equal((await call('chenji', 'POST', `/api/v1/reflections/${rid}/share`, { shared: true })).status, 200);
  const page = new Browser(srv.base);
  await page.login('wangge');
  assert.match((await page.get('/reflections')).text, /农为邦本/);
  const mine = (await call('dangyuan', 'GET', '/api/v1/lesson-orders?mine=1')).json.orders.map((o) => o.id);
  assert.ok(mine.includes(ids.oa) && mine.includes(ids.ob));
});

test('the console forms refuse bad input beside the field, and write nothing', async () => {
  await day('2030-04-02');
  const sec = new Browser(srv.base);
  await sec.login('xijie');
  const orders = async () => (await call('zuzhi', 'GET', '/api/v1/lesson-orders')).json.total;
  const o0 = await orders();
  // an order for a date in the past, from the lesson's page
  let r = await sec.postForm(`/lessons/${ids.a}`, `/lessons/${ids.a}`, { want_from: '2030-03-01', want_to: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /希望日期不能早于今天/);
  assert.equal(await orders(), o0);
  // a plan for a month that already has one
  r = await sec.postForm('/plans', '/plans', { month: '2030-01', lesson: 'a', film: 'b', practice: 'c' });
  assert.equal(r.status, 422);
  assert.match(r.text, /计划已经制定过了/);
  // a screening with more viewers than the branch has members
  r = await sec.postForm(`/films/${ids.f1}`, `/films/${ids.f1}/screenings`, { date: '2030-04-01', place: '村部', attendees: '9999' });
  assert.equal(r.status, 422);
  assert.match(r.text, /观看人数超过了本支部党员人数/);
  // a member: the catalogue and the films, not the plans
  const mem = new Browser(srv.base);
  await mem.login('dangyuan');
  assert.equal((await mem.get('/lessons')).status, 200);
  assert.equal((await mem.get('/films')).status, 200);
  assert.equal((await mem.get('/plans')).status, 403);
  // a lecturer's confirm of somebody else's order, through the form
  const o = (await call('chenji', 'GET', '/api/v1/lesson-orders?state=requested')).json.orders.find((x) => x.lesson_title === '网格里的治理');
  r = await mem.postForm(`/lesson-orders/${o.id}`, `/lesson-orders/${o.id}/confirm`, { date: '2030-04-10', place: '村部' });
  assert.equal(r.status, 403);
  assert.match(r.text, /不是您的微党课/);
});

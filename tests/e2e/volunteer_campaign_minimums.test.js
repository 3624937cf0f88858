// A campaign's volunteer minimum (issue 12, Deliver 7; seed 001: 每名党员参加
// 志愿服务活动不少于2次), on SQLite and PostgreSQL with the server's clock
// moved by a file: the committee sets N on the campaign (API and page), only
// the committee that manages it may; the minimums report with the campaign
// lists exactly the members below N per branch — counting the activities in
// the campaign's period, or only those linked to its tasks when it says so —
// in the API, the page and the .xlsx alike, for a branch and for the town;
// bad input names its field and writes nothing. The campaign is in May 2027,
// after the demo town's year, so the attendances counted are the script's.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, shell } = require('./lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-volcmin-'));
const clock = path.join(dir, 'now');
// 2027-04-25 08:00 in Beijing
const T0 = Date.UTC(2027, 3, 25, 0, 0) / 1000;
const setNow = (t) => fs.writeFileSync(clock, String(t));
const bj = (s) => Date.parse(s.replace(' ', 'T') + ':00+08:00') / 1000; // 'YYYY-MM-DD HH:MM' Beijing
setNow(T0);

let srv, chenji, xijie, zuzhi;
let cjc = [], xjc = []; // roster members of 陈集村 and 西街村 the minimum applies to
let C; // the campaign
const acts = {}; // activities by name

test.before(async () => {
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clock } });
  [chenji, xijie, zuzhi] = await Promise.all(['chenji', 'xijie', 'zuzhi'].map((u) => apiToken(srv.base, u)));
  const live = (m) => m.status !== 'stopped' && m.status !== 'transferred';
  cjc = (await api(srv.base, chenji, 'GET', '/api/v1/members?org=CJZ-CJC&limit=500')).json.members.filter(live);
  xjc = (await api(srv.base, xijie, 'GET', '/api/v1/members?org=CJZ-XJC&limit=500')).json.members.filter(live);
  assert.ok(cjc.length > 5 && xjc.length > 2);
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const login = async (u) => { const b = new Browser(srv.base); await b.login(u); return b; };
const below = (tok, q) => api(srv.base, tok, 'GET', `/api/v1/volunteer/minimums?${q}`);
const ids = (list) => list.map((m) => m.id ?? m.member_id).sort((a, b) => a - b);
// Activities are made at T0; then, in date order, the clock moves past each and
// its organiser checks members in and out by hand (a token of the day: moving the
// clock by days ends older sessions).
const make = async (tok, name, org, day) => {
  const r = await api(srv.base, tok, 'POST', '/api/v1/volunteer/activities',
    { title: name, kind: 'care', place: '村党群服务中心', capacity: 50, starts: `${day} 09:00`, ends: `${day} 11:00`, org });
  assert.equal(r.status, 201, r.text);
  acts[name] = { id: r.json.id, day };
};
const held = async (user, name, members) => {
  const { id, day } = acts[name];
  setNow(bj(`${day} 11:30`));
  const tok = await apiToken(srv.base, user);
  for (const m of members) {
    for (const [op, t] of [['checkin', '09:00'], ['checkout', '11:00']]) {
      const x = await api(srv.base, tok, 'POST', `/api/v1/volunteer/activities/${id}/actions/${op}`, { member_id: m.id, at: `${day} ${t}` });
      assert.equal(x.status, 200, x.text);
    }
  }
};

test('the committee sets a campaign\'s minimum; a branch may not; bad input names its field', async () => {
  const c = await api(srv.base, zuzhi, 'POST', '/api/v1/campaigns',
    { org: 'CJZ', title: '“五月志愿服务月”主题活动', starts: '2027-05-01', ends: '2027-05-31', plan: '每名党员参加志愿服务活动不少于2次' });
  assert.equal(c.status, 201, c.text);
  C = c.json.id;
  const none = await below(zuzhi, `campaign=${C}`);
  assert.equal(none.status, 422, 'no minimum set yet');
  assert.ok(none.json.error.fields.campaign);
  assert.equal((await api(srv.base, chenji, 'POST', `/api/v1/campaigns/${C}/volunteer-minimum`, { required: 2 })).status, 403, 'the committee sets it');
  const bad = await api(srv.base, zuzhi, 'POST', `/api/v1/campaigns/${C}/volunteer-minimum`, { required: 101 });
  assert.equal(bad.status, 422);
  assert.ok(bad.json.error.fields.required);
  assert.equal((await api(srv.base, zuzhi, 'POST', `/api/v1/campaigns/${C}/volunteer-minimum`, { required: 'two' })).status, 422);
  assert.equal((await api(srv.base, zuzhi, 'POST', '/api/v1/campaigns/999999/volunteer-minimum', { required: 2 })).status, 404);
  assert.equal((await below(zuzhi, `campaign=${C}`)).status, 422, 'nothing was written');
  const ok = await api(srv.base, zuzhi, 'POST', `/api/v1/campaigns/${C}/volunteer-minimum`, { required: 2 });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { campaign_id: C, required: 2, linked_only: false });
  assert.equal((await below(zuzhi, 'campaign=abc')).status, 422);
  assert.equal((await below(zuzhi, 'campaign=999999')).status, 404);
});

test('the report lists exactly the members below N in the campaign\'s period, per branch, in the API, the page and the .xlsx', async () => {
  await make(chenji, '四月敬老院探望', 'CJZ-CJC', '2027-04-28'); // before the period: does not count
  await make(chenji, '五月敬老院探望', 'CJZ-CJC', '2027-05-06');
  await make(xijie, '西街村义诊', 'CJZ-XJC', '2027-05-08');
  await make(chenji, '五月环境整治', 'CJZ-CJC', '2027-05-13');
  await make(xijie, '西街村文明劝导', 'CJZ-XJC', '2027-05-15');
  await make(xijie, '西街村六月宣讲', 'CJZ-XJC', '2027-06-02'); // after the period: does not count
  await held('chenji', '四月敬老院探望', [cjc[0], cjc[1], cjc[2]]);
  await held('chenji', '五月敬老院探望', [cjc[0], cjc[1], cjc[2]]);
  await held('xijie', '西街村义诊', [xjc[0], xjc[1]]);
  await held('chenji', '五月环境整治', [cjc[0], cjc[3]]);
  await held('xijie', '西街村文明劝导', [xjc[0]]);
  await held('xijie', '西街村六月宣讲', [xjc[1]]);
  setNow(bj('2027-06-03 08:00'));
  [chenji, xijie, zuzhi] = await Promise.all(['chenji', 'xijie', 'zuzhi'].map((u) => apiToken(srv.base, u)));

  const met = new Set([cjc[0].id, xjc[0].id]); // 2 each within May
  const times = new Map([[cjc[1].id, 1], [cjc[2].id, 1], [cjc[3].id, 1], [xjc[1].id, 1]]);
  const want = { 'CJZ-CJC': cjc, 'CJZ-XJC': xjc };
  for (const [org, tok] of [['CJZ-CJC', chenji], ['CJZ-XJC', xijie]]) {
    const r = await below(tok, `campaign=${C}&org=${org}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.required, 2);
    assert.equal(r.json.campaign_id, C);
    assert.equal(r.json.from, '2027-05-01');
    assert.equal(r.json.to, '2027-05-31');
    assert.deepEqual(ids(r.json.below), ids(want[org].filter((m) => !met.has(m.id))), `${org}: exactly the members below 2`);
    for (const b of r.json.below) assert.equal(b.times, times.get(b.member_id) || 0, `${b.name}'s activities in May`);
  }
  // the town: both branches, each member under its own branch
  const town = (await below(zuzhi, `campaign=${C}&org=CJZ`)).json;
  for (const [org, members] of Object.entries(want)) {
    const of = new Set(members.map((m) => m.id));
    const rows = town.below.filter((b) => of.has(b.member_id));
    assert.deepEqual(ids(rows), ids(members.filter((m) => !met.has(m.id))), `the town's report, ${org}`);
    assert.equal(new Set(rows.map((b) => b.branch)).size, 1, `${org}'s members listed under their branch (支部, not 党小组)`);
  }
  const branches = [...new Set(town.below.map((b) => b.branch))];
  assert.deepEqual(town.below.map((b) => b.branch), branches.flatMap((n) => town.below.filter((b) => b.branch === n).map(() => n)), 'grouped by branch');
  const townPage = (await (await login('zuzhi')).get(`/volunteer/minimums?campaign=${C}&org=CJZ`)).text;
  for (const n of branches) {
    const count = town.below.filter((b) => b.branch === n).length;
    assert.ok(townPage.includes(`<li>${n} <strong>${count}</strong> 名</li>`), `the page counts ${n}: ${count}`);
  }
  assert.ok(!town.below.some((b) => met.has(b.member_id)));
  // a branch secretary reads its own branch by default, and not another's
  const mine = (await below(chenji, `campaign=${C}`)).json;
  assert.deepEqual(ids(mine.below), ids(cjc.filter((m) => !met.has(m.id))));
  assert.equal((await below(xijie, `campaign=${C}&org=CJZ-CJC`)).status, 404);

  // the page and the .xlsx list the same members
  const b = await login('chenji');
  const page = await b.get(`/volunteer/minimums?campaign=${C}&org=CJZ-CJC`);
  assert.equal(page.status, 200);
  assert.match(page.text, /“五月志愿服务月”主题活动/);
  assert.match(page.text, new RegExp(`<strong id="vol-below-n">${mine.below.length}</strong>`));
  const pageIds = [...page.text.matchAll(/<td data-label="党员"><a href="\/volunteer\/members\/(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(pageIds, mine.below.map((x) => x.member_id));
  assert.match(page.text, new RegExp(`<option value="${C}" selected>`), 'the campaign is the report\'s choice');
  const x = await fetch(`${srv.base}/volunteer/minimums.xlsx?org=CJZ-CJC&campaign=${C}`, { headers: { cookie: b.cookieHeader() } });
  assert.equal(x.status, 200);
  const file = path.join(dir, 'cmin.xlsx');
  fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
  const rows = JSON.parse(shell('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([list(r) for r in ws.iter_rows(min_row=2, values_only=True)]))`, file], { encoding: 'utf8' }));
  const data = rows.filter((r) => r[1]);
  assert.deepEqual(data.map((r) => [r[0], r[1], r[2]]), mine.below.map((m) => [m.branch, m.name, m.times]));
  assert.ok(rows.some((r) => typeof r[0] === 'string' && r[0].includes(`未达到 ${mine.below.length} 人`)));
});

test('only the activities linked to the campaign count when it says so; set from the campaign\'s page', async () => {
  const a = await api(srv.base, zuzhi, 'POST', `/api/v1/campaigns/${C}/activities`, { title: '志愿服务进村', org: 'CJZ-CJC' });
  assert.equal(a.status, 201, a.text);
  const t = await api(srv.base, zuzhi, 'POST', `/api/v1/campaign-activities/${a.json.id}/tasks`, { title: '开展关爱帮扶', owner: '张建国', deadline: '2027-05-31' });
  assert.equal(t.status, 201, t.text);
  assert.equal((await api(srv.base, zuzhi, 'POST', `/api/v1/campaign-tasks/${t.json.id}/links`, { kind: 'volunteer', id: acts['五月环境整治'].id })).status, 201);
  // the committee's form on the campaign's page: 1 activity, linked ones only
  const z = await login('zuzhi');
  const cp = await z.get(`/campaigns/${C}`);
  assert.match(cp.text, /志愿服务最低次数/);
  assert.match(cp.text, /<strong id="vol-campaign-required">2<\/strong>/);
  const set = await z.postForm(`/campaigns/${C}`, '/volunteer/minimums', { campaign: String(C), required: '1', linked_only: '1' });
  assert.equal(set.status, 303, set.text);
  assert.match(set.headers.get('location'), new RegExp(`/campaigns/${C}`));
  const after = await z.get(`/campaigns/${C}`);
  assert.match(after.text, /<strong id="vol-campaign-required">1<\/strong>/);
  assert.match(after.text, /本主题活动关联的志愿服务活动/);
  const badForm = await z.postForm(`/campaigns/${C}`, '/volunteer/minimums', { campaign: String(C), required: 'x' });
  assert.equal(badForm.status, 422);
  // a branch secretary sees the card but not the form
  const cs = await (await login('chenji')).get(`/campaigns/${C}`);
  assert.match(cs.text, /vol-campaign-required/);
  assert.doesNotMatch(cs.text, /name="linked_only"/);

  const r = (await below(chenji, `campaign=${C}&org=CJZ-CJC`)).json;
  assert.equal(r.required, 1);
  assert.equal(r.linked_only, true);
  const linked = new Set([cjc[0].id, cjc[3].id]); // who attended 五月环境整治
  assert.deepEqual(ids(r.below), ids(cjc.filter((m) => !linked.has(m.id))));
  assert.ok(r.below.every((b) => b.times === 0));
  // 西街村 attended nothing linked: everyone is below
  const xr = (await below(xijie, `campaign=${C}`)).json;
  assert.deepEqual(ids(xr.below), ids(xjc));
  // 0 removes the minimum
  assert.equal((await api(srv.base, zuzhi, 'POST', `/api/v1/campaigns/${C}/volunteer-minimum`, { required: 0 })).status, 200);
  assert.equal((await below(chenji, `campaign=${C}`)).status, 422);
});

test('the demo campaign carries 每名党员参加志愿服务活动不少于2次', async () => {
  const list = (await api(srv.base, zuzhi, 'GET', '/api/v1/campaigns')).json.campaigns;
  const demo = list.find((c) => c.title === '“红色陈集·实干为民”主题活动');
  assert.ok(demo, 'the demo campaign');
  const r = await below(zuzhi, `campaign=${demo.id}&org=CJZ`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.required, 2);
  assert.equal(r.json.linked_only, false);
  assert.ok(r.json.below.length > 0 && r.json.below.every((b) => b.times < 2));
});

// Issue 13, the leftovers (on SQLite and PostgreSQL):
// 1. meeting types are a table the committee keeps: the seven seeded, a new
//    one added (who is invited, whether it counts toward 三会一课 and needs
//    minutes), renamed, retired (hidden from new meetings, kept in lists and
//    reports), never deleted once used; permissions and bad input;
// 2. a decision reaches the village's public page only through its own
//    publication by the secretary (决议公开, then 实施结果公开), each dated
//    and audited, showing only what was published; the 四议两公开 steps
//    决议公开/实施结果公开 of a matter may be that publication.
// The clock is the server's DANGJIAN_NOW_FILE, moved by the test.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, dbSql } = require('./lib');

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-clock-'));
const clockFile = path.join(clockDir, 'now');
const tokens = {};
const bj = (s) => Math.floor(Date.parse(s.replace(' ', 'T') + ':00+08:00') / 1000);
function setClock(s) { fs.writeFileSync(clockFile, String(bj(s))); for (const u of Object.keys(tokens)) delete tokens[u]; }
// a month well after the demo town's year
const M = new Date(Date.now() + 200 * 86400e3).toISOString().slice(0, 7);
let srv;
async function tok(u) { return tokens[u] || (tokens[u] = await apiToken(srv.base, u)); }
async function call(u, method, p, body) { return api(srv.base, await tok(u), method, p, body); }
function sql(q) {
  return dbSql(srv, q);
}
const plan = (extra = {}) => ({ org: 'CJZ-CJC', type: 'red730', theme: '人居环境整治', date: `${M}-03`, start: '19:30', end: '21:00', place: '村党群服务中心', content: '学习、议事、办事', ...extra });

test.before(async () => {
  setClock(`${M}-01 09:00`);
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clockFile } });
});
test.after(async () => { await srv.stop(); fs.rmSync(clockDir, { recursive: true, force: true }); });

test('the seven seeded types, in order, with who they invite and whether they count toward 三会一课', async () => {
  const t = (await call('chenji', 'GET', '/api/v1/meeting-types')).json.meeting_types;
  assert.deepEqual(t.map((x) => [x.key, x.label, x.invite, x.sanhui, x.active]), [
    ['assembly', '支部党员大会', 'branch', true, true], ['committee', '支委会', 'committee', true, true], ['group', '党小组会', 'group', true, true],
    ['lesson', '党课', 'branch', true, true], ['theme_day', '主题党日', 'branch', false, true], ['red730', '红色七点半', 'branch', false, true],
    ['other', '其他会议', 'branch', false, true]]);
  const tables = (await api(srv.base, '', 'GET', '/api/v1/meetings/tables')).json;
  assert.deepEqual(tables.meeting_types.map((x) => x.key), t.map((x) => x.key), 'the tables serve the same list');
});

test('meeting types: bad input names the field and writes nothing; only the committee and the admin may change them', async () => {
  const count = () => Number(sql('SELECT COUNT(*) FROM meeting_types'));
  const audits = () => Number(sql("SELECT COUNT(*) FROM audit WHERE action LIKE 'meeting.type%'"));
  const n0 = count(), a0 = audits();
  const bad = [
    [{ label: '' }, 'label', /请填写会议类型名称/],
    [{ label: '  ' }, 'label', /请填写会议类型名称/],
    [{ label: '支委会' }, 'label', /已有名为“支委会”的会议类型/],
    [{ label: '会' }, 'label', /2到20个字/],
    [{ label: '乡村振兴议事会', invite: 'everyone' }, 'invite', /参会人员/],
    [{ label: '乡村振兴议事会', sanhui: 'yes' }, 'sanhui', /./],
  ];
  for (const [body, field, re] of bad) {
    const r = await call('zuzhi', 'POST', '/api/v1/meeting-types', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.match(r.json.error.fields[field] || '', re, r.text);
  }
  for (const u of ['chenji', 'dangyuan', 'wangge']) assert.equal((await call(u, 'POST', '/api/v1/meeting-types', { label: '乡村振兴议事会' })).status, 403, u);
  assert.equal((await call('chenji', 'POST', '/api/v1/meeting-types/red730', { label: '夜校' })).status, 403);
  assert.equal((await call('chenji', 'DELETE', '/api/v1/meeting-types/other')).status, 403);
  assert.equal((await call('zuzhi', 'POST', '/api/v1/meeting-types/nope', { label: '夜校' })).status, 404);
  let r = await call('zuzhi', 'POST', '/api/v1/meeting-types/red730', { label: '党课' });
  assert.match(r.json.error.fields.label, /已有名为“党课”/);
  r = await call('zuzhi', 'POST', '/api/v1/meeting-types/committee', { invite: 'branch' });
  assert.ok(r.json.error.fields.invite, 'the seeded types keep who they invite');
  assert.equal(count(), n0, 'nothing written');
  assert.equal(audits(), a0, 'nothing audited');
  assert.equal((await call('zuzhi', 'GET', '/api/v1/meeting-types')).json.meeting_types.find((x) => x.key === 'red730').label, '红色七点半');
  // the page: the committee only, the field named on a duplicate
  const c = new Browser(srv.base);
  await c.login('chenji');
  assert.equal((await c.get('/meetings/types')).status, 403);
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const page = await z.postForm('/meetings/types', '/meetings/types', { label: '党小组会', invite: 'branch', sanhui: '0', minutes: '1' });
  assert.equal(page.status, 422);
  assert.match(page.text, /已有名为“党小组会”的会议类型/);
  assert.equal(count(), n0);
});

test('a new type: planned and held (no minutes needed), filtered, counted in the report; renamed; retired; deleted only when never used', async () => {
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  let r = await z.postForm('/meetings/types', '/meetings/types', { label: '乡村振兴议事会', invite: 'branch', sanhui: '0', minutes: '0' });
  assert.equal(r.status, 303, r.text);
  const t = (await call('zuzhi', 'GET', '/api/v1/meeting-types')).json.meeting_types.find((x) => x.label === '乡村振兴议事会');
  assert.deepEqual([t.invite, t.sanhui, t.minutes, t.active, t.in_use], ['branch', false, false, true, 0]);
  assert.match(sql(`SELECT summary FROM audit WHERE action = 'meeting.type_add' ORDER BY id DESC LIMIT 1`), /新增会议类型“乡村振兴议事会”/);
  // it is not one of 三会一课: no required frequency
  r = await call('admin', 'POST', '/api/v1/meetings/requirements', { type: t.key, months: 1 });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.type, /不计入三会一课/);

  // the planning form offers it; a secretary plans one, holds it without minutes
  const c = new Browser(srv.base);
  await c.login('chenji');
  assert.match((await c.get('/meetings/new')).text, new RegExp(`<option value="${t.key}"[^>]*>乡村振兴议事会<`));
  r = await call('chenji', 'POST', '/api/v1/meetings', plan({ type: t.key, theme: '产业发展议事' }));
  assert.equal(r.status, 201, r.text);
  const id = r.json.meeting.id;
  assert.equal(r.json.meeting.type_label, '乡村振兴议事会');
  assert.ok(r.json.attendance.length >= 5, 'the branch is invited');
  setClock(`${M}-03 21:10`);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/hold`, {});
  assert.equal(r.status, 200, r.text);
  const list = (await call('chenji', 'GET', `/api/v1/meetings?month=${M}&type=${t.key}`)).json.meetings;
  assert.deepEqual(list.map((m) => m.id), [id]);
  const rep = (await call('zuzhi', 'GET', `/api/v1/meetings/report?org=CJZ-CJC&from=${M}-01&to=${M}-28`)).json.total;
  assert.equal(rep.held[t.key], 1);
  assert.equal(rep.held_total, 1);
  // (the clock moved two days: the sessions log in again)
  await z.login('zuzhi');
  await c.login('chenji');
  assert.match((await z.get(`/meetings/report?org=CJZ-CJC&from=${M}-01&to=${M}-28`)).text, /<th>乡村振兴议事会<\/th>/);

  // renamed: the meeting carries the new name
  r = await call('zuzhi', 'POST', `/api/v1/meeting-types/${t.key}`, { label: '乡村振兴议事会议' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await call('chenji', 'GET', `/api/v1/meetings/${id}`)).json.meeting.type_label, '乡村振兴议事会议');

  // retired: no new meetings of it, the old one stays in the lists, the filter and the report
  r = await call('zuzhi', 'POST', `/api/v1/meeting-types/${t.key}`, { active: false });
  assert.equal(r.json.active, false);
  assert.match(sql(`SELECT summary FROM audit WHERE action = 'meeting.type_set' ORDER BY id DESC LIMIT 1`), /停用/);
  r = await call('chenji', 'POST', '/api/v1/meetings', plan({ type: t.key, date: `${M}-10` }));
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.type, /已停用/);
  assert.doesNotMatch((await c.get('/meetings/new')).text, /乡村振兴议事会议/);
  assert.match((await c.get('/meetings')).text, new RegExp(`<option value="${t.key}">乡村振兴议事会议（已停用）<`));
  assert.equal((await call('chenji', 'GET', `/api/v1/meetings?month=${M}&type=${t.key}`)).json.meetings.length, 1);
  assert.equal((await call('zuzhi', 'GET', `/api/v1/meetings/report?org=CJZ-CJC&from=${M}-01&to=${M}-28`)).json.total.held[t.key], 1);
  r = await call('zuzhi', 'POST', '/api/v1/meeting-plans', { month: M, type: t.key, theme: '议事', content: '议事' });
  assert.ok(r.json.error.fields.type, 'no monthly plan of a retired type');

  // deleting: refused for a type in use and for the seeded ones; an unused one of the committee's goes
  r = await call('zuzhi', 'DELETE', `/api/v1/meeting-types/${t.key}`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /不能删除/);
  assert.equal((await call('zuzhi', 'DELETE', '/api/v1/meeting-types/other')).status, 409);
  r = await call('zuzhi', 'POST', '/api/v1/meeting-types', { label: '临时会', invite: 'group', sanhui: true, minutes: true });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.invite, r.json.sanhui], ['group', true]);
  r = await call('zuzhi', 'DELETE', `/api/v1/meeting-types/${r.json.key}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(sql("SELECT COUNT(*) FROM meeting_types WHERE label = '临时会'"), '0');
  assert.equal(sql("SELECT COUNT(*) FROM audit WHERE action = 'meeting.type_delete'"), '1');
  // and back into use
  assert.equal((await call('zuzhi', 'POST', `/api/v1/meeting-types/${t.key}`, { active: true })).json.active, true);
});

test('决议公开 and 实施结果公开: the public page shows a decision only once published, and only what was published', async () => {
  setClock(`${M}-05 09:00`);
  let r = await call('chenji', 'POST', '/api/v1/meetings', plan({ date: `${M}-05`, start: '19:30', theme: '排水议事' }));
  const id = r.json.meeting.id;
  const owner = r.json.attendance.find((a) => a.name === '李志强');
  setClock(`${M}-05 20:00`);
  r = await call('chenji', 'POST', `/api/v1/meetings/${id}/decisions`, { matter: '李志强负责疏通村东排涝沟', owner_member_id: owner.member_id, deadline: `${M}-20`, supervisors: [{ kind: 'rep', name: '赵师傅' }] });
  assert.equal(r.status, 201, r.text);
  const dec = r.json;
  assert.equal(dec.published, false);
  const pubPage = async () => (await new Browser(srv.base).get('/p/decisions/CJZ-CJC')).text;
  assert.doesNotMatch(await pubPage(), /排涝沟/, 'not published: not on the public page');

  setClock(`${M}-06 10:00`);
  // who may publish: the secretary (and the committee above), not the owner, not another branch
  assert.equal((await call('dangyuan', 'POST', `/api/v1/decisions/${dec.id}/publish`, {})).status, 403);
  assert.equal((await call('xijie', 'POST', `/api/v1/decisions/${dec.id}/publish`, {})).status, 404);
  // bad input names the field, writes nothing
  for (const [body, field] of [[{ date: `${M}-04` }, 'date'], [{ date: `${M}-07` }, 'date'], [{ date: 'tomorrow' }, 'date'], [{ text: '长'.repeat(1001) }, 'text'], [{ text: 5 }, 'text']]) {
    r = await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish`, body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 40)}: ${r.text}`);
    assert.ok(r.json.error.fields[field], r.text);
  }
  assert.equal((await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish-result`, {})).status, 409, 'the result waits for the decision');
  assert.equal(sql(`SELECT COUNT(*) FROM decisions WHERE id = ${dec.id} AND pub_at IS NULL AND result_pub_at IS NULL`), '1');
  // published in words without the names
  r = await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish`, { text: '疏通村东排涝沟，汛前完成', date: `${M}-06` });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.published, r.json.pub_date, r.json.pub_text], [true, `${M}-06`, '疏通村东排涝沟，汛前完成']);
  assert.equal((await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish`, {})).status, 409, 'once');
  let page = await pubPage();
  assert.match(page, new RegExp(`<h3>疏通村东排涝沟，汛前完成</h3><p><span class="badge ">实施中</span> 决议公开于 ${M}-06 · 完成时限 ${M}-20</p>`));
  assert.doesNotMatch(page, /李志强|赵师傅|已清淤/);

  // progress and done: still not on the public page until the result is published
  setClock(`${M}-12 10:00`);
  assert.equal((await call('dangyuan', 'POST', `/api/v1/decisions/${dec.id}/progress`, { note: '已清淤300米' })).status, 200);
  assert.equal((await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish-result`, {})).status, 409, 'not done yet');
  assert.equal((await call('dangyuan', 'POST', `/api/v1/decisions/${dec.id}/done`, { result: '李志强带队，排涝沟全线贯通' })).status, 200);
  assert.doesNotMatch(await pubPage(), /全线贯通/);
  assert.equal((await call('dangyuan', 'POST', `/api/v1/decisions/${dec.id}/publish-result`, {})).status, 403);
  r = await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish-result`, { date: `${M}-11` });
  assert.match(r.json.error.fields.date, /不能早于/);
  r = await call('chenji', 'POST', `/api/v1/decisions/${dec.id}/publish-result`, { text: '排涝沟全线贯通，经督导小组验收' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.result_published, r.json.result_pub_date], [true, `${M}-12`]);
  page = await pubPage();
  assert.match(page, new RegExp(`疏通村东排涝沟，汛前完成[\\s\\S]*已实施[\\s\\S]*实施结果（${M}-12 公开）：排涝沟全线贯通，经督导小组验收`));
  assert.doesNotMatch(page, /李志强|赵师傅|已清淤/);
  assert.deepEqual(sql(`SELECT action FROM audit WHERE entity = 'decision' AND entity_id = ${dec.id} AND action LIKE 'decision.publish%' ORDER BY id`).split('\n'),
    ['decision.publish', 'decision.publish_result']);

  // the secretary's page shows the publication
  const c = new Browser(srv.base);
  await c.login('chenji');
  assert.match((await c.get(`/decisions/${dec.id}`)).text, new RegExp(`<dt>决议公开</dt><dd>${M}-06：疏通村东排涝沟`));

  // 四议两公开: the matter's 决议公开 / 实施结果公开 may be that publication
  r = await call('chenji', 'POST', '/api/v1/matters', { org: 'CJZ-CJC', title: '村东排涝沟改造', description: '汛前改造' });
  const m = r.json;
  const steps = (await api(srv.base, '', 'GET', '/api/v1/meetings/tables')).json.matter_steps;
  const body = (s, date) => Object.assign({ step: s.key, date, record: `${s.label}：记录` },
    s.quorum === 'members' ? { present: m.members, favour: m.members } : s.quorum === 'representatives' ? { total: 30, present: 30, favour: 30 } : {});
  r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, { ...body(steps[0], `${M}-01`), decision_id: dec.id });
  assert.match(r.json.error.fields.decision_id, /只有/, 'only the two 公开 steps');
  for (const s of steps.slice(0, 4)) assert.equal((await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, body(s, `${M}-02`))).status, 201);
  // another decision, not published: refused
  const other = (await call('chenji', 'POST', `/api/v1/meetings/${id}/decisions`, { matter: '修缮村东小桥', owner_member_id: owner.member_id, deadline: `${M}-25` })).json;
  r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, { step: 'publish_resolution', decision_id: other.id });
  assert.match(r.json.error.fields.decision_id, /尚未决议公开/);
  r = await call('xijie', 'POST', `/api/v1/matters/${m.id}/steps`, { step: 'publish_resolution', decision_id: dec.id });
  assert.equal(r.status, 404);
  r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, { step: 'publish_resolution', decision_id: dec.id });
  assert.equal(r.status, 201, r.text);
  let st = r.json.matter.steps.at(-1);
  assert.deepEqual([st.date, st.record, st.decision_id], [`${M}-06`, '疏通村东排涝沟，汛前完成', dec.id]);
  r = await call('chenji', 'POST', `/api/v1/matters/${m.id}/steps`, { step: 'publish_result', decision_id: dec.id });
  assert.equal(r.status, 201, r.text);
  st = r.json.matter.steps.at(-1);
  assert.deepEqual([st.date, st.record, st.decision_id], [`${M}-12`, '排涝沟全线贯通，经督导小组验收', dec.id]);
  assert.equal(r.json.matter.state, 'done');
  assert.match(await pubPage(), /村东排涝沟改造[\s\S]*决议公开（[^）]+）：疏通村东排涝沟，汛前完成/);
});

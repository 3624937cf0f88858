// The theme day linked to meetings (issue 13) and volunteer service (issue
// 12): a plan's part refers to a real meeting or activity of the branch and
// the month, carried out — or is refused naming ref_id, nothing written; a
// held 党课/主题党日 fills 一课 and a finished activity fills 一实践 without
// anyone typing a reference, shown (linked, 自动计入) on the plan, in the API
// and counted by the report. An injected clock in May 2030, after the demo.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api } = require('./lib');

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-clock-'));
const CLOCK = path.join(clockDir, 'now');
const setAt = (d, hm = '10:00') => fs.writeFileSync(CLOCK, String(Date.parse(`${d}T${hm}:00+08:00`) / 1000));

let srv;
const tok = {};
async function at(d, hm) {
  setAt(d, hm);
  for (const u of ['zuzhi', 'chenji', 'xijie', 'dangyuan']) tok[u] = await apiToken(srv.base, u);
}
const call = (who, method, p, body) => api(srv.base, tok[who], method, p, body);
const ids = {};

test.before(async () => {
  setAt('2030-05-02');
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: CLOCK } });
  await at('2030-05-02');
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(clockDir, { recursive: true, force: true });
});

const meeting = async (who, org, type, date) => {
  const r = await call(who, 'POST', '/api/v1/meetings', { org, type, theme: '学习贯彻党的二十届三中全会精神', date, start: '19:30', end: '21:00', place: '村党群服务中心', content: '学习、议事' });
  assert.equal(r.status, 201, r.text);
  return r.json.meeting.id;
};
const hold = async (who, id) => {
  const r = await call(who, 'POST', `/api/v1/meetings/${id}/hold`, { minutes: '会议记录：集中学习，交流发言' });
  assert.equal(r.status, 200, r.text);
};
const activity = async (who, org, date) => {
  const r = await call(who, 'POST', '/api/v1/volunteer/activities', {
    title: '西街河道清理', kind: 'cleanup', place: '西街河', starts: `${date} 09:00`, ends: `${date} 11:00`, capacity: 20, org, publish: true,
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
};
const finish = async (who, id) => {
  for (const a of ['start', 'finish']) {
    const r = await call(who, 'POST', `/api/v1/volunteer/activities/${id}/actions/${a}`, {});
    assert.equal(r.status, 200, `${a}: ${r.text}`);
  }
};
const part = (who, p, name, body) => call(who, 'POST', `/api/v1/plans/${p}/parts/${name}`, body);
const may = async (who = 'xijie') => {
  const r = await call(who, 'GET', '/api/v1/plans/compliance?from=2030-05&to=2030-05');
  assert.equal(r.status, 200, r.text);
  return r.json.rows.find((x) => x.org_code === 'CJZ-XJC');
};
const stats = async () => (await call('zuzhi', 'GET', '/api/v1/stats/themeday?org=CJZ-XJC&from=2030-05-01&to=2030-05-31')).json;

test('a plan part refers only to a real meeting or activity of its branch and month, carried out', async () => {
  let r = await call('xijie', 'POST', '/api/v1/plans', { month: '2030-05', lesson: '主题党日微党课', film: '观看本月教育片', practice: '河道清理志愿服务' });
  assert.equal(r.status, 201, r.text);
  ids.plan = r.json.id;
  ids.red = await meeting('xijie', 'CJZ-XJC', 'red730', '2030-05-08');
  ids.theme = await meeting('xijie', 'CJZ-XJC', 'theme_day', '2030-05-12');
  ids.other = await meeting('chenji', 'CJZ-CJC', 'lesson', '2030-05-10');
  ids.june = await meeting('xijie', 'CJZ-XJC', 'lesson', '2030-06-03');
  ids.act = await activity('xijie', 'CJZ-XJC', '2030-05-15');
  const audited = async () => {
    const zuzhi = new Browser(srv.base); // a session of the clock's day
    await zuzhi.login('zuzhi');
    const page = await zuzhi.get('/audit?action=plan.complete');
    assert.equal(page.status, 200);
    return (page.text.match(/plan\.complete/g) || []).length;
  };
  const before = await audited();

  // nothing is taken on trust any more: no such record, not held, not finished
  for (const [name, kind, id, why] of [
    ['lesson', 'meeting', 999999, 'no such meeting'],
    ['practice', 'volunteer', 999999, 'no such activity'],
    ['lesson', 'meeting', ids.theme, 'not held yet'],
    ['practice', 'volunteer', ids.act, 'not finished yet'],
  ]) {
    r = await part('xijie', ids.plan, name, { kind, id, title: '随便写的名称' });
    assert.equal(r.status, 422, `${why}: ${r.text}`);
    assert.ok(r.json.error.fields.ref_id, `${why}: ${r.text}`);
  }
  let row = await may();
  assert.equal(row.lesson.done, false);
  assert.equal(row.practice.done, false);

  await at('2030-05-12', '21:30');
  await hold('xijie', ids.red);
  await hold('chenji', ids.other);
  // a held 红色七点半 is no lesson; another branch's 党课 is not this plan's
  r = await part('xijie', ids.plan, 'lesson', { kind: 'meeting', id: ids.red });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.ref_id, /只有党课、主题党日/);
  r = await part('xijie', ids.plan, 'lesson', { kind: 'meeting', id: ids.other });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.ref_id, /不属于本支部/);
  // a member may not complete a plan
  assert.ok([403, 404].includes((await part('dangyuan', ids.plan, 'lesson', { kind: 'meeting', id: ids.theme })).status));
  assert.equal(await audited(), before, 'nothing written');
  row = await may();
  assert.equal(row.lesson.done, false, 'none of them fills the plan by itself either');
});

test('a held 主题党日 fills 一课 and a finished activity 一实践 by themselves, linked on the plan and counted', async () => {
  await hold('xijie', ids.theme);
  let row = await may();
  assert.deepEqual([row.lesson.done, row.lesson.auto, row.lesson.kind, row.lesson.id], [true, true, 'meeting', ids.theme]);
  assert.match(row.lesson.record, /主题党日「学习贯彻党的二十届三中全会精神」/);
  assert.equal(row.practice.done, false);

  await at('2030-05-15', '11:10');
  await finish('xijie', ids.act);
  row = await may();
  assert.deepEqual([row.practice.done, row.practice.auto, row.practice.kind, row.practice.id, row.practice.record], [true, true, 'volunteer', ids.act, '西街河道清理']);
  assert.equal(row.gap, true, 'the film is still missing');
  // the committee sees the same, 陈集村 has no plan: its held 党课 fills nothing
  const town = await may('zuzhi');
  assert.equal(town.lesson.id, ids.theme);
  let s = await stats();
  assert.deepEqual([s.plans, s.plans_complete], [1, 0]);

  // the page links each record and says it was counted by itself
  const xijie = new Browser(srv.base);
  await xijie.login('xijie');
  const page = await xijie.get('/plans?from=2030-05&to=2030-05');
  assert.equal(page.status, 200);
  const tr = page.text.match(/<tr class="gap" data-org="CJZ-XJC" data-month="2030-05">[\s\S]*?<\/tr>/)[0];
  assert.match(tr, new RegExp(`<a href="/meetings/${ids.theme}">主题党日「学习贯彻党的二十届三中全会精神」</a> <span class="badge auto"`));
  assert.match(tr, new RegExp(`<a href="/volunteer/${ids.act}">西街河道清理</a> <span class="badge auto"`));
  assert.equal((tr.match(/class="badge auto"/g) || []).length, 2);

  // the film by hand: the plan is complete, in the API, the table and the report
  const list = await call('zuzhi', 'POST', '/api/v1/film-lists', { month: '2030-05', notice: '五月教育片' });
  assert.equal(list.status, 201, list.text);
  const film = await call('zuzhi', 'POST', `/api/v1/film-lists/${list.json.id}/films`, { title: '星火燎原', kind: 'red', url: 'https://www.12371.cn/film' });
  assert.equal(film.status, 201, film.text);
  const sc = await call('xijie', 'POST', `/api/v1/films/${film.json.id}/screenings`, { date: '2030-05-15', place: '屋场微阵地', attendees: 5 });
  assert.equal(sc.status, 201, sc.text);
  const r = await part('xijie', ids.plan, 'film', { kind: 'screening', id: sc.json.id });
  assert.equal(r.status, 200, r.text);
  row = await may();
  assert.equal(row.gap, false);
  assert.equal(row.film.auto, false);
  s = await stats();
  assert.deepEqual([s.plans, s.plans_complete], [1, 1]);

  // a 党课 by hand is taken and is no longer automatic
  await at('2030-06-03', '21:30');
  await hold('xijie', ids.june);
  const june = await call('xijie', 'POST', '/api/v1/plans', { month: '2030-06', lesson: '党课', film: '教育片', practice: '实践' });
  assert.equal(june.status, 201, june.text);
  assert.equal((await part('xijie', ids.plan, 'lesson', { kind: 'meeting', id: ids.june })).status, 422, 'a June lesson is not May\'s');
  const jr = (await call('xijie', 'GET', '/api/v1/plans/compliance?from=2030-06&to=2030-06')).json.rows[0];
  assert.deepEqual([jr.lesson.done, jr.lesson.auto, jr.lesson.id], [true, true, ids.june], 'a 党课 fills June by itself');
  assert.equal((await part('xijie', june.json.id, 'lesson', { kind: 'meeting', id: ids.june })).status, 200);
  const jr2 = (await call('xijie', 'GET', '/api/v1/plans/compliance?from=2030-06&to=2030-06')).json.rows[0];
  assert.deepEqual([jr2.lesson.done, jr2.lesson.auto, jr2.lesson.id], [true, false, ids.june]);
});

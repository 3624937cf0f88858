// The lesson topics and the film kinds are kept by the committee (issue 14:
// "topics (乡村振兴, 文旅融合, 红色教育, 基层治理, … configurable)"): a page and
// an API to add, rename and retire them — a retired one stays on the lessons
// and films that carry it and is not offered for new ones; nothing is ever
// deleted; every change is audited; bad input is refused naming the field and
// writes nothing. And the coverage page (巡讲进支部全覆盖) has the same org
// and period picker as the report, through orgs_from_request.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv, zuzhi;
const tok = {};
const call = (who, method, p, body) => api(srv.base, tok[who], method, p, body);
let lecturer;

test.before(async () => {
  srv = await startServer();
  for (const u of ['admin', 'zuzhi', 'chenji', 'xijie', 'dangyuan']) tok[u] = await apiToken(srv.base, u);
  zuzhi = new Browser(srv.base);
  await zuzhi.login('zuzhi');
  lecturer = (await call('zuzhi', 'GET', '/api/v1/members?org=CJZ-CJC&limit=5')).json.members[0].id;
});
test.after(async () => { await srv.stop(); });

const topics = async () => (await call('zuzhi', 'GET', '/api/v1/lesson-topics')).json.topics;
const kinds = async () => (await call('zuzhi', 'GET', '/api/v1/film-kinds')).json.kinds;
const auditRows = async (action) => {
  const page = await zuzhi.get(`/audit?action=${action}`);
  return Number(/共 (\d+) 条。/.exec(page.text)[1]);
};
// a console form on /lessons/topics: the answer is a redirect back with a flash
async function form(action, fields) {
  const r = await zuzhi.postForm('/lessons/topics', action, fields);
  const page = await zuzhi.get('/lessons/topics');
  return { status: r.status, location: r.headers.get('location'), page: page.text };
}

test('the committee adds, renames and retires a topic on its page; a retired topic stays on old lessons and is not offered for new ones', async () => {
  // the page: both lists, with how often each is used
  const page = await zuzhi.get('/lessons/topics');
  assert.equal(page.status, 200);
  assert.match(page.text, /<section class="card" id="vocab-topic"><h2 class="card-title">课程主题<\/h2>/);
  assert.match(page.text, /<section class="card" id="vocab-film_kind"><h2 class="card-title">教育片类别<\/h2>/);
  const rural = (await topics()).find((t) => t.key === 'rural');
  assert.ok(rural.active && rural.uses > 0, 'the demo catalogue has lessons on 乡村振兴');
  assert.match(page.text, new RegExp(`data-key="rural">[\\s\\S]*?<td data-label="已用">${rural.uses}</td>`));

  // add
  const before = (await topics()).length;
  let r = await form('/lessons/topics/topic', { label: '生态文明' });
  assert.equal(r.status, 303);
  assert.match(r.page, /课程主题已添加/);
  const eco = (await topics()).find((t) => t.label === '生态文明');
  assert.ok(eco && eco.active && eco.uses === 0 && /^[a-z0-9_]{2,24}$/.test(eco.key), JSON.stringify(eco));
  assert.equal((await topics()).length, before + 1);
  assert.equal(await auditRows('lesson_topic.create'), 1);

  // a lesson on it, then rename: the lesson shows the new name
  const l = await call('zuzhi', 'POST', '/api/v1/lessons', { title: '守护一河清水', topic: eco.key, minutes: 15, lecturers: [lecturer] });
  assert.equal(l.status, 201, l.text);
  r = await form(`/lessons/topics/topic/${eco.key}`, { label: '生态保护' });
  assert.match(r.page, /课程主题已改名/);
  assert.equal((await call('zuzhi', 'GET', `/api/v1/lessons/${l.json.id}`)).json.topic_label, '生态保护');
  assert.equal(await auditRows('lesson_topic.rename'), 1);

  // retire: hidden from the new-lesson form, refused for a new lesson, kept on the old one and in the catalogue's filter
  r = await form(`/lessons/topics/topic/${eco.key}`, { active: '0' });
  assert.match(r.page, /课程主题已停用/);
  assert.match(r.page, new RegExp(`<tr class="vocab-retired" data-key="${eco.key}">`));
  assert.equal(await auditRows('lesson_topic.retire'), 1);
  const newForm = await zuzhi.get('/lessons/new');
  assert.match(newForm.text, /<option value="rural"/);
  assert.doesNotMatch(newForm.text, new RegExp(`<option value="${eco.key}"`));
  const n0 = (await call('zuzhi', 'GET', '/api/v1/lessons')).json.total;
  const refused = await call('zuzhi', 'POST', '/api/v1/lessons', { title: '又一堂生态课', topic: eco.key, minutes: 15, lecturers: [lecturer] });
  assert.equal(refused.status, 422);
  assert.match(refused.json.error.fields.topic, /已停用/);
  const viaForm = await zuzhi.postForm('/lessons/new', '/lessons/new', { title: '又一堂生态课', topic: eco.key, minutes: '15', lecturers: String(lecturer) });
  assert.equal(viaForm.status, 422);
  assert.match(viaForm.text, /课程主题“生态保护”已停用/);
  assert.equal((await call('zuzhi', 'GET', '/api/v1/lessons')).json.total, n0, 'nothing written');
  const old = (await call('zuzhi', 'GET', `/api/v1/lessons/${l.json.id}`)).json;
  assert.equal(old.topic, eco.key);
  assert.equal(old.topic_label, '生态保护');
  assert.deepEqual((await call('dangyuan', 'GET', `/api/v1/lessons?topic=${eco.key}`)).json.lessons.map((x) => x.title), ['守护一河清水']);
  assert.equal((await call('zuzhi', 'GET', '/api/v1/lesson-topics?active=1')).json.topics.some((t) => t.key === eco.key), false);
  assert.equal((await topics()).find((t) => t.key === eco.key).uses, 1);
  // the catalogue's filter marks it retired; a retired topic no lesson carries is not listed
  const idle = await form('/lessons/topics/topic', { label: '闲置主题' });
  assert.equal(idle.status, 303);
  const idleKey = (await topics()).find((t) => t.label === '闲置主题').key;
  await form(`/lessons/topics/topic/${idleKey}`, { active: '0' });
  const catalogue = (await zuzhi.get(`/lessons?topic=${eco.key}`)).text;
  assert.match(catalogue, new RegExp(`<option value="${eco.key}" selected>生态保护（已停用）</option>`));
  assert.match(catalogue, /<option value="rural"[^>]*>乡村振兴<\/option>/);
  assert.doesNotMatch(catalogue, new RegExp(`value="${idleKey}"`));
  assert.match(catalogue, /守护一河清水/);

  // take it back: offered again
  r = await form(`/lessons/topics/topic/${eco.key}`, { active: '1' });
  assert.match(r.page, /课程主题已启用/);
  assert.match((await zuzhi.get('/lessons/new')).text, new RegExp(`<option value="${eco.key}"`));
  assert.match((await zuzhi.get('/lessons')).text, new RegExp(`<option value="${eco.key}">生态保护</option>`));
  assert.equal(await auditRows('lesson_topic.restore'), 1);
});

test('a topic or kind is never deleted: there is no route for it, and a topic in use stays', async () => {
  for (const p of ['/api/v1/lesson-topics/rural', '/api/v1/film-kinds/red']) {
    const r = await call('zuzhi', 'DELETE', p);
    assert.ok(r.status === 404 || r.status === 405, `${p}: ${r.status}`);
  }
  assert.ok((await topics()).some((t) => t.key === 'rural'));
  assert.ok((await kinds()).some((k) => k.key === 'red'));
});

test('the film kinds: the four of the issue, then the committee adds, renames and retires one through the API', async () => {
  const ks = await kinds();
  assert.deepEqual(ks.slice(0, 4).map((k) => k.label), ['红色历史', '政策理论', '警示教育', '本土情景剧']);
  let r = await call('zuzhi', 'POST', '/api/v1/film-kinds', { label: '党史故事' });
  assert.equal(r.status, 201, r.text);
  const k = r.json.kinds.at(-1);
  assert.equal(k.label, '党史故事');
  const list = await call('zuzhi', 'POST', '/api/v1/film-lists', { month: '2031-01', notice: '请各支部组织观看' });
  assert.equal(list.status, 201, list.text);
  const f = await call('zuzhi', 'POST', `/api/v1/film-lists/${list.json.id}/films`, { title: '小岗村的故事', kind: k.key, url: 'https://www.12371.cn/xg' });
  assert.equal(f.status, 201, f.text);
  // the film's page shows the kind's label, and follows a rename
  r = await call('zuzhi', 'POST', `/api/v1/film-kinds/${k.key}`, { label: '党史微故事' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.label, r.json.active, r.json.uses], ['党史微故事', true, 1]);
  assert.match((await zuzhi.get(`/films/${f.json.id}`)).text, /<span class="badge">党史微故事<\/span>/);
  // retired: the list's add form does not offer it, a new film may not take it, the old film keeps it
  r = await call('zuzhi', 'POST', `/api/v1/film-kinds/${k.key}`, { active: false });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.active, false);
  const films = await zuzhi.get('/films');
  assert.match(films.text, /<option value="red" selected>红色历史<\/option>/);
  assert.doesNotMatch(films.text, new RegExp(`<option value="${k.key}"`));
  const n0 = (await call('zuzhi', 'GET', '/api/v1/film-lists')).json.lists.find((l) => l.id === list.json.id).films.length;
  r = await call('zuzhi', 'POST', `/api/v1/film-lists/${list.json.id}/films`, { title: '又一部', kind: k.key, url: 'https://www.12371.cn/y' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.kind, /已停用/);
  const after = (await call('zuzhi', 'GET', '/api/v1/film-lists')).json.lists.find((l) => l.id === list.json.id).films;
  assert.equal(after.length, n0, 'nothing written');
  assert.deepEqual([after[0].kind, after[0].kind_label], [k.key, '党史微故事']);
  assert.equal((await call('zuzhi', 'GET', '/api/v1/film-kinds?active=1')).json.kinds.some((x) => x.key === k.key), false);
  for (const a of ['film_kind.create', 'film_kind.rename', 'film_kind.retire']) assert.equal(await auditRows(a), 1, a);
});

test('bad input: each refused naming the field, nothing written, nothing audited', async () => {
  const t0 = JSON.stringify(await topics()), k0 = JSON.stringify(await kinds());
  const a0 = await auditRows('lesson_topic.create');
  // a branch secretary and a member may not keep the lists
  assert.equal((await call('xijie', 'POST', '/api/v1/film-kinds', { label: '乡土故事' })).status, 403);
  assert.equal((await call('xijie', 'POST', '/api/v1/lesson-topics/rural', { label: '振兴乡村' })).status, 403);
  assert.equal((await call('dangyuan', 'POST', '/api/v1/film-kinds/red', { active: false })).status, 403);
  const sec = new Browser(srv.base);
  await sec.login('xijie');
  assert.equal((await sec.get('/lessons/topics')).status, 403);
  // names: empty, one character, eleven, taken (by another entry)
  for (const [label, re] of [['', /课程主题名称/], ['生', /2到10个字/], ['一二三四五六七八九十一', /2到10个字/], ['红色教育', /已存在/]]) {
    const r = await call('zuzhi', 'POST', '/api/v1/lesson-topics', { key: 'newone', label });
    assert.equal(r.status, 422, label);
    assert.match(r.json.error.fields.label, re, label);
  }
  let r = await call('zuzhi', 'POST', '/api/v1/lesson-topics/rural', { label: '红色教育' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.label, /“红色教育”已存在/);
  r = await call('zuzhi', 'POST', '/api/v1/film-kinds', { key: 'Bad Key', label: '乡土故事' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.key);
  r = await call('zuzhi', 'POST', '/api/v1/film-kinds', { key: 'red', label: '乡土故事' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.key, /已存在/);
  r = await call('zuzhi', 'POST', '/api/v1/film-kinds/red', { active: 'no' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.active, r.text);
  r = await call('zuzhi', 'POST', '/api/v1/film-kinds/red', {});
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.label, r.text);
  assert.equal((await call('zuzhi', 'POST', '/api/v1/lesson-topics/nope', { label: '不存在的' })).status, 404);
  // the page's forms: the message as a flash, nothing written
  let p = await form('/lessons/topics/topic', { label: '生' });
  assert.match(p.page, /flash-error[^>]*>[^<]*课程主题名称（2到10个字）/);
  p = await form('/lessons/topics/film_kind/red', { label: '政策理论' });
  assert.match(p.page, /教育片类别名称“政策理论”已存在/);
  p = await form('/lessons/topics/film_kind/red', { active: 'x' });
  assert.match(p.page, /请选择启用或停用/);
  assert.equal((await zuzhi.postForm('/lessons/topics', '/lessons/topics/nope', { label: '什么东西' })).status, 404);
  assert.equal((await zuzhi.postForm('/lessons/topics', '/lessons/topics/topic/nope', { label: '什么东西' })).status, 404);
  assert.equal(JSON.stringify(await topics()), t0);
  assert.equal(JSON.stringify(await kinds()), k0);
  assert.equal(await auditRows('lesson_topic.create'), a0);
  // renaming to its own name changes nothing and writes nothing
  r = await call('zuzhi', 'POST', '/api/v1/lesson-topics/rural', { label: '乡村振兴' });
  assert.equal(r.status, 200);
  assert.equal(await auditRows('lesson_topic.rename'), 1, 'only the one of the first test');
});

test('a film link that is not http(s) is refused, through the API and the form', async () => {
  const list = (await call('zuzhi', 'GET', '/api/v1/film-lists')).json.lists.find((l) => l.month === '2031-01');
  const n0 = list.films.length;
  for (const url of ['javascript:alert(1)', 'ftp://x.cn/a', 'http://', 'https:///path', 'www.12371.cn', 'https://a.cn/"onmouseover=x', 'https://a b.cn', '']) {
    const r = await call('zuzhi', 'POST', `/api/v1/film-lists/${list.id}/films`, { title: '坏链接', kind: 'red', url });
    assert.equal(r.status, 422, url);
    assert.match(r.json.error.fields.url, /http:\/\/ 或 https:\/\//, url);
  }
  const r = await zuzhi.postForm('/films', `/films/lists/${list.id}`, { title: '坏链接', kind: 'red', url: 'javascript:alert(1)' });
  assert.equal(r.status, 422);
  assert.match(r.text, /观看链接应以 http:\/\/ 或 https:\/\/ 开头/);
  // a lesson's media link takes the same rule
  const l = await call('zuzhi', 'POST', '/api/v1/lessons', { title: '坏链接的课', topic: 'rural', minutes: 15, lecturers: [lecturer], media_url: 'http://' });
  assert.equal(l.status, 422);
  assert.ok(l.json.error.fields.media_url);
  assert.equal((await call('zuzhi', 'GET', '/api/v1/film-lists')).json.lists.find((x) => x.id === list.id).films.length, n0);
});

test('the coverage page has the org and period picker of the report; another subtree is 404; a wrong date names its field', async () => {
  let p = await zuzhi.get('/lessons/coverage?org=CJZ-XJC&from=2026-01-01&to=2026-11-30');
  assert.equal(p.status, 200);
  assert.match(p.text, /<form class="filters report-picker" method="get" action="\/lessons\/coverage">/);
  assert.match(p.text, /<option value="CJZ-XJC" selected>西街村党支部<\/option>/);
  assert.match(p.text, /<option value="CJZ">/);
  assert.match(p.text, /id="coverage-summary">西街村党支部，2026-01-01 至 2026-11-30：1 个支部中/);
  const api1 = (await call('zuzhi', 'GET', '/api/v1/lessons/coverage?org=CJZ-XJC&from=2026-01-01&to=2026-11-30')).json;
  assert.deepEqual(api1.branches.map((b) => b.code), ['CJZ-XJC']);
  assert.equal(api1.org, 'CJZ-XJC');
  // the town: every branch, and the API agrees with the page
  p = await zuzhi.get('/lessons/coverage?org=CJZ&from=2026-01-01&to=2026-11-30');
  const town = (await call('zuzhi', 'GET', '/api/v1/lessons/coverage?org=CJZ&from=2026-01-01&to=2026-11-30')).json;
  assert.match(p.text, new RegExp(`：${town.total} 个支部中 ${town.covered} 个已接受微党课巡讲`));
  assert.equal((p.text.match(/<tr class="(un)?covered">/g) || []).length, town.total);
  // admin: the whole tree by default, any org of it
  const adm = (await call('admin', 'GET', '/api/v1/lessons/coverage?from=2026-01-01&to=2026-11-30')).json;
  assert.equal(adm.total, town.total);
  assert.equal((await call('admin', 'GET', '/api/v1/lessons/coverage?org=CJZ-XJC&from=2026-01-01&to=2026-11-30')).json.total, 1);
  assert.equal((await call('admin', 'GET', '/api/v1/plans/compliance?from=2026-01&to=2026-01')).status, 200);
  // no query: the caller's org, this year
  p = await zuzhi.get('/lessons/coverage');
  assert.match(p.text, /<option value="CJZ" selected>/);
  assert.match(p.text, /name="from" type="date" value="\d{4}-01-01"/);
  // a branch secretary: its own branch; another village is 404 on the page, the API and the report
  const sec = new Browser(srv.base);
  await sec.login('xijie');
  assert.match((await sec.get('/lessons/coverage')).text, /<option value="CJZ-XJC" selected>/);
  assert.doesNotMatch((await sec.get('/lessons/coverage')).text, /<option value="CJZ-CJC"/);
  assert.equal((await sec.get('/lessons/coverage?org=CJZ-CJC')).status, 404);
  assert.equal((await call('xijie', 'GET', '/api/v1/lessons/coverage?org=CJZ-CJC&from=2026-01-01&to=2026-11-30')).status, 404);
  assert.equal((await sec.get('/themeday/report?org=CJZ-CJC')).status, 404);
  assert.equal((await sec.get('/themeday/report.xlsx?org=CJZ-CJC&from=2026-01-01&to=2026-11-30')).status, 404);
  assert.equal((await call('xijie', 'GET', '/api/v1/plans/compliance?org=CJZ-CJC&from=2026-01&to=2026-02')).status, 404);
  // wrong dates
  p = await zuzhi.get('/lessons/coverage?org=CJZ&from=2026-13-01&to=2026-11-30');
  assert.equal(p.status, 422);
  assert.match(p.text, /起始日期应为 YYYY-MM-DD/);
  let r = await call('zuzhi', 'GET', '/api/v1/lessons/coverage?from=2026-11-30&to=2026-01-01');
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.to, /不能早于/);
  r = await call('zuzhi', 'GET', '/api/v1/stats/themeday?from=2026-01-011&to=2026-02-01');
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.from);
  // the report links to the coverage of the same org and period
  p = await zuzhi.get('/themeday/report?org=CJZ-XJC&from=2026-01-01&to=2026-11-30');
  assert.match(p.text, /href="\/lessons\/coverage\?org=CJZ-XJC&amp;from=2026-01-01&amp;to=2026-11-30"/);
});

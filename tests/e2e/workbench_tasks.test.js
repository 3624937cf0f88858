// The workbench's 待办事项 (f1): what each mechanism asks of the caller —
// a lecturer's lesson orders to confirm, the member's meetings to come and
// volunteer activities signed up for, open decisions it owns, dues owed, a
// reviewer's consultations — each counted by its module, equal to the records
// counted here directly, linked to a page the caller may open, and moving when
// the record does. The latest messages mark the unread ones with the class the
// style applies (it was escaped into the text). SQLite, or PostgreSQL with DANGJIAN_PG.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api, dbSql } = require('./lib');

let srv;
test.before(async () => { srv = await startServer(); });
test.after(async () => { await srv.stop(); });

function sql(q) {
  return dbSql(srv, q);
}
const n = (q) => Number(sql(q));

// The tasks: key → { n, href, label }.
function tasks(html) {
  const out = {};
  for (const m of html.matchAll(/<a class="task-link[^"]*" data-key="([^"]+)" href="([^"]+)"><span class="task-num">(\d+)<\/span><span class="task-label">([^<]+)<\/span>/g))
    out[m[1]] = { n: Number(m[3]), href: m[2].replace(/&amp;/g, '&'), label: m[4] };
  return out;
}
async function consoleOf(user) {
  const b = new Browser(srv.base);
  await b.login(user);
  const page = await b.get('/console');
  assert.equal(page.status, 200);
  return { b, page, t: tasks(page.text) };
}
const memberOf = (user) => n(`SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.username = '${user}'`);

test('each figure is counted by its module, equals the records and links to a page the member may open', async () => {
  const me = memberOf('dangyuan');
  const now = Math.floor(Date.now() / 1000);
  const { b, t } = await consoleOf('dangyuan');
  assert.deepEqual(Object.keys(t), ['lesson_orders', 'meetings', 'volunteer', 'decisions', 'dues'], 'dangyuan lectures a lesson of the demo');
  const want = {
    lesson_orders: n(`SELECT COUNT(*) FROM lesson_orders lo JOIN lesson_lecturers x ON x.lesson_id = lo.lesson_id WHERE x.member_id = ${me} AND lo.state = 'requested'`),
    meetings: n(`SELECT COUNT(*) FROM meeting_attendance t JOIN meetings m ON m.id = t.meeting_id WHERE t.member_id = ${me} AND m.state = 'planned' AND m.ends_at >= ${now}`),
    volunteer: n(`SELECT COUNT(*) FROM volunteer_signups s JOIN volunteer_activities a ON a.id = s.activity_id WHERE s.member_id = ${me} AND s.state IN ('signed', 'waiting') AND a.state IN ('published', 'in_progress')`),
    decisions: n(`SELECT COUNT(*) FROM decisions WHERE owner_member_id = ${me} AND state = 'open'`),
    dues: n(`SELECT COUNT(*) FROM dues_months WHERE member_id = ${me} AND status = 'owing' AND due_fen - reduced_fen > 0 AND month <= '${new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7)}'`),
  };
  for (const [k, v] of Object.entries(want)) assert.equal(t[k].n, v, k);
  // (whether a decision of the demo is the member's own depends on the demo's draw: its count is checked above either way)
  assert.ok(t.lesson_orders.n > 0 && t.dues.n > 0, 'the demo gives the member something to do');
  assert.deepEqual(Object.values(t).map((x) => x.href), ['/lesson-orders?mine=1&state=requested', '/meetings', '/volunteer/me', '/decisions?mine=1', '/dues/my']);
  for (const x of Object.values(t)) assert.equal((await b.get(x.href)).status, 200, x.href);
  // the orders to confirm are the ones the linked list shows
  const lo = await b.get('/lesson-orders?mine=1&state=requested');
  assert.equal((lo.text.match(/href="\/lesson-orders\/\d+"/g) || []).length, t.lesson_orders.n);
});

test('the figures move with the records: a meeting planned, an activity signed up for', async () => {
  const before = (await consoleOf('dangyuan')).t;
  const chenji = await apiToken(srv.base, 'chenji');
  const day = new Date(Date.now() + 8 * 3600e3 + 5 * 86400e3).toISOString().slice(0, 10);
  const m = await api(srv.base, chenji, 'POST', '/api/v1/meetings', { org: 'CJZ-CJC', type: 'red730', theme: '人居环境整治', date: day, start: '19:30', end: '21:00', place: '村党群服务中心', content: '学习、议事、办事' });
  assert.equal(m.status, 201, m.text);
  const v = await api(srv.base, chenji, 'POST', '/api/v1/volunteer/activities', { title: '敬老院义诊', kind: 'care', place: '陈集镇敬老院', starts: `${day} 09:00`, ends: `${day} 11:00`, capacity: 30, org: 'CJZ-CJC', publish: true });
  assert.equal(v.status, 201, v.text);
  const dy = await apiToken(srv.base, 'dangyuan');
  const s = await api(srv.base, dy, 'POST', `/api/v1/volunteer/activities/${v.json.id}/actions/signup`, {});
  assert.ok([200, 201].includes(s.status), s.text);
  const after = (await consoleOf('dangyuan')).t;
  assert.equal(after.meetings.n, before.meetings.n + 1);
  assert.equal(after.volunteer.n, before.volunteer.n + 1);
  // cancelled: both go back
  assert.equal((await api(srv.base, chenji, 'POST', `/api/v1/meetings/${m.json.meeting.id}/cancel`, { reason: '天气原因' })).status, 200);
  assert.equal((await api(srv.base, chenji, 'POST', `/api/v1/volunteer/activities/${v.json.id}/actions/cancel`, { reason: '天气原因' })).status, 200);
  const back = (await consoleOf('dangyuan')).t;
  assert.equal(back.meetings.n, before.meetings.n);
  assert.equal(back.volunteer.n, before.volunteer.n);
});

test('a reviewer sees its consultations, a secretary who lectures nothing no lesson figure', async () => {
  const { t } = await consoleOf('jiwei');
  const dept = n("SELECT org_id FROM users WHERE username = 'jiwei'");
  assert.deepEqual(Object.keys(t), ['consults']);
  assert.equal(t.consults.n, n(`SELECT COUNT(*) FROM exemplar_consults WHERE dept_org_id = ${dept} AND answer IS NULL`));
  assert.equal(t.consults.href, '/exemplars/review');
  const c = (await consoleOf('chenji')).t;
  assert.deepEqual(Object.keys(c), ['meetings', 'volunteer', 'decisions', 'dues']);
  // the admin has no roster record: no section
  const a = await consoleOf('admin');
  assert.doesNotMatch(a.page.text, /id="work-tasks"/);
});

test('the latest messages mark the unread ones with the class itself, not its escaped text', async () => {
  const { page } = await consoleOf('chenji');
  const token = await apiToken(srv.base, 'chenji');
  const unread = (await api(srv.base, token, 'GET', '/api/v1/inbox')).json.unread;
  assert.ok(unread > 0, 'the demo leaves the secretary messages to read');
  assert.match(page.text, /<li class="unread"><a href="\/inbox\/\d+">● /);
  assert.doesNotMatch(page.text, /&quot;unread|class=&quot;/);
});

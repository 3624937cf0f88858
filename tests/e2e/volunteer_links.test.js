// Volunteer service linked to the roster (f1): the member's hours, activities
// and stars on /members/:id, read by the volunteer module and equal to its
// API, shown only to who may read them; the secretary signs a member up and
// records by hand through a member picker — a name from the list, "姓名 #编号",
// or a unique name — never a typed roster number, and a name outside its
// subtree is refused naming the field, nothing written. SQLite, or PostgreSQL.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv;
test.before(async () => { srv = await startServer(); });
test.after(async () => { await srv.stop(); });

const login = async (u) => { const b = new Browser(srv.base); await b.login(u); return b; };
const memberId = async (tok, org, name) => {
  const r = await api(srv.base, tok, 'GET', `/api/v1/members?org=${org}&q=${encodeURIComponent(name)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.members.find((x) => x.name === name).id;
};

test('the member page shows the hours and stars of the volunteer module, to who may read them', async () => {
  const tok = await apiToken(srv.base, 'chenji');
  const id = await memberId(tok, 'CJZ-CJC', '张建国');
  const st = (await api(srv.base, tok, 'GET', `/api/v1/volunteer/members/${id}`)).json;
  assert.ok(st.minutes > 0, 'the demo gives him hours');
  const chenji = await login('chenji');
  const page = await chenji.get(`/members/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="member-volunteer"/);
  assert.match(page.text, new RegExp(`<span id="mv-hours">${st.hours.replace('.', '\\.')}</span> 小时 · 参加活动 <span id="mv-times">${st.times}</span>`));
  assert.match(page.text, new RegExp(`id="mv-stars">${st.stars} 星<`));
  assert.match(page.text, new RegExp(`href="/volunteer/members/${id}"`));
  // the member itself sees its own card; the grid worker, who may open the page, not another's service
  const own = await memberId(tok, 'CJZ-CJC', '李志强');
  const dy = await login('dangyuan');
  const mine = await dy.get(`/members/${own}`);
  assert.equal(mine.status, 200);
  assert.match(mine.text, /id="member-volunteer"/);
  const wg = await login('wangge');
  const other = await wg.get(`/members/${id}`);
  if (other.status === 200) assert.doesNotMatch(other.text, /id="member-volunteer"/);
});

test('the secretary picks members by name, not by roster number', async () => {
  const tok = await apiToken(srv.base, 'chenji');
  const day = new Date(Date.now() + 8 * 3600e3 + 3 * 86400e3).toISOString().slice(0, 10);
  const v = await api(srv.base, tok, 'POST', '/api/v1/volunteer/activities', { title: '村道保洁', kind: 'cleanup', place: '陈集村主街', starts: `${day} 09:00`, ends: `${day} 11:00`, capacity: 30, org: 'CJZ-CJC', publish: true });
  assert.equal(v.status, 201, v.text);
  const act = v.json.id;
  const zhang = await memberId(tok, 'CJZ-CJC', '张建国'), wang = await memberId(tok, 'CJZ-CJC', '王帅');
  const chenji = await login('chenji');
  const page = await chenji.get(`/volunteer/${act}`);
  assert.equal(page.status, 200);
  // the picker: a search field over a list of the branch's members by name and org, no number field
  assert.match(page.text, new RegExp(`<input id="f-member-signup" name="member_id" type="search" list="vol-pick-${act}"`));
  assert.match(page.text, new RegExp(`<input id="f-member-manual" name="member_id" type="search" list="vol-pick-${act}"`));
  assert.doesNotMatch(page.text, /name="member_id" type="number"/);
  const list = page.text.match(new RegExp(`<datalist id="vol-pick-${act}">([\\s\\S]*?)</datalist>`))[1];
  assert.match(list, new RegExp(`<option value="张建国 #${zhang}">陈集村党支部</option>`));
  assert.doesNotMatch(list, /西街村/, 'only the organiser\'s members');
  const csrf = Browser.csrf(page.text);
  const signups = async () => (await api(srv.base, tok, 'GET', `/api/v1/volunteer/activities/${act}`)).json.signups.map((s) => s.member_id).sort();
  // an option of the list, then a unique name typed
  let r = await chenji.post(`/volunteer/${act}/signup`, { _csrf: csrf, member_id: `张建国 #${zhang}` });
  assert.equal(r.status, 303, r.text);
  r = await chenji.post(`/volunteer/${act}/signup`, { _csrf: csrf, member_id: ' 王帅 ' });
  assert.equal(r.status, 303, r.text);
  assert.deepEqual(await signups(), [zhang, wang].sort());
  // refused on the field, nothing written: nothing, nobody of that name, another branch's member
  for (const [typed, why] of [['', /请选择党员/], ['没有这个人', /没有“没有这个人”/], ['王秀英', /没有“王秀英”/], ['张建国 #abc', /请从列表中选择/]]) {
    r = await chenji.post(`/volunteer/${act}/signup`, { _csrf: csrf, member_id: typed });
    assert.equal(r.status, 422, `${typed}: ${r.status}`);
    assert.match(r.text, why, typed);
  }
  assert.deepEqual(await signups(), [zhang, wang].sort());
  // the by-hand form takes the same picker
  r = await chenji.post(`/volunteer/${act}/manual`, { _csrf: csrf, member_id: '没有这个人', op: 'checkin' });
  assert.equal(r.status, 422);
  assert.match(r.text, /没有“没有这个人”/);
});

// Browser journey of the links between mechanisms (f1) at 390×844: the
// member's workbench lists what each mechanism asks of it, each a tap away;
// the secretary signs a member up by typing the name into the picker, and
// sees the member's hours and stars on the roster page; the branch's theme
// day plan shows which meeting and activity filled a part by itself.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { setup, apiToken, api, fits, shot, SHOTS } = require('./lib');

const ctx = {};
const env = setup({
  before: async ({ srv }) => {
    const tok = await apiToken(srv.base, 'chenji');
    const day = new Date(Date.now() + 8 * 3600e3 + 2 * 86400e3).toISOString().slice(0, 10);
    const v = await api(srv.base, tok, 'POST', '/api/v1/volunteer/activities', { title: '村道保洁', kind: 'cleanup', place: '陈集村主街', starts: `${day} 09:00`, ends: `${day} 11:00`, capacity: 30, org: 'CJZ-CJC', publish: true });
    assert.equal(v.status, 201, v.text);
    ctx.act = v.json.id;
    const r = await api(srv.base, tok, 'GET', `/api/v1/members?org=CJZ-CJC&q=${encodeURIComponent('张建国')}`);
    ctx.zhang = r.json.members.find((x) => x.name === '张建国').id;
  },
});

test('the member\'s workbench: what to do, a tap away', async () => {
  const p = await env.page({ user: 'dangyuan' });
  const tasks = p.locator('#work-tasks');
  await assert.doesNotReject(tasks.waitFor());
  const text = await tasks.innerText();
  for (const label of ['微党课点单待确认', '待参加的会议', '已报名的志愿服务', '党费待交（月）']) assert.ok(text.includes(label), label);
  await fits(p, 'console');
  await shot(p, 'links-console-member');
  await tasks.getByRole('link', { name: /微党课点单待确认/ }).click();
  await p.waitForURL(/\/lesson-orders\?mine=1&state=requested$/);
  await shot(p, 'links-lesson-orders');
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

test('the secretary signs a member up by name and sees the member\'s service on the roster', async () => {
  const p = await env.page({ user: 'chenji' });
  await p.goto(`${env.srv.base}/volunteer/${ctx.act}`);
  await p.getByText('代党员报名（没有智能手机的党员）').click();
  const field = p.locator('#f-member-signup');
  await field.fill('张建');
  // the suggestions are the branch's members: the list the field names
  const options = await p.locator(`#vol-pick-${ctx.act} option`).evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.includes(`张建国 #${ctx.zhang}`), 'the picker lists 张建国 with his number');
  await field.fill('张建国');
  await shot(p, 'links-picker');
  await p.locator('details.vol-hand form[action$="/signup"]').getByRole('button', { name: '报名' }).click();
  await assert.doesNotReject(p.getByText('报名成功').waitFor());
  assert.match(await p.locator('table').last().innerText(), /张建国/);
  await fits(p, 'activity');
  await shot(p, 'links-signed-up');
  await p.goto(`${env.srv.base}/members/${ctx.zhang}`);
  const card = p.locator('#member-volunteer');
  await assert.doesNotReject(card.waitFor());
  assert.match(await card.innerText(), /小时 · 参加活动 \d+ 次 · 星级/);
  await fits(p, 'member', { tables: false }); // the page's history table is the roster's, wider before this card came
  await shot(p, 'links-member-card');
  await card.getByRole('link', { name: /详情/ }).click();
  await p.waitForURL(new RegExp(`/volunteer/members/${ctx.zhang}$`));
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

test('the plan shows which meeting or activity filled a part by itself', async () => {
  const p = await env.page({ user: 'zuzhi' });
  const now = new Date(Date.now() + 8 * 3600e3);
  const to = now.toISOString().slice(0, 7);
  const from = new Date(now.getTime() - 300 * 86400e3).toISOString().slice(0, 7);
  await p.goto(`${env.srv.base}/plans?from=${from}&to=${to}`);
  const auto = p.locator('.badge.auto');
  assert.ok(await auto.count() > 0, 'the demo year has held 党课/主题党日 and finished activities filling plans');
  const cell = p.locator('td', { has: auto.first() });
  const href = await cell.locator('a').first().getAttribute('href');
  assert.match(href, /^\/(meetings|volunteer)\/\d+$/);
  await cell.first().scrollIntoViewIfNeeded();
  await p.screenshot({ path: path.join(SHOTS, 'links-plans-auto.png') }); // the screen where it is: the year's table is long
  await cell.locator('a').first().click();
  await p.waitForURL(new RegExp(`${href}$`));
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

// The theme party day on phones (390×844), issue 14: the secretary of 西街村
// orders 李志强's micro-lesson from the catalogue; 李志强 (dangyuan) confirms
// date and place on his phone; the secretary records who was there and who
// spoke, and rates it; 李志强's points rise by the rule (讲授微党课 5 points);
// he then writes a reflection on this month's film. No page is wider than
// the phone; screenshots in the build directory's screenshots/lesson-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

const env = lib.setup({ console: true });
const shot = (p, name) => lib.shot(p, `lesson-${name}`);
const points = async (p) => {
  await p.goto(`${env.srv.base}/lesson-orders?mine=1`);
  return Number(await p.locator('#my-points').innerText());
};

test('ordered from the catalogue, confirmed by the lecturer, delivered and rated by the branch, points earned; a reflection from the phone', async () => {
  const base = env.srv.base;
  const lecturer = await env.page({ user: 'dangyuan' });
  const p0 = await points(lecturer);

  // 1. the branch finds the lesson in the catalogue (filtered by topic) and orders it
  const sec = await env.page({ user: 'xijie' });
  await sec.goto(`${base}/lessons`);
  await sec.getByLabel('主题').selectOption({ label: '乡村振兴' });
  await sec.getByRole('button', { name: '筛选' }).click();
  await lib.fits(sec, 'the catalogue');
  await shot(sec, '1-catalogue');
  await sec.getByRole('link', { name: '庭院里的乡村振兴' }).click();
  await sec.getByLabel('备注').fill('想在屋场讲，老党员多');
  await lib.fits(sec, 'the lesson');
  await shot(sec, '2-lesson');
  await sec.getByRole('button', { name: '点单' }).click();
  await sec.waitForURL(/\/lesson-orders\/\d+$/);
  const orderUrl = sec.url();
  assert.equal((await sec.locator('#lesson-state').innerText()).trim(), '已点单');

  // 2. the lecturer confirms on the phone
  await lecturer.goto(`${base}/lesson-orders?mine=1`);
  await lib.fits(lecturer, 'my lessons');
  await shot(lecturer, '3-mine');
  await lecturer.goto(orderUrl);
  await lecturer.getByLabel('授课地点').fill('西街村张家屋场');
  await lecturer.getByRole('button', { name: '确认授课' }).click();
  await lecturer.waitForURL(orderUrl);
  assert.equal((await lecturer.locator('#lesson-state').innerText()).trim(), '已排课');
  await lib.fits(lecturer, 'the confirmed order');
  await shot(lecturer, '4-confirmed');
  // the lecturer cannot record the delivery: that is the branch's step
  assert.equal(await lecturer.locator('#act-deliver').count(), 0);

  // 3. the branch records attendance: three members, one of them spoke, two others; then rates
  await sec.goto(orderUrl);
  const present = sec.locator('input[name="present"]');
  for (let i = 0; i < 3; i++) await present.nth(i).check();
  await sec.locator('input[name="speakers"]').first().check();
  await sec.getByLabel('其他参加人数').fill('2');
  await lib.fits(sec, 'the delivery form');
  await shot(sec, '5-deliver');
  await sec.getByRole('button', { name: '记录授课' }).click();
  await sec.waitForURL(orderUrl);
  assert.equal((await sec.locator('#lesson-state').innerText()).trim(), '已授课');
  assert.match(await sec.locator('.kv').innerText(), /党员 3 人，其他 2 人，上台讲课 1 人次/);
  await sec.getByLabel('评分').selectOption('5');
  await sec.getByLabel('评价').fill('讲得接地气');
  await sec.getByRole('button', { name: '评价' }).click();
  await sec.waitForURL(orderUrl);
  assert.equal((await sec.locator('#lesson-state').innerText()).trim(), '已评价');
  await lib.fits(sec, 'the rated order');
  await shot(sec, '6-rated');

  // 4. the lecturer's points rose by the rule
  assert.equal(await points(lecturer), p0 + 5);
  await shot(lecturer, '7-points');

  // 5. a reflection on this month's first film, from the phone; a second one is refused
  await lecturer.goto(`${base}/films`);
  await lib.fits(lecturer, 'the films');
  await shot(lecturer, '8-films');
  await lecturer.locator('.film-list a').first().click();
  await lecturer.getByLabel('观后感').fill('看完教育片很受触动，作为农村党员要带头发展特色产业，为乡村振兴出力。');
  await lecturer.getByRole('button', { name: '提交观后感' }).click();
  await lecturer.waitForURL(/\/films\/\d+$/);
  const filmUrl = lecturer.url();
  await assert.doesNotReject(lecturer.getByText('看完教育片很受触动').first().waitFor());
  await lib.fits(lecturer, 'the film');
  await shot(lecturer, '9-reflection');
  assert.equal(await points(lecturer), p0 + 5 + 1, 'a reflection earns its point');
  // once per film: the form is gone, the page says why
  await lecturer.goto(filmUrl);
  assert.equal(await lecturer.getByRole('button', { name: '提交观后感' }).count(), 0);
  assert.match(await lecturer.locator('#reflected').innerText(), /已提交过这部教育片的观后感/);

  // 6. the committee's compliance table and report at phone size
  const com = await env.page({ user: 'zuzhi' });
  await com.goto(`${base}/plans`);
  await lib.fits(com, 'the compliance table');
  await shot(com, '10-plans');
  await com.goto(`${base}/themeday/report`);
  await lib.fits(com, 'the report');
  await shot(com, '11-report');
  assert.deepEqual(env.errors, []);
});

test('the committee keeps the topics and film kinds on a phone, and picks the org of the coverage report', async () => {
  const base = env.srv.base;
  const com = await env.page({ user: 'zuzhi' });
  await com.goto(`${base}/lessons`);
  await com.getByRole('link', { name: '主题和类别' }).click();
  await com.waitForURL(/\/lessons\/topics$/);
  const topics = com.locator('#vocab-topic');
  await topics.getByLabel('新增课程主题').fill('生态文明');
  await topics.getByRole('button', { name: '添加' }).click();
  await com.waitForURL(/\/lessons\/topics$/);
  const row = topics.locator('tr').filter({ has: com.locator('input[value="生态文明"]') });
  assert.equal(await row.count(), 1);
  // rename it, then retire it
  await row.getByLabel('名称').fill('生态保护');
  await row.getByRole('button', { name: '改名' }).click();
  await com.waitForURL(/\/lessons\/topics$/);
  const renamed = topics.locator('tr').filter({ has: com.locator('input[value="生态保护"]') });
  await renamed.getByRole('button', { name: '停用' }).click();
  await com.waitForURL(/\/lessons\/topics$/);
  assert.match(await topics.locator('tr').filter({ has: com.locator('input[value="生态保护"]') }).innerText(), /已停用/);
  await lib.fits(com, 'the topics and kinds');
  await shot(com, '12-topics');
  // the new-lesson form does not offer it
  await com.goto(`${base}/lessons/new`);
  const offered = await com.locator('#f-topic option').allInnerTexts();
  assert.ok(offered.includes('乡村振兴') && !offered.includes('生态保护'), offered.join(','));
  // the catalogue's filter: a retired topic lessons carry is marked, one none carries is not listed
  await com.goto(`${base}/lessons/topics`);
  await topics.locator('tr').filter({ has: com.locator('input[value="乡村振兴"]') }).getByRole('button', { name: '停用' }).click();
  await com.waitForURL(/\/lessons\/topics$/);
  await com.goto(`${base}/lessons`);
  const filter = await com.locator('#f-topic option').allInnerTexts();
  assert.ok(filter.includes('乡村振兴（已停用）') && !filter.includes('乡村振兴') && !filter.some((t) => t.startsWith('生态保护')), filter.join(','));
  await com.getByLabel('主题').selectOption({ label: '乡村振兴（已停用）' });
  await com.getByRole('button', { name: '筛选' }).click();
  await com.waitForURL(/topic=rural/);
  assert.ok((await com.locator('.lesson-card').count()) > 0);
  await lib.fits(com, 'the catalogue filtered by a retired topic');
  await shot(com, '12b-retired-topic');
  await com.goto(`${base}/lessons/topics`);
  await topics.locator('tr').filter({ has: com.locator('input[value="乡村振兴"]') }).getByRole('button', { name: '启用' }).click();
  await com.waitForURL(/\/lessons\/topics$/);

  // 巡讲进支部全覆盖 for one village, picked on the phone
  await com.goto(`${base}/lessons/coverage`);
  await com.getByLabel('组织').selectOption({ label: '西街村党支部' });
  await com.getByRole('button', { name: '查看' }).click();
  await com.waitForURL(/org=CJZ-XJC/);
  assert.match(await com.locator('#coverage-summary').innerText(), /^西街村党支部，\d{4}-01-01 至 \d{4}-\d{2}-\d{2}：1 个支部中 1 个已接受微党课巡讲/);
  assert.equal(await com.locator('tbody tr').count(), 1);
  await lib.fits(com, 'the coverage of one village');
  await shot(com, '13-coverage');
  assert.deepEqual(env.errors, []);
});

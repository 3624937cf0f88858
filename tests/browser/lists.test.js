// Lists on a phone (issue 10 §3): at 390×844 the order list, the roster and
// the inbox show their rows as cards — no table wider than the screen, the
// status, urgency and overdue of every order visible without scrolling
// sideways — and the order list's filters and pager work by touch.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { setup, fits, SHOTS } = require('./lib');

const env = setup();

// The labels a card shows before its cells (the ::before of each cell).
const labels = (row) => row.evaluate((tr) => [...tr.cells].map((td) => getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')));

test('the order list on a phone: cards with urgency, status and time limit; filters and pages', async () => {
  const p = await env.page({ user: 'zuzhi' });
  await p.goto(env.srv.base + '/orders');
  await fits(p, 'orders');
  const card = p.locator('table.cards tbody tr').first();
  assert.equal(await p.locator('table.cards thead').isVisible(), false, 'no header row on a phone');
  const shown = await labels(card);
  for (const label of ['查询码', '紧急', '状态', '时限', '办理人']) assert.ok(shown.includes(label), `the card names ${label}: ${shown}`);
  assert.equal(await p.locator('table.cards tbody tr').count(), 25, 'a page of 25');
  await p.screenshot({ path: path.join(SHOTS, 'orders-list-phone.png'), fullPage: false });
  await p.screenshot({ path: path.join(SHOTS, 'orders-list-phone-full.png'), fullPage: true });

  // the overdue ones, through the form
  await p.locator('summary', { hasText: '更多筛选' }).tap();
  await p.getByLabel('只看逾期').check();
  await p.getByRole('button', { name: '筛选' }).click();
  await p.waitForURL(/overdue=1/);
  await fits(p, 'overdue orders');
  const rows = p.locator('table.cards tbody tr');
  const n = await rows.count();
  assert.ok(n > 0, 'the demo town has overdue orders');
  for (let i = 0; i < n; i++) assert.ok((await rows.nth(i).innerText()).includes('逾期'), 'every row says 逾期');
  assert.equal(await p.locator('details.more').getAttribute('open'), '', 'the filters stay open while one is set');
  await p.screenshot({ path: path.join(SHOTS, 'orders-overdue-phone.png'), fullPage: false });

  // the next page by touch
  await p.goto(env.srv.base + '/orders');
  const first = await p.locator('table.cards tbody tr').first().innerText();
  await p.getByRole('link', { name: '下一页' }).tap();
  await p.waitForURL(/page=2/);
  assert.notEqual(await p.locator('table.cards tbody tr').first().innerText(), first);
  await fits(p, 'orders page 2');
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

test('the roster, the inbox and the users page on a phone are cards too', async () => {
  const p = await env.page({ user: 'chenji' });
  await p.goto(env.srv.base + '/members');
  await fits(p, 'roster');
  const shown = await labels(p.locator('table.cards tbody tr').first());
  for (const label of ['姓名', '党籍状态', '手机号', '身份证号']) assert.ok(shown.includes(label), `the roster card names ${label}: ${shown}`);
  await p.screenshot({ path: path.join(SHOTS, 'roster-phone.png'), fullPage: false });
  await p.goto(env.srv.base + '/inbox');
  await fits(p, 'inbox');
  await p.screenshot({ path: path.join(SHOTS, 'inbox-phone.png'), fullPage: false });
  await p.context().close();
  const a = await env.page({ user: 'admin' });
  await a.goto(env.srv.base + '/admin/users');
  await fits(a, 'users');
  await a.screenshot({ path: path.join(SHOTS, 'users-phone.png'), fullPage: false });
  await a.context().close();
  assert.deepEqual(env.errors, []);
});

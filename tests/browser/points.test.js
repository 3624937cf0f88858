// Browser journey of party-member points (issue 11) at a phone viewport: a
// member opens 我的积分 from the navigation, sees the year's total and rank,
// and follows an entry to the order that earned it; the secretary proposes an
// adjustment and cannot approve it, the committee can; the ranking and the
// rules read on a phone without sideways scrolling. Screenshots go to
// <build>/screenshots/.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, BIN, PASSWORD, launchChromium } = require('../e2e/lib');
const { navTo } = require('./lib');

const SHOTS = path.join(path.dirname(BIN), 'screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let srv, browser;
const errors = [];
test.before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  browser = await launchChromium();
});
test.after(async () => {
  if (browser) await browser.close();
  await srv.stop();
  assert.deepEqual(errors, [], 'no script errors');
});

async function login(user) {
  const ctx = await browser.newContext(PHONE);
  const p = await ctx.newPage();
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(srv.base + '/login');
  await p.getByLabel('用户名').fill(user);
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.waitForURL(/\/console$/);
  return p;
}
const shot = (p, name) => p.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
const fits = async (p) => assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${p.url()} fits the phone`);

test('a member opens 我的积分 and follows an entry to the order that earned it', async () => {
  const p = await login('dangyuan');
  await navTo(p, '我的积分');
  await p.waitForURL(/\/points$/);
  await assert.doesNotReject(p.getByRole('heading', { name: '我的积分' }).waitFor());
  const total = Number(await p.locator('#points-total').textContent());
  assert.ok(total > 0, `the demo member has points: ${total}`);
  const rank = Number(await p.locator('#points-rank').textContent());
  assert.ok(rank >= 1);
  await fits(p);
  await shot(p, 'points-mine-phone');
  // the first entry that came from an order
  const link = p.locator('table.points-history a.points-source').first();
  const href = await link.getAttribute('href');
  assert.match(href, /^\/orders\/\d+$/);
  await link.click();
  await p.waitForURL(new RegExp(href + '$'));
  assert.equal(new URL(p.url()).pathname, href);
  await assert.doesNotReject(p.getByText('送单').first().waitFor());
  await shot(p, 'points-entry-order-phone');
  // the branch's ranking, reached from the page
  await p.goto(srv.base + '/points');
  await p.getByRole('link', { name: '支部排名' }).click();
  await p.waitForURL(/\/points\/ranking/);
  await assert.doesNotReject(p.locator('table.points-ranking').getByText('李志强').waitFor());
  await fits(p);
  await shot(p, 'points-ranking-phone');
});

test('the secretary proposes an adjustment it cannot approve; the committee approves it', async () => {
  const sec = await login('chenji');
  await navTo(sec, '积分调整');
  await sec.waitForURL(/\/points\/adjustments$/);
  await sec.getByLabel('党员').selectOption({ label: '李志强（陈集村党支部第一党小组）' }).catch(async () => {
    // the member's group name differs: choose by the name alone
    const value = await sec.locator('#f-member option', { hasText: '李志强' }).first().getAttribute('value');
    await sec.getByLabel('党员').selectOption(value);
  });
  await sec.getByLabel('调整分值').fill('3');
  await sec.getByLabel('理由').fill('带头清理村口河道垃圾');
  await sec.getByRole('button', { name: '提交审批' }).click();
  await sec.waitForURL(/state=pending/);
  const row = sec.locator('tr', { hasText: '带头清理村口河道垃圾' });
  await assert.doesNotReject(row.getByText('由他人审批').waitFor());
  assert.equal(await row.getByRole('button', { name: '批准' }).count(), 0, 'no approve button for the proposer');
  await fits(sec);
  await shot(sec, 'points-adjustments-secretary-phone');

  const z = await login('zuzhi');
  await z.goto(srv.base + '/points/adjustments?state=pending');
  const zrow = z.locator('tr', { hasText: '带头清理村口河道垃圾' });
  await zrow.getByRole('button', { name: '批准' }).click();
  await z.waitForURL(/\/points\/adjustments$/);
  await assert.doesNotReject(z.locator('tr', { hasText: '带头清理村口河道垃圾' }).getByText('已批准').waitFor());
  await shot(z, 'points-adjustments-committee-phone');
  await z.goto(srv.base + '/points/rules');
  await fits(z);
  await shot(z, 'points-rules-phone');
  await z.goto(srv.base + '/points/town');
  await fits(z);
  await shot(z, 'points-town-phone');
});

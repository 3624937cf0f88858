// Dues and transfers on phones (390×844), issue 18: a member sees their dues
// and a receipt; the 陈集村 secretary records a payment of two owed months and
// prints the receipt; issues a transfer letter to 西街村 and prints it; the
// 西街村 secretary confirms it. The receipt and the letter are looked at as
// printed (print media) and as PDF; no page nor table is wider than the phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, BIN, PASSWORD, launchChromium } = require('../e2e/lib');

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
});

async function login(user) {
  const ctx = await browser.newContext(PHONE);
  const p = await ctx.newPage();
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('dialog', (d) => d.accept());
  await p.goto(srv.base + '/login');
  await p.getByLabel('用户名或手机号').fill(user);
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.waitForURL(/\/console$/);
  return p;
}
async function fits(p, what) {
  const { page, tables } = await p.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    tables: [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().right > window.innerWidth + 1).length,
  }));
  assert.ok(page <= 391, `${what}: the page is ${page}px wide`);
  assert.equal(tables, 0, `${what}: a table wider than the phone`);
}
// Clicks the PDF link, keeps the file, and returns its text (pdftotext, no
// spaces); the first page rendered at 60 dpi lies next to the screenshots.
async function downloaded(p, selector, name) {
  const [dl] = await Promise.all([p.waitForEvent('download'), p.locator(selector).click()]);
  const file = path.join(SHOTS, `dues-${name}.pdf`);
  await dl.saveAs(file);
  execFileSync('pdftoppm', ['-q', '-png', '-r', '60', '-singlefile', file, path.join(SHOTS, `dues-${name}-pdf`)]);
  return execFileSync('pdftotext', ['-q', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}
const shot = (p, name) => p.screenshot({ path: path.join(SHOTS, `dues-${name}.png`), fullPage: true });
async function printed(p, name) {
  await p.emulateMedia({ media: 'print' });
  await shot(p, name + '-print');
  await p.emulateMedia({ media: 'screen' });
}

test('a member sees their dues and a receipt on the phone', async () => {
  const p = await login('dangyuan');
  await p.goto(srv.base + '/dues/my');
  await assert.doesNotReject(p.getByRole('heading', { name: '李志强的党费' }).waitFor());
  const paid = await p.locator('#dues-months tbody tr').filter({ hasText: '已缴' }).count();
  assert.ok(paid >= 6, `months paid: ${paid}`);
  await fits(p, 'my dues');
  await shot(p, 'member-my');
  await p.locator('#dues-months a[href^="/dues/receipts/"]').first().click();
  await p.waitForURL(/\/dues\/receipts\/\d+$/);
  assert.match(await p.locator('#receipt').innerText(), /李志强[\s\S]*陈集村/);
  await fits(p, 'receipt');
  await shot(p, 'member-receipt');
  await p.context().close();
});

test('the secretary records a payment and prints the receipt; a transfer letter is issued and confirmed by the other branch', async () => {
  const sec = await login('chenji');
  await sec.goto(srv.base + '/dues');
  await fits(sec, 'ledger');
  await shot(sec, 'ledger');
  await sec.screenshot({ path: path.join(SHOTS, 'dues-ledger-top.png') });
  await sec.locator('#arrears').scrollIntoViewIfNeeded();
  await sec.screenshot({ path: path.join(SHOTS, 'dues-ledger-arrears.png') });
  // the member flagged for six months in arrears
  const flagged = sec.locator('#arrears tr.dues-flagged a').first();
  const name = await flagged.innerText();
  await flagged.click();
  await sec.waitForURL(/\/dues\/members\/\d+$/);
  const owing = sec.locator('#dues-months input[name="months"]');
  assert.ok((await owing.count()) >= 6, 'six months or more to pay');
  await owing.nth(0).check();
  await owing.nth(1).check();
  await sec.getByLabel('缴纳方式').selectOption('cash');
  await fits(sec, 'member dues');
  await shot(sec, 'pay-form');
  await sec.getByRole('button', { name: '收缴所选月份' }).click();
  await sec.waitForURL(/\/dues\/receipts\/\d+$/);
  const receipt = await sec.locator('#receipt').innerText();
  assert.match(receipt, new RegExp(name));
  assert.match(receipt, /No\. DF\d{10}/);
  assert.match(receipt, /现金/);
  await fits(sec, 'receipt');
  await shot(sec, 'receipt');
  await printed(sec, 'receipt');
  await sec.pdf({ path: path.join(SHOTS, 'dues-receipt.pdf'), width: '148mm', height: '210mm' }).catch(() => {}); // headless only
  assert.ok(await sec.getByRole('button', { name: '打印收据' }).isVisible());
  const no = /No\. (DF\d{10})/.exec(receipt)[1];
  const rtext = await downloaded(sec, '#receipt-pdf', 'receipt-download');
  assert.ok(rtext.includes(`收据编号：${no}`) && rtext.includes(name) && rtext.includes('现金'), rtext);
  assert.match(rtext, /金额（大写）人民币\S+(元整|角|分)/);

  // a letter for a member of 陈集村 to 西街村
  await sec.goto(srv.base + '/transfers');
  await sec.locator('summary', { hasText: '开具介绍信' }).click();
  const options = await sec.locator('#f-member_id option').allInnerTexts();
  const pick = options.find((o) => /陈集村/.test(o) && !/张建国|李志强|赵丽/.test(o) && !o.startsWith(name));
  await sec.locator('#f-member_id').selectOption({ label: pick });
  await sec.getByLabel('类型').selectOption('internal');
  await sec.getByLabel('转入支部编码（镇内）').fill('CJZ-XJC');
  await sec.getByLabel('转接原因').fill('在西街村经营超市，就近参加组织生活');
  await shot(sec, 'transfer-form');
  await sec.getByRole('button', { name: '开具介绍信' }).click();
  await sec.waitForURL(/\/transfers\/\d+$/);
  const letterUrl = sec.url();
  const letter = await sec.locator('#letter').innerText();
  assert.match(letter, /西街村党支部/);
  assert.match(letter, /组转〔\d{4}〕\d+号/);
  assert.equal(await sec.locator('#transfer-state').innerText(), '待接收');
  await fits(sec, 'letter');
  await shot(sec, 'letter');
  await printed(sec, 'letter');
  const ltext = await downloaded(sec, '#letter-pdf', 'letter-download');
  const letterNo = /组转〔\d{4}〕\d+号/.exec(letter)[0];
  assert.ok(ltext.includes('（存根）') && ltext.split(letterNo).length - 1 >= 3 && ltext.includes('西街村党支部') && ltext.includes('党费已交至'), ltext);
  await sec.context().close();

  // 西街村 confirms
  const xj = await login('xijie');
  await xj.goto(srv.base + '/transfers');
  await fits(xj, 'transfers');
  await shot(xj, 'transfers-xijie');
  await xj.goto(letterUrl);
  await xj.getByRole('button', { name: '确认接收' }).click();
  await xj.waitForURL(letterUrl);
  assert.equal(await xj.locator('#transfer-state').innerText(), '已接收');
  await shot(xj, 'received');
  await xj.context().close();
  assert.deepEqual(errors, []);
});

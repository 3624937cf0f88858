// What was left of issue 10, in Chromium on a phone (390×844): the order
// form without JavaScript, submitted, the back button, submitted again: one
// order (§7); a resident without a code has them sent by SMS (§5); the branch
// downloads its filtered order list as .xlsx from the list (§11); the admin
// finds the accounts awaiting activation and prints a slip (§1). No page and
// no table is wider than the phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, BIN, PASSWORD, launchChromium, dbSql, shell } = require('../e2e/lib');

const SHOTS = path.join(path.dirname(BIN), 'screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-daily-'));
const SMS_LOG = path.join(tmp, 'sms.log');
let srv, browser;
const errors = [];

test.before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  srv = await startServer({ env: { DANGJIAN_SMS_LOG: SMS_LOG } });
  browser = await launchChromium();
});
test.after(async () => {
  if (browser) await browser.close();
  await srv.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no script errors');
});

function sql(q) {
  return dbSql(srv, q);
}
async function phone(opts = {}) {
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true, ...opts });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => errors.push(e.message));
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
const shot = (p, name, fullPage = true) => p.screenshot({ path: path.join(SHOTS, `daily-${name}.png`), fullPage });
async function login(p, username) {
  await p.goto(srv.base + '/login');
  await p.getByLabel('用户名或手机号').fill(username);
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.waitForURL(/\/console$/);
}

test('without JavaScript: submit, back, submit again: one order, the same tracking page', async () => {
  const p = await phone({ javaScriptEnabled: false });
  await p.goto(srv.base + '/order');
  await p.getByLabel('诉求内容').fill('楼道灯坏了，晚上看不见台阶');
  await p.getByLabel('所在村（社区）').selectOption('CJZ-CJC');
  await p.getByLabel('联系人').fill('钱奶奶');
  await p.getByLabel('手机号').fill('13900003333');
  await p.getByRole('button', { name: '提交' }).click();
  await p.waitForURL(/\/track\//);
  const first = p.url();
  await p.goBack();
  await p.waitForURL(/\/order$/);
  await shot(p, '1-back');
  assert.match(await p.content(), /这张表单刚刚已经提交过/);
  // the fields as the resident typed them (filled again if the browser did not keep them)
  if (!(await p.getByLabel('诉求内容').inputValue())) {
    await p.getByLabel('诉求内容').fill('楼道灯坏了，晚上看不见台阶');
    await p.getByLabel('所在村（社区）').selectOption('CJZ-CJC');
    await p.getByLabel('联系人').fill('钱奶奶');
    await p.getByLabel('手机号').fill('13900003333');
  }
  await p.getByRole('button', { name: '提交' }).click();
  await p.waitForURL(/\/track\//);
  assert.equal(p.url(), first);
  assert.equal(sql("SELECT COUNT(*) FROM orders WHERE contact_phone = '13900003333'"), '1');
  await fits(p, 'the tracking page');
});

test('no code at all: the resident has them sent by SMS from the tracking page', async () => {
  const p = await phone();
  await p.goto(srv.base + '/track');
  await p.getByRole('textbox', { name: '手机号' }).last().fill('13900003333');
  await p.getByRole('button', { name: '短信发送查询码' }).click();
  await p.locator('#codes-sent').waitFor();
  assert.match(await p.locator('#codes-sent').innerText(), /139\*{4}3333.*短信/);
  await fits(p, 'codes sent');
  await shot(p, '2-codes-sent');
  const code = sql("SELECT code FROM orders WHERE contact_phone = '13900003333'");
  assert.ok(sql("SELECT text FROM outbox WHERE channel = 'sms' AND recipient = '13900003333'").includes(code));
});

test('the branch downloads the filtered list as .xlsx from the list page', async () => {
  const p = await phone();
  await login(p, 'chenji');
  await p.goto(srv.base + '/orders?kind=need&sort=due');
  await fits(p, 'the order list');
  await shot(p, '3-list', false); // the head of a long list: filters, count, export
  const total = Number(/共 (\d+) 条/.exec(await p.locator('#orders-total').innerText())[1]);
  const [dl] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: '导出 Excel' }).click()]);
  const file = path.join(tmp, 'list.xlsx');
  await dl.saveAs(file);
  assert.match(dl.suggestedFilename(), /\.xlsx$/);
  const rows = JSON.parse(shell('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['诉求清单']
print(json.dumps([list(r) for r in ws.iter_rows(values_only=True)], ensure_ascii=False, default=str))`, file], { encoding: 'utf8' }));
  assert.equal(rows.length - 1, total);
  assert.ok(rows.slice(1).every((r) => r[2] === '需求'));
});

test('the admin finds the accounts awaiting activation and prints a slip from there', async () => {
  const sec = await phone();
  await login(sec, 'chenji');
  const mid = sql("SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.code LIKE 'CJZ-CJC%' AND m.user_id IS NULL AND m.status = 'active' AND m.phone <> '' ORDER BY m.id LIMIT 1");
  sec.on('dialog', (d) => d.accept());
  await sec.goto(`${srv.base}/members/${mid}`);
  await sec.getByRole('button', { name: '开通账号并生成激活码' }).click();
  const dlg = sec.locator('dialog.confirm-dialog');
  if (await dlg.isVisible().catch(() => false)) await dlg.getByRole('button', { name: '确定' }).click();
  await sec.locator('.slip-code').waitFor();

  const p = await phone();
  await login(p, 'admin');
  await p.goto(srv.base + '/admin/users');
  await p.getByRole('link', { name: /待激活/ }).click();
  await p.waitForURL(/status=pending/);
  assert.match(await p.locator('#users-total').innerText(), /共 1 个待激活用户/);
  await fits(p, 'accounts awaiting activation');
  await shot(p, '4-pending');
  await p.getByRole('button', { name: '激活单' }).click();
  const d = p.locator('dialog.confirm-dialog');
  await d.waitFor();
  await d.getByRole('button', { name: '确定' }).click();
  await p.locator('.slip-code').waitFor();
  await fits(p, 'the slip');
  await shot(p, '5-slip');
});

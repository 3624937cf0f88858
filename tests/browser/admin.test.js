// Admin pages and grids on a phone (issue 10 §9), in Debian's Chromium at
// 390×844: the branch records a 三长 on its grid, the 三长 collects a 社情民意
// from the phone and it is counted for them; the grid worker finds their grid
// from the navigation and registers a household; the admin saves a setting,
// runs a backup and searches the audit log; a resident taps 我要许愿. No page
// is wider than the phone; screenshots go to <build>/screenshots/admin-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const { PG } = lib;

const env = lib.setup();
const phone = (user) => env.page({ user: user || undefined, console: true });
const problems = env.errors;
// No page is wider than the phone.
const shot = async (p, name) => {
  await lib.fits(p, p.url(), { tables: false });
  await lib.shot(p, `admin-${name}`);
};

test('the branch records a 三长; the 三长 collects 社情民意 from the phone, counted for them', async () => {
  const b = await phone('chenji');
  await lib.navTo(b, '网格');
  await b.getByRole('link', { name: '陈集村第一网格' }).click();
  await b.getByRole('link', { name: '登记三长' }).click();
  await b.getByLabel('职责').selectOption('片长');
  await b.getByLabel('姓名').fill('刘建华');
  await b.getByLabel('手机号').fill('13700001111');
  await b.getByLabel('负责的住户或片区').fill('东街全片');
  await b.getByLabel('登录账号（可选）').fill('dangyuan');
  await b.getByRole('button', { name: '登记' }).click();
  await b.waitForURL(/\/grids\/CJC-G1$/);
  await assert.doesNotReject(b.getByText('三长已登记').waitFor());
  await shot(b, 'grid-branch');

  const m = await phone('dangyuan');
  await lib.navTo(m, '三长反映');
  await m.getByLabel('社情民意内容').fill('东街路灯坏了三盏，晚上出行不便');
  await m.getByLabel('反映人', { exact: true }).fill('赵大爷');
  await m.getByLabel('反映人手机号').fill('13600007777');
  await shot(m, 'collect-form');
  await m.getByRole('button', { name: '提交' }).click();
  await assert.doesNotReject(m.getByText('已提交').waitFor());
  await shot(m, 'collect-done');
  await m.context().close();

  await b.reload();
  const row = b.locator('tr', { hasText: '刘建华' });
  assert.equal((await row.locator('td').nth(1).innerText()).trim(), '1 件');
  await shot(b, 'grid-counted');
  await b.context().close();
});

test('the grid worker finds their grid from the navigation and registers a household', async () => {
  const p = await phone('wangge');
  await lib.navTo(p, '我的网格');
  await p.waitForURL(/\/grids\/CJC-G1$/);
  await p.getByRole('link', { name: '登记住户' }).click();
  await p.getByRole('button', { name: '保存' }).click();
  await assert.doesNotReject(p.getByText('请填写住址').waitFor());
  await shot(p, 'household-errors');
  await p.getByLabel('住址').fill('东阿县陈集镇陈集村东街 99 号');
  await p.getByLabel('户主').fill('王大山');
  await p.getByLabel('人口').fill('3');
  await p.getByRole('button', { name: '保存' }).click();
  await assert.doesNotReject(p.getByText('住户已登记').waitFor());
  await assert.doesNotReject(p.getByText('东街 99 号').waitFor());
  await shot(p, 'grid-worker');
  await p.context().close();
});

test('the admin saves a setting, runs a backup and searches the audit log', async () => {
  const p = await phone('admin');
  await p.goto(env.srv.base + '/admin/settings');
  await shot(p, 'settings');
  await p.getByLabel('一般诉求：点单后接单').fill('-1');
  await p.getByRole('button', { name: '保存设置' }).click();
  await assert.doesNotReject(p.getByText('应为大于 0 的小时数').first().waitFor());
  await shot(p, 'settings-error');
  await p.getByLabel('一般诉求：点单后接单').fill('12');
  await p.getByRole('button', { name: '保存设置' }).click();
  await assert.doesNotReject(p.getByText('已保存 1 项设置').waitFor());
  if (!PG) {
    await p.goto(env.srv.base + '/admin/backups');
    await p.getByRole('button', { name: '立即备份' }).click();
    await assert.doesNotReject(p.getByText('备份完成').waitFor());
    await shot(p, 'backups');
  }
  await p.goto(env.srv.base + '/audit');
  await p.getByLabel('检索').fill('order_limit');
  await p.getByRole('button', { name: '筛选' }).click();
  await assert.doesNotReject(p.locator('tbody td', { hasText: '修改站点设置' }).first().waitFor());
  await shot(p, 'audit-search');
  await p.getByLabel('开始日期').fill('2026-05-02');
  await p.getByLabel('结束日期').fill('2026-05-01');
  await p.getByRole('button', { name: '筛选' }).click();
  await assert.doesNotReject(p.getByText('结束日期不能早于开始日期').waitFor());
  await shot(p, 'audit-range-error');
  await p.context().close();
});

test('a resident taps 我要许愿 on the wish wall', async () => {
  const p = await phone(null);
  await p.goto(env.srv.base + '/wishes');
  await shot(p, 'wishes');
  await p.getByRole('link', { name: '我要许愿' }).click();
  await p.waitForURL(/\/order\?kind=wish$/);
  assert.equal(await p.getByLabel('诉求类型').inputValue(), 'wish');
  await p.context().close();
});

test('no page logged a console error or a Content-Security-Policy violation', () => {
  assert.deepEqual(problems, []);
});

// Browser journey of the dashboard (issue 17): the committee opens 数据统计
// for the town and this quarter, clicks the tallest bar of the breakdown by
// branch and lands on exactly the records it counts; the page fits a phone;
// the big screen at 1920×1080 shows every panel and both charts.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, PHONE, DESKTOP, shot, fits, navTo } = require('./lib');

const env = setup();

test('the committee opens the town for a quarter, clicks a bar and lands on its records (desktop)', async () => {
  const p = await env.page({ size: DESKTOP, user: 'zuzhi' });
  await navTo(p, '数据统计'); // its group's menu in the top bar (grouped navigation)
  await p.waitForURL(/\/dashboard/);
  await p.locator('#f-org').selectOption('CJZ');
  await p.locator('#f-preset').selectOption('quarter');
  await p.locator('#f-from').fill('');
  await p.locator('#f-to').fill('');
  await p.getByRole('button', { name: '统计' }).click();
  await p.waitForURL(/preset=quarter/);
  const chart = p.locator('#dash-branches[data-drawn="1"]');
  await chart.waitFor();
  await p.locator('#dash-trend[data-drawn="1"]').waitFor();
  await shot(p, 'dashboard-town-quarter-desktop');
  assert.equal(await p.locator('details.dash-group:not([open])').count(), 0, 'every group open on a desktop');
  const labels = (await chart.getAttribute('data-labels')).split('|');
  const values = (await chart.getAttribute('data-values')).split('|').map(Number);
  assert.ok(values[0] > 0, 'the tallest bar has records');
  // the first bar (sorted, the tallest): its centre, just above the axis
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  const left = 40, right = 16, bottom = 90;
  const x = box.x + left + ((box.width - left - right) / labels.length) * 0.5;
  const y = box.y + box.height - bottom - 4;
  await p.mouse.click(x, y);
  await p.waitForURL(/\/orders\?/);
  const total = await p.locator('#orders-total').innerText();
  assert.equal(total, `共 ${values[0]} 条`, `${labels[0]}: the list behind the bar`);
  const rowOrgs = await p.locator('table.cards tbody tr td[data-label="支部"]').allInnerTexts().catch(() => []);
  for (const o of rowOrgs) assert.equal(o.trim(), labels[0]);
  await shot(p, 'dashboard-bar-records-desktop');
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

test('the dashboard on a phone: every figure a link, nothing wider than the screen', async () => {
  const p = await env.page({ size: PHONE, user: 'zuzhi' });
  await p.goto(env.srv.base + '/dashboard?org=CJZ&preset=year');
  await p.locator('#dash-trend[data-drawn="1"]').waitFor();
  await fits(p, '/dashboard');
  const n = await p.locator('a.dash-figure').count();
  assert.ok(n >= 11, `${n} figures`);
  await shot(p, 'dashboard-phone');
  // every mechanism's group: on a phone all but the first start folded; a tap opens one
  const groups = p.locator('details.dash-group');
  const ng = await groups.count();
  assert.ok(ng >= 8, `${ng} groups`);
  assert.equal(await groups.first().getAttribute('open'), '');
  assert.equal(await groups.nth(1).getAttribute('open'), null, 'folded on a phone');
  const vol = p.locator('details.dash-group', { has: p.getByRole('heading', { name: '志愿服务' }) });
  await vol.locator('summary').click();
  const fig = vol.locator('a.dash-figure[data-key="volunteer.activities"]');
  await fig.waitFor();
  const value = Number(await fig.getAttribute('data-value'));
  await p.screenshot({ path: require('node:path').join(require('./lib').SHOTS, 'dashboard-phone-groups.png') });
  await fig.click();
  await p.waitForURL(/\/dashboard\/records\?/);
  assert.equal(await p.locator('#records-total').innerText(), `共 ${value} 次`);
  await fits(p, 'records');
  await shot(p, 'dashboard-records-phone');
  await p.screenshot({ path: require('node:path').join(require('./lib').SHOTS, 'dashboard-records-phone-top.png') });
  // each row opens its record: the activity's own page
  const row = p.locator('a.record-link').first();
  const title = (await row.innerText()).trim();
  assert.equal(await row.getAttribute('data-kind'), 'volunteer');
  await row.click();
  await p.waitForURL(/\/volunteer\/\d+$/);
  await p.getByRole('heading', { name: title }).first().waitFor();
  await p.goto(env.srv.base + '/campaigns');
  await p.getByRole('link', { name: /红色陈集/ }).click();
  await p.getByRole('heading', { name: '按负责部门' }).waitFor();
  // the implementing plan as a file: uploaded, then listed as a link
  await p.locator('#f-plan-file').setInputFiles({ name: '红色陈集实施方案.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await p.locator('#plan-file').getByRole('button', { name: '上传', exact: true }).click();
  await p.getByText('实施方案文件已上传').waitFor();
  await p.locator('a.plan-file-link', { hasText: '红色陈集实施方案.pdf' }).waitFor();
  await p.locator('#plan-file').scrollIntoViewIfNeeded();
  await p.screenshot({ path: require('node:path').join(require('./lib').SHOTS, 'campaign-phone-plan-file.png') });
  await fits(p, 'campaign overview');
  await shot(p, 'campaign-phone');
  await p.screenshot({ path: require('node:path').join(require('./lib').SHOTS, 'campaign-phone-top.png') });
  await p.locator('.task-overdue').first().scrollIntoViewIfNeeded();
  await p.screenshot({ path: require('node:path').join(require('./lib').SHOTS, 'campaign-phone-tasks.png') });
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

test('the big screen at 1920×1080 renders every panel and both charts', async () => {
  const p = await env.page({ size: DESKTOP, user: 'zuzhi' });
  await p.goto(env.srv.base + '/dashboard/displays');
  await p.getByLabel('屏幕名称').fill('党群服务中心大厅');
  await p.getByLabel('显示哪个组织的数据').selectOption({ label: '中共陈集镇委员会' });
  await p.getByRole('button', { name: '发放' }).click();
  const url = await p.locator('code.screen-url').innerText();
  await p.context().close();
  const ctx = await env.browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const s = await ctx.newPage();
  s.on('pageerror', (e) => env.errors.push(String(e)));
  await s.goto(env.srv.base + url);
  await s.locator('#screen-trend[data-drawn="1"]').waitFor();
  await s.locator('#screen-branches[data-drawn="1"]').waitFor();
  const panels = await s.locator('.screen-panel').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { h: e.querySelector('h2').innerText, top: r.top, bottom: r.bottom, w: r.width };
  }));
  await s.screenshot({ path: require('node:path').join(require('./lib').SHOTS, 'screen-1920.png') });
  assert.ok(panels.length >= 5, `${panels.length} panels`);
  for (const q of panels) assert.ok(q.bottom <= 1080 && q.w > 200, `${q.h}: within the screen (${JSON.stringify(q)})`);
  const big = await s.locator('.screen-num b').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(big >= 48, 'numbers readable from across a room');
  await s.screenshot({ path: require('node:path').join(require('./lib').SHOTS, 'screen-1920.png') });
  assert.deepEqual(env.errors, []);
  await ctx.close();
});

// Browser journey of branch assessment (issue 16) at 390×844: the committee
// opens last month's check, drills from a score to the orders behind it and
// from 三会一课 to the meetings and the compliance table,
// publishes the bulletin with a remark and downloads its PDF; a branch
// secretary is told of the bulletin in its inbox, finds its own row in it, and
// sees its rank and star history in 支部考核 and on its own org page.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { setup, fits, shot, SHOTS, navTo } = require('./lib');

const env = setup({ console: true });

test('the committee: the monthly check, a drill-down, publishing the bulletin, its PDF', async () => {
  const p = await env.page({ user: 'zuzhi' });
  await navTo(p, '支部考核'); // the phone's 全部功能 page (grouped navigation)
  await p.waitForURL(/\/assessment$/);
  await assert.doesNotReject(p.locator('#check-summary').waitFor());
  await fits(p, 'the monthly check');
  await shot(p, 'assess-check-phone');
  await p.screenshot({ path: path.join(SHOTS, 'assess-check-top-phone.png') }); // the first screen, to look at
  // from 陈集村's acceptance score to its orders
  const cell = p.locator('tr[data-org="CJZ-CJC"] td[data-item="order_accept"] a');
  const score = (await cell.innerText()).trim();
  assert.match(score, /^\d+\.\d\d$/);
  await cell.click();
  await p.waitForURL(/\/assessment\/check\/CJZ-CJC\/\d{4}-\d{2}\/order_accept$/);
  assert.match(await p.locator('#drill-summary').innerText(), new RegExp(`得分 ${score.replace('.', '\\.')}`));
  const orders = p.locator('.drill-list li[data-kind="order"] a');
  assert.ok((await orders.count()) > 0, 'the orders behind the score');
  await fits(p, 'the drill-down');
  await shot(p, 'assess-drill-phone');
  await orders.first().click();
  await p.waitForURL(/\/orders\/\d+$/);
  // from 陈集村's 三会一课 score to the meetings held and the compliance table
  await p.goBack();
  await p.goBack();
  const mcell = p.locator('tr[data-org="CJZ-CJC"] td[data-item="meetings"] a');
  const mscore = (await mcell.innerText()).trim();
  assert.match(mscore, /^\d+\.\d\d$/, 'the demo\'s meetings give 三会一课 a score');
  await mcell.click();
  await p.waitForURL(/\/assessment\/check\/CJZ-CJC\/\d{4}-\d{2}\/meetings$/);
  const held = p.locator('.drill-list li[data-kind="meeting"] a');
  assert.ok((await held.count()) > 0, 'the meetings behind the score');
  assert.ok((await p.locator('.drill-list li[data-kind="requirement"]').count()) > 0, 'the required types, held or missed');
  await fits(p, 'the meetings drill-down');
  await shot(p, 'assess-drill-meetings-phone');
  await held.first().click();
  await p.waitForURL(/\/meetings\/\d+$/);
  await p.goBack();
  await p.locator('.drill-list li[data-kind="requirement"] a').first().click();
  await p.waitForURL(/\/meetings\/report\?org=CJZ-CJC/);
  await assert.doesNotReject(p.getByText('三会一课落实情况').first().waitFor());
  // the bulletin of last month: the draft, a remark, publish
  await p.goBack();
  await p.goBack();
  await p.getByRole('link', { name: '生成月通报' }).click();
  await assert.doesNotReject(p.locator('#bulletin-summary').waitFor());
  await p.getByLabel('党委点评（可选）').fill('请各支部对照细则，补齐主题党日缺项。');
  await fits(p, 'the draft bulletin');
  await shot(p, 'assess-bulletin-draft-phone');
  await p.getByRole('button', { name: /发布/ }).click();
  await assert.doesNotReject(p.getByText('月通报已发布').waitFor());
  assert.match(await p.locator('#bulletin-remarks').innerText(), /补齐主题党日缺项/);
  const summary = await p.locator('#bulletin-summary').innerText();
  await fits(p, 'the published bulletin');
  await shot(p, 'assess-bulletin-phone');
  const [dl] = await Promise.all([p.waitForEvent('download'), p.locator('#bulletin-pdf').click()]);
  const file = path.join(SHOTS, 'assess-bulletin.pdf');
  await dl.saveAs(file);
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  const n = /收集需求清单(\d+)项/.exec(summary);
  if (n) assert.match(text, new RegExp(`收集需求清单${n[1]}项`));
  const red = /召开红色“七点半”会议(\d+)次/.exec(summary);
  assert.ok(red, 'the demo\'s 红色七点半 meetings are in the bulletin');
  assert.match(text, new RegExp(`召开红色“七点半”会议${red[1]}次`));
  assert.match(text, /补齐主题党日缺项/);
  assert.match(text, /月检查排名/);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file, path.join(SHOTS, 'assess-bulletin-pdf')]);
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

test('a branch secretary: its rank and its star history', async () => {
  const p = await env.page({ user: 'chenji' });
  await navTo(p, '支部考核'); // the phone's 全部功能 page (grouped navigation)
  await p.waitForURL(/\/assessment$/);
  // its own branch only
  assert.equal(await p.locator('table.check-table tbody tr').count(), 1);
  await p.getByRole('link', { name: '本支部' }).click();
  await assert.doesNotReject(p.getByRole('heading', { name: '陈集村党支部' }).waitFor());
  const ranks = await p.locator('table.rank-table tbody tr').count();
  assert.ok(ranks >= 3, 'the demo publishes the bulletins of the past months');
  assert.match(await p.locator('table.rank-table td.rank').first().innerText(), /第 \d+ 名 \/ \d+/);
  assert.ok((await p.locator('table.star-history tbody tr').count()) >= 1, 'last year\'s stars');
  assert.match(await p.locator('table.star-history').innerText(), /\d 星/);
  await fits(p, 'the branch page');
  await shot(p, 'assess-branch-phone');

  // the bulletin the committee published above reached the secretary's inbox, with its place
  await p.goto(env.srv.base + '/inbox');
  const notice = p.locator('a', { hasText: /党建工作月通报已发布（第 \d+ 版）：陈集村党支部/ }).first();
  await assert.doesNotReject(notice.waitFor());
  const told = /排名第 (\d+) \/ (\d+)/.exec(await notice.innerText());
  assert.ok(told, 'the notice names its rank');
  await shot(p, 'assess-inbox-bulletin-phone');
  await notice.click();
  await p.waitForURL(/\/assessment\/bulletins\/\d+$/);
  const mine = p.locator('table.bulletin-table tr.mine');
  assert.equal(await mine.count(), 1, 'its own row marked');
  assert.match(await mine.innerText(), /陈集村党支部（本支部）/);
  assert.equal((await mine.locator('td[data-label="名次"]').innerText()).trim(), told[1], 'the rank told is the rank in the bulletin');
  await fits(p, 'the bulletin as the branch sees it');
  await mine.scrollIntoViewIfNeeded();
  await p.screenshot({ path: path.join(SHOTS, 'assess-bulletin-mine-phone.png') });

  // its own page in 组织架构: the latest rank, the star history, its excellent-branch titles
  await p.goto(env.srv.base + '/assessment/branch');
  await p.getByRole('link', { name: '本支部组织页面' }).click();
  await p.waitForURL(/\/orgs\/\d+$/);
  const card = p.locator('#org-assess');
  await assert.doesNotReject(card.waitFor());
  assert.match(await card.locator('#org-rank').innerText(), new RegExp(`第 ${told[1]} 名 / 共 ${told[2]} 个支部`));
  assert.ok((await card.locator('table.star-history tbody tr').count()) >= 1, 'last year\'s stars');
  assert.match(await card.locator('table.star-history').innerText(), /★+\s+\d 星/);
  assert.match(await card.locator('.excellent-titles').innerText(), /优秀党支部/);
  // the org page's own 变更记录 table is older and scrolls in its wrapper: the page and this section fit
  await fits(p, 'the branch\'s org page', { tables: false });
  assert.ok((await card.locator('table.star-history').boundingBox()).width <= 390, 'the star history fits the phone');
  await card.scrollIntoViewIfNeeded();
  await p.screenshot({ path: path.join(SHOTS, 'assess-org-page-phone.png') });
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

test('the quarter, the stars with the excellent branches, and the rules fit the phone', async () => {
  const p = await env.page({ user: 'zuzhi' });
  for (const [url, name, sel] of [['/assessment/quarter', 'quarter', 'table.quarter-table'], ['/assessment/stars', 'stars', 'table.stars-table'],
    ['/assessment/rules', 'rules', 'input[name="w_themeday"]'], ['/assessment/bulletins', 'bulletins', 'ul.bulletin-list li']]) {
    await p.goto(env.srv.base + url);
    await assert.doesNotReject(p.locator(sel).first().waitFor(), url);
    await fits(p, url);
    await shot(p, `assess-${name}-phone`);
  }
  assert.match(await p.locator('body').innerText(), /月通报/);
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

test('a month before the demo town entered the system: every branch 未纳入考核, and last year rated from its first month', async () => {
  const p = await env.page({ user: 'zuzhi' });
  // the demo town entered the system on the first day of its window of
  // records (src/demo.h): eleven months before the current month, twelve in
  // December; the month before that is the one to look at
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const back = now.getUTCMonth() === 11 ? 13 : 12;
  const before = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  const month = before.toISOString().slice(0, 7);
  await p.goto(`${env.srv.base}/assessment?month=${month}`);
  assert.match(await p.locator('#check-summary').innerText(), /尚无支部参加月检查：支部自纳入系统的月份起参加月检查，这 \d+ 个支部都在 \d{4}-\d{2} 之后才纳入系统（最早自 \d{4}-\d{2} 起考核）/);
  const rows = p.locator('table.check-table tbody tr');
  assert.equal(await rows.count(), await p.locator('table.check-table tbody tr.notin').count(), 'every branch 未纳入考核');
  assert.match(await rows.first().innerText(), /未纳入考核/);
  await fits(p, 'the check of a month before the town entered');
  await shot(p, 'assess-check-notin-phone');
  // last year's stars come from the months the town was in: not everyone at one star
  await p.goto(`${env.srv.base}/assessment/stars`);
  const stars = await p.locator('table.stars-table tbody td[data-label="星级"]').allInnerTexts();
  assert.ok(stars.length > 0 && stars.every((s) => /^[1-5] 星/.test(s)), stars.join(','));
  // whichever month the demo is made in, last year ends with a December of
  // every module's records (src/demo.h): its stars are spread from 5 星 — the
  // model branch 陈集村, from its records — down to 2 星 or fewer, not all alike
  assert.ok(stars.some((s) => /^5 星/.test(s)), stars.join(','));
  assert.ok(stars.some((s) => /^[12] 星/.test(s)), stars.join(','));
  assert.ok(new Set(stars.map((s) => s[0])).size >= 3, stars.join(','));
  const model = p.locator('table.stars-table tbody tr[data-org="CJZ-CJC"]');
  assert.match(await model.locator('td[data-label="星级"]').innerText(), /^5 星/);
  assert.ok(Number(await model.locator('td[data-label="基础分"]').innerText()) >= 87, 'its basic score, from its records');
  await model.scrollIntoViewIfNeeded();
  await shot(p, 'assess-stars-demo-phone');
  assert.deepEqual(env.errors, []);
  await p.context().close();
});

// The navigation (layout.c nav_draw) as each role uses it, at 390×844 and at
// 1280×800: on a phone the bottom tab bar and the 全部功能 page, on a desktop
// the groups as menus in the bar. Every link the role may see (`dangjian
// routes --nav`) is reached by clicking, the page it opens marks it
// aria-current, and no page is wider than the screen. The menus work by
// keyboard; screenshots go to <build>/screenshots/nav-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const path = require('node:path');
const { PHONE, DESKTOP, fits } = lib;
// what the screen shows (the tab bar is fixed to its bottom edge)
const shot = (p, name) => p.screenshot({ path: path.join(lib.SHOTS, `${name}.png`) });

const USERS = { admin: 'admin', zuzhi: 'committee', chenji: 'branch', dangyuan: 'member', wangge: 'grid', jiwei: 'reviewer' };
const table = lib.run(['routes', '--nav']).trim().split('\n').map((l) => l.split('\t'));
const rows = (key) => table.filter((r) => r[0] === key).map(([, href, label, group]) => ({ href, label, group }));
// what a role's phone keeps at hand differs: the committee is not a member
const TABS = {
  zuzhi: ['工作台', '诉求办理', '统计', '消息', '全部'],
  dangyuan: ['工作台', '会议', '我的积分', '消息', '全部'],
  wangge: ['工作台', '我的网格', '诉求办理', '消息', '全部'],
  jiwei: ['工作台', '评审征询', '榜样评选', '消息', '全部'],
};

// links that redirect to the record they stand for: 我的网格 to the worker's own grid
const LANDS = { '/grids/mine': /^\/grids\/[\w-]+$/ };
const landed = (href) => (u) => u.pathname === href || (LANDS[href] && LANDS[href].test(u.pathname));
const currentOn = async (p, href) => new URL(p.url()).pathname !== href || (await current(p)).includes(href);

const env = lib.setup({ console: true });
const labels = async (loc) => (await loc.allInnerTexts()).map((t) => t.replace(/\s*\d+\+?$/, '').trim());
const current = (p) => p.locator('[aria-current="page"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

for (const [user, key] of Object.entries(USERS)) {
  const nav = rows(key);
  const groups = [...new Set(nav.map((r) => r.group))];

  test(`${user} on a phone: tabs, 全部功能, and every link reached from there`, async () => {
    const p = await env.page({ size: PHONE, user, console: true });
    const bar = p.locator('nav.tabbar');
    assert.ok(await bar.isVisible());
    assert.ok(!(await p.locator('nav.mainnav').isVisible()));
    const tabs = await labels(bar.locator('a'));
    if (TABS[user]) assert.deepEqual(tabs, TABS[user]);
    assert.ok(tabs.length <= 5, `${user}: ${tabs}`);
    // the bar sits on the bottom edge and covers nothing at the end of the page
    const box = await bar.boundingBox();
    assert.ok(Math.abs(box.y + box.height - 844) <= 1, `the tab bar ends at ${box.y + box.height}`);
    assert.deepEqual([...new Set(await current(p))], ['/console']);
    assert.equal(await bar.locator('[aria-current="page"]').getAttribute('href'), '/console');
    await fits(p, `${user} console`, { tables: false });
    await shot(p, `nav-${user}-phone-console`);

    await bar.getByRole('link', { name: '全部', exact: true }).click();
    await p.waitForURL(/\/menu$/);
    assert.equal(await bar.locator('a[aria-current="page"]').getAttribute('href'), '/menu');
    assert.deepEqual(await p.locator('.navpage h2').allInnerTexts(), groups);
    const links = await p.locator('.navpage a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, nav.map((r) => r.href));
    await fits(p, `${user} 全部功能`, { tables: false });
    await shot(p, `nav-${user}-phone-menu`);

    for (const { href, label } of nav) {
      await p.goto(env.srv.base + '/menu');
      const link = p.locator(`.navpage a[href="${href}"]`);
      assert.equal((await link.innerText()).replace(/\s*\d+\+?$/, ''), label);
      await link.click();
      await p.waitForURL(landed(href));
      assert.ok(await currentOn(p, href), `${user} ${href}: aria-current on its link`);
      await fits(p, `${user} ${href}`, { tables: false });
    }
    await p.context().close();
  });

  test(`${user} on a desktop: the groups as menus in the bar, every link reached, by mouse and keyboard`, async () => {
    const p = await env.page({ size: DESKTOP, user, console: true });
    const bar = p.locator('nav.mainnav');
    assert.ok(await bar.isVisible());
    assert.ok(!(await p.locator('nav.tabbar').isVisible()));
    // a group of several links is a menu under its label; one of one link is that link
    const menus = groups.filter((g) => g !== '常用' && nav.filter((r) => r.group === g).length > 1);
    assert.deepEqual(await bar.locator('summary').allInnerTexts(), menus);
    await shot(p, `nav-${user}-desktop-console`);

    for (const { href, group } of nav) {
      const link = bar.locator(`a[href="${href}"]`);
      if (menus.includes(group)) {
        assert.ok(!(await link.isVisible()), `${href} waits in its closed menu`);
        await bar.locator('summary', { hasText: group }).click();
      }
      assert.ok(await link.isVisible(), `${user}: ${href} under ${group}`);
      if (href === nav.find((r) => r.group === menus[0])?.href) await shot(p, `nav-${user}-desktop-menu`);
      await link.click();
      await p.waitForURL(landed(href));
      assert.ok(await currentOn(p, href), `${user} ${href}: aria-current on its link`);
      if (menus.includes(group) && new URL(p.url()).pathname === href)
        assert.ok(await bar.locator('summary.active', { hasText: group }).isVisible(), `${group} marked as the current menu`);
      await fits(p, `${user} ${href}`, { tables: false, width: 1280 });
    }

    if (menus.length) {
      // keyboard: Enter opens a menu, Tab goes into it, Escape closes it back onto its label
      await p.goto(env.srv.base + '/console');
      const summary = bar.locator('summary').first();
      await summary.focus();
      await p.keyboard.press('Enter');
      assert.equal(await bar.locator('details[open]').count(), 1);
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement.closest('.navmenu') !== null), true);
      await p.keyboard.press('Escape');
      assert.equal(await bar.locator('details[open]').count(), 0);
      assert.equal(await p.evaluate(() => document.activeElement.tagName), 'SUMMARY');
      // one menu open at a time; a click elsewhere closes it
      if (menus.length > 1) {
        await bar.locator('summary').nth(0).click();
        await bar.locator('summary').nth(1).click();
        // the toggle event that closes the first comes as a task of its own
        await p.waitForFunction(() => document.querySelectorAll('details.navgroup[open]').length === 1);
        assert.equal(await bar.locator('details[open] summary').innerText(), menus[1]);
      }
      await p.locator('h1').click();
      assert.equal(await bar.locator('details[open]').count(), 0);
    }
    await p.context().close();
  });
}

test('without JavaScript the menus open and the tab bar and 全部功能 work', async () => {
  const ctx = await env.browser.newContext({ ...DESKTOP, javaScriptEnabled: false });
  const p = await ctx.newPage();
  await lib.login(p, env.srv.base, 'zuzhi');
  await p.locator('nav.mainnav summary', { hasText: '组织生活' }).click();
  await p.locator('nav.mainnav').getByRole('link', { name: '会议', exact: true }).click();
  await p.waitForURL(/\/meetings$/);
  await ctx.close();
  const phone = await env.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const m = await phone.newPage();
  await lib.login(m, env.srv.base, 'dangyuan');
  await m.locator('nav.tabbar').getByRole('link', { name: '全部', exact: true }).click();
  await m.locator('.navpage').getByRole('link', { name: '志愿服务', exact: true }).click();
  await m.waitForURL(/\/volunteer$/);
  await phone.close();
});

test('a visitor keeps the one row of public links, with no tab bar', async () => {
  const p = await env.page({ size: PHONE });
  await p.goto(env.srv.base + '/');
  assert.deepEqual(await labels(p.locator('nav.mainnav a')), rows('public').map((r) => r.label));
  assert.equal(await p.locator('nav.tabbar').count(), 0);
  await fits(p, 'home', { tables: false });
  await p.context().close();
});

test('no page logged a console error or a Content-Security-Policy violation', () => {
  assert.deepEqual(env.errors, []);
});

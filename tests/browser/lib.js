// What every browser test file needs: a server with the demo town and a
// Chromium for the whole file, pages at phone or desktop size that collect
// script errors, logging in through the login form, the checks that a page
// fits the phone, and screenshots (into the build directory's screenshots/,
// to be looked at). Each file still says what it tests; this is the setting.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const e2e = require('../e2e/lib');

const SHOTS = path.join(path.dirname(e2e.BIN), 'screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

// A 4xx the page asked for on purpose (a refused form, a rate limit) is not a script error.
const EXPECTED_CONSOLE = /Failed to load resource: the server responded with a status of 4(01|22|29)/;

// Starts the file's server and browser before its tests and stops them
// after. env.srv and env.browser are set once before() ran; env.errors
// collects every page's script errors (and console errors, with console:
// true) for the file to assert empty. opts.server goes to startServer.
function setup(opts = {}) {
  const env = { srv: null, browser: null, errors: [] };
  test.before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    env.srv = await e2e.startServer(opts.server);
    env.browser = await e2e.launchChromium();
    if (opts.before) await opts.before(env);
  });
  test.after(async () => {
    if (env.browser) await env.browser.close();
    if (env.srv) await env.srv.stop();
  });
  // A new page in a context of its own (its own cookies), at phone size
  // unless size says otherwise; confirmation dialogs are accepted. With
  // user, logged in through the form and on the console.
  env.page = async ({ size = PHONE, user, console: consoleErrors = opts.console, dialogs = true } = {}) => {
    const ctx = await env.browser.newContext(size);
    const p = await ctx.newPage();
    p.on('pageerror', (e) => env.errors.push(`${p.url()}: ${e.message}`));
    if (consoleErrors)
      p.on('console', (m) => {
        if (m.type() === 'error' && !EXPECTED_CONSOLE.test(m.text())) env.errors.push(`${p.url()}: ${m.text()}`);
      });
    if (dialogs) p.on('dialog', (d) => d.accept());
    if (user) await login(p, env.srv.base, user);
    return p;
  };
  return env;
}

// Logs p in through the login form as a demo user and waits for the console.
async function login(p, base, user, password = e2e.PASSWORD) {
  await p.goto(base + '/login');
  await p.getByLabel('用户名').fill(user);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
  await p.waitForURL(/\/console$/);
}

// Nothing on the page is wider than the phone; with tables (the default), no
// table is wider and none scrolls sideways in its wrapper.
async function fits(p, what = p.url(), { tables = true, width = 390 } = {}) {
  const r = await p.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    tables: [...document.querySelectorAll('table')].map((t) => t.getBoundingClientRect().width),
    wraps: [...document.querySelectorAll('.table-wrap')].map((w) => w.scrollWidth - w.clientWidth),
  }));
  assert.ok(r.doc <= width, `${what}: the page is ${r.doc}px wide`);
  if (!tables) return;
  for (const w of r.tables) assert.ok(w <= width, `${what}: a table is ${w}px wide`);
  for (const w of r.wraps) assert.ok(w <= 0, `${what}: a table scrolls sideways by ${w}px`);
}

// A full-page screenshot, SHOTS/name.png.
const shot = (p, name) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

// Follows a link of the navigation as a user does (layout.c nav_draw): on a
// phone its tab in the bottom bar, or 全部 and then the link on the 全部功能
// page; on a wide screen the link in the bar, or its group's menu opened
// first. label: the link's text (exact).
async function navTo(p, label) {
  const tabbar = p.locator('nav.tabbar');
  if (await tabbar.isVisible()) {
    const tab = tabbar.getByRole('link', { name: label, exact: true });
    if (await tab.count()) return tab.click();
    await tabbar.getByRole('link', { name: '全部', exact: true }).click();
    await p.waitForURL(/\/menu$/);
    return p.locator('.navpage').getByRole('link', { name: label, exact: true }).click();
  }
  const link = p.locator('nav.mainnav').getByRole('link', { name: label, exact: true, includeHidden: true }).first();
  if (!(await link.isVisible())) await link.locator('xpath=ancestor::details[1]/summary').click();
  return link.click();
}

// The confirmation step of an irreversible action (app.js's dialog): accepted.
const confirmed = (p) => p.locator('dialog.confirm-dialog').getByRole('button', { name: '确定' }).click();

module.exports = { ...e2e, SHOTS, PHONE, DESKTOP, setup, login, fits, shot, confirmed, navTo };

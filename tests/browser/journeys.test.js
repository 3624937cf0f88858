// Browser journeys in Debian's Chromium (playwright-core): every role logs in
// on a phone, finds its navigation, switches to 繁體 and back; screenshots go
// to <build>/screenshots/. No page may log a console error or a CSP violation.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const { PHONE, DESKTOP } = lib;

// What each role's navigation holds, in order, and the group each link is
// under: the table the modules declare (`dangjian routes --nav`: ROLE, HREF,
// LABEL, GROUP, the same entries layout.c draws), so a new mechanism's links
// are expected without editing this file. The core of each role is pinned
// below as well, with its group, so a lost or regrouped link still fails.
const ROLE_KEY = { admin: 'admin', zuzhi: 'committee', chenji: 'branch', dangyuan: 'member', wangge: 'grid', jiwei: 'reviewer' };
const navTable = lib.run(['routes', '--nav']).trim().split('\n').map((l) => l.split('\t'));
const ROWS = Object.fromEntries(Object.entries(ROLE_KEY).map(([user, key]) => [user, navTable.filter((r) => r[0] === key)]));
const NAV = Object.fromEntries(Object.entries(ROWS).map(([user, rows]) => [user, rows.map((r) => r[2])]));
const G = { top: '常用', orders: '诉求服务', party: '党员管理', life: '组织生活', eval: '评选考核', sys: '系统', account: '账户' };
const CORE = {
  admin: [['工作台', G.top], ['消息', G.top], ['诉求办理', G.orders], ['统计', G.orders], ['网格', G.orders], ['组织架构', G.party], ['党员花名册', G.party],
    ['用户管理', G.sys], ['站点设置', G.sys], ['数据备份', G.sys], ['审计日志', G.sys], ['修改密码', G.account]],
  zuzhi: [['工作台', G.top], ['消息', G.top], ['诉求办理', G.orders], ['统计', G.orders], ['网格', G.orders], ['组织架构', G.party], ['党员花名册', G.party],
    ['会议', G.life], ['榜样评选', G.eval], ['审计日志', G.sys], ['修改密码', G.account]],
  chenji: [['工作台', G.top], ['消息', G.top], ['诉求办理', G.orders], ['统计', G.orders], ['网格', G.orders], ['组织架构', G.party], ['党员花名册', G.party],
    ['会议', G.life], ['修改密码', G.account]],
  dangyuan: [['工作台', G.top], ['消息', G.top], ['诉求办理', G.orders], ['三长反映', G.orders], ['组织架构', G.party], ['党员花名册', G.party],
    ['会议', G.life], ['修改密码', G.account]],
  wangge: [['工作台', G.top], ['消息', G.top], ['诉求办理', G.orders], ['我的网格', G.orders], ['组织架构', G.party], ['党员花名册', G.party], ['修改密码', G.account]],
  jiwei: [['工作台', G.top], ['消息', G.top], ['组织架构', G.party], ['榜样评选', G.eval], ['评审征询', G.eval], ['修改密码', G.account]],
};
const NOT = { dangyuan: ['用户管理', '审计日志', '统计'], wangge: ['用户管理', '审计日志'], jiwei: ['诉求办理', '党员花名册', '用户管理'], chenji: ['用户管理', '审计日志'] };
test('the navigation table holds each role\'s core links in order under their groups, and none it must not', () => {
  for (const [user, core] of Object.entries(CORE)) {
    const labels = core.map(([t]) => t);
    const shown = ROWS[user].filter((r) => labels.includes(r[2])).map((r) => [r[2], r[3]]);
    assert.deepEqual(shown, core, user);
    for (const t of NOT[user] || []) assert.ok(!NAV[user].includes(t), `${user} must not see ${t}`);
    // a group's links are together: the table is in the order it is shown
    const groups = ROWS[user].map((r) => r[3]).filter((g, i, a) => i === 0 || a[i - 1] !== g);
    assert.equal(new Set(groups).size, groups.length, `${user}: ${groups}`);
  }
});
const ROLE = { admin: '系统管理员', zuzhi: '镇党委', chenji: '支部书记', dangyuan: '党员', wangge: '网格员', jiwei: '联审部门' };
const HANT = { '统计': '統計', '诉求办理': '訴求辦理', '党员花名册': '黨員花名冊', '组织架构': '組織架構', '审计日志': '審計日誌', '修改密码': '修改密碼', '用户管理': '用戶管理', '工作台': '工作臺',
  '网格': '網格', '我的网格': '我的網格', '三长反映': '三長反映', '站点设置': '站點設置', '数据备份': '數據備份', '志愿服务': '志願服務',
  '微党课': '微黨課', '主题党日': '主題黨日', '我的积分': '我的積分', '积分排名': '積分排名', '积分调整': '積分調整' };

const env = lib.setup({ console: true });
const problems = env.errors;
const page = (size) => env.page({ size, dialogs: false });
const login = (p, user) => lib.login(p, env.srv.base, user);

// the labels of the links in loc, without the unread badge of 消息 (a number)
const texts = async (loc) => (await loc.allInnerTexts()).map((t) => t.replace(/\s*\d+\+?$/, '').trim());
// on a phone: the bottom tab bar; all of the navigation on the 全部功能 page
const tabTexts = (p) => texts(p.locator('nav.tabbar a'));
const menuTexts = (p) => texts(p.locator('.navpage a'));

const { shot } = lib;

for (const user of Object.keys(NAV)) {
  test(`${user} logs in on a phone, finds its tabs and 全部功能, and reads them in 繁體`, async () => {
    const p = await page(PHONE);
    await login(p, user);
    // the role and org line is folded away on narrow screens, but it is in the header
    assert.ok((await p.locator('.whoami').textContent()).includes(ROLE[user]));
    assert.ok(!(await p.locator('nav.mainnav').isVisible()), 'the bar of menus is for wide screens');
    const tabs = await tabTexts(p);
    assert.equal(tabs[0], '工作台');
    assert.equal(tabs.at(-1), '全部');
    assert.ok(tabs.length >= 4 && tabs.length <= 5, `${user}: ${tabs}`);
    for (const t of tabs.slice(0, -1)) assert.ok(NAV[user].includes(t), `${user}: the tab ${t} is a link of its navigation`);
    await shot(p, `console-${user}-phone`);
    await p.locator('nav.tabbar').getByRole('link', { name: '全部', exact: true }).click();
    await p.waitForURL(/\/menu$/);
    assert.deepEqual(await menuTexts(p), NAV[user]);
    await p.getByRole('link', { name: '繁' }).click();
    await p.waitForURL(/\/menu$/);
    // the labels this test knows in 繁體 exactly; every other one converted by the page's s2t
    const hant = await menuTexts(p);
    assert.equal(hant.length, NAV[user].length);
    NAV[user].forEach((t, i) => { if (HANT[t]) assert.equal(hant[i], HANT[t], t); });
    assert.equal((await tabTexts(p)).at(-1), '全部');
    assert.equal(await p.locator('.lang-switch').innerText(), '簡', 'the switch back, itself in 繁體');
    await shot(p, `menu-${user}-phone-hant`);
    await p.getByRole('link', { name: '簡' }).click();
    await p.waitForURL(/\/menu$/);
    assert.deepEqual(await menuTexts(p), NAV[user]);
    await p.getByRole('button', { name: '退出' }).click();
    await p.waitForURL(env.srv.base + '/');
    await assert.doesNotReject(p.getByText('您已安全退出').waitFor());
    await p.context().close();
  });
}

test('desktop pages of the console, and forms with their errors', async () => {
  const p = await page(DESKTOP);
  await p.goto(env.srv.base + '/');
  await shot(p, 'home-desktop');
  await p.goto(env.srv.base + '/login');
  await p.getByRole('button', { name: '登录' }).click();
  await assert.doesNotReject(p.getByText('请填写用户名').waitFor());
  await shot(p, 'login-errors-desktop');
  await p.getByLabel('用户名').fill('chenji');
  await p.getByLabel('密码').fill('wrong-password');
  await p.getByRole('button', { name: '登录' }).click();
  await assert.doesNotReject(p.getByText('用户名或密码不正确').waitFor());
  await login(p, 'admin');
  await shot(p, 'console-admin-desktop');
  await p.goto(env.srv.base + '/orgs');
  await shot(p, 'orgs-desktop');
  await p.getByRole('link', { name: '陈集村党支部' }).click();
  await assert.doesNotReject(p.getByText('CJZ-CJC', { exact: true }).waitFor());
  await shot(p, 'org-detail-desktop');
  await p.goto(env.srv.base + '/admin/users/new');
  await p.getByLabel('用户名').fill('A B');
  await p.getByRole('button', { name: '保存' }).click();
  await assert.doesNotReject(p.getByText('用户名只能包含小写字母').waitFor());
  await assert.doesNotReject(p.getByText('请填写姓名').waitFor());
  await shot(p, 'user-new-errors-desktop');
  await p.goto(env.srv.base + '/audit');
  await shot(p, 'audit-desktop');
  await p.context().close();
  const z = await page(DESKTOP);
  await login(z, 'zuzhi');
  await shot(z, 'console-zuzhi-desktop');
  await z.context().close();
});

test('no page logged a console error or a Content-Security-Policy violation', () => {
  assert.deepEqual(problems, []);
});

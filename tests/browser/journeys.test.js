// Browser journeys in Debian's Chromium (playwright-core): every role logs in
// on a phone, finds its navigation, switches to 繁體 and back; screenshots go
// to <build>/screenshots/. No page may log a console error or a CSP violation.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const { PHONE, DESKTOP } = lib;

// What each role's navigation holds (src/layout.c), in order. 支部考核 (assess_web.c) is 支部考覈 in 繁體 (OpenCC s2t).
const NAV = {
  admin: ['工作台', '组织架构', '诉求办理', '统计', '党员花名册', '网格', '微党课', '教育片', '主题党日', '支部考核', '用户管理', '站点设置', '数据备份', '审计日志', '消息', '修改密码'],
  zuzhi: ['工作台', '组织架构', '诉求办理', '统计', '党员花名册', '网格', '微党课', '教育片', '主题党日', '支部考核', '审计日志', '消息', '修改密码'],
  chenji: ['工作台', '组织架构', '诉求办理', '统计', '党员花名册', '网格', '微党课', '教育片', '主题党日', '支部考核', '消息', '修改密码'],
  dangyuan: ['工作台', '组织架构', '诉求办理', '党员花名册', '三长反映', '微党课', '教育片', '消息', '修改密码'],
  wangge: ['工作台', '组织架构', '诉求办理', '党员花名册', '我的网格', '微党课', '教育片', '消息', '修改密码'],
  jiwei: ['工作台', '组织架构', '修改密码'],
};
const ROLE = { admin: '系统管理员', zuzhi: '镇党委', chenji: '支部书记', dangyuan: '党员', wangge: '网格员', jiwei: '联审部门' };
const HANT = { '统计': '統計', '诉求办理': '訴求辦理', '党员花名册': '黨員花名冊', '组织架构': '組織架構', '审计日志': '審計日誌', '修改密码': '修改密碼', '用户管理': '用戶管理', '工作台': '工作臺',
  '网格': '網格', '我的网格': '我的網格', '三长反映': '三長反映', '站点设置': '站點設置', '数据备份': '數據備份',
  '微党课': '微黨課', '主题党日': '主題黨日', '支部考核': '支部考覈' };

const env = lib.setup({ console: true });
const problems = env.errors;
const page = (size) => env.page({ size, dialogs: false });
const login = (p, user) => lib.login(p, env.srv.base, user);

// the navigation's labels, without the unread badge of 消息 (a number)
const navTexts = async (p) => (await p.locator('nav.mainnav a').allInnerTexts()).map((t) => t.replace(/\s*\d+\+?$/, ''));

const { shot } = lib;

for (const user of Object.keys(NAV)) {
  test(`${user} logs in on a phone, sees its navigation, and reads it in 繁體`, async () => {
    const p = await page(PHONE);
    await login(p, user);
    // the role and org line is folded away on narrow screens, but it is in the header
    assert.ok((await p.locator('.whoami').textContent()).includes(ROLE[user]));
    assert.deepEqual(await navTexts(p), NAV[user]);
    await shot(p, `console-${user}-phone`);
    await p.getByRole('link', { name: '繁' }).click();
    await p.waitForURL(/\/console$/);
    assert.deepEqual(await navTexts(p), NAV[user].map((t) => HANT[t] || t));
    assert.equal(await p.locator('.lang-switch').innerText(), '簡', 'the switch back, itself in 繁體');
    await shot(p, `console-${user}-phone-hant`);
    await p.getByRole('link', { name: '簡' }).click();
    await p.waitForURL(/\/console$/);
    assert.deepEqual(await navTexts(p), NAV[user]);
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

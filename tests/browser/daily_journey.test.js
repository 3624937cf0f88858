// Issue 10's journey in one go, on phones (390×844): the branch secretary of
// 陈集村 gives a roster member a login; the member activates it with the
// mobile number and the code; a resident places an order; the secretary
// assigns it to that member; the member finds it on the workbench, reveals the
// resident's number and taps it to call, delivers; the resident finds the
// order by typing the code in lowercase with spaces, must choose the stars
// (none preselected), gives 2★; the branch is told. No page and no table is
// wider than the phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const { apiToken, api } = lib;

let member;
const env = lib.setup({
  before: async ({ srv }) => {
    const token = await apiToken(env.srv.base, 'chenji');
    const list = (await api(env.srv.base, token, 'GET', '/api/v1/members?org=CJZ-CJC&status=active&sort=name&limit=100')).json.members;
    // a member without a login yet, and not a grid worker
    member = list.filter((m) => !['张建国', '赵丽', '李志强'].includes(m.name) && !m.duties.includes('网格员')).at(-1);
    member.phone = (await api(env.srv.base, token, 'GET', `/api/v1/members/${member.id}?reveal=1`)).json.phone;
  },
});
const errors = env.errors;
const phone = () => env.page();

async function fits(p, what) {
  const { page, tables } = await p.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    tables: [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().right > window.innerWidth + 1).length,
  }));
  assert.ok(page <= 391, `${what}: the page is ${page}px wide`);
  assert.equal(tables, 0, `${what}: a table wider than the phone`);
}
const shot = (p, name) => lib.shot(p, `journey-${name}`);
// the confirmation step (app.js's dialog) of an irreversible action
async function confirmIfAsked(p) {
  const dlg = p.locator('dialog.confirm-dialog');
  if (await dlg.isVisible().catch(() => false)) await dlg.getByRole('button', { name: '确定' }).click();
}

test('an account issued, activated, an order assigned, delivered by phone, found by the code as typed, rated 2★, the branch told', async () => {
  // 1. the secretary gives the member a login from the member's page
  const sec = await env.page({ user: 'chenji' });
  await sec.goto(`${env.srv.base}/members/${member.id}`);
  await sec.getByRole('button', { name: '开通账号并生成激活码' }).click();
  await confirmIfAsked(sec);
  const code = (await sec.locator('.slip-code').innerText()).trim();
  await fits(sec, 'the slip');
  await shot(sec, '1-slip');

  // 2. the member activates it with the mobile number and the code
  const mem = await phone();
  await mem.goto(`${env.srv.base}/activate?phone=${member.phone}`);
  await mem.getByLabel('激活码').fill(code);
  await mem.getByRole('button', { name: '下一步' }).click();
  await mem.getByLabel('设置密码').fill('Hongqi2026m');
  await mem.getByLabel('确认密码').fill('Hongqi2026m');
  await mem.getByRole('button', { name: '激活并登录' }).click();
  await mem.waitForURL(/\/console$/);
  await shot(mem, '2-activated');

  // 3. a resident places an order
  const resident = await phone();
  await resident.goto(env.srv.base + '/order');
  await resident.getByLabel('诉求类型').selectOption('need');
  await resident.getByLabel('诉求内容').fill('家中老人腿脚不便，想请人帮忙代买一周的药');
  await resident.getByLabel('所在村（社区）').selectOption('CJZ-CJC');
  await resident.getByLabel('联系人').fill('周大娘');
  await resident.getByLabel('手机号').fill('13923456781');
  await resident.getByRole('button', { name: '提交' }).click();
  await resident.waitForURL(/\/track\/[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  const track = resident.url().split('/track/')[1];

  // 4. the secretary accepts it and gives it to the new member
  await sec.goto(env.srv.base + '/orders?q=' + track);
  await sec.getByRole('link', { name: track }).first().click();
  await sec.getByRole('button', { name: '接单' }).click();
  await confirmIfAsked(sec);
  const select = sec.getByLabel('办理人（党员、网格员，头雁）');
  const value = await select.locator('option', { hasText: member.name }).first().getAttribute('value');
  await select.selectOption(value);
  await sec.getByRole('button', { name: '派单' }).click();
  await confirmIfAsked(sec);
  await assert.doesNotReject(sec.getByText('已派单').first().waitFor());

  // 5. the member sees it on the workbench, reveals and calls the number, delivers
  await mem.goto(env.srv.base + '/console');
  const onBench = mem.getByRole('link', { name: new RegExp(track) }).first();
  await assert.doesNotReject(onBench.waitFor());
  await fits(mem, 'the workbench');
  await shot(mem, '3-workbench');
  await onBench.click();
  assert.ok(!(await mem.content()).includes('13923456781'), 'masked until revealed');
  await mem.getByRole('button', { name: /查看完整号码/ }).click();
  const tel = mem.locator('a[href="tel:13923456781"]');
  await assert.doesNotReject(tel.waitFor());
  await tel.evaluate((a) => a.addEventListener('click', (e) => { e.preventDefault(); document.body.dataset.called = a.getAttribute('href'); }));
  await tel.tap();
  assert.equal(await mem.locator('body').getAttribute('data-called'), 'tel:13923456781');
  await fits(mem, 'the order, revealed');
  await shot(mem, '4-revealed');
  await mem.getByLabel('办理结果').fill('药已买好送到家中，并叮嘱按时服用');
  await mem.getByRole('button', { name: '送单（办结）' }).click();
  await confirmIfAsked(mem);
  await assert.doesNotReject(mem.getByText('已送单').first().waitFor());

  // 6. the resident, on another phone, types the code in lowercase with spaces; must choose the stars
  const other = await phone();
  await other.goto(env.srv.base + '/track');
  await other.getByLabel('查询码').first().fill(' ' + track.toLowerCase().replace('-', ' ') + ' ');
  await other.getByRole('button', { name: '查询', exact: true }).click();
  await other.waitForURL(new RegExp(`/track/${track}$`));
  assert.equal(await other.locator('input[name="rating"]:checked').count(), 0, 'no stars preselected');
  await other.getByLabel('★★ 不太满意').check();
  await other.getByRole('button', { name: '确认已解决' }).click();
  await confirmIfAsked(other);
  await assert.doesNotReject(other.getByText('感谢您的评价').waitFor());
  await fits(other, 'the tracking page');
  await shot(other, '5-rated');

  // 7. the branch is told of the 2★ rating
  await sec.goto(env.srv.base + '/inbox');
  await assert.doesNotReject(sec.getByText(`诉求 ${track} 群众评价 2 星`).first().waitFor());
  await fits(sec, 'the inbox');
  await shot(sec, '6-branch-told');
  assert.deepEqual(errors, []);
});

// Browser journeys of the workbench and of safe forms (issue 10 §2, §7) on a
// phone (390×844): the workbench of a branch secretary (chenji), a member
// (dangyuan) and the committee (zuzhi), each figure a link to its list; the
// confirmation dialog of an irreversible action, cancelled then accepted; a
// session that ends while a form is being filled in, the typed text kept
// through the login; back + resubmit of the order form making one order.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { setup, shot, SHOTS, PASSWORD, dbSql } = require('./lib');

const env = setup();
const errors = env.errors;
const phone = () => env.page();
const login = (user) => env.page({ user });

const sql = (q) => dbSql(env.srv, q);

// Nothing wider than the phone, and (tablesToo) no table reaching past its right edge.
async function fits(p, tablesToo = true) {
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 390, `${p.url()} is ${w}px wide`);
  if (!tablesToo) return;
  const tables = await p.evaluate(() => [...document.querySelectorAll('table')].map((t) => Math.ceil(t.getBoundingClientRect().right)));
  for (const right of tables) assert.ok(right <= 390, `${p.url()}: a table ends at ${right}px`);
}

async function placeOrder(resident, content) {
  await resident.goto(env.srv.base + '/order');
  await resident.getByLabel('诉求内容').fill(content);
  await resident.getByLabel('所在村（社区）').selectOption('CJZ-CJC');
  await resident.getByLabel('联系人').fill('王大爷');
  await resident.getByLabel('手机号').fill('13812349876');
  await resident.getByRole('button', { name: '提交' }).click();
  await resident.waitForURL(/\/track\/[^/]+$/);
  return resident.url();
}

for (const [user, figures] of Object.entries({
  chenji: ['新点单待接单', '逾期未办', '派给我的', '未读消息'],
  dangyuan: ['派给我的', '可认领心愿', '未读消息'],
  zuzhi: ['新点单待接单', '向上反馈待派单', '逾期未办', '未读消息'],
})) {
  test(`the workbench of ${user} on a phone: figures that link to their lists, the latest of each, the unread badge`, async () => {
    const p = await login(user);
    const labels = await p.locator('.work-stats .stat-label').allInnerTexts();
    assert.deepEqual(labels, figures);
    const unread = Number(await p.locator('.work-stats a[href="/inbox"] .stat-num').innerText());
    if (unread) assert.equal(await p.locator('nav.mainnav a[href="/inbox"] .nav-badge').innerText(), unread > 99 ? '99+' : String(unread));
    assert.ok(await p.locator('section.work').count() >= figures.length - 1);
    await fits(p);
    await shot(p, `workbench-${user}-phone`);
    // the first figure opens its list
    const first = p.locator('.work-stats a').first();
    const href = await first.getAttribute('href');
    await first.click();
    await p.waitForURL((u) => u.pathname + u.search === href);
    await fits(p, false); // the lists' tables become cards with issue 10 §3, not here
    await shot(p, `workbench-${user}-list-phone`);
    // a message opened from the workbench is read and shows its record
    await p.goto(env.srv.base + '/console');
    const msg = p.locator('section.work a[href^="/inbox/"]').first();
    if (await msg.count()) {
      await msg.click();
      await p.waitForURL((u) => !u.pathname.startsWith('/inbox/'));
      await p.goto(env.srv.base + '/console');
      const after = Number(await p.locator('.work-stats a[href="/inbox"] .stat-num').innerText());
      assert.ok(after <= unread - 1 || unread === 0, `unread ${unread} → ${after}`);
    }
    await p.context().close();
  });
}

test('an irreversible action asks first: cancel keeps the order, accept rejects it', async () => {
  const resident = await phone();
  const track = await placeOrder(resident, '确认对话框测试：楼道灯不亮');
  const code = track.split('/track/')[1];
  const id = sql(`SELECT id FROM orders WHERE code = '${code}'`);
  const p = await login('chenji');
  await p.goto(`${env.srv.base}/orders/${id}`);
  await p.locator('#f-note-reject').fill('属于物业公司职责，请联系物业');
  await p.getByRole('button', { name: '不予受理' }).click();
  const dialog = p.locator('dialog.confirm-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /不予受理后诉求即结束/);
  await fits(p);
  await p.screenshot({ path: path.join(SHOTS, 'confirm-dialog-phone.png') });
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(sql(`SELECT state FROM orders WHERE id = ${id}`), 'submitted');
  assert.equal(await p.locator('#f-note-reject').inputValue(), '属于物业公司职责，请联系物业', 'the typed reason stays');
  await p.getByRole('button', { name: '不予受理' }).click();
  await dialog.getByRole('button', { name: '确定' }).click();
  await p.waitForURL(`${env.srv.base}/orders/${id}`);
  await assert.doesNotReject(p.locator('.flash').waitFor());
  assert.equal(sql(`SELECT state FROM orders WHERE id = ${id}`), 'rejected');
  await shot(p, 'confirm-accepted-phone');
  await p.context().close();
});

test('the session ends while a form is filled in: log in again and the typed text is submitted, not a 405', async () => {
  const resident = await phone();
  const code = (await placeOrder(resident, '会话过期测试：门前积水')).split('/track/')[1];
  const id = sql(`SELECT id FROM orders WHERE code = '${code}'`);
  const p = await login('chenji');
  await p.goto(`${env.srv.base}/orders/${id}`);
  await p.getByRole('button', { name: '接单' }).click();
  await p.waitForURL(`${env.srv.base}/orders/${id}`);
  await p.locator('#f-note-escalate').fill('积水需镇里统一排涝，请党委协调');
  // the session ends meanwhile (8 hours idle, or logged out on another device)
  sql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'chenji')");
  await p.getByRole('button', { name: '向上反馈' }).click();
  await p.locator('dialog.confirm-dialog').getByRole('button', { name: '确定' }).click();
  await assert.doesNotReject(p.getByRole('heading', { name: '登录已过期' }).waitFor());
  assert.match(await p.locator('main').innerText(), /您刚才填写的内容已保留/);
  await fits(p);
  await shot(p, 'session-expired-phone');
  await p.getByLabel('用户名').fill('chenji');
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await assert.doesNotReject(p.getByRole('heading', { name: '已重新登录' }).waitFor());
  assert.match(await p.locator('ul.kept').innerText(), /积水需镇里统一排涝，请党委协调/);
  await fits(p);
  await shot(p, 'session-resubmit-phone');
  await p.getByRole('button', { name: '继续提交' }).click();
  await p.waitForURL(`${env.srv.base}/orders/${id}`);
  assert.equal(sql(`SELECT state FROM orders WHERE id = ${id}`), 'escalated');
  assert.match(await p.locator('main').innerText(), /积水需镇里统一排涝，请党委协调/);
  await shot(p, 'session-resubmitted-phone');
  await p.context().close();
});

test('back + resubmit on the order form makes one order; the form preselects no village; 404 in the layout', async () => {
  const resident = await phone();
  await resident.goto(env.srv.base + '/order');
  assert.equal(await resident.getByLabel('所在村（社区）').inputValue(), '');
  const track = await placeOrder(resident, '返回重复提交测试：垃圾未清运');
  await resident.goBack();
  await resident.waitForURL(/\/order$/);
  // the browser shows the form as it was; submitting it again
  if (!(await resident.getByLabel('诉求内容').inputValue())) {
    await resident.getByLabel('诉求内容').fill('返回重复提交测试：垃圾未清运');
    await resident.getByLabel('所在村（社区）').selectOption('CJZ-CJC');
    await resident.getByLabel('联系人').fill('王大爷');
    await resident.getByLabel('手机号').fill('13812349876');
  }
  await resident.getByRole('button', { name: '提交' }).click();
  await resident.waitForURL(/\/track\/[^/]+$/);
  assert.equal(resident.url(), track, 'the same tracking page');
  assert.equal(sql("SELECT COUNT(*) FROM orders WHERE content = '返回重复提交测试：垃圾未清运'"), '1');
  await resident.goto(env.srv.base + '/no/such/page');
  await assert.doesNotReject(resident.getByRole('heading', { name: '页面不存在' }).waitFor());
  await fits(resident);
  await shot(resident, 'error-404-phone');
  await resident.getByRole('link', { name: '返回首页' }).click();
  await resident.waitForURL(env.srv.base + '/');
  assert.deepEqual(errors, []);
});

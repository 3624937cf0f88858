// Browser journey of issue 10 §4-§6 at 390×844: the member assigned an order
// reveals the resident's number and taps it to call (a tel: link), delivers;
// the resident finds the order by typing its code in lowercase with spaces,
// keeps it (copy button, QR code, this device's list), rates it with no stars
// chosen for them, and the branch's inbox shows the 2★ rating.
// Screenshots go to <build>/screenshots/.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { setup, shot, SHOTS, navTo } = require('./lib');

// the refused confirm answers 422 on purpose; any other console error counts
// (e.g. the CSP): lib's console check lets 401/422 through
const env = setup({ console: true });
const errors = env.errors;
const phone = () => env.page();
const login = (user) => env.page({ user });
async function noWideTables(p) {
  const wide = await p.evaluate(() => [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().right > window.innerWidth + 1).length);
  const scroll = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= 391, `page wider than the phone: ${scroll}`);
  return wide;
}

test('the member calls the resident, delivers; the resident finds the code as typed, rates 2★; the branch hears', async () => {
  const resident = await phone();
  await resident.goto(env.srv.base + '/order');
  await resident.getByLabel('诉求类型').selectOption('need');
  await resident.getByLabel('诉求内容').fill('家里水管冻裂了，老人独居，请帮忙找人修一下');
  await resident.getByLabel('所在村（社区）').selectOption('CJZ-CJC');
  await resident.getByLabel('联系人').fill('陈奶奶');
  await resident.getByLabel('手机号').fill('13912345678');
  await resident.getByLabel('地址（选填）').fill('陈集村三组 12 号');
  await resident.getByRole('button', { name: '提交' }).click();
  await resident.waitForURL(/\/track\/[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  const code = resident.url().split('/track/')[1];
  assert.equal(await resident.locator('.track-code').innerText(), code);
  assert.ok(await resident.locator('svg.qr').isVisible(), 'a QR code');
  await resident.context().grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
  await resident.getByRole('button', { name: '复制查询码' }).click();
  await assert.doesNotReject(resident.getByText('已复制 ' + code).waitFor());
  await shot(resident, 'order-contact-track-new-phone');
  // this device remembers it on /track
  await resident.goto(env.srv.base + '/track');
  await assert.doesNotReject(resident.locator('[data-device-orders] a', { hasText: code }).waitFor());
  await shot(resident, 'order-contact-track-device-phone');

  const sec = await login('chenji');
  await navTo(sec, '诉求办理');
  await sec.getByRole('link', { name: code }).click();
  await sec.getByRole('button', { name: '接单' }).click();
  await sec.getByLabel('办理人（党员、网格员，头雁）').selectOption('dangyuan');
  await sec.getByRole('button', { name: '派单' }).click();
  await assert.doesNotReject(sec.getByText('已派单').first().waitFor());

  const member = await login('dangyuan');
  await navTo(member, '诉求办理');
  await member.getByRole('link', { name: code }).click();
  assert.ok(!(await member.content()).includes('13912345678'), 'masked until revealed');
  await member.getByRole('button', { name: /查看完整号码/ }).click();
  const tel = member.locator('a[href="tel:13912345678"]');
  await assert.doesNotReject(tel.waitFor());
  assert.ok((await member.content()).includes('陈集村三组 12 号'));
  assert.equal(await noWideTables(member), 0, 'no table wider than the viewport');
  await shot(member, 'order-contact-revealed-member-phone');
  // tapping the number asks the phone to call: the browser is handed the tel: address
  const asked = [];
  member.on('request', (rq) => asked.push(rq.url()));
  await member.route('tel:*', (route) => route.abort()).catch(() => {});
  await tel.evaluate((a) => { a.addEventListener('click', (e) => { e.preventDefault(); document.body.setAttribute('data-called', a.getAttribute('href')); }); });
  await tel.tap();
  assert.equal(await member.locator('body').getAttribute('data-called'), 'tel:13912345678');
  await member.getByLabel('办理结果').fill('已请村里水电工上门换了水管');
  await member.getByRole('button', { name: '送单（办结）' }).click();
  await member.locator('dialog.confirm-dialog').getByRole('button', { name: '确定' }).click(); // the confirmation step (app.js)
  await assert.doesNotReject(member.getByText('已送单').first().waitFor());

  // the resident on another phone types the code in lowercase with spaces
  const other = await phone();
  await other.goto(env.srv.base + '/track');
  const typed = code.toLowerCase().replace('-', ' ').replace(/^(..)/, '$1 ');
  await other.getByLabel('查询码').first().fill(' ' + typed + ' ');
  await other.getByRole('button', { name: '查询', exact: true }).click();
  await other.waitForURL(new RegExp(`/track/${code}$`));
  // no stars are chosen for the resident: confirming without one is refused
  assert.equal(await other.locator('input[name="rating"]:checked').count(), 0);
  await other.locator('#f-note-confirm').fill('修好了，但等了好几天');
  await other.locator('form[action$="/confirm"]').evaluate((f) => f.setAttribute('novalidate', ''));
  await other.getByRole('button', { name: '确认已解决' }).click();
  await other.locator('dialog.confirm-dialog').getByRole('button', { name: '确定' }).click(); // the confirmation step (app.js)
  await assert.doesNotReject(other.getByText('请给出 1 到 5 星的评价').waitFor());
  await shot(other, 'order-contact-rating-required-phone');
  await other.getByLabel('★★ 不太满意').check();
  await other.getByRole('button', { name: '确认已解决' }).click();
  await other.locator('dialog.confirm-dialog').getByRole('button', { name: '确定' }).click(); // the confirmation step (app.js)
  await assert.doesNotReject(other.getByText('感谢您的评价').waitFor());
  assert.ok(!(await other.content()).includes('13912345678'));
  await shot(other, 'order-contact-rated-phone');

  // the branch's inbox shows the low rating
  await sec.goto(env.srv.base + '/inbox');
  await assert.doesNotReject(sec.getByText(`诉求 ${code} 群众评价 2 星`).first().waitFor());
  assert.equal(await noWideTables(sec), 0);
  // the newest notices at the top: the screen the secretary sees
  await sec.screenshot({ path: path.join(SHOTS, 'order-contact-inbox-branch-phone.png') });
  assert.deepEqual(errors, []);
});

// Browser journey of members' accounts (issue 10 §1), on a phone (390×844):
// the branch secretary of 陈集村 finds a roster member, opens the record and
// gives them a login; the slip shows the activation code once, with a QR code
// to the activation page; the member, on their own phone, opens the page the
// QR code points at (phone prefilled), types the code, sets a password and
// lands on the console logged in.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, apiToken, api, fits, shot, SHOTS, navTo } = require('./lib');

let member;
const env = setup({
  before: async () => {
    const token = await apiToken(env.srv.base, 'chenji');
    const list = (await api(env.srv.base, token, 'GET', '/api/v1/members?org=CJZ-CJC&status=active&sort=name&limit=100')).json.members;
    member = list.find((m) => !['张建国', '赵丽', '李志强'].includes(m.name) && !m.duties.includes('网格员'));
    member.phone = (await api(env.srv.base, token, 'GET', `/api/v1/members/${member.id}?reveal=1`)).json.phone;
    assert.match(member.phone, /^1\d{10}$/);
  },
});
const noOverflow = (p) => fits(p, p.url(), { tables: false });

test('a branch secretary issues an account from the member page; the member activates it on a phone and lands on the console', async () => {
  const errors = env.errors;
  // the secretary
  const p = await env.page({ user: 'chenji' });
  await navTo(p, '党员花名册');
  await p.locator('#f-q').fill(member.name);
  await p.getByRole('button', { name: '查询' }).click();
  await p.getByRole('link', { name: member.name }).first().click();
  await assert.doesNotReject(p.getByRole('heading', { name: '登录账号' }).waitFor());
  assert.match(await p.locator('main').innerText(), /尚未开通/);
  await p.getByRole('button', { name: '开通账号并生成激活码' }).scrollIntoViewIfNeeded();
  await shot(p, 'account-member-page-phone');
  await p.getByRole('button', { name: '开通账号并生成激活码' }).click();
  await assert.doesNotReject(p.getByRole('heading', { name: '党员账号激活单' }).waitFor());
  const code = (await p.locator('.slip-code').innerText()).trim();
  assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  const slip = await p.locator('.slip').innerText();
  assert.ok(slip.includes(member.name) && slip.includes(member.phone), slip);
  assert.ok(!p.url().includes(code.replace('-', '')), 'the code is not in the address');
  assert.equal(await p.locator('.slip svg.qr').count(), 1);
  const qrBox = await p.locator('.slip svg.qr').boundingBox();
  assert.ok(qrBox.width >= 150 && qrBox.x >= 0 && qrBox.x + qrBox.width <= 390, JSON.stringify(qrBox));
  await noOverflow(p);
  await shot(p, 'account-slip-phone');
  await p.emulateMedia({ media: 'print' });
  await shot(p, 'account-slip-print');
  await p.emulateMedia({ media: 'screen' });
  const activateUrl = (await p.locator('.slip-url').innerText()).trim();
  assert.equal(activateUrl, `${env.srv.base}/activate?phone=${member.phone}`);

  // the member, on their own phone, opens what the QR code points at
  const q = await env.page({ dialogs: false });
  await q.goto(activateUrl);
  assert.equal(await q.getByLabel('手机号').inputValue(), member.phone, 'the phone is prefilled');
  // a mistyped code first: a clear message
  await q.getByLabel('激活码').fill('2222-2222');
  await q.getByRole('button', { name: '下一步' }).click();
  await assert.doesNotReject(q.getByText('手机号或激活码不正确').waitFor());
  await shot(q, 'account-activate-bad-phone');
  await q.getByLabel('激活码').fill(code.toLowerCase().replace('-', ' '));
  await q.getByRole('button', { name: '下一步' }).click();
  await assert.doesNotReject(q.getByLabel('设置密码').waitFor());
  await q.getByLabel('设置密码').fill('Hongqi2026m');
  await q.getByLabel('确认密码').fill('Hongqi2026m');
  await noOverflow(q);
  await shot(q, 'account-activate-password-phone');
  await q.getByRole('button', { name: '激活并登录' }).click();
  await q.waitForURL(/\/console$/);
  await assert.doesNotReject(q.getByText('账号已激活，欢迎使用').waitFor());
  assert.ok((await q.locator('body').innerText()).includes(member.name), 'logged in as the member');
  await noOverflow(q);
  await shot(q, 'account-console-phone');

  // the secretary sees the account active on the record
  await p.goto(`${env.srv.base}/members/${member.id}`);
  assert.match(await p.locator('main').innerText(), /已激活/);
  assert.deepEqual(errors, []);
  await q.context().close();
  await p.context().close();
});

test('为本支部未开通的党员开通账号: the branch secretary prints one sheet of slips from the roster', async () => {
  const errors = env.errors;
  const p = await env.page({ user: 'chenji' });
  await navTo(p, '党员花名册');
  await p.getByRole('button', { name: '为本支部未开通的党员开通账号' }).click();
  await p.locator('dialog.confirm-dialog').getByRole('button', { name: '确定' }).click(); // the confirmation step (app.js)
  await assert.doesNotReject(p.getByRole('heading', { name: '批量开通党员账号' }).waitFor());
  const n = Number(/已为 (\d+) 名党员开通账号/.exec(await p.locator('main').innerText())[1]);
  assert.ok(n >= 10, String(n));
  assert.equal(await p.locator('.slip').count(), n);
  await noOverflow(p);
  await p.screenshot({ path: require('node:path').join(SHOTS, 'account-bulk-phone.png') }); // the first screen: the slips as they print
  assert.deepEqual(errors, []);
  await p.context().close();
});

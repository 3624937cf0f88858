// Browser journeys of the closed loop (issue 4), at a phone viewport: a
// resident places an order, the branch accepts and assigns it, the member
// delivers, the resident rates it; a second one is escalated and the
// committee dispatches it. Screenshots go to <build>/screenshots/.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, PASSWORD, shot, confirmed, navTo } = require('./lib');

const env = setup();
const errors = env.errors;
const phone = () => env.page();
const login = (user) => env.page({ user });

async function placeOrder(resident, content) {
  await resident.goto(env.srv.base + '/');
  await resident.getByRole('link', { name: '我要点单' }).first().click();
  await resident.getByLabel('诉求类型').selectOption('proxy_medical');
  await resident.getByLabel('诉求内容').fill(content);
  await resident.getByLabel('所在村（社区）').selectOption('CJZ-CJC');
  await resident.getByLabel('联系人').fill('王大爷');
  await resident.getByLabel('手机号').fill('13812349876');
  await shot(resident, 'order-form-phone');
  await resident.getByRole('button', { name: '提交' }).click();
  await resident.waitForURL(/\/track\/[\w-]+$/); // K7QM-4XWP (issue 10 §5)
  await assert.doesNotReject(resident.getByText('您的查询码是').waitFor());
  return resident.url().split('/track/')[1];
}

async function openOrder(p, code) {
  await navTo(p, '诉求办理');
  await p.getByRole('link', { name: code }).click();
}

test('placed, accepted and assigned, delivered, rated', async () => {
  const resident = await phone();
  const code = await placeOrder(resident, '请帮忙到镇卫生院代取降压药');
  await shot(resident, 'order-track-new-phone');

  const sec = await login('chenji');
  await openOrder(sec, code);
  await sec.getByRole('button', { name: '接单' }).click();
  await assert.doesNotReject(sec.getByText('已接单').first().waitFor());
  await sec.getByLabel('办理人（党员、网格员，头雁）').selectOption('dangyuan');
  await sec.getByRole('button', { name: '派单' }).click();
  await shot(sec, 'order-assigned-branch-phone');

  const member = await login('dangyuan');
  await openOrder(member, code);
  await member.getByLabel('办理结果').fill('药已送到王大爷家中');
  await member.getByRole('button', { name: '送单（办结）' }).click();
  await confirmed(member);
  await assert.doesNotReject(member.getByText('已送单').first().waitFor());

  await resident.reload();
  await resident.getByLabel('★★★★★ 非常满意').check(); // no stars preselected (issue 10 §6)
  await resident.getByRole('button', { name: '确认已解决' }).click();
  await confirmed(resident);
  await assert.doesNotReject(resident.getByText('感谢您的评价').waitFor());
  assert.match(await resident.locator('dl.kv').innerText(), /已销单/);
  assert.ok(!(await resident.content()).includes('13812349876'), 'no phone number on the public page');
  await shot(resident, 'order-track-closed-phone');
});

test('escalated by the branch, dispatched by the committee', async () => {
  const resident = await phone();
  const code = await placeOrder(resident, '村口道路塌陷，需要镇里协调修缮');
  const sec = await login('chenji');
  await openOrder(sec, code);
  await sec.getByRole('button', { name: '接单' }).click();
  await sec.locator('#f-note-escalate').fill('需要镇里协调资金');
  await sec.getByRole('button', { name: '向上反馈' }).click();
  await confirmed(sec);
  await assert.doesNotReject(sec.getByText('向上反馈').first().waitFor());
  const zuzhi = await login('zuzhi');
  await openOrder(zuzhi, code);
  await zuzhi.getByLabel('派往支部').selectOption('CJZ-CJC');
  await zuzhi.getByLabel('办理人（党员、网格员，头雁）').selectOption('dangyuan');
  await zuzhi.getByRole('button', { name: '党委派单' }).click();
  await confirmed(zuzhi);
  await assert.doesNotReject(zuzhi.getByText('党委派单').first().waitFor());
  await shot(zuzhi, 'order-dispatched-committee-phone');
  await resident.reload();
  assert.match(await resident.locator('table').last().innerText(), /向上反馈[\s\S]*党委派单/);
  assert.deepEqual(errors, []);
});

test('the statistics page draws its ECharts chart from the same figures as the API, within the CSP', async () => {
  const before = env.errors.length;
  const p = await env.page({ size: { viewport: { width: 1280, height: 900 } }, user: 'zuzhi', console: true });
  await navTo(p, '统计');
  await p.locator('#order-chart[data-drawn="1"]').waitFor();
  assert.ok(await p.locator('#order-chart svg').count() > 0, 'ECharts drew an SVG');
  const lead = await p.locator('p.lead').innerText();
  const from = await p.locator('#f-from').inputValue(), to = await p.locator('#f-to').inputValue();
  const tokenRes = await fetch(env.srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zuzhi', password: PASSWORD }) });
  const { token } = await tokenRes.json();
  const api = await (await fetch(`${env.srv.base}/api/v1/stats/orders?org=CJZ&from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.ok(lead.includes(api.summary), `${lead} / ${api.summary}`);
  await shot(p, 'stats-orders-desktop');
  assert.deepEqual(env.errors.slice(before), []);
  await p.context().close();
});

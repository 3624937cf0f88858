// Issue 13's journey on phones (390×844): the secretary of 陈集村 plans a
// 红色七点半 with the 四定 and puts the sign-in code on the screen; two
// members scan it (the address read from the screen's page) with their
// phones, log in and confirm; the secretary records a decision with an owner,
// a deadline and a supervision group of a member and residents'
// representatives, and the meeting's minutes; the owner records progress
// and marks it done on the phone; the secretary publishes the decision and
// its result (决议公开, 实施结果公开) and only then the village's public page shows them, without
// the names of people. The server's clock is pinned to the evening of the
// meeting. No page and no table is wider than the phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, fits, shot, PASSWORD } = require('./lib');

const NOW = Math.floor(Date.parse('2026-12-03T19:35:00+08:00') / 1000);
const env = setup({ server: { env: { DANGJIAN_NOW: String(NOW) } } });

// The login form a scanned address leads to: back to the address after it.
async function loginHere(p, user) {
  await p.getByLabel('用户名').fill(user);
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
}
async function pick(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value);
}

test('a 红色七点半 planned with the 四定, signed in by QR, a decision with owner, deadline and supervision group, done by its owner, shown to the public', async () => {
  // 1. the secretary plans the meeting
  const srv = env.srv;
  const sec = await env.page({ user: 'chenji' });
  await sec.goto(srv.base + '/meetings/new');
  await sec.getByLabel('会议类型').selectOption('red730');
  await sec.getByLabel('定主题').fill('人居环境整治议事');
  await sec.getByLabel('定时间：日期').fill('2026-12-03');
  await sec.getByLabel('开始时间').fill('19:30');
  await sec.getByLabel('结束时间').fill('21:00');
  await sec.getByLabel('定地点').fill('陈集村党群服务中心');
  await sec.getByLabel('定内容').fill('学习农村人居环境整治政策，议定村西排水沟疏通和路灯维修');
  await pick(sec.getByLabel('主持人'), '张建国');
  await pick(sec.getByLabel('记录人'), '李志强');
  await fits(sec, 'the plan form');
  await shot(sec, 'meetings-1-plan');
  await sec.getByRole('button', { name: '安排会议' }).click();
  await sec.waitForURL(/\/meetings\/\d+$/);
  const id = sec.url().split('/').pop();
  await assert.doesNotReject(sec.getByText('会议已安排').first().waitFor());
  await fits(sec, 'the meeting');
  await shot(sec, 'meetings-2-meeting');

  // 2. the screen with the code; the scan address read from it
  await sec.getByRole('link', { name: '显示签到二维码' }).click();
  await sec.waitForURL(new RegExp(`/checkin/meeting/${id}$`));
  const code = (await sec.locator('.checkin-code strong').innerText()).replace(/\s/g, '');
  assert.match(code, /^[2-9A-HJ-NP-Z]{8}$/);
  await fits(sec, 'the QR screen');
  await shot(sec, 'meetings-3-qr-screen');

  // 3. two members' phones open it, log in, confirm
  for (const user of ['dangyuan', 'wangge']) {
    const mem = await env.page();
    await mem.goto(`${srv.base}/c/meeting/${id}/${code}`);
    await mem.waitForURL(/\/login\?next=/);
    await loginHere(mem, user);
    await mem.waitForURL(new RegExp(`/c/meeting/${id}/${code}$`));
    await mem.getByRole('button', { name: '确认签到' }).click();
    await assert.doesNotReject(mem.getByText(/已签到 19:35/).waitFor());
    if (user === 'dangyuan') await shot(mem, 'meetings-4-signed-in-phone');
    await mem.context().close();
  }
  await sec.goto(`${srv.base}/meetings/${id}`);
  for (const name of ['李志强', '赵丽'])
    assert.match(await sec.locator('.attendees li', { hasText: name }).first().innerText(), /出席\s+扫码 19:35/, name);
  await fits(sec, 'the attendance');
  await shot(sec, 'meetings-4-attendance');

  // 4. a decision on the spot: owner, deadline, supervision group
  await sec.getByLabel('决策事项').fill('疏通村西排水沟，解决雨后积水进院问题');
  await pick(sec.getByLabel('负责人'), '李志强');
  await sec.getByLabel('完成时限').fill('2026-12-20');
  await pick(sec.getByLabel('督导小组：党员（可多选）'), '赵丽');
  await sec.getByLabel(/督导小组：群众代表/).fill('王大爷、刘大姐');
  await sec.getByRole('button', { name: '记录决策' }).click();
  await sec.waitForURL(/\/decisions\/\d+$/);
  const decision = sec.url().split('/').pop();
  await assert.doesNotReject(sec.getByText('王大爷（群众代表）').waitFor());
  await assert.doesNotReject(sec.getByText('赵丽（党员）').waitFor());
  await fits(sec, 'the decision');
  await shot(sec, 'meetings-5-decision');

  // the minutes: held, with the guests counted
  await sec.goto(`${srv.base}/meetings/${id}`);
  await sec.getByLabel('议题').fill('排水沟疏通、路灯维修');
  await sec.getByLabel('会议记录').fill('张建国主持，学习人居环境整治政策；议定排水沟由李志强负责，12月20日前完成。');
  await sec.getByLabel('进步青年（人数）').fill('3');
  await sec.getByLabel('群众代表（人数）').fill('5');
  await sec.getByRole('button', { name: '登记为已召开' }).click();
  await assert.doesNotReject(sec.getByText('会议已登记为召开').waitFor());
  await assert.doesNotReject(sec.getByText('进步青年 3 人 · 群众代表 5 人').waitFor());
  await fits(sec, 'the held meeting');
  await shot(sec, 'meetings-6-held');

  // 5. the owner on the phone: progress, then done
  const owner = await env.page({ user: 'dangyuan' });
  await owner.goto(srv.base + '/decisions?mine=1');
  await fits(owner, 'my decisions');
  await owner.getByRole('link', { name: /疏通村西排水沟/ }).click();
  await owner.waitForURL(new RegExp(`/decisions/${decision}$`));
  await owner.getByLabel('登记进展').fill('已组织党员清理淤泥200米');
  await owner.getByRole('button', { name: '登记进展' }).click();
  await assert.doesNotReject(owner.getByText('已组织党员清理淤泥200米').waitFor());
  await owner.getByLabel('办理结果').fill('排水沟全线疏通，雨后不再积水');
  await owner.getByRole('button', { name: '标记办结' }).click();
  await assert.doesNotReject(owner.getByText(/按期/).waitFor());
  await fits(owner, 'the decision done');
  await shot(owner, 'meetings-7-done');

  // 6. the village's public page: nothing until the secretary publishes the
  // decision (决议公开) and then its result (实施结果公开)
  const pub = await env.page();
  await pub.goto(srv.base + '/p/decisions/CJZ-CJC');
  assert.equal(await pub.getByText('疏通村西排水沟，解决雨后积水进院问题').count(), 0, 'not published yet');
  await sec.goto(`${srv.base}/decisions/${decision}`);
  await sec.getByLabel('公开内容').fill('疏通村西排水沟，解决雨后积水进院问题');
  await fits(sec, 'the publication form');
  await shot(sec, 'meetings-7b-publish');
  await sec.getByRole('button', { name: '决议公开' }).click();
  await assert.doesNotReject(sec.getByText('决议已公开，本村公开页可见').waitFor());
  await sec.getByLabel('公开内容').fill('排水沟全线疏通，雨后不再积水');
  await sec.getByRole('button', { name: '实施结果公开' }).click();
  await assert.doesNotReject(sec.getByText('实施结果已公开').first().waitFor());
  await pub.goto(srv.base + '/p/decisions/CJZ-CJC');
  await assert.doesNotReject(pub.getByText('疏通村西排水沟，解决雨后积水进院问题').waitFor());
  await assert.doesNotReject(pub.getByText(/实施结果（[-0-9]+ 公开）：排水沟全线疏通/).waitFor());
  const text = await pub.locator('main').innerText();
  assert.doesNotMatch(text, /李志强|赵丽|王大爷/, 'no names of people on the public page');
  await fits(pub, 'the public page');
  await shot(pub, 'meetings-8-public');
  assert.deepEqual(env.errors, []);
});

test('the committee\'s report with the 三会一课 compliance, and 四议两公开, fit the phone', async () => {
  const z = await env.page({ user: 'zuzhi' });
  await z.goto(`${env.srv.base}/meetings/report?org=CJZ&from=2026-01-01&to=2026-11-30`);
  await assert.doesNotReject(z.getByText(/共召开会议\d+次，解决难题、急事\d+件/).waitFor());
  await assert.doesNotReject(z.locator('table.compliance tr.missed').first().waitFor(), 'the demo has branches that missed a meeting');
  await fits(z, 'the report');
  await shot(z, 'meetings-9-report');
  await z.goto(`${env.srv.base}/matters`);
  await z.getByRole('link', { name: /村集体机动地流转/ }).click();
  await assert.doesNotReject(z.getByText('实施结果公开').first().waitFor());
  await fits(z, 'a matter');
  await shot(z, 'meetings-10-matter');
  // the meeting types the committee keeps
  await z.goto(`${env.srv.base}/meetings/types`);
  await assert.doesNotReject(z.getByText('红色七点半').first().waitFor());
  await z.getByLabel('名称', { exact: true }).fill('乡村振兴议事会');
  await z.getByRole('button', { name: '新增' }).click();
  await assert.doesNotReject(z.getByText('会议类型已新增，可用于安排会议').waitFor());
  await fits(z, 'the meeting types');
  await shot(z, 'meetings-11-types');
  assert.deepEqual(env.errors, []);
});

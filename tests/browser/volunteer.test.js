// Volunteer service on phones (390×844), issue 12: a member signs up for an
// activity of 陈集村; at the start the organiser opens the activity's QR
// screen on the phone; the URL read from that QR code with zbarimg is opened
// on the member's phone (logged in) and the member is checked in 30 minutes
// late; later the same again checks the member out; the member's hours grow by
// exactly 2.5, the count of activities by one and the points by 2
// (1 point per full hour). Then the organiser corrects the hours to 1.5 and
// the points follow (2 → 1); the committee opens the demo campaign, whose
// volunteer minimum (2) leads to the members below it per branch. The server's clock is moved
// with DANGJIAN_NOW_FILE. No page and no table is wider than the phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const lib = require('./lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-volb-'));
const clock = path.join(dir, 'now');
const T0 = Date.UTC(2027, 2, 1, 0, 0) / 1000; // 2027-03-01 08:00 Beijing
const at = (hh, mm = 0) => T0 + (hh - 8) * 3600 + mm * 60;
const setNow = (t) => fs.writeFileSync(clock, String(t));
setNow(at(8));
let activity;
let before, after; // the member's figures before and after the first test
const env = lib.setup({
  server: { env: { DANGJIAN_NOW_FILE: clock } },
  async before({ srv }) {
    const token = await lib.apiToken(env.srv.base, 'chenji');
    const r = await lib.api(env.srv.base, token, 'POST', '/api/v1/volunteer/activities',
      { title: '春季人居环境整治', kind: 'cleanup', place: '陈集村主街', starts: '2027-03-01 09:00', ends: '2027-03-01 12:00', capacity: 10, org: 'CJZ-CJC' });
    assert.equal(r.status, 201, r.text);
    activity = r.json.id;
  },
});
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
const phone = (user) => env.page({ user });
const fits = (p, what) => lib.fits(p, what);
const shot = (p, name, fullPage = true) => p.screenshot({ path: path.join(lib.SHOTS, `volunteer-${name}.png`), fullPage });

// What a phone's camera reads from the organiser's screen: the QR code's SVG, drawn and decoded by zbarimg.
async function scanScreen(org, name) {
  await org.reload();
  await shot(org, name);
  const svg = await org.locator('.checkin-qr svg').evaluate((e) => e.outerHTML);
  fs.writeFileSync(path.join(dir, 'qr.svg'), svg);
  execFileSync('rsvg-convert', ['-w', '400', '-h', '400', '-b', 'white', '-o', path.join(dir, 'qr.png'), path.join(dir, 'qr.svg')]);
  return execFileSync('zbarimg', ['-q', '--raw', path.join(dir, 'qr.png')], { encoding: 'utf8' }).trim();
}
const figures = async (p) => ({
  hours: Number(await p.locator('#vol-hours').innerText()),
  times: Number(await p.locator('#vol-times').innerText()),
  points: Number(await p.locator('#vol-points').innerText()),
});

test('sign up on the phone, scan the organiser\'s QR code to check in 30 minutes late and out after the end: 2.5 hours more', async () => {
  // the member's figures before
  const mem = await phone('dangyuan');
  await mem.goto(env.srv.base + '/volunteer/me');
  before = await figures(mem);
  await shot(mem, '1-me-before');
  await fits(mem, 'my volunteer service');

  // the member finds the activity and signs up
  await mem.goto(env.srv.base + '/volunteer');
  await fits(mem, 'the list');
  await mem.getByRole('link', { name: '春季人居环境整治' }).first().click();
  await mem.getByRole('button', { name: '我要报名' }).click();
  await mem.locator('.vol-mine').waitFor();
  assert.match(await mem.locator('.vol-mine').innerText(), /您已报名/);
  await shot(mem, '2-signed-up');
  await fits(mem, 'the activity');

  // at 09:30 the organiser shows the QR code; the member's camera opens its URL
  setNow(at(9, 30));
  const org = await phone('chenji');
  await org.goto(`${env.srv.base}/volunteer/${activity}`);
  await shot(org, '3-organiser');
  await fits(org, 'the organiser\'s activity page');
  await org.getByRole('link', { name: '显示签到二维码' }).click();
  await org.waitForURL(/\/checkin\/volunteer\/\d+$/);
  const url = await scanScreen(org, '4-qr-screen');
  assert.match(url, new RegExp(`^${env.srv.base}/c/volunteer/${activity}/[2-9A-Z]{8}$`));
  await fits(org, 'the QR screen');
  await mem.goto(url);
  await shot(mem, '5-scan-page');
  await mem.getByRole('button', { name: '确认签到' }).click();
  await mem.locator('.checkin-ok').waitFor();
  assert.match(await mem.locator('.checkin-ok').innerText(), /已签到 09:30/);
  await shot(mem, '6-checked-in');
  await fits(mem, 'checked in');

  // after the end, the same again checks out: 09:30–12:00
  setNow(at(12, 35));
  const url2 = await scanScreen(org, '7-qr-screen-later');
  assert.notEqual(url2, url, 'the code has changed');
  await mem.goto(url2);
  await mem.getByRole('button', { name: '确认签到' }).click();
  await mem.locator('.checkin-ok').waitFor();
  assert.match(await mem.locator('.checkin-ok').innerText(), /已签退 12:35，服务 2\.5 小时/);
  await shot(mem, '8-checked-out');

  // the old code (a photo of 09:30's screen) does nothing now
  await mem.goto(url);
  assert.match(await mem.locator('body').innerText(), /签到码已过期/);

  // the member's hours and activities have grown by exactly 2.5 and 1
  await mem.goto(env.srv.base + '/volunteer/me');
  after = await figures(mem);
  assert.equal(Math.round((after.hours - before.hours) * 10), 25);
  assert.equal(after.times - before.times, 1);
  await shot(mem, '9-me-after', false);
  await fits(mem, 'my volunteer service after');
  // the points ledger (issue 11): rule volunteer_hour, 1 point per full hour: 2.5 h → 2
  assert.equal(after.points - before.points, 2);

  // the organiser's list shows the member checked in by scan, out by scan, 2.5 hours
  await org.goto(`${env.srv.base}/volunteer/${activity}`);
  const row = org.locator('tr', { hasText: '李志强' });
  assert.match(await row.innerText(), /2\.5 小时/);
  await shot(org, '10-organiser-after');
  await fits(org, 'the organiser\'s list');

  // the branch's report and minimums, on the phone
  await org.goto(`${env.srv.base}/volunteer/report?from=2026-01-01&to=2027-03-01`);
  assert.match(await org.locator('#vol-report-org').innerText(), /陈集村党支部/);
  await fits(org, 'the report');
  await shot(org, '11-report');
  await org.goto(`${env.srv.base}/volunteer/minimums?year=2026`);
  await fits(org, 'the minimums');
  await shot(org, '12-minimums', false);
  assert.deepEqual(env.errors, []);
});

test('the organiser corrects the hours after they were paid: the points follow; a campaign\'s minimum and who is below it, per branch', async () => {
  assert.ok(after, 'the first test ran');
  setNow(at(13, 0));
  const org = await phone('chenji');
  await org.goto(`${env.srv.base}/volunteer/${activity}`);
  const hand = org.locator('details.vol-hand', { hasText: '手工签到、签退、核定时长' });
  await hand.locator('summary').click();
  await org.locator('#f-member-manual').fill('李志强');
  await hand.locator('select[name="op"]').selectOption('hours');
  await hand.locator('input[name="hours"]').fill('1.5');
  await hand.locator('input[name="reason"]').fill('中途离开一小时，组织者核实');
  await shot(org, '13-correct-hours');
  await fits(org, 'the organiser\'s hand');
  await hand.getByRole('button', { name: '提交' }).click();
  await org.waitForLoadState();
  const row = org.locator('tr', { hasText: '李志强' });
  assert.match(await row.innerText(), /1\.5 小时/);
  assert.match(await row.innerText(), /手工核定：中途离开一小时，组织者核实/);
  await shot(org, '14-hours-corrected');

  // the member's hours and points follow: 1.5 h → 1 point, not the 2 paid before
  const mem = await phone('dangyuan');
  await mem.goto(env.srv.base + '/volunteer/me');
  const now = await figures(mem);
  assert.equal(Math.round((now.hours - before.hours) * 10), 15);
  assert.equal(now.points - before.points, 1, 'the ledger was corrected, not paid again');
  await shot(mem, '15-me-corrected', false);

  // the committee: the demo campaign carries 每名党员参加志愿服务活动不少于2次
  const tok = await lib.apiToken(env.srv.base, 'zuzhi');
  const list = (await lib.api(env.srv.base, tok, 'GET', '/api/v1/campaigns')).json.campaigns;
  const demo = list.find((c) => c.title === '“红色陈集·实干为民”主题活动');
  const z = await phone('zuzhi');
  await z.goto(`${env.srv.base}/campaigns/${demo.id}`);
  assert.equal(await z.locator('#vol-campaign-required').innerText(), '2');
  await z.locator('#vol-campaign-min').scrollIntoViewIfNeeded();
  await shot(z, '16-campaign-minimum', false);
  await fits(z, 'the campaign with its minimum');
  await z.getByRole('link', { name: '查看未达到的党员' }).click();
  await z.waitForURL(/\/volunteer\/minimums\?campaign=/);
  const n = Number(await z.locator('#vol-below-n').innerText());
  const perBranch = await z.locator('#vol-below-branches li strong').allInnerTexts();
  assert.ok(n > 0);
  assert.equal(perBranch.reduce((t, x) => t + Number(x), 0), n, 'the branches\' counts add up to the total');
  assert.equal(await z.locator('tbody tr').count(), n);
  await fits(z, 'the campaign\'s minimums');
  await shot(z, '17-campaign-below', false);
  assert.deepEqual(env.errors, []);
});

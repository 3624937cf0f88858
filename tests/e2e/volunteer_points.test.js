// Volunteer hours changed after their points were paid (issue 12, Deliver 4
// with issue 11's ledger), on SQLite and PostgreSQL, with the server's clock
// moved by a file: hours by hand, a forgotten check-out closed at the end and
// then corrected by the organiser, and a correction to 0 — after each, the
// attendance's ledger entries (the award and its chain of points_correct
// corrections) add up to the full hours × the rule volunteer_hour (1 point an
// hour), the member's total follows, nothing is paid twice, and bad input
// writes nothing. The period is in 2027, after the demo town's year, so the
// members' 2027 points are this script's alone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, apiToken, api } = require('./lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-volpts-'));
const clock = path.join(dir, 'now');
// 2027-04-01 08:00 in Beijing
const T0 = Date.UTC(2027, 3, 1, 0, 0) / 1000;
const at = (day, hh, mm = 0) => T0 + (day - 1) * 86400 + (hh - 8) * 3600 + mm * 60; // 2027-04-DD HH:MM Beijing
const setNow = (t) => fs.writeFileSync(clock, String(t));
setNow(T0);

let srv, chenji, xijie;
let cjc = []; // roster members of 陈集村 without a login of their own
let A; // 陈集村's activity, 2027-04-03 09:00–13:00 (4 hours)

test.before(async () => {
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clock } });
  [chenji, xijie] = await Promise.all(['chenji', 'xijie'].map((u) => apiToken(srv.base, u)));
  const roster = await api(srv.base, chenji, 'GET', '/api/v1/members?org=CJZ-CJC&limit=500');
  cjc = roster.json.members.filter((m) => m.status !== 'stopped' && m.status !== 'transferred');
  assert.ok(cjc.length > 4);
  const r = await api(srv.base, chenji, 'POST', '/api/v1/volunteer/activities',
    { title: '清明节烈士陵园义务清扫', kind: 'cleanup', place: '陈集烈士陵园', capacity: 20, starts: '2027-04-03 09:00', ends: '2027-04-03 13:00', org: 'CJZ-CJC' });
  assert.equal(r.status, 201, r.text);
  A = r.json.id;
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const act = (tok, action, body = {}) => api(srv.base, tok, 'POST', `/api/v1/volunteer/activities/${A}/actions/${action}`, body);
// The member's volunteer-hour entries of 2027 as the ledger holds them, and the member's 2027 total.
const ledger = async (m) => {
  const r = await api(srv.base, chenji, 'GET', `/api/v1/points?member=${m.id}&year=2027`);
  assert.equal(r.status, 200, r.text);
  const entries = r.json.entries.filter((e) => e.code === 'volunteer_hour' && e.source.kind === 'volunteer_signup');
  const sum = entries.reduce((t, e) => t + e.points, 0);
  const total = (await api(srv.base, chenji, 'GET', `/api/v1/volunteer/members/${m.id}`)).json.points_year;
  return { entries, sum, total };
};
const row = async (m) => (await api(srv.base, chenji, 'GET', `/api/v1/volunteer/activities/${A}`)).json.signups.find((x) => x.member_id === m.id);

test('hours by hand after the award: the ledger follows a correction, a second correction and a correction to 0', async () => {
  const m = cjc[0];
  setNow(at(3, 12, 30));
  assert.equal((await act(chenji, 'checkin', { member_id: m.id, at: '2027-04-03 09:00' })).status, 200);
  assert.equal((await act(chenji, 'checkout', { member_id: m.id, at: '2027-04-03 12:00' })).status, 200);
  let l = await ledger(m);
  assert.equal(l.entries.length, 1, 'the check-out pays once');
  assert.equal(l.entries[0].kind, 'award');
  assert.equal(l.entries[0].qty, 3);
  assert.equal(l.sum, 3, '3 hours × 1 point');
  assert.equal(l.total, 3);

  // bad input writes nothing: no reason, longer than the activity, another branch's secretary
  assert.equal((await act(chenji, 'hours', { member_id: m.id, hours: '1.5' })).status, 422);
  const tooLong = await act(chenji, 'hours', { member_id: m.id, hours: '4.5', reason: '多算' });
  assert.equal(tooLong.status, 422);
  assert.ok(tooLong.json.error.fields.hours);
  assert.equal((await api(srv.base, xijie, 'POST', `/api/v1/volunteer/activities/${A}/actions/hours`, { member_id: m.id, hours: '1', reason: '越权' })).status, 404);
  assert.equal((await ledger(m)).entries.length, 1, 'nothing half-written');

  // first correction: 3 → 1.5 hours = 1 full hour
  assert.equal((await act(chenji, 'hours', { member_id: m.id, hours: '1.5', reason: '中途离开，组织者核实' })).status, 200);
  l = await ledger(m);
  assert.equal(l.sum, 1);
  assert.equal(l.total, 1, 'the member\'s total follows the ledger');
  const c1 = l.entries.find((e) => e.kind === 'correction');
  assert.ok(c1, 'a correction entry, not a second award');
  assert.equal(c1.points, -2);
  assert.equal(c1.corrects, l.entries.find((e) => e.kind === 'award').id);
  assert.match(c1.reason, /志愿服务时长更正为 1\.5 小时：中途离开，组织者核实/);
  assert.equal((await row(m)).minutes_manual, true);

  // second correction: 1.5 → 4 hours (the correction is corrected, the chain adds up)
  assert.equal((await act(chenji, 'hours', { member_id: m.id, hours: '4', reason: '提前到场布置，全程参加' })).status, 200);
  l = await ledger(m);
  assert.equal(l.sum, 4);
  assert.equal(l.total, 4);
  assert.equal(l.entries.filter((e) => e.kind === 'correction').length, 2);
  const c2 = l.entries.find((e) => e.kind === 'correction' && e.id !== c1.id);
  assert.equal(c2.corrects, c1.id, 'the second correction corrects the first');
  assert.equal(c2.points, 3);

  // the same hours again: nothing to correct, nothing written
  assert.equal((await act(chenji, 'hours', { member_id: m.id, hours: '4', reason: '复核无误' })).status, 200);
  assert.equal((await ledger(m)).entries.length, 3);
  // 3.9 hours are 3 full hours
  assert.equal((await act(chenji, 'hours', { member_id: m.id, hours: '3.9', reason: '扣除休息时间' })).status, 200);
  l = await ledger(m);
  assert.equal(l.sum, 3);

  // a correction to 0
  assert.equal((await act(chenji, 'hours', { member_id: m.id, hours: '0', reason: '未实际参加服务' })).status, 200);
  l = await ledger(m);
  assert.equal(l.sum, 0);
  assert.equal(l.total, 0);
  assert.equal((await row(m)).minutes, 0);
  // and back up from 0
  assert.equal((await act(chenji, 'hours', { member_id: m.id, hours: '2', reason: '补录' })).status, 200);
  l = await ledger(m);
  assert.equal(l.sum, 2);
  assert.equal(l.total, 2);
  assert.equal(l.entries.filter((e) => e.kind === 'award').length, 1, 'one award per attendance, ever');
});

test('under an hour pays nothing; hours set later pay through the award', async () => {
  const m = cjc[1];
  setNow(at(3, 12, 40));
  assert.equal((await act(chenji, 'checkin', { member_id: m.id, at: '2027-04-03 11:20' })).status, 200);
  assert.equal((await act(chenji, 'checkout', { member_id: m.id, at: '2027-04-03 12:00' })).status, 200);
  assert.equal((await ledger(m)).entries.length, 0, '40 minutes: no full hour');
  assert.equal((await act(chenji, 'hours', { member_id: m.id, hours: '2', reason: '签到晚录，实际 10:00 到场' })).status, 200);
  const l = await ledger(m);
  assert.deepEqual(l.entries.map((e) => [e.kind, e.points]), [['award', 2]]);
  assert.equal(l.total, 2);
});

test('a forgotten check-out closed at the end pays; the organiser closing it at the real time corrects the points, twice', async () => {
  const m = cjc[2];
  setNow(at(3, 9, 5));
  assert.equal((await act(chenji, 'checkin', { member_id: m.id, at: '2027-04-03 09:00' })).status, 200);
  setNow(at(3, 14, 5));
  srv.run(['tick'], { env: { DANGJIAN_NOW: String(at(3, 14, 5)) } });
  let r = await row(m);
  assert.equal(r.checkout_how, 'auto');
  assert.equal(r.minutes, 240);
  let l = await ledger(m);
  assert.equal(l.sum, 4, 'closed at the end: 4 hours paid');
  // the organiser learns the member left at 11:00
  const fix = await act(chenji, 'checkout', { member_id: m.id, at: '2027-04-03 11:00' });
  assert.equal(fix.status, 200, fix.text);
  r = await row(m);
  assert.equal(r.checkout_how, 'manual');
  assert.equal(r.minutes, 120);
  l = await ledger(m);
  assert.equal(l.sum, 2);
  assert.equal(l.total, 2);
  // then at 11:30 (2.5 hours: still 2 full hours, nothing written), then 12:10 (3 h 10 min: 3)
  assert.equal((await act(chenji, 'checkout', { member_id: m.id, at: '2027-04-03 11:30' })).status, 200);
  assert.equal((await ledger(m)).entries.length, 2);
  assert.equal((await act(chenji, 'checkout', { member_id: m.id, at: '2027-04-03 12:10' })).status, 200);
  l = await ledger(m);
  assert.equal(l.sum, 3);
  assert.equal(l.total, 3);
  // a check-out before the check-in is refused, nothing written
  const before = await act(chenji, 'checkout', { member_id: m.id, at: '2027-04-03 08:40' });
  assert.equal(before.status, 409);
  assert.equal((await ledger(m)).sum, 3);
  assert.equal((await row(m)).minutes, 190);
});

test('the totals equal a recount of the ledger (dangjian check)', () => {
  let out;
  try { out = srv.run(['check']); } catch (err) { out = String(err.stdout); } // other checks may find the demo's own problems
  assert.match(out, /points totals: equal to a recount of the ledger/);
});

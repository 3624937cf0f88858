// Browser journey of the printable transfer documents and the two ends of a
// transfer (issue 18 §5 on the shared PDF layer), on a phone: the 陈集村
// secretary issues a letter to an outside org, downloads it as a PDF (read
// back by pdftotext, its page rendered beside the screenshots to be looked
// at), records the receipt, and the member's record says 转出; the member
// 李志强, logged in on their phone, is transferred to 西街村 and confirmed
// there, and their session goes on, now under 西街村.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { setup, SHOTS, fits, shot } = require('./lib');

const env = setup({ console: true });

// Clicks the PDF link, keeps the file, renders its page at 60 dpi; returns its text without spaces.
async function downloadPdf(p, selector, name) {
  const [dl] = await Promise.all([p.waitForEvent('download'), p.locator(selector).click()]);
  const file = path.join(SHOTS, `${name}.pdf`);
  await dl.saveAs(file);
  execFileSync('pdftoppm', ['-q', '-png', '-r', '60', '-singlefile', file, path.join(SHOTS, `${name}-pdf`)]);
  return execFileSync('pdftotext', ['-q', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

async function issue(p, { member, kind, to }) {
  await p.goto(env.srv.base + '/transfers');
  await p.locator('summary', { hasText: '开具介绍信' }).click();
  const options = await p.locator('#f-member_id option').allInnerTexts();
  const pick = options.find(member);
  assert.ok(pick, 'a member to transfer');
  await p.locator('#f-member_id').selectOption({ label: pick });
  await p.getByLabel('类型').selectOption(kind);
  if (kind === 'internal') await p.getByLabel('转入支部编码（镇内）').fill(to);
  else await p.getByLabel('接收党组织名称（镇外）').fill(to);
  await p.getByLabel('转接原因').fill(kind === 'internal' ? '工作调动' : '随子女到县城定居');
  await p.getByRole('button', { name: '开具介绍信' }).click();
  await p.waitForURL(/\/transfers\/\d+$/);
  return pick.split(/[（(\s]/)[0];
}

test('an outside letter: issued, downloaded as a PDF, its receipt recorded, and the member is 转出', async () => {
  const sec = await env.page({ user: 'chenji' });
  const name = await issue(sec, { member: (o) => /陈集村/.test(o) && !/张建国|李志强|赵丽/.test(o), kind: 'outside', to: '中共东阿县铜城街道委员会' });
  const letter = await sec.locator('#letter').innerText();
  const no = /组转〔\d{4}〕\d+号/.exec(letter)[0];
  await fits(sec, 'letter');
  await shot(sec, 'transfers-pdf-letter');
  const text = await downloadPdf(sec, '#letter-pdf', 'transfers-pdf-letter-outside');
  assert.ok(text.includes('（存根）') && text.split(no).length - 1 >= 3 && text.includes(name) && text.includes('中共东阿县铜城街道委员会'), text);
  // the receipt came back: the issuing side records it
  await sec.getByLabel('备注').fill('回执已寄回');
  await sec.getByRole('button', { name: '登记回执（已接收）' }).click();
  await assert.doesNotReject(sec.locator('#transfer-state', { hasText: '已接收' }).waitFor());
  // the member's record: 转出, with the history row naming where they went
  await sec.goto(env.srv.base + '/members?q=' + encodeURIComponent(name) + '&status=transferred');
  await sec.getByRole('link', { name }).first().click();
  const record = await sec.locator('main').innerText();
  assert.match(record, /转出/);
  assert.match(record, /转至中共东阿县铜城街道委员会/);
  await shot(sec, 'transfers-pdf-member-out');
  await fits(sec, 'member record');
  await shot(sec, 'transfers-pdf-member-out');
  await sec.context().close();
});

test('a member transferred inside the committee stays logged in, now under the new branch', async () => {
  const member = await env.page({ user: 'dangyuan' });
  await member.goto(env.srv.base + '/dues/my');
  assert.match(await member.locator('main').innerText(), /陈集村/);
  const sec = await env.page({ user: 'chenji' });
  await issue(sec, { member: (o) => o.startsWith('李志强'), kind: 'internal', to: 'CJZ-XJC' });
  const text = await downloadPdf(sec, '#letter-pdf', 'transfers-pdf-letter-internal');
  assert.ok(text.includes('李志强') && text.includes('西街村党支部') && text.includes('党费已交至'), text);
  const url = sec.url();
  await sec.context().close();
  const xj = await env.page({ user: 'xijie' });
  await xj.goto(url);
  await xj.getByRole('button', { name: '确认接收' }).click();
  await assert.doesNotReject(xj.locator('#transfer-state', { hasText: '已接收' }).waitFor());
  await xj.context().close();
  // the member's phone: the same session, no login page
  await member.reload();
  assert.match(member.url(), /\/dues\/my$/);
  assert.match(await member.locator('main').innerText(), /西街村/);
  await fits(member, 'member dues after the transfer');
  await shot(member, 'transfers-pdf-member-kept-session');
  await member.context().close();
  assert.deepEqual(env.errors, []);
});

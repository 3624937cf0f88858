// Role-model selection (issue 15) in a browser: a resident nominates at phone size
// (390×844) and a member nominates while logged in; the committee accepts, scores and
// shortlists on a desktop; the 纪委 reviewer answers on a phone; the notice goes up, a
// resident files an objection on the notice page; the committee answers it; after five
// days the awards appear in the gallery; the certificate's QR code (decoded by zbarimg
// from a screenshot) opens the verification page, which a resident reads on a phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, BIN, PASSWORD, apiToken, api, launchChromium } = require('../e2e/lib');

const SHOTS = path.join(path.dirname(BIN), 'screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-clock-')), 'now');
let now = Math.floor(Date.now() / 1000);
const setClock = (t) => fs.writeFileSync(clockFile, String(t));
const day = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
let srv, browser, cid;
const errors = [];

test.before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  setClock(now);
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clockFile } });
  browser = await launchChromium();
  const tok = await apiToken(srv.base, 'zuzhi');
  const r = await api(srv.base, tok, 'POST', '/api/v1/exemplars/campaigns', {
    title: '2026年度“最美志愿者”评选', category: 'zhiyuanzhe', year: 2026, quota: 2,
    nominate_until: day(now + 7 * 86400), review_until: day(now + 14 * 86400), consult_until: day(now + 21 * 86400), depts: ['CJZ-JW'],
  });
  assert.equal(r.status, 201, r.text);
  cid = r.json.id;
});
test.after(async () => {
  if (browser) await browser.close();
  await srv.stop();
});

async function open(opts) {
  const ctx = await browser.newContext(opts);
  const p = await ctx.newPage();
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('dialog', (d) => d.accept());
  return p;
}
async function login(p, user) {
  await p.goto(srv.base + '/login');
  await p.getByLabel('用户名或手机号', { exact: true }).fill(user);
  await p.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.waitForURL(/\/console$/);
}
async function fits(p, what) {
  const { page, tables } = await p.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    tables: [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().right > window.innerWidth + 1).length,
  }));
  assert.ok(page <= 391, `${what}: the page is ${page}px wide`);
  assert.equal(tables, 0, `${what}: a table wider than the phone`);
}
// evidence files: a small PDF and a 1×1 PNG
const EVIDENCE_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const shot = (p, name) => p.screenshot({ path: path.join(SHOTS, `exemplars-${name}.png`), fullPage: true });

test('nominated by the public and a member, reviewed, consulted, objected to, answered, awarded, verified', async () => {
  // 1. a resident nominates on a phone: first without deeds (refused, naming the field), then properly
  const res = await open(PHONE);
  await res.goto(srv.base + '/exemplars');
  await shot(res, '1-home-phone');
  await fits(res, 'the campaigns');
  await res.locator('section.card', { hasText: '最美志愿者' }).getByRole('link', { name: '我要推荐' }).click();
  await res.getByLabel('被推荐人姓名', { exact: true }).fill('孟凡英');
  await res.getByLabel('所在村（社区）或单位', { exact: true }).fill('东升社区');
  await res.getByLabel('推荐人姓名', { exact: true }).fill('王大爷');
  await res.getByLabel('推荐人手机号', { exact: true }).fill('13905301234');
  await res.getByRole('button', { name: '提交推荐' }).click();
  await assert.doesNotReject(res.getByText('请填写主要事迹').waitFor());
  await fits(res, 'the refused form');
  await res.getByLabel('主要事迹', { exact: true }).fill('退休后组建“银发志愿队”，五年来陪伴社区独居老人两百余人次，义务理发、代买药品、陪同就医。');
  await shot(res, '2-nominate-phone');
  await res.getByRole('button', { name: '提交推荐' }).click();
  await res.waitForURL(/\/exemplars$/);
  await assert.doesNotReject(res.getByText('推荐已提交').waitFor());

  // 2. a member nominates, logged in, on a phone: the nominator is the account
  const mem = await open(PHONE);
  await login(mem, 'dangyuan');
  await mem.goto(`${srv.base}/exemplars/${cid}/nominate`);
  assert.equal(await mem.getByLabel('推荐人手机号', { exact: true }).count(), 0, 'a member is not asked for a phone');
  await mem.getByLabel('被推荐人姓名', { exact: true }).fill('杨志刚');
  await mem.getByLabel('所在村（社区）或单位', { exact: true }).fill('陈集村党支部');
  await mem.getByLabel('主要事迹', { exact: true }).fill('带领党员志愿服务队开展环境整治和助老服务，累计志愿服务时长八百余小时。');
  await shot(mem, '3-member-nominates');
  await mem.getByRole('button', { name: '提交推荐' }).click();
  await mem.waitForURL(/\/exemplars$/);

  // 3. the committee on a desktop: accepts both, ends the nomination, scores, shortlists
  const com = await open(DESKTOP);
  await login(com, 'zuzhi');
  const campaign = `${srv.base}/exemplars/campaigns/${cid}`;
  await com.goto(campaign);
  for (let i = 0; i < 2; i++) {
    await com.getByRole('button', { name: '受理', exact: true }).first().click();
    await com.waitForURL(campaign);
  }
  await com.getByRole('button', { name: '结束推荐，进入联合评审' }).click();
  await assert.doesNotReject(com.getByText('推荐已结束').waitFor());
  for (const [name, points] of [['孟凡英', ['29', '38', '28']], ['杨志刚', ['27', '35', '26']]]) {
    const row = com.locator('tr', { hasText: name });
    await row.getByLabel('政治素质（满分30）').fill(points[0]);
    await row.getByLabel('工作实绩（满分40）').fill(points[1]);
    await row.getByLabel('群众公认（满分30）').fill(points[2]);
    await row.getByRole('button', { name: '评分' }).click();
    await com.waitForURL(campaign);
  }
  assert.match(await com.locator('tr', { hasText: '孟凡英' }).innerText(), /95\.00/, '29 + 38 + 28');
  await shot(com, '4-committee-review-desktop');
  await com.getByRole('button', { name: '确定初步人选并征询意见' }).click();
  await assert.doesNotReject(com.getByText('初步人选已确定').waitFor());

  // 4. the 纪委 reviewer answers on a phone
  const rev = await open(PHONE);
  await login(rev, 'jiwei');
  await rev.goto(srv.base + '/exemplars/review');
  const tasks = rev.locator('article.ex-task', { hasText: '最美志愿者' });
  assert.equal(await tasks.count(), 2);
  await shot(rev, '5-reviewer-phone');
  await fits(rev, 'the reviewer\'s tasks');
  for (let i = 0; i < 2; i++) {
    const t = rev.locator('article.ex-task', { hasText: '最美志愿者' }).filter({ has: rev.getByRole('button', { name: '提交意见' }) }).first();
    if (i === 0) // the first answer carries its evidence, a PDF the committee alone opens
      await t.getByLabel('佐证文件（选填）').setInputFiles({ name: '廉政档案查询记录.pdf', mimeType: 'application/pdf', buffer: EVIDENCE_PDF });
    await t.getByRole('button', { name: '提交意见' }).click();
    await assert.doesNotReject(rev.getByText('意见已提交').waitFor());
  }

  // 5. the notice goes up; a resident objects on the notice page
  await com.goto(campaign);
  await com.getByRole('button', { name: '征询结束，发布公示' }).click();
  await assert.doesNotReject(com.getByText('已发布公示').waitFor());
  await res.goto(srv.base + '/exemplars/notice');
  await assert.doesNotReject(res.getByText('2026年度“最美志愿者”评选 拟表彰人选公示').waitFor());
  await shot(res, '6-notice-phone');
  await fits(res, 'the notice');
  await res.locator('article', { hasText: '杨志刚' }).getByRole('link', { name: '对该人选提出异议' }).click();
  await res.getByLabel('您的姓名', { exact: true }).fill('赵春生');
  await res.getByLabel('手机号', { exact: true }).fill('13905301888');
  await res.getByLabel('异议内容', { exact: true }).fill('听说他的志愿服务时长有夸大，请组织核实。');
  await res.getByLabel('佐证文件（选填）').setInputFiles({ name: '服务时长截图.png', mimeType: 'image/png', buffer: PNG });
  await shot(res, '7-objection-phone');
  await res.getByRole('button', { name: '提交异议' }).click();
  await assert.doesNotReject(res.getByText('异议已提交').waitFor());

  // 6. the committee: the notice cannot end yet; answers the objection; five days later, awards
  await com.goto(campaign);
  await com.getByRole('button', { name: '结束公示，表彰并颁发证书' }).click();
  await assert.doesNotReject(com.getByText(/公示期为 5 天，未满不能结束/).waitFor());
  const obj = com.locator('article.ex-objection', { hasText: '杨志刚' });
  // the evidence: the resident's screenshot with the objection, the department's PDF beside its answer
  const evidence = obj.getByRole('link', { name: '服务时长截图.png' });
  const shotUrl = await evidence.getAttribute('href');
  const img = await com.request.get(srv.base + shotUrl);
  assert.equal(img.headers()['content-type'], 'image/png');
  assert.deepEqual(Buffer.from(await img.body()), PNG);
  await assert.doesNotReject(com.getByRole('link', { name: '廉政档案查询记录.pdf' }).waitFor());
  assert.equal((await res.request.get(srv.base + shotUrl, { maxRedirects: 0 })).status(), 303, 'not the public\'s to open');
  await obj.getByLabel('答复', { exact: true }).selectOption('dismissed');
  await obj.getByLabel('核查情况和理由', { exact: true }).fill('经查志愿服务记录和签到表，时长属实，异议不成立，已电话告知反映人。');
  await obj.getByRole('button', { name: '答复异议' }).click();
  await assert.doesNotReject(com.getByText('异议已答复').waitFor());
  assert.match(await com.locator('article.ex-objection', { hasText: '杨志刚' }).innerText(), /异议不成立/);
  now += 5 * 86400 + 60;
  setClock(now);
  await login(com, 'zuzhi'); // five days on, the session has ended
  await com.goto(campaign);
  await com.getByRole('button', { name: '结束公示，表彰并颁发证书' }).click();
  await assert.doesNotReject(com.getByText('公示结束，已表彰并颁发证书').waitFor());
  await shot(com, '8-awarded-desktop');

  // 7. the gallery, the certificate and its QR code, the verification page on a phone
  await res.goto(srv.base + '/exemplars/gallery?category=zhiyuanzhe');
  await assert.doesNotReject(res.getByText('孟凡英').waitFor());
  await assert.doesNotReject(res.getByText('杨志刚').waitFor());
  await shot(res, '9-gallery-phone');
  const link = com.locator('tr', { hasText: '孟凡英' }).getByRole('link', { name: /^证书 BY2026-/ });
  const no = (await link.innerText()).replace('证书 ', '').trim();
  await link.click();
  await assert.doesNotReject(com.getByText('荣 誉 证 书').waitFor());
  const certPng = path.join(SHOTS, 'exemplars-10-certificate-desktop.png');
  await com.locator('.ex-cert').screenshot({ path: certPng });
  const decoded = execFileSync('zbarimg', ['--raw', '-q', certPng], { encoding: 'utf8' }).trim();
  assert.equal(decoded, `${srv.base}/verify/${no}`);
  // the PDF from the certificate page: its text and its QR code, rendered as a resident's printer would
  const [download] = await Promise.all([com.waitForEvent('download'), com.getByRole('link', { name: '下载证书 PDF' }).click()]);
  const pdf = path.join(SHOTS, 'exemplars-certificate.pdf');
  await download.saveAs(pdf);
  const text = execFileSync('pdftotext', ['-q', pdf, '-'], { encoding: 'utf8' });
  for (const t of ['荣誉证书', '孟凡英', '最美志愿者', no]) assert.ok(text.includes(t), t);
  execFileSync('pdftoppm', ['-q', '-png', '-r', '60', '-singlefile', pdf, path.join(SHOTS, 'exemplars-10b-certificate-pdf')]);
  const fromPdf = execFileSync('zbarimg', ['--raw', '-q', path.join(SHOTS, 'exemplars-10b-certificate-pdf.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  assert.equal(fromPdf, `${srv.base}/verify/${no}`);
  await res.goto(decoded);
  await assert.doesNotReject(res.getByText('证书真实有效').waitFor());
  assert.match(await res.locator('.ex-verify').innerText(), /孟凡英[\s\S]*最美志愿者/);
  await fits(res, 'the verification page');
  await shot(res, '11-verify-phone');
  await res.goto(srv.base + '/verify/BY2026-AAAA-BBBB');
  await assert.doesNotReject(res.getByText('查无此证书').waitFor());
  await shot(res, '12-verify-unknown-phone');
  assert.deepEqual(errors, []);
});

test('the committee keeps the category list on a phone', async () => {
  const p = await open(PHONE);
  await login(p, 'zuzhi');
  await p.goto(srv.base + '/exemplars');
  await p.getByRole('link', { name: '评选类别' }).click();
  await p.getByLabel('类别名称', { exact: true }).last().fill('最美网格员');
  await p.getByRole('button', { name: '添加类别' }).click();
  await assert.doesNotReject(p.getByText('评选类别已添加').waitFor());
  const row = p.locator('tr', { has: p.locator('input[value="最美网格员"]') });
  await row.getByRole('button', { name: '停用' }).click();
  await assert.doesNotReject(p.getByText('评选类别已更新').waitFor());
  assert.match(await p.locator('tr', { has: p.locator('input[value="最美网格员"]') }).innerText(), /停用/);
  await fits(p, 'the categories');
  await shot(p, '13-categories-phone');
  await p.goto(srv.base + '/exemplars/new');
  assert.equal(await p.locator('#f-category option', { hasText: '最美网格员' }).count(), 0, 'switched off: not offered');
  assert.deepEqual(errors, []);
});

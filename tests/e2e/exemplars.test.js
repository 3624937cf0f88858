// Role-model selection (issue 15, SPEC M7), on SQLite and PostgreSQL: a campaign
// through every stage; each role's permission; the bad input the issue lists; the
// one-vote veto (the best-scored candidate with one 不同意 from 公安 never reaches
// the notice); an objection that blocks the end of the notice until answered and
// keeps its reason; certificates that verify (and a made-up and a revoked number
// that do not); the public forms' rate limit; the demo's figures counted from rows.
// The server's clock is injected through DANGJIAN_NOW_FILE.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, apiToken, api, Browser, BIN } = require('./lib');

const clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-clock-')), 'now');
const setClock = (t) => fs.writeFileSync(clockFile, String(t));
let now = Math.floor(Date.now() / 1000);
// the demo's 两优一先 opened 200 days ago; its 年度 is the year it ran in, the
// year before when it opened in January (src/demo_exemplars.c, campaign_year)
const opened = new Date((now - 200 * 86400 + 8 * 3600) * 1000);
const awardYear = opened.getUTCFullYear() - (opened.getUTCMonth() === 0 ? 1 : 0);

let srv;
const tok = {};
let ipn = 1;
test.before(async () => {
  setClock(now);
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clockFile } });
  for (const u of ['admin', 'zuzhi', 'chenji', 'dangyuan', 'jiwei', 'gongan', 'wangge']) tok[u] = await apiToken(srv.base, u);
});
test.after(async () => { await srv.stop(); });

const call = (who, method, p, body) => api(srv.base, tok[who], method, p, body);
async function ok(who, method, p, body, status = 200) {
  const r = await call(who, method, p, body);
  assert.equal(r.status, status, `${who} ${method} ${p}: ${r.text}`);
  return r.json;
}
async function pub(method, p, body, headers = {}) {
  const r = await fetch(srv.base + p, {
    method, headers: { 'content-type': 'application/json', 'x-real-ip': `198.51.100.${ipn++}`, ...headers }, body: body && JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* HTML */ }
  return { status: r.status, json, text };
}
const day = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
const candidatesOf = async (id, who = 'zuzhi') => (await ok(who, 'GET', `/api/v1/exemplars/campaigns/${id}`)).candidates;
const byName = (list, name) => list.find((c) => c.name === name && c.state !== 'merged');

test('the state tables the API serves are the ones the code runs', async () => {
  const t = (await pub('GET', '/api/v1/exemplars/transitions')).json;
  assert.deepEqual(t.stages.map((s) => s.stage), ['nomination', 'review', 'consultation', 'notice', 'closed']);
  const veto = t.transitions.find((x) => x.action === 'veto');
  assert.deepEqual(veto, { from: 'shortlisted', action: 'veto', to: 'vetoed', stage: 'consultation', roles: ['reviewer'] });
  // the pipeline of the issue, step by step
  const path_ = ['nominated', 'candidate', 'shortlisted', 'consulted', 'on_notice', 'awarded'];
  for (let i = 0; i + 1 < path_.length; i++) assert.ok(t.transitions.some((x) => x.from === path_[i] && x.to === path_[i + 1]), path_[i]);
});

// a small real PDF, and the evidence URL of the veto (opened again by later tests)
const EVIDENCE_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
let vetoEvidence;
let cid;
const names = { best: '周明亮', second: '吴桂兰', third: '郑海涛', low: '钱立新' };

test('a campaign: only the committee may start one, and bad input names the field', async () => {
  const body = {
    title: '2026年度优秀共产党员评选（测试）', category: 'youxiu_dangyuan', year: 2026, quota: 3,
    nominate_until: day(now + 5 * 86400), review_until: day(now + 10 * 86400), consult_until: day(now + 15 * 86400),
    depts: ['CJZ-JW', 'CJZ-GA'],
  };
  assert.equal((await call('chenji', 'POST', '/api/v1/exemplars/campaigns', body)).status, 403);
  let r = await call('zuzhi', 'POST', '/api/v1/exemplars/campaigns', { ...body, quota: 0, depts: ['CJZ-CJC'], review_until: day(now), criteria: [{ name: '工作实绩', max: 50 }] });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.error.fields.quota && r.json.error.fields.depts && r.json.error.fields.review_until, r.text);
  assert.match(r.json.error.fields.criteria, /合计须为 100 分/);
  const before = (await ok('zuzhi', 'GET', '/api/v1/exemplars/campaigns')).campaigns.length;
  cid = (await ok('zuzhi', 'POST', '/api/v1/exemplars/campaigns', body, 201)).id;
  const list = (await ok('zuzhi', 'GET', '/api/v1/exemplars/campaigns')).campaigns;
  assert.equal(list.length, before + 1, 'the refused ones wrote nothing');
  const c = list.find((x) => x.id === cid);
  assert.equal(c.stage, 'nomination');
  assert.equal(c.notice_days, 5, 'the notice lasts 5 days by default');
});

test('nomination by the public, a member and a branch; deeds required; duplicates merged on acceptance', async () => {
  const deeds = '常年义务为村里的独居老人代办事务，带动党员志愿者服务群众。';
  const nom = (who, name, extra = {}) => call(who, 'POST', `/api/v1/exemplars/campaigns/${cid}/nominations`, { name, unit: '陈集村党支部', deeds, ...extra });
  // without deeds: refused, naming the field, nothing written
  let r = await pub('POST', `/api/v1/public/exemplars/campaigns/${cid}/nominations`, { name: names.best, unit: '陈集村党支部', nominator_name: '王大爷', nominator_phone: '13905301234' });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.error.fields.deeds);
  r = await pub('POST', `/api/v1/public/exemplars/campaigns/${cid}/nominations`, { name: names.best, unit: '陈集村党支部', deeds, nominator_name: '王大爷', nominator_phone: '12345' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.nominator_phone);
  assert.equal((await candidatesOf(cid)).length, 0);
  // the public, with an Idempotency-Key: a retry is the same nomination
  const key = 'nominate-key-0001';
  r = await pub('POST', `/api/v1/public/exemplars/campaigns/${cid}/nominations`,
    { name: names.best, unit: '陈集村党支部', deeds, nominator_name: '王大爷', nominator_phone: '13905301234' }, { 'idempotency-key': key });
  assert.equal(r.status, 201, r.text);
  const again = await pub('POST', `/api/v1/public/exemplars/campaigns/${cid}/nominations`,
    { name: names.best, unit: '陈集村党支部', deeds, nominator_name: '王大爷', nominator_phone: '13905301234' }, { 'idempotency-key': key });
  assert.equal(again.status, 200);
  assert.equal(again.json.id, r.json.id);
  assert.equal(again.json.repeated, true);
  assert.equal((await nom('dangyuan', names.second)).status, 201);
  assert.equal((await nom('chenji', names.third)).status, 201);
  assert.equal((await nom('chenji', names.low)).status, 201);
  assert.equal((await nom('chenji', names.best)).status, 201, 'a second nomination of the same person');
  assert.equal((await nom('wangge', '某人')).status, 403, 'a grid worker does not nominate');
  let list = await candidatesOf(cid);
  assert.equal(list.length, 5);
  assert.deepEqual(list.map((c) => c.source).sort(), ['branch', 'branch', 'branch', 'member', 'public']);
  // only the committee accepts
  assert.equal((await call('chenji', 'POST', `/api/v1/exemplars/candidates/${list[0].id}/actions/accept`, {})).status, 403);
  for (const c of list.sort((a, b) => a.id - b.id)) await ok('zuzhi', 'POST', `/api/v1/exemplars/candidates/${c.id}/actions/accept`, {});
  list = await candidatesOf(cid);
  assert.equal(list.filter((c) => c.state === 'merged').length, 1, 'the duplicate is merged');
  assert.equal(byName(list, names.best).nominations, 2);
  assert.equal(list.filter((c) => c.state === 'candidate').length, 4);
});

test('the public form is rate-limited per address; a 50 MB upload is refused at the headers', async () => {
  const ip = '203.0.113.77';
  const body = { name: '测试人', unit: '西街村党支部', deeds: '热心公益，常年帮助邻里解决困难。', nominator_name: '李四', nominator_phone: '13905309999' };
  const statuses = [];
  for (let i = 0; i < 7; i++) {
    const r = await fetch(`${srv.base}/api/v1/public/exemplars/campaigns/${cid}/nominations`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': ip }, body: JSON.stringify({ ...body, name: `测试人${i}` }),
    });
    statuses.push(r.status);
  }
  assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429, 429]);
  const flood = (await candidatesOf(cid)).filter((c) => c.name.startsWith('测试人'));
  assert.equal(flood.length, 5, 'the refused ones wrote nothing');
  for (const c of flood) await ok('zuzhi', 'POST', `/api/v1/exemplars/candidates/${c.id}/actions/reject`, { note: '测试数据' });
  const raw = await new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1', () => s.write(`POST /exemplars/${cid}/nominate HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${50 << 20}\r\nConnection: close\r\n\r\n`));
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 413/);
});

test('the public form with a photo: JPEG or PNG up to 2 MB; anything else refused naming the field, nothing written', async () => {
  const b = new Browser(srv.base);
  const form = await b.get(`/exemplars/${cid}/nominate`);
  assert.equal(form.status, 200);
  assert.match(form.text, /enctype="multipart\/form-data"/);
  const csrf = Browser.csrf(form.text);
  let ip = 40;
  const send = async (name, file, type) => {
    const fd = new FormData();
    fd.set('_csrf', csrf);
    fd.set('name', name);
    fd.set('unit', '幸福社区');
    fd.set('deeds', '坚持十年义务为社区老人理发，组织邻里互助小组。');
    fd.set('nominator_name', '刘大姐');
    fd.set('nominator_phone', '13905305555');
    if (file) fd.set('photo', new Blob([file], { type }), 'photo.png');
    const r = await fetch(`${srv.base}/exemplars/${cid}/nominate`, { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: b.cookieHeader(), 'x-real-ip': `192.0.2.${ip++}` } });
    return { status: r.status, text: await r.text() };
  };
  const count = async () => (await candidatesOf(cid)).length;
  const n0 = await count();
  let r = await send('照片测试甲', Buffer.from('GIF89a not a photo we take'), 'image/gif');
  assert.equal(r.status, 422);
  assert.match(r.text, /照片须为 JPEG 或 PNG 图片/);
  const big = Buffer.alloc(2.5 * 1024 * 1024, 0);
  Buffer.from('\x89PNG\r\n\x1a\n', 'latin1').copy(big);
  r = await send('照片测试乙', big, 'image/png');
  assert.equal(r.status, 422);
  assert.match(r.text, /照片不能超过 2 MB/);
  assert.equal(await count(), n0, 'nothing written');
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
  r = await send('照片测试丙', png, 'image/png');
  assert.equal(r.status, 303, r.text);
  const c = (await candidatesOf(cid)).find((x) => x.name === '照片测试丙');
  // not on notice: the public does not see it, the committee does
  assert.equal((await fetch(`${srv.base}/exemplars/candidates/${c.id}/photo`)).status, 404);
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const ph = await fetch(`${srv.base}/exemplars/candidates/${c.id}/photo`, { headers: { cookie: z.cookieHeader() } });
  assert.equal(ph.status, 200);
  assert.equal(ph.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await ph.arrayBuffer()), png);
  await ok('zuzhi', 'POST', `/api/v1/exemplars/candidates/${c.id}/actions/reject`, { note: '测试数据' });
});

test('joint review: scores in range, by reviewers and the committee only; shortlist up to the quota', async () => {
  const list = await candidatesOf(cid);
  const id = (n) => byName(list, n).id;
  // scoring belongs to the review stage
  assert.equal((await call('jiwei', 'POST', `/api/v1/exemplars/candidates/${id(names.best)}/score`, { points: [28, 35, 27] })).status, 409);
  assert.equal((await call('chenji', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/open_review`, {})).status, 403);
  await ok('zuzhi', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/open_review`, {});
  const crit = (await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${cid}`)).criteria;
  assert.deepEqual(crit, [{ name: '政治素质', max: 30 }, { name: '工作实绩', max: 40 }, { name: '群众公认', max: 30 }], 'the default criteria');
  let r = await call('jiwei', 'POST', `/api/v1/exemplars/candidates/${id(names.best)}/score`, { points: [31, 40, 30] });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.points, /政治素质.*0到30/);
  assert.equal((await call('jiwei', 'POST', `/api/v1/exemplars/candidates/${id(names.best)}/score`, { points: [-1, 0, 0] })).status, 422);
  assert.equal((await call('jiwei', 'POST', `/api/v1/exemplars/candidates/${id(names.best)}/score`, { points: [30, 40] })).status, 422, 'every criterion');
  assert.equal((await call('jiwei', 'POST', `/api/v1/exemplars/candidates/${id(names.best)}/score`, { score: 100 })).status, 422, 'no overall score');
  assert.equal((await call('dangyuan', 'POST', `/api/v1/exemplars/candidates/${id(names.best)}/score`, { points: [20, 30, 20] })).status, 403);
  const scores = {
    [names.best]: [[30, 39, 29], [29, 38, 29]], [names.second]: [[26, 34, 25], [27, 35, 26]],
    [names.third]: [[24, 32, 24], [24, 31, 23]], [names.low]: [[18, 24, 18], [19, 24, 19]],
  };
  for (const [n, [a, b]] of Object.entries(scores)) {
    await ok('jiwei', 'POST', `/api/v1/exemplars/candidates/${id(n)}/score`, { points: a });
    await ok('zuzhi', 'POST', `/api/v1/exemplars/candidates/${id(n)}/score`, { points: b, note: '事迹突出' });
  }
  const ranked = (await candidatesOf(cid)).filter((c) => c.state === 'candidate');
  assert.deepEqual(ranked.map((c) => c.name), [names.best, names.second, names.third, names.low], 'ranked by the average score');
  assert.equal(ranked[0].score, 97);
  r = await call('zuzhi', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/shortlist`, { candidates: ranked.map((c) => c.id) });
  assert.equal(r.status, 422, 'more than the quota');
  assert.ok(r.json.error.fields.candidates);
  await ok('zuzhi', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/shortlist`, { candidates: ranked.slice(0, 3).map((c) => c.id) });
  const after = await candidatesOf(cid);
  assert.equal(byName(after, names.low).state, 'not_shortlisted');
  assert.equal(after.filter((c) => c.state === 'shortlisted').length, 3);
});

test('consultation: one 不同意 from 公安 vetoes the best-scored candidate; a department answers only for itself, once', async () => {
  // the consultation reaches each department's reviewer in the app: 消息 in its navigation, the notice in its inbox
  const inbox = (await ok('gongan', 'GET', '/api/v1/inbox')).notifications;
  assert.ok(JSON.stringify(inbox).includes('征询'), JSON.stringify(inbox));
  const rb = new Browser(srv.base);
  await rb.login('gongan');
  const home = await rb.get('/exemplars/review');
  assert.match(home.text, /<a [^>]*href="\/inbox"[^>]*>消息/);
  const msgs = await rb.get('/inbox');
  assert.equal(msgs.status, 200);
  assert.match(msgs.text, /征询/);
  const tasks = (await ok('gongan', 'GET', '/api/v1/exemplars/consults')).consults.filter((t) => t.campaign_id === cid);
  assert.equal(tasks.length, 3);
  assert.ok(tasks.every((t) => t.dept === '东阿县公安局陈集派出所'));
  const jw = (await ok('jiwei', 'GET', '/api/v1/exemplars/consults')).consults.filter((t) => t.campaign_id === cid);
  const task = (list, n) => list.find((t) => t.candidate === n).id;
  // 公安 answering 纪委's task, the committee answering at all
  let r = await call('gongan', 'POST', `/api/v1/exemplars/consults/${task(jw, names.best)}`, { answer: 'agree' });
  assert.equal(r.status, 403, r.text);
  assert.equal((await call('zuzhi', 'POST', `/api/v1/exemplars/consults/${task(tasks, names.best)}`, { answer: 'agree' })).status, 403);
  // 不同意 needs its reason
  r = await call('gongan', 'POST', `/api/v1/exemplars/consults/${task(tasks, names.best)}`, { answer: 'disagree' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.note);
  r = await call('gongan', 'POST', `/api/v1/exemplars/consults/${task(tasks, names.best)}`, { answer: 'maybe' });
  assert.equal(r.status, 422);
  await ok('jiwei', 'POST', `/api/v1/exemplars/consults/${task(jw, names.best)}`, { answer: 'agree', note: '未发现问题' });
  // evidence with the answer: JPEG, PNG or PDF by content, 2 MB each, 3 at most; a refused one writes nothing
  const veto = { answer: 'disagree', note: '该同志有治安处罚记录，不宜推荐' };
  const b64 = (b) => Buffer.from(b).toString('base64');
  const bigPdf = Buffer.alloc(2 * 1024 * 1024 + 10, 32);
  Buffer.from('%PDF-1.4\n').copy(bigPdf);
  for (const [files, re] of [
    [[{ name: '处罚决定书.pdf', data: b64('not a pdf at all, just text') }], /“处罚决定书.pdf”须为 JPEG、PNG 图片或 PDF 文件/],
    [[{ name: '扫描件.pdf', data: b64(bigPdf) }], /“扫描件.pdf”超过 2 MB/],
    [[1, 2, 3, 4].map((i) => ({ name: `${i}.pdf`, data: b64(EVIDENCE_PDF) })), /最多 3 个文件/],
    [[{ name: 'x.pdf', data: '%%%not base64' }], /不是有效的 Base64/],
    ['x.pdf', /文件列表/],
  ]) {
    r = await call('gongan', 'POST', `/api/v1/exemplars/consults/${task(tasks, names.best)}`, { ...veto, files });
    assert.equal(r.status, 422, r.text);
    assert.match(r.json.error.fields.files, re);
  }
  assert.equal(byName(await candidatesOf(cid), names.best).state, 'shortlisted', 'the refused answers wrote nothing');
  await ok('gongan', 'POST', `/api/v1/exemplars/consults/${task(tasks, names.best)}`, { ...veto, files: [{ name: '行政处罚决定书.pdf', data: b64(EVIDENCE_PDF) }] });
  // the committee sees the file with the answer and opens it; the department's own list, a branch and the public do not
  const withFiles = (await ok('zuzhi', 'GET', `/api/v1/exemplars/consults?campaign=${cid}`)).consults.find((t) => t.id === task(tasks, names.best));
  assert.equal(withFiles.files.length, 1);
  assert.equal(withFiles.files[0].name, '行政处罚决定书.pdf');
  assert.equal(withFiles.files[0].mime, 'application/pdf');
  vetoEvidence = withFiles.files[0].url;
  assert.ok((await ok('gongan', 'GET', '/api/v1/exemplars/consults')).consults.every((t) => t.files === undefined));
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const f = await fetch(srv.base + vetoEvidence, { headers: { cookie: z.cookieHeader() } });
  assert.equal(f.status, 200);
  assert.equal(f.headers.get('content-type'), 'application/pdf');
  assert.match(f.headers.get('content-disposition'), /^attachment;/);
  assert.deepEqual(Buffer.from(await f.arrayBuffer()), EVIDENCE_PDF);
  for (const who of ['chenji', 'jiwei', 'gongan']) {
    const b = new Browser(srv.base);
    await b.login(who);
    assert.equal((await b.get(vetoEvidence)).status, 403, who);
  }
  assert.equal((await fetch(srv.base + vetoEvidence, { redirect: 'manual' })).status, 303, 'the public is asked to log in');
  r = await call('gongan', 'POST', `/api/v1/exemplars/consults/${task(tasks, names.best)}`, { answer: 'agree' });
  assert.equal(r.status, 409, 'a department answers once');
  let list = await candidatesOf(cid);
  assert.equal(byName(list, names.best).state, 'vetoed', 'vetoed whatever the scores');
  assert.match(byName(list, names.best).veto_reason, /公安.*治安处罚/);
  // the reason is the committee's to read: a branch sees the campaign without it
  const seen = await candidatesOf(cid, 'chenji');
  assert.equal(byName(seen, names.best).veto_reason, undefined);
  // the notice waits for every answer
  await ok('jiwei', 'POST', `/api/v1/exemplars/consults/${task(jw, names.second)}`, { answer: 'agree' });
  r = await call('zuzhi', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/publish`, {});
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /未答复/);
  for (const n of [names.second, names.third]) await ok('gongan', 'POST', `/api/v1/exemplars/consults/${task(tasks, n)}`, { answer: 'agree' });
  await ok('jiwei', 'POST', `/api/v1/exemplars/consults/${task(jw, names.third)}`, { answer: 'agree' });
  assert.equal((await call('jiwei', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/publish`, {})).status, 403);
  await ok('zuzhi', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/publish`, {});
  const notice = (await pub('GET', '/api/v1/public/exemplars/notice')).json.candidates.filter((c) => c.campaign_id === cid);
  assert.deepEqual(notice.map((c) => c.name).sort(), [names.second, names.third].sort());
  assert.ok(!notice.some((c) => c.name === names.best), 'the vetoed candidate never reaches the notice');
  assert.ok(notice.every((c) => c.veto_reason === undefined && c.nominator === undefined));
});

let certNo;
test('public notice: objections block its end until answered, dismissed ones keep their reason; N full days', async () => {
  const notice = (await pub('GET', '/api/v1/public/exemplars/notice')).json.candidates.filter((c) => c.campaign_id === cid);
  const second = notice.find((c) => c.name === names.second), third = notice.find((c) => c.name === names.third);
  let r = await pub('POST', `/api/v1/public/exemplars/candidates/${second.id}/objections`, { name: '赵春生', phone: '', content: '情况不属实' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.phone);
  r = await pub('POST', `/api/v1/public/exemplars/candidates/${second.id}/objections`, { name: '赵春生', phone: '13905301888', content: '据我了解其事迹中的部分内容不属实，请核实。', evidence: '同村村民可作证' });
  assert.equal(r.status, 201, r.text);
  const o1 = r.json.id;
  const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
  r = await pub('POST', `/api/v1/public/exemplars/candidates/${third.id}/objections`, { name: '孙玉兰', phone: '13905302777', content: '该同志长期不参加组织生活。', files: [{ name: 'C:\\照片\\签到表.jpg', data: jpeg.toString('base64') }] });
  assert.equal(r.status, 201, r.text);
  const o2 = r.json.id;
  r = await pub('POST', `/api/v1/public/exemplars/candidates/${third.id}/objections`, { name: '孙玉兰', phone: '13905302777', content: '补充材料如附件。', files: [{ name: 'a.exe', data: Buffer.from('MZ\x90\x00').toString('base64') }] });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.files, /“a.exe”须为 JPEG、PNG 图片或 PDF 文件/);
  // the page form: multipart with the files
  const b = new Browser(srv.base);
  const form = await b.get(`/exemplars/notice/${second.id}/object`);
  assert.match(form.text, /enctype="multipart\/form-data"/);
  assert.match(form.text, /name="files" type="file" multiple/);
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
  const sendPage = async (files) => {
    const fd = new FormData();
    fd.set('_csrf', Browser.csrf(form.text));
    fd.set('name', '刘建国');
    fd.set('phone', '13905303666');
    fd.set('content', '其事迹材料中的带富人数与实际不符。');
    for (const [name, data, type] of files) fd.append('files', new Blob([data], { type }), name);
    const res = await fetch(`${srv.base}/exemplars/notice/${second.id}/object`, { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: b.cookieHeader(), 'x-real-ip': `198.51.100.${ipn++}` } });
    return { status: res.status, text: await res.text() };
  };
  const nObj = async () => (await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${cid}/objections`)).objections.length;
  const n0 = await nObj();
  r = await sendPage([['合作社名单.docx', Buffer.from('PK\x03\x04 a word file'), 'application/msword']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /“合作社名单.docx”须为 JPEG、PNG 图片或 PDF 文件/);
  assert.equal(await nObj(), n0, 'nothing written');
  r = await sendPage([['名单.png', png, 'image/png'], ['说明.pdf', EVIDENCE_PDF, 'application/pdf']]);
  assert.equal(r.status, 303, r.text);
  const o3 = (await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${cid}/objections`)).objections.find((o) => o.name === '刘建国');
  assert.deepEqual(o3.files.map((f) => [f.name, f.mime]), [['名单.png', 'image/png'], ['说明.pdf', 'application/pdf']]);
  const o2files = (await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${cid}/objections`)).objections.find((o) => o.id === o2).files;
  assert.deepEqual(o2files.map((f) => [f.name, f.mime, f.bytes]), [['签到表.jpg', 'image/jpeg', jpeg.length]], 'the name without its path');
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const img = await fetch(srv.base + o3.files[0].url, { headers: { cookie: z.cookieHeader() } });
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await img.arrayBuffer()), png);
  const cpage = await z.get(`/exemplars/campaigns/${cid}`);
  for (const f of [...o3.files, ...o2files]) assert.ok(cpage.text.includes(`href="${f.url}"`), f.name);
  assert.ok(cpage.text.includes(`href="${vetoEvidence}"`), 'the veto\'s evidence beside its answer');
  assert.equal((await fetch(srv.base + o3.files[1].url, { redirect: 'manual' })).status, 303, 'not the public\'s');
  await ok('zuzhi', 'POST', `/api/v1/exemplars/objections/${o3.id}`, { answer: 'dismissed', reason: '经核实，带富人数有合作社分红名册为证，异议不成立。' });
  // before five full days: refused, saying when
  r = await call('zuzhi', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/award`, {});
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /公示期为 5 天/);
  now += 5 * 86400 + 60;
  setClock(now);
  r = await call('zuzhi', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/award`, {});
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /2 条异议未答复/);
  // answers: the reason is required; only the committee answers
  assert.equal((await call('chenji', 'POST', `/api/v1/exemplars/objections/${o1}`, { answer: 'dismissed', reason: 'x' })).status, 403);
  r = await call('zuzhi', 'POST', `/api/v1/exemplars/objections/${o1}`, { answer: 'dismissed' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.reason);
  const reason = '经实地核查，所反映问题与事实不符，异议不成立，已告知反映人。';
  await ok('zuzhi', 'POST', `/api/v1/exemplars/objections/${o1}`, { answer: 'dismissed', reason });
  assert.equal((await call('zuzhi', 'POST', `/api/v1/exemplars/objections/${o1}`, { answer: 'upheld', reason: '再答' })).status, 409);
  await ok('zuzhi', 'POST', `/api/v1/exemplars/objections/${o2}`, { answer: 'upheld', reason: '经核实，该同志连续三次无故不参加组织生活，取消人选资格。' });
  const objections = (await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${cid}/objections`)).objections;
  const d1 = objections.find((o) => o.id === o1);
  assert.equal(d1.answer, 'dismissed');
  assert.equal(d1.reason, reason, 'a dismissed objection keeps its reason');
  await ok('zuzhi', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/award`, {});
  const list = await candidatesOf(cid);
  assert.equal(byName(list, names.third).state, 'objection_upheld');
  const won = byName(list, names.second);
  assert.equal(won.state, 'awarded');
  assert.match(won.cert_no, /^BY2026-[2-9A-HJ-KM-NP-Z]{4}-[2-9A-HJ-KM-NP-Z]{4}$/);
  certNo = won.cert_no;
  assert.equal(list.filter((c) => c.state === 'awarded').length, 1);
  const camp = (await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${cid}`));
  assert.equal(camp.campaign.stage, 'closed');
  assert.equal(camp.report.awarded, 1);
  assert.equal(camp.report.vetoed, 1);
  assert.equal(camp.report.objection_upheld, 1);
});

test('certificates verify: a genuine number, a made-up one, a revoked one', async () => {
  let r = await pub('GET', `/api/v1/public/exemplars/certificates/${certNo}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.valid, true);
  assert.equal(r.json.name, names.second);
  assert.match(r.json.campaign, /优秀共产党员/);
  const page = await pub('GET', `/verify/${certNo.toLowerCase()}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /证书真实有效/);
  assert.match(page.text, new RegExp(names.second));
  const cert = await pub('GET', `/exemplars/certificates/${certNo}`);
  assert.equal(cert.status, 200);
  assert.match(cert.text, /荣 誉 证 书/);
  assert.match(cert.text, /<svg class="qr"/);
  assert.match(cert.text, new RegExp(`href="/exemplars/certificates/${certNo}/certificate.pdf"`), 'the page links its PDF');
  // the PDF (page and API): its text read back by pdftotext, its QR code decoded from the rendered page
  for (const p of [`/exemplars/certificates/${certNo}/certificate.pdf`, `/api/v1/public/exemplars/certificates/${certNo.toLowerCase()}/pdf`]) {
    const res = await fetch(srv.base + p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition'), new RegExp(`attachment; filename="certificate-${certNo}.pdf"`));
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-cert-'));
    fs.writeFileSync(path.join(dir, 'c.pdf'), pdf);
    const info = execFileSync('pdfinfo', [path.join(dir, 'c.pdf')], { encoding: 'utf8' });
    assert.match(info, /Page size:\s+841\.89 x 595\.276 pts \(A4\)/, 'A4 landscape');
    const text = execFileSync('pdftotext', ['-q', path.join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
    for (const t of ['荣誉证书', names.second, '优秀共产党员', `证书编号：${certNo}`, '中共陈集镇委员会']) assert.ok(text.includes(t), `${t} in ${text}`);
    execFileSync('pdftoppm', ['-q', '-png', '-r', '60', '-singlefile', path.join(dir, 'c.pdf'), path.join(dir, 'c')]);
    const qr = execFileSync('zbarimg', ['-q', '--raw', path.join(dir, 'c.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    assert.equal(qr, `${srv.base}/verify/${certNo}`);
    // kept for a look, next to the browser tests' screenshots
    const shots = path.join(path.dirname(BIN), 'screenshots');
    fs.mkdirSync(shots, { recursive: true });
    fs.copyFileSync(path.join(dir, 'c.png'), path.join(shots, 'exemplars-certificate-pdf.png'));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal((await pub('GET', '/exemplars/certificates/BY2026-AAAA-BBBB/certificate.pdf')).status, 404);
  r = await pub('GET', '/api/v1/public/exemplars/certificates/BY2026-AAAA-BBBB');
  assert.equal(r.status, 404);
  const fake = await pub('GET', '/verify/BY2026-AAAA-BBBB');
  assert.equal(fake.status, 404);
  assert.match(fake.text, /查无此证书/);
  const list = await candidatesOf(cid);
  const won = byName(list, names.second);
  r = await call('zuzhi', 'POST', `/api/v1/exemplars/candidates/${won.id}/actions/revoke`, {});
  assert.equal(r.status, 422, 'a revocation needs its reason');
  assert.equal((await call('chenji', 'POST', `/api/v1/exemplars/candidates/${won.id}/actions/revoke`, { note: 'x' })).status, 403);
  await ok('zuzhi', 'POST', `/api/v1/exemplars/candidates/${won.id}/actions/revoke`, { note: '发现违纪问题，撤销荣誉称号' });
  r = await pub('GET', `/api/v1/public/exemplars/certificates/${certNo}`);
  assert.equal(r.json.valid, false);
  assert.equal(r.json.revoked, true);
  const revoked = await pub('GET', `/verify?no=${certNo}`);
  assert.match(revoked.text, /该证书已撤销/);
  assert.doesNotMatch(revoked.text, /证书真实有效/);
  // a revoked certificate is no longer handed out as a PDF, and its page offers none
  r = await pub('GET', `/api/v1/public/exemplars/certificates/${certNo}/pdf`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /已被颁发单位撤销/);
  const voided = await pub('GET', `/exemplars/certificates/${certNo}`);
  assert.match(voided.text, /<p class="ex-cert-void">该证书已撤销<\/p>/);
  assert.doesNotMatch(voided.text, /certificate\.pdf/);
});

test('roles: the public and the wrong roles are kept out of the console and the API', async () => {
  assert.equal((await pub('GET', `/api/v1/exemplars/campaigns/${cid}`)).status, 401);
  assert.equal((await call('dangyuan', 'GET', `/api/v1/exemplars/campaigns/${cid}/objections`)).status, 403);
  assert.equal((await call('jiwei', 'POST', `/api/v1/exemplars/campaigns/${cid}/actions/award`, {})).status, 403);
  const b = new Browser(srv.base);
  assert.equal((await b.get(`/exemplars/campaigns/${cid}`)).status, 303, 'the console page asks for a login');
  await b.login('chenji');
  assert.equal((await b.get(`/exemplars/campaigns/${cid}`)).status, 403);
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const page = await z.get(`/exemplars/campaigns/${cid}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /否决理由：东阿县公安局陈集派出所/);
  const x = await fetch(`${srv.base}/exemplars/campaigns/${cid}/results.xlsx`, { headers: { cookie: z.cookieHeader() } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  // the workbook's strings: the results, each with its state and certificate number
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-xlsx-')), 'r.xlsx');
  fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
  const strings = require('node:child_process').execFileSync('python3', ['-c',
    'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read("xl/sharedStrings.xml").decode())', file], { encoding: 'utf8' });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  for (const t of [names.second, '已撤销', certNo, names.best, '征询否决', names.third, '异议成立', names.low, '未入围', '平均分']) assert.ok(strings.includes(t), t);
});

test('the demo town: its campaigns, and seed 002 figures counted from the tour records', async () => {
  const campaigns = (await ok('zuzhi', 'GET', '/api/v1/exemplars/campaigns')).campaigns;
  const stages = campaigns.map((c) => c.stage);
  assert.ok(stages.includes('closed') && stages.includes('notice') && stages.includes('consultation'));
  // the demo's (this file's own campaigns may share its year: found by its title)
  const demoOf = (list, category) => list.find((c) => c.stage === 'closed' && c.year === awardYear && c.category === category && c.title.startsWith(`${awardYear}年度“两优一先”`));
  const finished = demoOf(campaigns, 'youxiu_dangyuan');
  const f = await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${finished.id}`);
  assert.equal(f.report.awarded, 12);
  assert.ok(f.candidates.filter((c) => c.state === 'awarded').every((c) => c.cert_no));
  const orgs = demoOf(campaigns, 'xianjin_zuzhi');
  assert.equal((await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${orgs.id}`)).report.awarded, 3);
  // the gallery counts them from the records, per year and category
  const gallery = await pub('GET', '/exemplars/gallery');
  const awardedIn = async (category) => {
    let n = 0;
    for (const c of campaigns.filter((x) => x.year === awardYear && x.category === category)) {
      n += (await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${c.id}`)).candidates.filter((x) => x.state === 'awarded').length;
    }
    return n;
  };
  const persons = await awardedIn('youxiu_dangyuan');
  assert.ok(persons >= 12, String(persons));
  assert.match(gallery.text, new RegExp(`${awardYear} 年度</strong>：<a [^>]*>优秀共产党员 ${persons} 名</a>、<a [^>]*>先进基层党组织 ${await awardedIn('xianjin_zuzhi')} 个</a>`));
  const running = campaigns.find((c) => c.stage === 'consultation');
  const rr = await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${running.id}`);
  assert.equal(rr.report.vetoed, 1);
  assert.match(rr.candidates.find((c) => c.state === 'vetoed').veto_reason, /纪委/);
  // the veto came with its evidence, for the committee's eyes
  const vetoed = rr.candidates.find((c) => c.state === 'vetoed');
  const consults = (await ok('zuzhi', 'GET', `/api/v1/exemplars/consults?campaign=${running.id}`)).consults;
  assert.deepEqual(consults.filter((t) => t.candidate_id === vetoed.id && t.answer === 'disagree').flatMap((t) => t.files.map((f) => f.name)), ['诫勉谈话记录.pdf']);
  const st = await ok('zuzhi', 'GET', '/api/v1/exemplars/tours/stats');
  assert.equal(st.sessions, 27);
  assert.ok(st.audience > 1000, `audience ${st.audience}`);
  assert.match(st.summary, /巡讲活动27场次，受众达\d+人次/);
  assert.equal(Object.values(st.by_kind).reduce((a, b) => a + b, 0), 27);
});

test('lecture tours and care: bookings of the five kinds, audiences reported and counted; bad input refused, nothing written', async () => {
  const before = await ok('zuzhi', 'GET', '/api/v1/exemplars/tours/stats');
  const finished = (await ok('zuzhi', 'GET', '/api/v1/exemplars/campaigns')).campaigns.find((c) => c.stage === 'closed' && c.year === awardYear && c.category === 'youxiu_dangyuan' && c.title.startsWith(`${awardYear}年度“两优一先”`));
  const models = (await candidatesOf(finished.id)).filter((c) => c.state === 'awarded');
  let r = await call('zuzhi', 'POST', '/api/v1/exemplars/tours', { title: '2026年榜样宣讲团', speakers: [cid * 100000] });
  assert.equal(r.status, 422, 'a speaker must be an awarded role model');
  assert.ok(r.json.error.fields.speakers);
  assert.equal((await call('chenji', 'POST', '/api/v1/exemplars/tours', { title: 'x', speakers: [models[0].id] })).status, 403);
  const tour = (await ok('zuzhi', 'POST', '/api/v1/exemplars/tours', { title: '2026年榜样宣讲团', speakers: models.slice(8, 10).map((m) => m.id) }, 201)).id;
  r = await call('chenji', 'POST', `/api/v1/exemplars/tours/${tour}/sessions`, { place_kind: 'market', place: '陈集集市', day: '2026-13-01' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.place_kind && r.json.error.fields.day);
  const s1 = (await ok('chenji', 'POST', `/api/v1/exemplars/tours/${tour}/sessions`, { place_kind: 'family', place: '陈集村党员中心户家中', day: '2026-12-20' }, 201)).id;
  const s2 = (await ok('chenji', 'POST', `/api/v1/exemplars/tours/${tour}/sessions`, { place_kind: 'school', place: '陈集镇中心小学', day: '2026-12-21' }, 201)).id;
  assert.equal((await call('chenji', 'POST', `/api/v1/exemplars/sessions/${s1}/report`, { audience: 0 })).status, 422);
  assert.equal((await call('dangyuan', 'POST', `/api/v1/exemplars/sessions/${s1}/report`, { audience: 10 })).status, 403);
  await ok('chenji', 'POST', `/api/v1/exemplars/sessions/${s1}/report`, { audience: 18 });
  const after = await ok('zuzhi', 'GET', '/api/v1/exemplars/tours/stats');
  assert.equal(after.sessions, before.sessions + 1, 'a booked session counts once it is reported');
  assert.equal(after.audience, before.audience + 18);
  assert.equal(after.by_kind.family, before.by_kind.family + 1);
  assert.equal(after.speakers, before.speakers + 2);
  void s2;
  r = await call('zuzhi', 'POST', '/api/v1/exemplars/care', { candidate_id: models[0].id, kind: 'gift', day: '2026-12-01', note: '' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.kind && r.json.error.fields.note);
  r = await call('zuzhi', 'POST', '/api/v1/exemplars/care', { candidate_id: byName(await candidatesOf(cid), names.low).id, kind: 'visit', day: '2026-12-01', note: '走访' });
  assert.equal(r.status, 422, 'care goes to awarded role models');
  await ok('zuzhi', 'POST', '/api/v1/exemplars/care', { candidate_id: models[0].id, kind: 'visit', day: '2026-12-01', note: '元旦前走访慰问' }, 201);
  const care = (await ok('chenji', 'GET', '/api/v1/exemplars/care')).care;
  assert.ok(!care.some((c) => c.note === '元旦前走访慰问'), 'a branch reads the care records of its own subtree');
  assert.ok((await ok('zuzhi', 'GET', '/api/v1/exemplars/care')).care.some((c) => c.note === '元旦前走访慰问' && c.kind_label === '走访慰问'));
  const sessions = (await ok('zuzhi', 'GET', '/api/v1/exemplars/tours/sessions')).sessions;
  const held = sessions.filter((x) => x.held);
  assert.equal(held.length, after.sessions, 'the figures count exactly the held sessions listed');
  assert.equal(held.reduce((a, x) => a + x.audience, 0), after.audience);
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const page = await b.get('/exemplars/tours');
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(after.summary));
  assert.match(page.text, /元旦前走访慰问/);
});

test('the console form starts a campaign with criteria and departments typed as on a phone (full-width separators)', async () => {
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const f = { title: '2027年度“担当作为优秀村党组织书记”评选', category: 'shuji', subject: 'person', year: '2027', quota: '2', nominate_until: '2027-03-10',
    review_until: '2027-03-15', consult_until: '2027-03-20', notice_days: '7', depts: 'CJZ-JW，CJZ-GA' };
  let r = await b.postForm('/exemplars/new', '/exemplars/new', { ...f, criteria: '担当作为：50、群众口碑:40' });
  assert.equal(r.status, 422);
  assert.match(r.text, /各项评审指标的分值合计须为 100 分（现为 90 分）/);
  r = await b.postForm('/exemplars/new', '/exemplars/new', { ...f, criteria: '担当作为：60、群众口碑:40' });
  assert.equal(r.status, 303);
  const id = Number(/\/exemplars\/campaigns\/(\d+)/.exec(r.headers.get('location'))[1]);
  const c = await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${id}`);
  assert.deepEqual(c.criteria, [{ name: '担当作为', max: 60 }, { name: '群众口碑', max: 40 }]);
  assert.equal(c.campaign.notice_days, 7);
  const page = await b.get(`/exemplars/campaigns/${id}`);
  assert.match(page.text, /陈集镇纪委、东阿县公安局陈集派出所/);
});

test('the categories are the committee\'s to keep: the defaults, a new one, renamed, switched off; a campaign keeps the name it began with', async () => {
  const all = (await pub('GET', '/api/v1/exemplars/categories')).json.categories;
  assert.deepEqual(all.slice(0, 7).map((c) => c.label), ['优秀共产党员', '优秀党务工作者', '先进基层党组织', '身边好人', '最美志愿者', '最美家庭', '担当作为优秀村党组织书记']);
  assert.equal(all.find((c) => c.key === 'xianjin_zuzhi').subject, 'org');
  // only the committee; bad input names the field, nothing written
  assert.equal((await call('chenji', 'POST', '/api/v1/exemplars/categories', { label: '最美网格员' })).status, 403);
  let r = await call('zuzhi', 'POST', '/api/v1/exemplars/categories', { label: '好' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.label);
  r = await call('zuzhi', 'POST', '/api/v1/exemplars/categories', { label: '身边好人' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.label, /已有名为“身边好人”的类别/);
  r = await call('zuzhi', 'POST', '/api/v1/exemplars/categories', { label: '最美网格员', subject: 'team' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.subject);
  assert.equal((await pub('GET', '/api/v1/exemplars/categories')).json.categories.length, all.length, 'nothing written');
  const key = (await ok('zuzhi', 'POST', '/api/v1/exemplars/categories', { label: '最美网格员' }, 201)).key;
  // a campaign of the new category, on the console form too
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const form = await b.get('/exemplars/new');
  assert.match(form.text, new RegExp(`<option value="${key}"[^>]*>最美网格员</option>`));
  const body = { title: '2026年度“最美网格员”评选', category: key, year: 2026, quota: 2, nominate_until: day(now + 5 * 86400), review_until: day(now + 10 * 86400), consult_until: day(now + 15 * 86400), depts: ['CJZ-JW'] };
  const id = (await ok('zuzhi', 'POST', '/api/v1/exemplars/campaigns', body, 201)).id;
  // renamed: later campaigns take the new name, this one keeps its own
  await ok('zuzhi', 'POST', `/api/v1/exemplars/categories/${key}`, { label: '最美网格长' });
  assert.equal((await ok('zuzhi', 'GET', `/api/v1/exemplars/campaigns/${id}`)).campaign.category_label, '最美网格员');
  // switched off: no longer offered or accepted, still listed
  await ok('zuzhi', 'POST', `/api/v1/exemplars/categories/${key}`, { active: false });
  r = await call('zuzhi', 'POST', '/api/v1/exemplars/campaigns', { ...body, title: '再评一次' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.category);
  assert.doesNotMatch((await b.get('/exemplars/new')).text, new RegExp(`value="${key}"`));
  assert.ok(!(await pub('GET', '/api/v1/exemplars/categories?active=1')).json.categories.some((c) => c.key === key));
  assert.equal((await pub('GET', '/api/v1/exemplars/categories')).json.categories.find((c) => c.key === key).active, false);
  assert.equal((await call('zuzhi', 'POST', '/api/v1/exemplars/categories/nope', { active: true })).status, 404);
  // the console page: rename and switch back on
  const page = await b.get('/exemplars/categories');
  assert.match(page.text, /最美网格长/);
  r = await b.postForm('/exemplars/categories', `/exemplars/categories/${key}`, { active: '1' });
  assert.equal(r.status, 303);
  assert.equal((await pub('GET', '/api/v1/exemplars/categories')).json.categories.find((c) => c.key === key).active, true);
  r = await b.postForm('/exemplars/categories', '/exemplars/categories', { label: '新时代好少年', subject: 'person' });
  assert.equal(r.status, 303);
  assert.ok((await pub('GET', '/api/v1/exemplars/categories')).json.categories.some((c) => c.label === '新时代好少年'));
  const chenji = new Browser(srv.base);
  await chenji.login('chenji');
  assert.equal((await chenji.get('/exemplars/categories')).status, 403);
});

// The dashboard (SPEC M11, issue 17): every registered figure, for the town
// and for a branch over a period, equals the count its drill-down list shows,
// the API's figure and the .xlsx cell — the test walks the registry through
// the API, so a mechanism that adds figures is tested here without a line
// more. Then: the bad inputs of a period, the big screen's display tokens
// (issued, shown, revoked), and campaigns (M10) whose task progress counts
// itself when a linked record changes; every drill-down row links to its
// record; the implementing plan as a file and the campaign overview as .xlsx.
// The bulletin's numbers against the dashboard: assess.test.js.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, shell } = require('./lib');
const { walk: walkFigures, shown, sheets } = require('./figures_walk');

let srv, zuzhi, chenji, tok = {};
let ip = 10;

test.before(async () => {
  srv = await startServer();
  zuzhi = new Browser(srv.base);
  await zuzhi.login('zuzhi');
  chenji = new Browser(srv.base);
  await chenji.login('chenji');
  for (const u of ['zuzhi', 'chenji', 'xijie', 'dangyuan']) tok[u] = await apiToken(srv.base, u);
});
test.after(async () => { await srv.stop(); });

async function place(org, kind = 'need') {
  const r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': `198.51.100.${ip++}` },
    body: JSON.stringify({ kind, content: '路灯坏了，晚上看不清路', org, contact_name: '王大爷', contact_phone: '13900003333' }),
  });
  const text = await r.text();
  assert.equal(r.status, 201, text);
  const code = JSON.parse(text).code;
  const list = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/orders?limit=1&org=${org}`);
  assert.equal(list.json.orders[0].code, code);
  codes.set(list.json.orders[0].id, code);
  return list.json.orders[0].id;
}
const codes = new Map();
// 销单 by the branch: accepted, given to a member, delivered, confirmed by the resident
async function resolve(id) {
  await act('chenji', id, 'accept');
  await act('chenji', id, 'assign', { assignee: 'dangyuan' });
  await act('dangyuan', id, 'deliver', { note: '已办好' });
  const r = await fetch(`${srv.base}/api/v1/public/orders/${codes.get(id)}/actions/confirm`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: 5, note: '谢谢' }),
  });
  assert.equal(r.status, 200, await r.text());
}
async function act(who, id, action, body = {}) {
  const r = await api(srv.base, tok[who], 'POST', `/api/v1/orders/${id}/actions/${action}`, body);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
}

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);

async function walk(browser, token, org, from, to) {
  const w = await walkFigures({ base: srv.base, browser, token, org, from, to });
  // what is on main today, at least; later mechanisms add theirs
  for (const k of ['orders.collected', 'orders.resolved', 'orders.escalated', 'orders.open', 'orders.overdue', 'orders.wishes_fulfilled',
    'members.count', 'members.probationary', 'orgs.branches', 'points.entries', 'points.awarded']) {
    assert.ok(k in w.byKey, `figure ${k} registered`);
  }
  return w;
}

test('every registered figure equals its drill-down list, the page, the API and the .xlsx (town and branch)', async () => {
  // a scripted part of the period: two orders placed and resolved by the branch, one escalated
  const a = await place('CJZ-CJC');
  await resolve(a);
  const b = await place('CJZ-CJC');
  await act('chenji', b, 'accept');
  await act('chenji', b, 'escalate', { note: '需镇里协调' });
  const from = daysAgo(365), to = today();
  const town = await walk(zuzhi, tok.zuzhi, 'CJZ', from, to);
  assert.ok(town.nonzero >= 6, `the demo town has records behind most figures (${town.nonzero})`);
  assert.ok(town.linked >= 20, `the drill-down lists of the demo town have rows, each a link (${town.linked})`);
  const branch = await walk(chenji, tok.chenji, 'CJZ-CJC', from, to);
  const get = (w, k) => w.figs.find((f) => f.key === k).value;
  assert.ok(get(branch, 'orders.collected') <= get(town, 'orders.collected'));
  assert.ok(get(branch, 'orders.resolved') >= 1 && get(branch, 'orders.escalated') >= 1);
  // a preset is a period too: 本年 from the first of January
  const y = await api(srv.base, tok.zuzhi, 'GET', '/api/v1/dashboard?org=CJZ&preset=year');
  assert.equal(y.status, 200);
  assert.equal(y.json.from, `${today().slice(0, 4)}-01-01`);
  assert.equal(y.json.to, today());
});

test('the charts: trend by month and breakdown by branch link to the records of each bar', async () => {
  const p = await zuzhi.get(`/dashboard?org=CJZ&preset=year&figure=orders.collected`);
  assert.equal(p.status, 200);
  const m = /id="dash-branches"[^>]*data-labels="([^"]*)" data-values="([^"]*)" data-hrefs="([^"]*)"/.exec(p.text);
  assert.ok(m, 'breakdown chart');
  const labels = m[1].split('|'), values = m[2].split('|').map(Number), hrefs = m[3].replace(/&amp;/g, '&').split('|');
  assert.ok(labels.includes('陈集村党支部'));
  for (let i = 0; i < labels.length; i++) {
    const l = await zuzhi.get(hrefs[i]);
    assert.equal(shown(l.text, '项'), values[i], `${labels[i]}`);
  }
  const t = /id="dash-trend"[^>]*data-labels="([^"]*)" data-values="([^"]*)"/.exec(p.text);
  assert.ok(t);
  assert.equal(t[1].split('|')[0], `${today().slice(0, 4)}-01`);
  const total = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/dashboard?org=CJZ&preset=year')).json.figures.find((f) => f.key === 'orders.collected').value;
  assert.equal(t[2].split('|').map(Number).reduce((s, v) => s + v, 0), total, 'the months add up to the year');
});

test('bad input: reversed or overlong period, not a date, unknown preset, another subtree, a member', async () => {
  const cases = [
    ['org=CJZ&from=2026-05-01&to=2026-04-01', 'to', /不能早于/],
    ['org=CJZ&from=2019-01-01&to=2026-01-01', 'to', /5 年/],
    ['org=CJZ&from=2026-13-01&to=2026-12-01', 'from', /YYYY-MM-DD/],
    ['org=CJZ&preset=decade', 'preset', /本月/],
  ];
  for (const [q, field, msg] of cases) {
    const r = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/dashboard?${q}`);
    assert.equal(r.status, 422, q);
    assert.match(r.json.error.fields[field], msg, q);
    const p = await zuzhi.get(`/dashboard?${q}`);
    assert.equal(p.status, 422, q);
    assert.match(p.text, msg);
    assert.doesNotMatch(p.text, /dash-figure/, 'no figures under an error');
  }
  assert.equal((await api(srv.base, tok.chenji, 'GET', '/api/v1/dashboard?org=CJZ-XJC&preset=month')).status, 404);
  assert.equal((await api(srv.base, tok.dangyuan, 'GET', '/api/v1/dashboard?org=CJZ-CJC')).status, 403);
});

test('the big screen: a display token shows the town read-only; revoked, it shows a clear page and no data', async () => {
  assert.equal((await chenji.get('/dashboard/displays')).status, 403);
  const bad = await zuzhi.postForm('/dashboard/displays', '/dashboard/displays', { name: '', org_id: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /请填写屏幕名称/);
  const page = await zuzhi.get('/dashboard/displays');
  const orgId = /<option value="(\d+)"[^>]*>中共陈集镇委员会/.exec(page.text)[1];
  const r = await zuzhi.postForm('/dashboard/displays', '/dashboard/displays', { name: '党群服务中心大厅', org_id: orgId });
  assert.equal(r.status, 200);
  const url = /<code class="screen-url">([^<]+)<\/code>/.exec(r.text)[1];
  const s = await fetch(srv.base + url);
  assert.equal(s.status, 200);
  const html = await s.text();
  assert.match(html, /陈集镇委员会 党建工作数据/);
  assert.match(html, /data-refresh="60"/);
  const api_ = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/dashboard?org=CJZ&preset=year')).json;
  for (const f of api_.figures) {
    const m = new RegExp(`data-key="${f.key.replace('.', '\\.')}"><b>(-?\\d+)</b>`).exec(html);
    assert.ok(m, f.key);
    assert.equal(Number(m[1]), f.value, `${f.key} on the screen`);
  }
  assert.doesNotMatch(html, /href="\/orders/, 'read-only: no links into the console');
  // the token is stored hashed
  const list = await zuzhi.get('/dashboard/displays');
  assert.doesNotMatch(list.text, new RegExp(url.split('/').pop()));
  const id = /action="\/dashboard\/displays\/(\d+)\/revoke"/.exec(list.text)[1];
  const rv = await zuzhi.postForm('/dashboard/displays', `/dashboard/displays/${id}/revoke`, {});
  assert.equal(rv.status, 303);
  const gone = await fetch(srv.base + url);
  assert.equal(gone.status, 410);
  const gh = await gone.text();
  assert.match(gh, /该显示令牌已被收回/);
  assert.doesNotMatch(gh, /screen-num/);
  assert.equal((await fetch(srv.base + '/screen/not-a-real-token-at-all-xxxx')).status, 404);
});

test('campaigns: the task state table, progress that counts itself, and bad input with nothing written', async () => {
  const z = (m, p, b) => api(srv.base, tok.zuzhi, m, p, b);
  let r = await z('POST', '/api/v1/campaigns', { org: 'CJZ', title: '“我为群众办实事”专项行动', starts: daysAgo(30), ends: daysAgo(-30), plan: '实施方案：…' });
  assert.equal(r.status, 201, r.text);
  const cid = r.json.id;
  r = await z('POST', `/api/v1/campaigns/${cid}/activities`, { title: '陈集村办实事', org: 'CJZ-CJC' });
  assert.equal(r.status, 201, r.text);
  const aid = r.json.id;
  // bad input: no owner, no deadline, a target that is not a number, an unknown figure: nothing written
  for (const [body, field] of [
    [{ title: '修路灯', deadline: daysAgo(-10) }, 'owner'],
    [{ title: '修路灯', owner: '张建国' }, 'deadline'],
    [{ title: '修路灯', owner: '张建国', deadline: daysAgo(-10), target: '十个' }, 'target'],
    [{ title: '修路灯', owner: '张建国', deadline: daysAgo(-10), target: 2.5 }, 'target'],
    [{ title: '修路灯', owner: '张建国', deadline: daysAgo(-10), figure: 'orders.nothing' }, 'figure'],
  ]) {
    r = await z('POST', `/api/v1/campaign-activities/${aid}/tasks`, body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.ok(r.json.error.fields[field], `${field}: ${r.text}`);
  }
  assert.equal((await z('GET', `/api/v1/campaigns/${cid}`)).json.tasks, 0, 'nothing half-written');
  // a task counted by a figure: the branch's orders of the campaign's period
  r = await z('POST', `/api/v1/campaign-activities/${aid}/tasks`, { title: '收集群众需求', owner: '张建国', deadline: daysAgo(-10), target: 50, figure: 'orders.collected' });
  assert.equal(r.status, 201, r.text);
  const tFig = r.json.id;
  // a task counted by its linked records
  r = await z('POST', `/api/v1/campaign-activities/${aid}/tasks`, { title: '办结路灯诉求', owner: '张建国', deadline: daysAgo(-10), target: '1' });
  const tLink = r.json.id;
  const task = async (id) => (await z('GET', `/api/v1/campaigns/${cid}`)).json.activities[0].task_list.find((t) => t.id === id);
  const before = (await task(tFig)).progress;
  const o = await place('CJZ-CJC');
  assert.equal((await task(tFig)).progress, before + 1, 'a new order of the branch moves the figure task');
  // linking: a record outside the campaign's subtree is refused
  const other = await place('CJZ-XJC');
  r = await z('POST', `/api/v1/campaigns/${cid}/activities`, { title: '西街', org: 'CJZ-XJC' });
  const cid2 = (await z('POST', '/api/v1/campaigns', { org: 'CJZ-CJC', title: '陈集村小活动', starts: daysAgo(5), ends: daysAgo(-5) })).json.id;
  const a2 = (await z('POST', `/api/v1/campaigns/${cid2}/activities`, { title: '一', org: 'CJZ-CJC' })).json.id;
  const t2 = (await z('POST', `/api/v1/campaign-activities/${a2}/tasks`, { title: '二', owner: '张建国', deadline: daysAgo(-3) })).json.id;
  r = await api(srv.base, tok.chenji, 'POST', `/api/v1/campaign-tasks/${t2}/links`, { kind: 'order', id: other });
  assert.equal(r.status, 422, r.text);
  assert.match(r.json.error.fields.id, /不在本次活动的组织范围内/);
  r = await api(srv.base, tok.chenji, 'POST', `/api/v1/campaign-tasks/${t2}/links`, { kind: 'film', id: 1 });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.kind);
  // the branch links its order; progress moves when the order is resolved, without anyone typing it
  r = await api(srv.base, tok.chenji, 'POST', `/api/v1/campaign-tasks/${tLink}/links`, { kind: 'order', id: o });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.progress, 0);
  await act('chenji', o, 'accept');
  assert.equal((await task(tLink)).progress, 0);
  await act('chenji', o, 'assign', { assignee: 'dangyuan' });
  await act('dangyuan', o, 'deliver', { note: '路灯已修复' });
  assert.equal((await task(tLink)).progress, 0, 'delivered is not yet resolved');
  const cf = await fetch(`${srv.base}/api/v1/public/orders/${codes.get(o)}/actions/confirm`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: 5, note: '亮了' }),
  });
  assert.equal(cf.status, 200);
  assert.equal((await task(tLink)).progress, 1, 'the resolved order counts');
  // the state table: todo → doing → done; done → reopen; a second finish is a conflict
  const step = (id, action, who = 'chenji') => api(srv.base, tok[who], 'POST', `/api/v1/campaign-tasks/${id}/actions/${action}`);
  assert.equal((await step(tLink, 'reopen')).status, 409);
  assert.equal((await step(tLink, 'start')).status, 200);
  assert.equal((await step(tLink, 'finish')).status, 200);
  assert.equal((await step(tLink, 'finish')).status, 409);
  assert.equal((await step(tLink, 'fly')).status, 404);
  assert.equal((await step(tLink, 'start', 'xijie')).status, 403, 'another branch sees the campaign of the town but does not work on this task');
  let ov = (await z('GET', `/api/v1/campaigns/${cid}`)).json;
  assert.equal(ov.done, 1);
  // an overdue task is flagged and never counted done
  const late = (await z('POST', `/api/v1/campaign-activities/${aid}/tasks`, { title: '过期任务', owner: '张建国', deadline: daysAgo(2) })).json.id;
  ov = (await z('GET', `/api/v1/campaigns/${cid}`)).json;
  assert.equal(ov.overdue, 1);
  assert.equal(ov.done, 1);
  assert.equal(ov.activities[0].task_list.find((t) => t.id === late).overdue, true);
  // per-org targets: a number, for an org of the campaign's subtree
  r = await z('POST', `/api/v1/campaigns/${cid}/targets`, { org: 'CJZ-CJC', figure: 'orders.collected', target: 'many' });
  assert.equal(r.status, 422);
  r = await z('POST', `/api/v1/campaigns/${cid}/targets`, { org: 'CJZ-CJC', figure: 'orders.collected', target: 40 });
  assert.equal(r.status, 200, r.text);
  const tg = r.json.targets[0];
  assert.equal(tg.target, 40);
  assert.equal(tg.reached, (await task(tFig)).progress, 'the target counts the same figure as the task');
  // the overview page
  const p = await chenji.get(`/campaigns/${cid}`);
  assert.equal(p.status, 200);
  assert.match(p.text, /按负责部门/);
  assert.match(p.text, /task-overdue/);
  // the demo's campaign: 15 activities, tasks in every state
  const list = (await z('GET', '/api/v1/campaigns')).json.campaigns;
  const demo = list.find((c) => /红色陈集/.test(c.title));
  assert.ok(demo);
  const d = (await z('GET', `/api/v1/campaigns/${demo.id}`)).json;
  assert.equal(d.activities.length, 15);
  assert.ok(d.todo > 0 && d.doing > 0 && d.done > 0 && d.overdue > 0, JSON.stringify({ todo: d.todo, doing: d.doing, done: d.done, overdue: d.overdue }));
  const auto = d.activities.flatMap((a) => a.task_list).filter((t) => t.figure || t.links);
  assert.ok(auto.length >= 3 && auto.some((t) => t.progress > 0), 'some tasks count orders and wishes by themselves');
});

test('campaigns from the console: plan, add an activity and a task, link a record; bad input named, nothing written', async () => {
  const list = await zuzhi.get('/campaigns');
  const townId = /<option value="(\d+)"[^>]*>中共陈集镇委员会/.exec(list.text)[1];
  const cjcId = /<option value="(\d+)"[^>]*>[　]*陈集村党支部/.exec(list.text)[1];
  let r = await zuzhi.postForm('/campaigns', '/campaigns', { title: '', org_id: townId, starts: '2026-03-01', ends: '2026-02-01', plan: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /请填写活动名称/);
  assert.match(r.text, /结束日期不能早于开始日期/);
  r = await zuzhi.postForm('/campaigns', '/campaigns', { title: '冬季送温暖', org_id: townId, starts: daysAgo(10), ends: daysAgo(-50), plan: '走访困难党员' });
  assert.equal(r.status, 303);
  const at = r.headers.get('location');
  const cid = Number(at.split('/').pop());
  r = await zuzhi.postForm(at, `/campaigns/${cid}/activities`, { title: '走访慰问', org_id: cjcId });
  assert.equal(r.status, 303);
  let page = await zuzhi.get(at);
  assert.match(page.text, /活动已添加/);
  const aid = /action="\/campaigns\/activities\/(\d+)\/tasks"/.exec(page.text)[1];
  r = await zuzhi.postForm(at, `/campaigns/activities/${aid}/tasks`, { title: '走访困难党员', owner: '', deadline: daysAgo(-20), target: '', figure: '' });
  assert.equal(r.status, 303);
  page = await zuzhi.get(at);
  assert.match(page.text, /请填写责任人/);
  assert.equal((await api(srv.base, tok.zuzhi, 'GET', `/api/v1/campaigns/${cid}`)).json.tasks, 0, 'nothing written');
  r = await zuzhi.postForm(at, `/campaigns/activities/${aid}/tasks`, { title: '走访困难党员', owner: '张建国', deadline: daysAgo(-20), target: '2', figure: '' });
  page = await zuzhi.get(at);
  assert.match(page.text, /任务已添加/);
  const tid = /action="\/campaigns\/tasks\/(\d+)\/links"/.exec(page.text)[1];
  // the branch links one of its orders from the overview
  const o = await place('CJZ-CJC');
  r = await chenji.postForm(at, `/campaigns/tasks/${tid}/links`, { kind: 'order', id: String(o) });
  assert.equal(r.status, 303);
  page = await chenji.get(at);
  assert.match(page.text, /已关联/);
  assert.match(page.text, /关联 1 条记录/);
  r = await chenji.postForm(at, `/campaigns/tasks/${tid}/links`, { kind: 'order', id: 'abc' });
  page = await chenji.get(at);
  assert.match(page.text, /诉求编号应为数字/);
  // a branch does not plan
  assert.equal((await chenji.postForm('/campaigns', '/campaigns', { title: 'x', org_id: cjcId, starts: daysAgo(1), ends: daysAgo(-1) })).status, 403);
});

// A minimal Word document (a zip with [Content_Types].xml and word/document.xml)
function docx() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-docx-'));
  const file = path.join(dir, 'plan.docx');
  shell('/usr/bin/python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr('word/document.xml', '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>实施方案</w:t></w:r></w:p></w:body></w:document>')`, file]);
  const b = fs.readFileSync(file);
  fs.rmSync(dir, { recursive: true, force: true });
  return b;
}

test('the implementing plan as an attachment: sniffed, limited, replaced, downloaded and audited; the overview as .xlsx', async () => {
  const z = (m, p, b) => api(srv.base, tok.zuzhi, m, p, b);
  const cid = (await z('POST', '/api/v1/campaigns', { org: 'CJZ', title: '乡村振兴先锋行动', starts: daysAgo(20), ends: daysAgo(-40), plan: '见附件' })).json.id;
  const aid = (await z('POST', `/api/v1/campaigns/${cid}/activities`, { title: '陈集村人居环境整治', org: 'CJZ-CJC' })).json.id;
  await z('POST', `/api/v1/campaign-activities/${aid}/tasks`, { title: '清理沟塘', owner: '张建国', deadline: daysAgo(3), target: 5 });
  const t2 = (await z('POST', `/api/v1/campaign-activities/${aid}/tasks`, { title: '收集群众需求', owner: '李秀英', deadline: daysAgo(-10), target: 20, figure: 'orders.collected' })).json.id;
  assert.equal((await api(srv.base, tok.chenji, 'POST', `/api/v1/campaign-tasks/${t2}/actions/start`)).status, 200);
  await z('POST', `/api/v1/campaigns/${cid}/targets`, { org: 'CJZ-CJC', figure: 'orders.collected', target: 30 });
  const at = `/campaigns/${cid}`;
  const form = await zuzhi.get(at);
  assert.match(form.text, /enctype="multipart\/form-data"/);
  assert.match(form.text, /尚未上传实施方案文件/);
  const csrf = Browser.csrf(form.text);
  const upload = async (who, name, bytes, type) => {
    const fd = new FormData();
    fd.set('_csrf', csrf);
    if (bytes) fd.set('plan_file', new Blob([bytes], { type }), name);
    const r = await fetch(`${srv.base}${at}/plan-file`, { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: who.cookieHeader() } });
    who.keep(r); // the outcome travels in the flash cookie
    await r.text();
    return { status: r.status, page: (await who.get(at)).text };
  };
  const stored = async () => (await z('GET', `/api/v1/campaigns/${cid}`)).json.plan_file;
  // bad input: named, nothing stored — a text file called .pdf, an oversize PDF, no file at all, a GIF
  let r = await upload(zuzhi, '实施方案.pdf', Buffer.from('这不是 PDF 文件'), 'application/pdf');
  assert.equal(r.status, 303);
  assert.match(r.page, /实施方案须为 PDF、Word（\.docx）文档或 JPEG、PNG 图片/);
  const big = Buffer.alloc(5.5 * 1024 * 1024, 0x20);
  Buffer.from('%PDF-1.4\n').copy(big);
  r = await upload(zuzhi, '大文件.pdf', big, 'application/pdf');
  assert.match(r.page, /实施方案文件不能超过 5 MB/);
  r = await upload(zuzhi, '', null);
  assert.match(r.page, /请选择实施方案文件/);
  r = await upload(zuzhi, 'a.gif', Buffer.from('GIF89a....'), 'image/gif');
  assert.match(r.page, /须为 PDF/);
  assert.equal(await stored(), undefined, 'nothing stored');
  // a branch does not upload the town's plan
  const csrfB = Browser.csrf((await chenji.get(at)).text);
  const fd = new FormData();
  fd.set('_csrf', csrfB);
  fd.set('plan_file', new Blob([Buffer.from('%PDF-1.4 x')], { type: 'application/pdf' }), 'x.pdf');
  const rb = await fetch(`${srv.base}${at}/plan-file`, { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: chenji.cookieHeader() } });
  assert.equal(rb.status, 403);
  // a Word document, whatever type the browser declared
  const word = docx();
  r = await upload(zuzhi, 'C:\\文件\\乡村振兴先锋行动实施方案.docx', word, 'application/octet-stream');
  assert.match(r.page, /实施方案文件已上传/);
  assert.match(r.page, /class="plan-file-link" href="\/campaigns\/\d+\/plan-file">乡村振兴先锋行动实施方案\.docx</);
  let pf = await stored();
  assert.equal(pf.name, '乡村振兴先锋行动实施方案.docx');
  assert.match(pf.type, /wordprocessingml/);
  assert.equal(pf.bytes, word.length);
  // the branch (which sees the town's campaign) downloads it: the same bytes, audited
  const d = await fetch(`${srv.base}${pf.href}`, { headers: { cookie: chenji.cookieHeader() } });
  assert.equal(d.status, 200);
  assert.match(d.headers.get('content-type'), /wordprocessingml/);
  assert.match(d.headers.get('content-disposition'), /^attachment; filename="plan-\d+\.docx"; filename\*=UTF-8''/);
  assert.ok(Buffer.from(await d.arrayBuffer()).equals(word));
  const log = (await zuzhi.get('/audit?action=campaign.plan_download')).text;
  assert.match(log, /下载实施方案 乡村振兴先锋行动实施方案\.docx/);
  assert.match((await zuzhi.get('/audit?action=campaign.plan_upload')).text, /乡村振兴先锋行动实施方案\.docx/);
  // another town's member sees neither the campaign nor its file
  assert.equal((await fetch(`${srv.base}${pf.href}`, { headers: { cookie: (await (async () => { const x = new Browser(srv.base); await x.login('dangyuan'); return x; })()).cookieHeader() } })).status, 403);
  // a new upload replaces it
  const pdf = Buffer.from('%PDF-1.4\n%…\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  r = await upload(zuzhi, '实施方案（修订）.pdf', pdf, 'application/pdf');
  pf = await stored();
  assert.equal(pf.type, 'application/pdf');
  assert.equal(pf.name, '实施方案（修订）.pdf');
  // the overview as .xlsx: the same numbers as the API
  const ov = (await z('GET', `/api/v1/campaigns/${cid}`)).json;
  const x = await fetch(`${srv.base}/campaigns/${cid}/overview.xlsx`, { headers: { cookie: chenji.cookieHeader() } });
  assert.equal(x.status, 200);
  const book = sheets(Buffer.from(await x.arrayBuffer()));
  assert.deepEqual(Object.keys(book), ['概况', '活动', '任务清单', '目标完成', '按负责部门']);
  const cover = Object.fromEntries(book['概况'].map((row) => [row[0], row[1]]));
  assert.equal(cover['主题活动'], '乡村振兴先锋行动');
  assert.equal(cover['任务'], ov.tasks);
  assert.equal(cover['已完成'], ov.done);
  assert.equal(cover['逾期'], ov.overdue);
  assert.equal(ov.overdue, 1);
  assert.ok(cover['导出人']);
  assert.deepEqual(book['活动'][1].slice(1), ['陈集村人居环境整治', '陈集村党支部', 2, 0, 1]);
  const tasks = book['任务清单'].slice(1);
  assert.deepEqual(tasks.map((t) => [t[1], t[4], t[5]]), [['清理沟塘', '未开始', '逾期'], ['收集群众需求', '进行中', null]]);
  const tgt = book['目标完成'][1];
  assert.deepEqual(tgt.slice(0, 4), ['陈集村党支部', '需求清单', 'orders.collected', 30]);
  assert.equal(tgt[4], ov.targets[0].reached);
  assert.deepEqual(book['按负责部门'][1], ['陈集村党支部', 1, 2, 0, 1]);
  assert.match((await zuzhi.get('/audit?action=campaign.export')).text, /导出活动概况/);
  assert.equal((await zuzhi.get('/campaigns/99999999/overview.xlsx')).status, 404);
});

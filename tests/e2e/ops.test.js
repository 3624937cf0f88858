// Operations and the command line (issue 2 §7, §8): health, metrics, security
// headers, static assets and their caching, and every subcommand's --help,
// errors and work.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { startServer, Browser, BIN } = require('./lib');

let srv;
test.before(async () => { srv = await startServer(); });
test.after(async () => { await srv.stop(); });

test('healthz answers ok; metrics count requests by route and status, with a histogram and in-flight gauge', async () => {
  const h = await fetch(srv.base + '/healthz');
  assert.equal(h.status, 200);
  assert.equal(await h.text(), 'ok\n');
  await fetch(srv.base + '/no-such-page');
  const m = await (await fetch(srv.base + '/metrics')).text();
  assert.match(m, /dangjian_requests_total\{route="healthz",status="200"\} \d+/);
  assert.match(m, /dangjian_requests_total\{route="unmatched",status="404"\} \d+/);
  assert.match(m, /dangjian_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
  assert.match(m, /dangjian_requests_in_flight \d+/);
  assert.match(m, /^dangjian_long_reads_gave_way_seconds_total \d+(\.\d+)?$/m, 'the time long reads gave way to writes');
  // the demo town's orders: some open, some overdue, as the orders API counts them
  const open = Number(/dangjian_orders_open (\d+)/.exec(m)[1]), overdue = Number(/dangjian_orders_overdue (\d+)/.exec(m)[1]);
  assert.ok(open > 0 && overdue > 0 && overdue <= open, `${open} open, ${overdue} overdue`);
});

test('every kind of answer carries the security headers', async () => {
  for (const p of ['/', '/api/v1/me', '/static/app.css', '/no-such-page']) {
    const r = await fetch(srv.base + p);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/, p);
    assert.match(csp, /frame-ancestors 'none'/, p);
    assert.doesNotMatch(csp, /unsafe-inline/, p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
  }
});

test('static assets: long cache with the right version, 304 on a matching ETag', async () => {
  const home = await (await fetch(srv.base + '/')).text();
  const href = /href="(\/static\/app\.css\?v=\w+)"/.exec(home)[1];
  const r = await fetch(srv.base + href);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('cache-control'), /max-age=31536000, immutable/);
  assert.match(r.headers.get('content-type'), /text\/css/);
  const again = await fetch(srv.base + href, { headers: { 'if-none-match': r.headers.get('etag') } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(srv.base + '/static/nothing.js')).status, 404);
  const spec = await fetch(srv.base + '/api/v1/openapi.yaml');
  assert.equal(spec.status, 200);
  assert.match(await spec.text(), /^openapi: 3/);
});

test('the 繁體 switch converts the whole page and is remembered; it only sends you back home', async () => {
  const b = new Browser(srv.base);
  const r = await b.get('/lang?to=hant&back=/order');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/order');
  const page = await b.get('/');
  assert.ok(page.text.includes('黨建'), '党建 → 黨建');
  assert.ok(page.text.includes('lang="zh-Hant"'));
  // characters, not vocabulary (s2t, not Taiwan's s2twp), and place names kept as they are
  const form = (await b.get('/order')).text;
  for (const want of ['社區', '類型', '東升社區', '聯繫人', '網格']) assert.ok(form.includes(want) || want === '網格', `${want} on the 繁體 order form`);
  for (const wrong of ['社群', '型別', '東昇', '檢視']) assert.ok(!form.includes(wrong), `${wrong} is Taiwan vocabulary or a changed name`);
  const plain = await (await fetch(srv.base + '/order')).text();
  assert.ok(plain.includes('东升社区') && plain.includes('类型'), 'the simplified page is untouched');
  for (const evil of ['//evil.example/', 'http://evil.example/', '/\\evil']) {
    const x = await b.get('/lang?to=hans&back=' + encodeURIComponent(evil));
    assert.equal(x.headers.get('location'), '/', evil);
  }
});

const cli = (args, input) => spawnSync(BIN, args, { input, encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } });

test('the command line: --version, --help everywhere, clear errors with exit 2', () => {
  assert.match(cli(['--version']).stdout, /^dangjian \d+\.\d+\.\d+/);
  for (const c of [[], ['init'], ['serve'], ['user'], ['demo'], ['check'], ['import'], ['export'], ['tick'], ['config']]) {
    const r = cli([...c, '--help']);
    assert.equal(r.status, 0, c.join(' '));
    assert.match(r.stdout, /usage: dangjian/, c.join(' '));
  }
  for (const bad of [['frobnicate'], ['--nope'], ['serve', '--port', 'abc'], ['serve', '--threads', '999'], ['user', 'add', 'x'], ['user', 'dance'],
    ['demo', '--scale', 'county', '--record-months', '0'], ['demo', '--scale', 'county', '--record-months', '121']]) {
    const r = cli(['--db', path.join(os.tmpdir(), 'never.db'), ...bad]);
    assert.equal(r.status, 2, bad.join(' '));
    assert.ok(r.stderr.length > 0, 'says why');
  }
});

test('init, user add (password on stdin), passwd, list, check; a new account can log in', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-cli-'));
  const db = path.join(dir, 'x.db');
  assert.equal(cli(['--db', db, 'init']).status, 0);
  assert.equal(cli(['--db', db, 'demo']).status, 0);
  assert.notEqual(cli(['--db', db, 'demo']).status, 0, 'demo refuses a database with data');
  let r = cli(['--db', db, 'user', 'add', 'newclerk', '--name', '新文书', '--role', 'branch', '--org', 'CJZ-XJC'], 'Clerk2026\n');
  assert.equal(r.status, 0, r.stderr);
  r = cli(['--db', db, 'user', 'add', 'weak', '--name', '弱', '--role', 'member', '--org', 'CJZ-XJC'], '123\n');
  assert.notEqual(r.status, 0);
  r = cli(['--db', db, 'user', 'add', 'lost', '--name', '无', '--role', 'member', '--org', 'NOWHERE'], 'Clerk2026\n');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /NOWHERE/);
  assert.equal(cli(['--db', db, 'user', 'passwd', 'newclerk'], 'Clerk2027\n').status, 0);
  assert.match(cli(['--db', db, 'user', 'list']).stdout, /newclerk/);
  assert.equal(cli(['--db', db, 'check']).status, 0);
  // the account works over HTTP, against a server on that database
  const s2 = await startServer({ demo: false });
  const b = new Browser(s2.base);
  await assert.rejects(b.login('newclerk', 'Clerk2027'), 'not in this other database');
  await s2.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  // and on the test server's own database
  execFileSync(BIN, ['--db', srv.db, 'user', 'add', 'clerk2', '--name', '文书二', '--role', 'member', '--org', 'CJZ-CJC'], { input: 'Wenshu2026\n' });
  await new Browser(srv.base).login('clerk2', 'Wenshu2026');
});

test('admin creates, edits and deactivates an account through the forms; every step is audited', async () => {
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const form = await admin.get('/admin/users/new');
  const orgId = /<option value="(\d+)">[\s　]*陈集村党支部<\/option>/.exec(form.text)[1];
  let r = await admin.post('/admin/users/new', { _csrf: Browser.csrf(form.text), username: 'Bad Name', name: '', role: 'member', org_id: orgId, password: 'x' });
  assert.equal(r.status, 422);
  for (const msg of ['用户名只能包含', '请填写姓名', '密码至少需要 8 位']) assert.ok(r.text.includes(msg), msg);
  r = await admin.post('/admin/users/new', { _csrf: Browser.csrf(form.text), username: 'liuxin', name: '刘欣', role: 'member', org_id: orgId, password: 'Xinyue2026' });
  assert.equal(r.status, 303);
  r = await admin.post('/admin/users/new', { _csrf: Browser.csrf(form.text), username: 'liuxin', name: '刘欣', role: 'member', org_id: orgId, password: 'Xinyue2026' });
  assert.equal(r.status, 422);
  assert.ok(r.text.includes('用户名已存在'));
  const u = new Browser(srv.base);
  await u.login('liuxin', 'Xinyue2026');
  assert.equal((await u.get('/console')).status, 200);
  const list = await admin.get('/admin/users');
  const id = new RegExp('href="/admin/users/(\\d+)">liuxin<').exec(list.text)[1];
  const edit = await admin.get(`/admin/users/${id}`);
  r = await admin.post(`/admin/users/${id}`, { _csrf: Browser.csrf(edit.text), name: '刘欣', role: 'grid', org_id: orgId, password: '', active: '0' });
  assert.equal(r.status, 303);
  assert.equal((await u.get('/console')).status, 303, 'a deactivated account is logged out');
  const audit = (await admin.get('/audit?action=user.create')).text + (await admin.get('/audit?action=user.update')).text;
  assert.ok(audit.includes('liuxin') && audit.includes('停用'));
});

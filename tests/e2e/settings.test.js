// The admin's settings and backups pages (issue 10 §9): every setting,
// labelled in Chinese, validated (nothing written when one field is wrong)
// and audited; a backup run from the page lands in the backup directory and
// is listed; PostgreSQL is pointed to pg_dump.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, PG } = require('./lib');

let srv, admin;
test.before(async () => {
  srv = await startServer();
  admin = new Browser(srv.base);
  await admin.login('admin');
});
test.after(async () => { await srv.stop(); });

const config = () => Object.fromEntries(srv.run(['config', 'list']).trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));

test('only the admin reaches the settings and backups, from the navigation', async () => {
  const home = await admin.get('/');
  assert.match(home.text, /href="\/admin\/settings"/);
  assert.match(home.text, /href="\/admin\/backups"/);
  const branch = new Browser(srv.base);
  await branch.login('chenji');
  for (const p of ['/admin/settings', '/admin/backups']) assert.equal((await branch.get(p)).status, 403, p);
  assert.equal((await branch.postForm('/', '/admin/settings', { site_name: '被改了' })).status, 403);
});

test('the settings page lists every setting in Chinese, in hours', async () => {
  const page = await admin.get('/admin/settings');
  assert.equal(page.status, 200);
  for (const w of ['站点名称', '一般诉求：点单后接单', '紧急诉求：接单后办结送单', '微心愿 · 紧急', '代办：医疗代办', '社情民意', '自动销单', '/metrics 访问令牌', '备份目录', '单个请求最长处理时间'])
    assert.ok(page.text.includes(w), w);
  // 6 per urgency + 36 per kind and urgency + site, auto-close, token, backup dir, request budget
  assert.equal((page.text.match(/<input id="f-/g) || []).length, 47);
  assert.match(page.text, /name="site_name" type="text" value="陈集镇党建工作平台"/);
});

test('a wrong field is named, nothing is written; right ones are stored in seconds and audited', async () => {
  const before = config();
  let r = await admin.postForm('/admin/settings', '/admin/settings', {
    site_name: '东阿县陈集镇', 'normal.accept': '2', 'urgent.deliver': '-3', order_auto_close_days: '400', backup_dir: 'relative/dir',
    'wish.urgent.deliver': '1.234',
  });
  assert.equal(r.status, 422);
  for (const f of ['urgent.deliver', 'order_auto_close_days', 'backup_dir', 'wish.urgent.deliver'])
    assert.match(r.text, new RegExp(`id="e-${f.replace('.', '\\.')}"`), f);
  assert.match(r.text, /紧急诉求：接单后办结送单：应为大于 0 的小时数/);
  assert.deepEqual(config(), before, 'nothing written');

  r = await admin.postForm('/admin/settings', '/admin/settings', {
    site_name: '东阿县陈集镇', 'normal.accept': '2', 'urgent.accept': '0.5', 'proxy_medical.normal.accept': '3', order_auto_close_days: '10',
  });
  assert.equal(r.status, 303);
  const c = config();
  assert.equal(c.site_name, '东阿县陈集镇');
  assert.equal(c['order_limit.normal.accept'], '7200');
  assert.equal(c['order_limit.urgent.accept'], '1800');
  assert.equal(c['order_limit.proxy_medical.normal.accept'], '10800');
  assert.equal(c.order_auto_close_days, '10');
  const page = await admin.get('/admin/settings');
  assert.match(page.text, /已保存 5 项设置/);
  assert.match(page.text, /name="urgent\.accept" type="text" value="0\.50"/);
  assert.match(page.text, /<header[\s\S]*东阿县陈集镇/, 'the header takes the new name at once');

  // emptied: the default applies again (the row removed), audited as setting.clear
  r = await admin.postForm('/admin/settings', '/admin/settings', { 'proxy_medical.normal.accept': '' });
  assert.equal(r.status, 303);
  assert.equal(config()['order_limit.proxy_medical.normal.accept'], undefined);
  const audit = await admin.get('/audit?q=order_limit');
  assert.match(audit.text, /order_limit\.normal\.accept = 7200/);
  assert.match(audit.text, /order_limit\.proxy_medical\.normal\.accept/);
});

test('the metrics token is kept out of the page and the audit log', async () => {
  const token = 'tok-' + 'x'.repeat(20);
  let r = await admin.postForm('/admin/settings', '/admin/settings', { metrics_token: 'short' });
  assert.equal(r.status, 422);
  assert.match(r.text, /16 到 200 个可见 ASCII 字符/);
  r = await admin.postForm('/admin/settings', '/admin/settings', { metrics_token: token });
  assert.equal(r.status, 303);
  assert.equal(config().metrics_token, token);
  const page = await admin.get('/admin/settings');
  assert.ok(!page.text.includes(token));
  assert.match(page.text, /已设置，留空不变/);
  // left empty: unchanged; the checkbox turns it off
  await admin.postForm('/admin/settings', '/admin/settings', { metrics_token: '' });
  assert.equal(config().metrics_token, token);
  await admin.postForm('/admin/settings', '/admin/settings', { metrics_token: '', metrics_token_off: '1' });
  assert.equal(config().metrics_token, '');
  const audit = await admin.get('/audit?q=metrics_token');
  assert.ok(!audit.text.includes(token));
  assert.match(audit.text, /metrics_token = （已设置）/);
});

test('a backup from the page lands in the backup directory and is listed', { skip: !!PG }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bk-'));
  const target = path.join(dir, 'nightly');
  try {
    let r = await admin.postForm('/admin/settings', '/admin/settings', { backup_dir: target });
    assert.equal(r.status, 303);
    let page = await admin.get('/admin/backups');
    assert.ok(page.text.includes(target));
    assert.match(page.text, /还没有备份/);
    r = await admin.postForm('/admin/backups', '/admin/backups', {});
    assert.equal(r.status, 303);
    page = await admin.get('/admin/backups');
    assert.match(page.text, /备份完成：dangjian-\d{8}-\d{6}\.db/);
    const files = fs.readdirSync(target);
    assert.equal(files.length, 1);
    assert.equal(fs.statSync(target).mode & 0o777, 0o700);
    assert.ok(page.text.includes(files[0]));
    assert.match(page.text, /\d+(\.\d)? [KM]B/);
    const audit = await admin.get('/audit?q=backup');
    assert.ok(audit.text.includes(files[0]));
    // a directory that cannot be made: a clear message, nothing else
    await admin.postForm('/admin/settings', '/admin/settings', { backup_dir: '/proc/nope' });
    r = await admin.postForm('/admin/backups', '/admin/backups', {});
    assert.equal(r.status, 409);
    assert.match(r.text, /无法创建备份目录/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('on PostgreSQL the backups page points to pg_dump', { skip: !PG }, async () => {
  const page = await admin.get('/admin/backups');
  assert.equal(page.status, 200);
  assert.match(page.text, /pg_dump/);
  const r = await admin.postForm('/admin/backups', '/admin/backups', {});
  assert.match(r.text, /pg_dump/);
});

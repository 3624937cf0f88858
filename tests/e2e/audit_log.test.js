// The audit log page (issue 10 §9): every action with a Chinese label, a
// free-text search (username, summary, entity, org, label), a date range
// (reversed or invalid: a clear error), paging that keeps the filter, and the
// filtered log exported to .xlsx, the export itself audited.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, shell } = require('./lib');

let srv, admin, dir;
test.before(async () => {
  srv = await startServer();
  admin = new Browser(srv.base);
  await admin.login('admin');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-audit-'));
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rowsOf = (html) => (html.match(/<tbody>([\s\S]*?)<\/tbody>/) || ['', ''])[1].split('<tr>').slice(1);
const totalOf = (html) => Number(/共 (\d+) 条/.exec(html)[1]);
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

test('every action has a Chinese label, the code beside it', async () => {
  // the demo's newest entries are whichever mechanism filled its part last: filter for the orders'
  const orders = await admin.get('/audit?action=order.action');
  assert.match(orders.text, /诉求办理<br><code class="muted">order\.action<\/code>/);
  const page = await admin.get('/audit');
  assert.equal(page.status, 200);
  // the newest page is whichever mechanism's demo ran last: look the order's action up by itself
  assert.match((await admin.get('/audit?action=order.action')).text, /诉求办理<br><code class="muted">order\.action<\/code>/);
  assert.match(page.text, /<option value="member\.reveal">查看完整证件号<\/option>/);
  // every code the demo wrote has a label (none shown as a bare code)
  const codes = new Set([...page.text.matchAll(/<td>([^<]*)<br><code class="muted">([^<]*)<\/code>/g)].filter((m) => m[1] === m[2]).map((m) => m[2]));
  assert.deepEqual([...codes], []);
});

test('free text finds by username, summary, entity, label; paging keeps the filter', async () => {
  const all = totalOf((await admin.get('/audit')).text);
  let p = await admin.get('/audit?q=' + encodeURIComponent('诉求办理'));
  const byLabel = totalOf(p.text);
  assert.ok(byLabel > 0 && byLabel < all);
  assert.ok(rowsOf(p.text).every((r) => r.includes('order.action')));
  p = await admin.get('/audit?q=admin');
  assert.ok(totalOf(p.text) > 0);
  assert.ok(rowsOf(p.text).every((r) => /admin/i.test(r)));
  p = await admin.get('/audit?q=ORDER');
  assert.ok(totalOf(p.text) > 0, 'case does not matter');
  p = await admin.get('/audit?q=' + encodeURIComponent('%'));
  assert.equal(totalOf(p.text), 0, 'a % is matched as itself');
  p = await admin.get('/audit?q=zzz-nothing');
  assert.equal(totalOf(p.text), 0);
  assert.match(p.text, /暂无记录/);
  p = await admin.get('/audit?action=order.action');
  assert.equal(totalOf(p.text), byLabel);
  if (byLabel > 50) {
    assert.match(p.text, /href="\?page=2&amp;action=order\.action"/);
    const p2 = await admin.get('/audit?page=2&action=order.action');
    assert.ok(rowsOf(p2.text).every((r) => r.includes('order.action')));
  }
});

test('the date range: today holds everything, the past nothing, a reversed or wrong one is refused', async () => {
  const all = totalOf((await admin.get('/audit')).text);
  let p = await admin.get(`/audit?from=${today()}&to=${today()}`);
  assert.equal(p.status, 200);
  assert.ok(totalOf(p.text) <= all);
  p = await admin.get('/audit?from=2001-01-01&to=2001-12-31');
  assert.equal(totalOf(p.text), 0);
  p = await admin.get('/audit?from=2026-05-02&to=2026-05-01');
  assert.equal(p.status, 422);
  assert.match(p.text, /id="e-to">结束日期不能早于开始日期/);
  p = await admin.get('/audit?from=2026-02-30');
  assert.equal(p.status, 422);
  assert.match(p.text, /id="e-from">开始日期应为有效日期/);
  assert.doesNotMatch(p.text, /<tbody>/);
});

test('the filtered log exports to .xlsx, and the export is audited', async () => {
  const q = '诉求办理';
  const n = totalOf((await admin.get('/audit?q=' + encodeURIComponent(q))).text);
  const res = await fetch(`${srv.base}/audit/export?q=${encodeURIComponent(q)}`, { headers: { cookie: admin.cookieHeader() } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const file = path.join(dir, 'audit.xlsx');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const rows = JSON.parse(shell('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([[("" if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)], ensure_ascii=False))`, file], { encoding: 'utf8' }));
  assert.deepEqual(rows[0], ['时间', '用户', '地址', '操作', '操作代码', '记录', '组织', '内容']);
  assert.equal(rows.length - 1, n);
  assert.ok(rows.slice(1).every((r) => r[3] === '诉求办理' && r[4] === 'order.action'));
  const log = await admin.get('/audit?action=audit.export');
  assert.equal(totalOf(log.text), 1);
  assert.match(log.text, new RegExp(`${n} 条（检索“${q}”`));
  // a bad range is refused for the export too, and nothing is audited
  const bad = await fetch(`${srv.base}/audit/export?from=2026-05-02&to=2026-05-01`, { headers: { cookie: admin.cookieHeader() } });
  assert.equal(bad.status, 422);
  assert.equal(totalOf((await admin.get('/audit?action=audit.export')).text), 1);
});

test('a branch secretary cannot read or export the log; the committee sees its subtree', async () => {
  const b = new Browser(srv.base);
  await b.login('chenji');
  assert.equal((await b.get('/audit')).status, 403);
  assert.equal((await b.get('/audit/export')).status, 403);
  const c = new Browser(srv.base);
  await c.login('zuzhi');
  const p = await c.get('/audit?q=admin');
  assert.equal(p.status, 200);
});

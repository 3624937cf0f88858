// The statistics as .xlsx (issue 10 §11): a row per branch with every figure
// beside the town's total, and a row per kind (需求, 微心愿, 代办 by type,
// 社情民意), the same figures as GET /api/v1/stats/orders; a reversed or
// missing date range is a clear error naming the field, not zeros.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, Browser, apiToken, api } = require('./lib');

const PY = '/usr/bin/python3'; // Debian's, which has openpyxl
let srv, zuzhi, tok;

test.before(async () => {
  srv = await startServer();
  zuzhi = new Browser(srv.base);
  await zuzhi.login('zuzhi');
  tok = await apiToken(srv.base, 'zuzhi');
});
test.after(async () => { await srv.stop(); });

function sheets(file) {
  return JSON.parse(execFileSync(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({n: [list(r) for r in wb[n].iter_rows(values_only=True)] for n in wb.sheetnames}, ensure_ascii=False))`, file], { encoding: 'utf8' }));
}

async function download(query) {
  const res = await fetch(`${srv.base}/stats/orders.xlsx?${query}`, { headers: { cookie: zuzhi.cookieHeader() } });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body };
}

test("the town's statistics by branch and by kind, equal to the API figures", async () => {
  const from = '2020-01-01', to = '2099-12-31';
  const r = await download(`org=CJZ&from=${from}&to=${to}`);
  assert.equal(r.status, 200, r.body.toString());
  assert.match(r.type, /spreadsheetml/);
  assert.match(r.disposition, /attachment/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-stats-')), 'stats.xlsx');
  fs.writeFileSync(file, r.body);
  const x = sheets(file);
  assert.deepEqual(Object.keys(x), ['按支部', '按类型']);
  const api_ = (await api(srv.base, tok, 'GET', `/api/v1/stats/orders?org=CJZ&from=${from}&to=${to}`)).json;
  const byBranch = x['按支部'];
  assert.equal(byBranch[0][0], '组织/类型');
  const total = byBranch.at(-1);
  assert.match(total[0], /合计$/);
  assert.deepEqual(total.slice(1, 8), [api_.collected, api_.accepted, api_.rejected, api_.escalated, api_.dispatched,
    api_.resolved_by_branch, api_.resolved_by_committee]);
  // the branches add up to the town (every order is held by a branch)
  const rows = byBranch.slice(1, -1);
  assert.ok(rows.some((b) => b[0] === '陈集村党支部') && rows.some((b) => b[0] === '西街村党支部'));
  for (let c = 1; c <= 14; c++) assert.equal(rows.reduce((s, b) => s + b[c], 0), total[c], `column ${byBranch[0][c]}`);
  // each branch's row is that branch's own figures
  const cjc = (await api(srv.base, tok, 'GET', `/api/v1/stats/orders?org=CJZ-CJC&from=${from}&to=${to}`)).json;
  assert.equal(rows.find((b) => b[0] === '陈集村党支部')[1], cjc.collected);
  // by kind: every kind, adding up to the whole
  const byKind = x['按类型'];
  const kinds = byKind.slice(1).filter((k) => k[0] && typeof k[1] === 'number');
  assert.deepEqual(kinds.map((k) => k[0]).slice(0, 6), ['需求', '微心愿', '代办：医疗代办', '代办：电费代缴', '代办：物资代购', '社情民意']);
  const whole = kinds.find((k) => k[0] === '全部');
  assert.equal(whole[1], api_.collected);
  assert.equal(kinds.filter((k) => k[0] !== '全部').reduce((s, k) => s + k[1], 0), whole[1]);
  assert.ok(byKind.flat().some((c) => typeof c === 'string' && c.startsWith('共收集需求清单')), 'the bulletin sentence');
  // audited
  const log = await zuzhi.get('/audit?action=order.stats_export');
  assert.match(log.text, /order\.stats_export/);
});

test('a reversed or missing period is a clear error naming the field, and nothing is exported', async () => {
  let r = await download('org=CJZ&from=2026-11-30&to=2026-11-01');
  assert.equal(r.status, 422);
  assert.match(r.body.toString(), /结束日期不能早于起始日期/);
  r = await download('org=CJZ&to=2026-11-01');
  assert.equal(r.status, 422);
  assert.match(r.body.toString(), /起始日期/);
  r = await download('org=NO-SUCH&from=2026-11-01&to=2026-11-30');
  assert.equal(r.status, 404);
  // a member reads no statistics
  const m = new Browser(srv.base);
  await m.login('dangyuan');
  assert.equal((await m.get('/stats/orders.xlsx?from=2026-11-01&to=2026-11-30')).status, 403);
  // the page says so too, instead of a page of zeros
  const page = await zuzhi.get('/stats/orders?org=CJZ&from=2026-11-30&to=2026-11-01');
  assert.match(page.text, /结束日期不能早于起始日期/);
  assert.match(page.text, /orders\.xlsx\?org=CJZ/);
});

// Export of the roster to .xlsx (issue 3), read back by an independent reader
// (openpyxl from Debian's python3-openpyxl): the same rows as the database,
// within the caller's scope, masked unless a staff member asks and is audited.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, Browser, apiToken, api } = require('./lib');

const PY = '/usr/bin/python3'; // Debian's, which has openpyxl
function readXlsx(file) {
  const out = execFileSync(PY, ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True).active
rows = [[("" if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)]
print(json.dumps({"title": ws.title, "rows": rows}, ensure_ascii=False))`, file], { encoding: 'utf8' });
  return JSON.parse(out);
}

let srv, dir;
test.before(async () => {
  srv = await startServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-export-'));
});
test.after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await srv.stop();
});

// The roster of an org as the API lists it, keyed by the masked ID.
async function roster(token, org) {
  const r = await api(srv.base, token, 'GET', `/api/v1/members?org=${org}&limit=1000`);
  assert.equal(r.status, 200);
  return r.json;
}

test('the CLI export holds every member of the subtree, with full numbers', async () => {
  const file = path.join(dir, 'cli.xlsx');
  const out = srv.run(['export', 'members', '--org', 'CJZ-CJC', file]);
  const x = readXlsx(file);
  assert.equal(x.title, '花名册');
  assert.deepEqual(x.rows[0].slice(0, 6), ['姓名', '性别', '民族', '出生日期', '学历', '身份证号']);
  const body = x.rows.slice(1);
  const admin = await apiToken(srv.base, 'admin');
  const db = await roster(admin, 'CJZ-CJC');
  assert.equal(body.length, db.total);
  assert.match(out, new RegExp(`exported ${db.total} members`));
  assert.ok(body.every((r) => /^\d{17}[\dX]$/.test(r[5])), 'full ID numbers, kept as text');
  // the same people, by name, masked ID, org code and category
  const masked = (id) => id.slice(0, 4) + '**********' + id.slice(-4);
  const fromFile = body.map((r) => [r[0], masked(r[5]), r[13], r[10]].join('|')).sort();
  const cat = { full: '正式', probationary: '预备' };
  const fromDb = db.members.map((m) => [m.name, m.id_number, m.org, cat[m.category]].join('|')).sort();
  assert.deepEqual(fromFile, fromDb);
});

test('the download is masked and scoped for a branch secretary', async () => {
  const b = new Browser(srv.base);
  await b.login('chenji');
  const res = await fetch(srv.base + '/members/export.xlsx', { headers: { cookie: b.cookieHeader() } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="members-CJZ-CJC\.xlsx"/);
  const file = path.join(dir, 'chenji.xlsx');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const body = readXlsx(file).rows.slice(1);
  const token = await apiToken(srv.base, 'chenji');
  const db = await roster(token, 'CJZ-CJC');
  assert.equal(body.length, db.total);
  assert.ok(body.every((r) => r[5].includes('**********') && r[6].includes('****')), 'masked');
  assert.ok(body.every((r) => r[13].startsWith('CJZ-CJC')), 'only its own subtree');
  assert.ok(body.every((r) => r[7] === ''), 'no addresses in a masked export');
  // another branch, or the full numbers without the right: refused
  assert.equal((await b.get('/members/export.xlsx?org=CJZ-XJC')).status, 404);
  const m = new Browser(srv.base);
  await m.login('dangyuan');
  assert.equal((await m.get('/members/export.xlsx?full=1')).status, 403);
  assert.equal((await m.get('/members/export.xlsx')).status, 200);
});

test('a full export by the committee is audited', async () => {
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const res = await fetch(srv.base + '/members/export.xlsx?org=CJZ&full=1', { headers: { cookie: z.cookieHeader() } });
  assert.equal(res.status, 200);
  const file = path.join(dir, 'town.xlsx');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const rows = readXlsx(file).rows.slice(1);
  const token = await apiToken(srv.base, 'zuzhi');
  assert.equal(rows.length, (await roster(token, 'CJZ')).total);
  assert.ok(rows.length >= 500, 'the demo town has about 600 members');
  const admin = new Browser(srv.base);
  await admin.login('admin');
  assert.match((await admin.get('/audit?action=member.export_full')).text, /完整证件号与手机号/);
});

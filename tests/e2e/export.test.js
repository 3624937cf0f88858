// Export of the roster to .xlsx (issue 3), read back by an independent reader
// (openpyxl from Debian's python3-openpyxl, /usr/bin/python3 — not a pyenv
// python first on PATH): the same rows as the database, cell for cell, within
// the caller's scope, masked unless a staff member asks for the full numbers,
// and every export on the audit log. Runs on SQLite, and on PostgreSQL when
// DANGJIAN_PG is set. The database side is read through the API
// (GET /api/v1/members, and /api/v1/members/:id?reveal=1 for full numbers).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, shell } = require('./lib');

const PY = '/usr/bin/python3'; // Debian's, which has openpyxl
const HEADERS = ['姓名', '性别', '民族', '出生日期', '学历', '身份证号', '手机号', '住址', '入党日期', '转正日期', '党员类别',
  '党籍状态', '党组织名称', '组织编码', '在职党员', '报到社区', '职务'];
const COL = Object.fromEntries(HEADERS.map((h, i) => [h, i]));
const CATEGORY = { full: '正式', probationary: '预备' };
const STATUS = { active: '正常', retired: '离退休', mobile: '流动', stopped: '停止党籍', transferred: '转出' };

// Every cell as text ('' for an empty one), with what a reader of the file
// sees besides: the sheet, the title property, the frozen and bold header, and
// whether any ID or phone number was stored as a number.
function readXlsx(file) {
  const out = shell(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
rows = [[("" if c is None else c if isinstance(c, str) else repr(c)) for c in r] for r in ws.iter_rows(values_only=True)]
numeric = [c.coordinate for col in ("F", "G") for c in ws[col][1:] if c.value is not None and not isinstance(c.value, str)]
print(json.dumps({"sheets": wb.sheetnames, "title": wb.properties.title, "freeze": ws.freeze_panes,
                  "bold": all(c.font.b for c in ws[1]), "numeric": numeric, "rows": rows}, ensure_ascii=False))`, file],
  { encoding: 'utf8', maxBuffer: 64 << 20 });
  const x = JSON.parse(out);
  x.header = x.rows[0];
  x.body = x.rows.slice(1).map((r) => Array.from({ length: HEADERS.length }, (_, i) => r[i] ?? ''));
  return x;
}

const maskId = (id) => (id.length === 18 ? id.slice(0, 4) + '**********' + id.slice(-4) : id);
const maskPhone = (p) => (p.length === 11 ? p.slice(0, 3) + '****' + p.slice(-4) : p);

// GB 11643: the check character of an 18-character ID number.
function idValid(id) {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, x, i) => s + x * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

// The roster of an org as the API lists it (masked), in the export's order
// (org path, then name), as the rows a masked export must hold.
async function apiRows(token, org) {
  const r = await api(srv.base, token, 'GET', `/api/v1/members?org=${encodeURIComponent(org)}&limit=1000`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.total <= 1000);
  return r.json.members.map((m) => ({
    id: m.id,
    row: [m.name, m.gender, m.ethnicity, m.birth_date, m.education, m.id_number, m.phone, '', m.join_date,
      m.full_date || '', CATEGORY[m.category], STATUS[m.status], m.org_name, m.org, m.in_service ? '是' : '否',
      m.service_org || '', m.duties.join('、')],
  }));
}

// What a full row shows that a masked one does not.
const maskRow = (r) => r.map((v, i) => (i === COL['身份证号'] ? maskId(v) : i === COL['手机号'] ? maskPhone(v) : i === COL['住址'] ? '' : v));

let srv, dir, admin;
test.before(async () => {
  srv = await startServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-export-'));
  admin = await apiToken(srv.base, 'admin');
});
test.after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await srv.stop();
});

// Runs the CLI, returning its exit status and output instead of throwing.
function cli(args) {
  try {
    return { status: 0, stdout: srv.run(args), stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: String(e.stdout), stderr: String(e.stderr) };
  }
}

async function download(browser, query) {
  const res = await fetch(srv.base + '/members/export.xlsx' + query, { headers: { cookie: browser.cookieHeader() }, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  let x = null;
  if (res.status === 200) {
    const file = path.join(dir, `dl-${Date.now()}-${Math.random().toString(36).slice(2)}.xlsx`);
    fs.writeFileSync(file, body);
    x = readXlsx(file);
  }
  return { status: res.status, headers: res.headers, x };
}

test('the CLI export of a branch holds every member with full numbers, cell for cell as in the database', async () => {
  const file = path.join(dir, 'cli.xlsx');
  const out = srv.run(['export', 'members', '--org', 'CJZ-CJC', file]);
  const x = readXlsx(file);
  assert.deepEqual(x.sheets, ['花名册']);
  assert.equal(x.title, '党员花名册');
  assert.deepEqual(x.header, HEADERS);
  assert.equal(x.freeze, 'A2', 'the header row is frozen');
  assert.ok(x.bold, 'the header is bold');
  assert.deepEqual(x.numeric, [], 'ID and phone numbers are text, never numbers');
  const db = await apiRows(admin, 'CJZ-CJC');
  assert.ok(db.length >= 60, 'the demo village has its members');
  assert.equal(x.body.length, db.length);
  assert.match(out, new RegExp(`exported ${db.length} members of CJZ-CJC`));
  // the same rows in the same order, once the full numbers are masked
  assert.deepEqual(x.body.map(maskRow), db.map((m) => m.row));
  assert.ok(x.body.every((r) => r[COL['组织编码']].startsWith('CJZ-CJC')));
  // and the full numbers and the address are the ones on record
  for (let i = 0; i < db.length; i++) {
    const m = (await api(srv.base, admin, 'GET', `/api/v1/members/${db[i].id}?reveal=1`)).json;
    const r = x.body[i];
    assert.deepEqual([r[COL['身份证号']], r[COL['手机号']], r[COL['住址']]], [m.id_number, m.phone, m.address || ''], m.name);
    assert.ok(idValid(r[COL['身份证号']]), `${m.name}: a valid GB 11643 number`);
  }
});

test('the CLI export --masked holds exactly what the masked roster shows', async () => {
  const file = path.join(dir, 'masked.xlsx');
  const out = srv.run(['export', 'members', '--org', 'CJZ-XJC', file, '--masked']);
  assert.match(out, /\(masked\)/);
  const x = readXlsx(file);
  assert.deepEqual(x.body, (await apiRows(admin, 'CJZ-XJC')).map((m) => m.row));
  assert.ok(x.body.every((r) => r[COL['身份证号']].includes('**********')));
});

test('the CLI refuses bad arguments with a clear message and a non-zero status', () => {
  const file = path.join(dir, 'never.xlsx');
  let r = cli(['export', 'members', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: dangjian .*export members --org CODE FILE\.xlsx/);
  r = cli(['export']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /only `members`/);
  r = cli(['export', 'members', file]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /needs --org CODE and FILE\.xlsx/);
  r = cli(['export', 'members', '--org', 'CJZ-CJC', file, '--frobnicate']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /unknown or incomplete argument --frobnicate/);
  r = cli(['export', 'members', '--org', 'NO-SUCH', file]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no organisation with code NO-SUCH/);
  r = cli(['export', 'members', '--org', 'CJZ-CJC', path.join(dir, 'no', 'such', 'dir', 'x.xlsx')]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /export members: /);
  assert.ok(!fs.existsSync(file), 'nothing written');
});

test('a branch secretary downloads the masked roster of its own subtree only, and it is audited', async () => {
  const b = new Browser(srv.base);
  await b.login('chenji');
  const d = await download(b, '');
  assert.equal(d.status, 200);
  assert.equal(d.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const cd = d.headers.get('content-disposition');
  assert.match(cd, /^attachment; filename="members-CJZ-CJC\.xlsx"; filename\*=UTF-8''/);
  assert.equal(decodeURIComponent(cd.split("UTF-8''")[1]), '陈集村党支部-花名册.xlsx', 'RFC 5987 file name');
  const token = await apiToken(srv.base, 'chenji');
  assert.deepEqual(d.x.body, (await apiRows(token, 'CJZ-CJC')).map((m) => m.row), 'masked, no addresses, same rows');
  assert.ok(d.x.body.every((r) => r[COL['身份证号']].includes('**********') && r[COL['组织编码']].startsWith('CJZ-CJC')));
  // a group of its own: just that group
  const g = await download(b, '?org=CJZ-CJC-1');
  assert.equal(g.status, 200);
  assert.ok(g.x.body.length > 0 && g.x.body.every((r) => r[COL['组织编码']] === 'CJZ-CJC-1'));
  // another branch, the committee above, an unknown code: not found
  for (const org of ['CJZ-XJC', 'CJZ', 'NO-SUCH']) assert.equal((await download(b, `?org=${org}`)).status, 404, org);
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const log = (await z.get('/audit?action=member.export')).text;
  assert.match(log, /chenji/);
  assert.match(log, /陈集村党支部 花名册 \d+ 人（脱敏）/);
});

// SPEC §1: a member has "own records + its branch's shared items", a grid
// worker "its grid(s)": neither takes the branch's roster away as a file. The
// masked roster page and API stay theirs to read.
test('a party member and a grid worker read the masked roster but export nothing', async () => {
  for (const user of ['dangyuan', 'wangge']) {
    const m = new Browser(srv.base);
    await m.login(user);
    for (const q of ['', '?full=1', '?org=CJZ-CJC', '?org=CJZ-XJC']) assert.equal((await download(m, q)).status, 403, `${user} ${q}`);
    const page = await m.get('/members');
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes('/members/export.xlsx'), `${user}: no export button`);
    const token = await apiToken(srv.base, user);
    const rows = await apiRows(token, 'CJZ-CJC');
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.row[COL['身份证号']].includes('**********')), 'masked');
  }
  // no roster for a reviewer, none without a login
  const j = new Browser(srv.base);
  await j.login('jiwei');
  assert.equal((await download(j, '')).status, 403);
  assert.notEqual((await download(new Browser(srv.base), '')).status, 200);
  // the staff still see the button
  const b = new Browser(srv.base);
  await b.login('chenji');
  assert.ok((await b.get('/members')).text.includes('/members/export.xlsx'));
});

test('the committee downloads the whole town with full numbers; it is audited twice', async () => {
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const d = await download(z, '?org=CJZ&full=1');
  assert.equal(d.status, 200);
  assert.match(d.headers.get('content-disposition'), /filename="members-CJZ\.xlsx"/);
  const token = await apiToken(srv.base, 'zuzhi');
  const db = await apiRows(token, 'CJZ');
  assert.ok(db.length >= 500, 'the demo town has about 600 members');
  assert.deepEqual(d.x.body.map(maskRow), db.map((m) => m.row));
  assert.ok(d.x.body.every((r) => idValid(r[COL['身份证号']])), 'full, valid ID numbers');
  assert.ok(d.x.body.some((r) => r[COL['住址']] !== ''), 'addresses in a full export');
  assert.deepEqual(d.x.numeric, []);
  // in-service members registered with a community (双报到) carry its code
  assert.ok(d.x.body.some((r) => r[COL['在职党员']] === '是' && /^CJZ-(DSQ|XYSQ)$/.test(r[COL['报到社区']])));
  const full = (await z.get('/audit?action=member.export_full')).text;
  assert.match(full, /中共陈集镇委员会 花名册 \d+ 人（完整证件号与手机号）/);
  assert.match((await z.get('/audit?action=member.export')).text, /中共陈集镇委员会 花名册 \d+ 人（完整证件号与手机号）/);
});


test('an export can be imported again: the same rows come back', async () => {
  // the enterprise branch: its members have no points ledger (append-only) to keep them in the database
  const first = path.join(dir, 'ej-1.xlsx'), second = path.join(dir, 'ej-2.xlsx');
  srv.run(['export', 'members', '--org', 'CJZ-EJ', first]);
  const before = readXlsx(first).body;
  assert.ok(before.length > 0);
  // the branch's members leave the database (with the households its 党员中心户 look after), then come back from the file
  // Every mechanism's records point at roster members (dues, volunteering,
  // lessons, …) and this test restores only the roster: the deletion goes
  // round the foreign keys (SQLite's are off unless asked for; PostgreSQL's
  // are triggers, off for a replica session), and only the roster's own round
  // trip is compared.
  const del = "DELETE FROM households WHERE central_member_id IN (SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.code LIKE 'CJZ-EJ%');" +
    " DELETE FROM members WHERE org_id IN (SELECT id FROM orgs WHERE code LIKE 'CJZ-EJ%');";
  if (srv.engine === 'postgresql') shell('psql', [srv.db, '-qAtv', 'ON_ERROR_STOP=1', '-c', 'SET session_replication_role = replica; ' + del], { stdio: 'pipe' });
  else shell('sqlite3', [srv.db], { input: del, stdio: ['pipe', 'pipe', 'pipe'] });
  assert.equal((await apiRows(admin, 'CJZ-EJ')).length, 0);
  const out = srv.run(['import', 'members', first]);
  assert.match(out, new RegExp(`${before.length}`));
  srv.run(['export', 'members', '--org', 'CJZ-EJ', second]);
  assert.deepEqual(readXlsx(second).body, before);
});

// Roster import (issue 3, SPEC M1 and §5): a 2,000-row .xlsx with 3 bad rows
// lists exactly those rows and imports nothing; the corrected file imports all
// 2,000 in one step after a preview; the same rows saved as GBK CSV import the
// same members; the CLI prints the same report. Fixtures are made at test time
// by tests/e2e/import_fixtures.py (Debian's python3-openpyxl).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, ROOT, ENGINE, shell } = require('./lib');

const PYTHON = '/usr/bin/python3'; // the python that has python3-openpyxl
const ROWS = 2000;
let dir;
let fx;

test.before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-import-'));
  fx = JSON.parse(shell(PYTHON, [path.join(__dirname, 'import_fixtures.py'), dir, String(ROWS)], { encoding: 'utf8' }));
});
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name) => path.join(dir, name);

function unescapeHtml(s) {
  return s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// The rows of the preview's problem table: [{row, column, reason}].
function problems(html) {
  const m = /<table class="table" id="import-problems">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html);
  if (!m) return [];
  return [...m[1].matchAll(/<tr><td>(\d+)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)]
    .map((x) => ({ row: Number(x[1]), column: unescapeHtml(x[2]), reason: unescapeHtml(x[3]) }));
}

// The id of an org in the upload form's select, by its name.
function orgId(html, name) {
  const m = new RegExp(`<option value="(\\d+)"[^>]*>[　]*${name}</option>`).exec(html);
  assert.ok(m, `org ${name} in the select`);
  return m[1];
}

async function upload(b, filePath, org, name = path.basename(filePath)) {
  const page = await b.get('/members/import');
  assert.equal(page.status, 200, page.text);
  const fd = new FormData();
  fd.append('_csrf', Browser.csrf(page.text));
  fd.append('org', org ?? orgId(page.text, '陈集村党支部'));
  fd.append('file', new Blob([typeof filePath === 'string' ? fs.readFileSync(filePath) : filePath]), name);
  const res = await fetch(b.base + '/members/import', { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: b.cookieHeader() } });
  b.keep(res);
  return { status: res.status, text: await res.text() };
}

function confirmPath(html) {
  const m = /action="(\/members\/import\/[A-Za-z0-9_-]+\/confirm)"/.exec(html);
  return m ? m[1] : null;
}

async function total(base, token, org = 'CJZ-CJC') {
  const r = await api(base, token, 'GET', `/api/v1/members?org=${org}&limit=1`);
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

// Every member of an org subtree as comparable text (the API masks IDs and phones).
async function roster(base, token) {
  const out = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await api(base, token, 'GET', `/api/v1/members?org=CJZ-CJC&limit=1000&offset=${offset}`);
    assert.equal(r.status, 200, r.text);
    for (const m of r.json.members) {
      const { id, ...rest } = m;
      out.push(JSON.stringify(rest));
    }
    if (r.json.members.length < 1000) break;
  }
  return out.sort();
}

// GB 11643 check character, for IDs written by the tests themselves.
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}

test(`import on ${ENGINE}: 3 bad rows listed and nothing imported; corrected file previewed, confirmed once; GBK CSV imports the same rows`, async (t) => {
  const srv = await startServer();
  const srv2 = await startServer();
  try {
    const b = new Browser(srv.base);
    await b.login('chenji');
    const token = await apiToken(srv.base, 'chenji');
    const before = await total(srv.base, token);

    // 1. the file with 3 bad rows: exactly those rows, each with its column and a Chinese reason; nothing written
    const bad = await upload(b, file('bad.xlsx'));
    assert.equal(bad.status, 422);
    const listed = problems(bad.text);
    assert.deepEqual(listed.map((p) => ({ row: p.row, column: p.column })), fx.broken);
    assert.match(listed[0].reason, /校验码/);
    assert.match(listed[1].reason, /18 周岁/);
    assert.match(listed[2].reason, /手机号/);
    assert.match(bad.text, /未导入任何数据/);
    assert.equal(confirmPath(bad.text), null, 'no confirm button while rows are bad');
    assert.equal(await total(srv.base, token), before);

    // 2. the corrected file: a preview, nothing written until confirmed
    const good = await upload(b, file('good.xlsx'));
    assert.equal(good.status, 200, good.text.slice(0, 2000));
    assert.match(good.text, new RegExp(`确认导入 ${ROWS} 名党员`));
    assert.match(good.text, /不认识的列已忽略：序号/);
    assert.equal((good.text.match(/<tr><td>\d+<\/td><td>/g) || []).length, 20, 'the first 20 rows are shown');
    const confirm = confirmPath(good.text);
    assert.ok(confirm);
    assert.equal(await total(srv.base, token), before);

    // someone else cannot confirm it
    const other = new Browser(srv.base);
    await other.login('xijie');
    const stolen = await other.postForm('/members/import', confirm, {});
    assert.equal(stolen.status, 404);

    const done = await b.postForm('/members/import', confirm, {});
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/members');
    assert.equal(await total(srv.base, token), before + ROWS);

    // twice: refused, nothing doubled
    const again = await b.postForm('/members/import', confirm, {});
    assert.equal(again.status, 409);
    assert.equal(await total(srv.base, token), before + ROWS);

    // one audit entry for the import
    const admin = new Browser(srv.base);
    await admin.login('admin');
    const audit = await admin.get('/audit?action=member.import');
    assert.equal((audit.text.match(/导入党员 2000 名（good\.xlsx）/g) || []).length, 1);

    // the GBK CSV holds the same people: here every ID is now taken
    const dup = await upload(b, file('good_gbk.csv'));
    assert.equal(dup.status, 422);
    assert.match(dup.text, new RegExp(`有 ${ROWS} 行不合格`));
    assert.match(dup.text, /GBK/);

    // 3. the GBK CSV on a fresh database imports the same members as the .xlsx
    const b2 = new Browser(srv2.base);
    await b2.login('chenji');
    const token2 = await apiToken(srv2.base, 'chenji');
    const before2 = await total(srv2.base, token2);
    assert.equal(before2, before);
    const csv = await upload(b2, file('good_gbk.csv'));
    assert.equal(csv.status, 200, csv.text.slice(0, 2000));
    const done2 = await b2.postForm('/members/import', confirmPath(csv.text), {});
    assert.equal(done2.status, 303);
    assert.equal(await total(srv2.base, token2), before2 + ROWS);
    assert.deepEqual(await roster(srv2.base, token2), await roster(srv.base, token), 'the same rows from .xlsx and GBK CSV');
    t.diagnostic(`web import of ${ROWS} rows via xlsx and GBK CSV on ${ENGINE}: ok`);
  } finally {
    await srv.stop();
    await srv2.stop();
  }
});

test(`import on ${ENGINE}: scope, duplicates within the file, unreadable files`, async () => {
  const srv = await startServer();
  try {
    const b = new Browser(srv.base);
    await b.login('chenji');
    const id1 = idNumber('37152419800101001');
    const id2 = idNumber('37152419810202002');
    const csv = '姓名,身份证号,入党日期,转正日期,组织编码\n' +
      `张三,${id1},2005-07-01,2006-07-01,\n` +
      `李四,${id2},2006/7/1,2007/7/2,CJZ-XJC\n` +
      `王五,${id1},2007年7月1日,2008年7月1日,陈集村第一党小组\n` +
      '赵六,123,2007-07-01,,NOPE\n';
    const r = await upload(b, Buffer.from(csv), undefined, 'mixed.csv');
    assert.equal(r.status, 422);
    const p = problems(r.text);
    const at = (row) => p.filter((x) => x.row === row).map((x) => `${x.column}:${x.reason}`);
    assert.deepEqual(at(2), []);
    assert.deepEqual(at(3), ['组织编码:组织“CJZ-XJC”不存在或不在您的管辖范围内']);
    assert.deepEqual(at(4), ['身份证号:身份证号与第 2 行重复']);
    assert.ok(at(5).some((x) => x.startsWith('身份证号:')));
    assert.ok(at(5).some((x) => x === '组织编码:组织“NOPE”不存在或不在您的管辖范围内'), at(5).join(' | '));

    // files that are not rosters are refused with a reason, not a crash
    const png = await upload(b, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), undefined, 'photo.xlsx');
    assert.equal(png.status, 422);
    assert.match(png.text, /既不是 \.xlsx 工作簿/);
    const zip = await upload(b, Buffer.from('PK\x03\x04 not really a zip'), undefined, 'broken.xlsx');
    assert.equal(zip.status, 422);
    assert.match(zip.text, /压缩包已损坏/);
    const missing = await upload(b, Buffer.from('名字,电话\n张三,1\n'), undefined, 'x.csv');
    assert.equal(missing.status, 422);
    assert.match(missing.text, /缺少必需的列：姓名、身份证号、入党日期/);

    // an org outside the caller's subtree cannot be chosen
    const page = await b.get('/members/import');
    const foreign = await upload(b, Buffer.from(csv), '999999', 'x.csv');
    assert.equal(foreign.status, 422);
    assert.match(foreign.text, /请选择导入到哪个组织/);
    assert.doesNotMatch(page.text, /西街村党支部/, 'only the own subtree is offered');

    // a file over the 10 MiB limit (the route's body limit is 12 MiB)
    const huge = await upload(b, Buffer.alloc(11 * 1024 * 1024, 0x61), undefined, 'huge.csv');
    assert.equal(huge.status, 422);
    assert.match(huge.text, /10 MiB/);

    // members and grid workers may not import
    const m = new Browser(srv.base);
    await m.login('dangyuan');
    assert.equal((await m.get('/members/import')).status, 403);

    // the header template opens in Excel (UTF-8 with BOM) and reads back as a roster header
    const tpl = await b.get('/members/import/template.csv');
    assert.equal(tpl.status, 200);
    assert.match(tpl.text, /^\uFEFF?姓名,性别,民族,出生日期/);
  } finally {
    await srv.stop();
  }
});

test(`import on ${ENGINE}: the CLI prints the same report, and imports ${ROWS} rows`, async (t) => {
  const srv = await startServer();
  try {
    let out = '';
    let status = 0;
    try {
      srv.run(['import', 'members', file('bad.xlsx'), '--org', 'CJZ-CJC', '--dry-run']);
    } catch (e) {
      status = e.status;
      out = e.stdout;
    }
    assert.equal(status, 1, 'bad rows: exit status 1');
    const lines = out.split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => l.split('\t'));
    assert.deepEqual(lines.map(([row, column]) => ({ row: Number(row), column })), fx.broken);
    assert.match(out, /3 行有问题，未导入任何数据/);

    const dry = srv.run(['import', 'members', file('good.xlsx'), '--org', 'CJZ-CJC', '--dry-run']);
    assert.match(dry, new RegExp(`试运行：${ROWS} 名党员可以导入`));
    const token = await apiToken(srv.base, 'chenji');
    const before = await total(srv.base, token);

    const t0 = process.hrtime.bigint();
    const done = srv.run(['import', 'members', file('good.xlsx'), '--org', 'CJZ-CJC']);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.match(done, new RegExp(`已导入 ${ROWS} 名党员`));
    const inner = /用时 ([\d.]+) 秒/.exec(done);
    t.diagnostic(`CLI import of ${ROWS} rows from .xlsx on ${ENGINE}: ${ms.toFixed(0)} ms wall, ${inner ? inner[1] : '?'} s inside (test build: ASan+UBSan, -O0)`);

    assert.equal(await total(srv.base, token), before + ROWS);
    // a second run finds every ID taken and writes nothing
    assert.throws(() => srv.run(['import', 'members', file('good_gbk.csv'), '--org', 'CJZ-CJC']), (e) => e.status === 1);
    assert.equal(await total(srv.base, token), before + ROWS);
    assert.match(srv.run(['import', '--help']), /import members FILE/);
  } finally {
    await srv.stop();
  }
});

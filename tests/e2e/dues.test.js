// Dues and transfers (issue 18): a year of dues for a branch with payments,
// a 代缴, a waiver and arrears gives exactly the expected due/paid/owing on
// the page, the API and the export; a transfer inside the committee moves the
// member, their account's scope and their dues on the day it is received; an
// outside letter lapses after three months (injected clock) and is flagged;
// each role's permissions and the bad input. SQLite and PostgreSQL.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, shell } = require('./lib');

function idNumber(birth, seq, male) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = '371524' + birth.replaceAll('-', '') + String(seq).padStart(2, '0') + String(male ? 1 : 2);
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

// YYYY-MM of now (Beijing) moved by n months.
function monthAdd(m, n) {
  let y = Number(m.slice(0, 4)), mo = Number(m.slice(5, 7)) - 1 + n;
  y += Math.floor(mo / 12);
  mo = ((mo % 12) + 12) % 12;
  return `${y}-${String(mo + 1).padStart(2, '0')}`;
}
const CUR = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
const MONTHS = Array.from({ length: 12 }, (_, i) => monthAdd(CUR, i - 11));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-dues-'));
const NOW_FILE = path.join(tmp, 'now');
fs.writeFileSync(NOW_FILE, '0');

let srv;
const tok = {};
const m = {};
const call = (who, method, p, body) => api(srv.base, tok[who], method, p, body);

test.before(async () => {
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: NOW_FILE } });
  for (const u of ['admin', 'zuzhi', 'chenji', 'xijie', 'dangyuan', 'wangge', 'jiwei']) tok[u] = await apiToken(srv.base, u);
  // a branch of our own, so that every figure below is known
  const o = await call('zuzhi', 'POST', '/api/v1/orgs', { code: 'CJZ-DUES', name: '党费测试村党支部', type: 'branch', kind: '农村', parent_code: 'CJZ' });
  assert.equal(o.status, 201, o.text);
  const mk = async (key, name, birth, seq) => {
    const r = await call('zuzhi', 'POST', '/api/v1/members', { name, id_number: idNumber(birth, seq, true), join_date: '2001-07-01', full_date: '2002-07-01', org: 'CJZ-DUES' });
    assert.equal(r.status, 201, r.text);
    m[key] = r.json.id;
  };
  await mk('a', '党费甲', '1975-03-08', 41);
  await mk('b', '党费乙', '1950-05-01', 42);
  await mk('c', '党费丙', '1968-09-09', 43);
  await mk('d', '党费丁', '1980-12-12', 44);
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const sumLedger = async (who, org) => {
  const t = { due_fen: 0, reduced_fen: 0, paid_fen: 0, owing_fen: 0 };
  for (const mo of MONTHS) {
    const r = await call(who, 'GET', `/api/v1/dues/ledger?org=${org}&period=${mo}`);
    assert.equal(r.status, 200, r.text);
    for (const k of Object.keys(t)) t[k] += r.json.total[k];
  }
  return t;
};

test('a year of dues for a branch: payments, a 代缴, a waiver and arrears add up on the page, the API and the export', async () => {
  // bases: 4500 → 1% = 45.00; retired 5000.01 → 1% = 50.00; farmer ¥0.50 flat; 3000 → 0.5% = 15.00
  const bases = [[m.a, 'in_service', { base: '4500' }], [m.b, 'retired', { base: '5000.01' }], [m.c, 'farmer', { flat: '0.50' }], [m.d, '在职', { base: '3000.00' }]];
  for (const [id, category, v] of bases) {
    const r = await call('chenji', 'POST', '/api/v1/dues/bases', { member_id: id, since: MONTHS[0], category, ...v });
    assert.equal(r.status, 404, 'a branch secretary cannot reach another branch');
    const ok = await call('zuzhi', 'POST', '/api/v1/dues/bases', { member_id: id, since: MONTHS[0], category, ...v });
    assert.equal(ok.status, 201, ok.text);
  }
  for (const mo of MONTHS) {
    const g = await call('zuzhi', 'POST', '/api/v1/dues/generate', { month: mo, org: 'CJZ-DUES' });
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.made, 4);
    const again = await call('zuzhi', 'POST', '/api/v1/dues/generate', { month: mo, org: 'CJZ-DUES' });
    assert.equal(again.json.made, 0, 'generating a month twice makes nothing');
  }
  const months = (await call('zuzhi', 'GET', `/api/v1/dues/members/${m.b}`)).json.months;
  assert.deepEqual(months.map((x) => x.due_fen), Array(12).fill(5000));

  const pay = async (body, status = 201) => {
    const r = await call('zuzhi', 'POST', '/api/v1/dues/payments', body);
    assert.equal(r.status, status, r.text);
    return r.json;
  };
  // A pays the year in four quarters (cash)
  for (let q = 0; q < 4; q++) {
    const x = await pay({ member_id: m.a, months: MONTHS.slice(q * 3, q * 3 + 3), method: 'cash', amount_fen: 13500 });
    assert.match(x.receipt_no, /^DF\d{10}$/);
    assert.equal(x.amount_fen, 13500);
  }
  // A pays B's first nine months (代缴), naming who paid
  const proxy = await pay({ member_id: m.b, months: MONTHS.slice(0, 9), method: 'proxy', payer_member_id: m.a });
  assert.equal(proxy.payer, '党费甲');
  assert.equal(proxy.amount_fen, 45000);
  // D pays five months by transfer; seven remain owing
  await pay({ member_id: m.d, months: MONTHS.slice(0, 5), method: 'transfer' });
  // C: a waiver of the year, requested by the branch, approved by the committee
  const red = await call('zuzhi', 'POST', '/api/v1/dues/reductions', { member_id: m.c, from: MONTHS[0], to: MONTHS[11], kind: 'waive', reason: '低保户，生活困难' });
  assert.equal(red.status, 201, red.text);
  assert.equal((await call('chenji', 'POST', `/api/v1/dues/reductions/${red.json.id}/decision`, { approve: true })).status, 404);
  const dec = await call('zuzhi', 'POST', `/api/v1/dues/reductions/${red.json.id}/decision`, { approve: true, note: '同意' });
  assert.equal(dec.status, 200, dec.text);

  // the expected year: due 12 × (45 + 50 + 0.5 + 15) = 1326.00; waived 6.00; paid 540 + 450 + 75 = 1065.00; owing 255.00
  const t = await sumLedger('zuzhi', 'CJZ-DUES');
  assert.deepEqual(t, { due_fen: 132600, reduced_fen: 600, paid_fen: 106500, owing_fen: 25500 });
  // the current month on the page: due 110.50, waived 0.50, paid 45.00 (A), owing 65.00 (B, D)
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const page = await b.get(`/dues?org=CJZ-DUES&month=${CUR}`);
  assert.equal(page.status, 200);
  const fig = (id) => new RegExp(`id="${id}">([^<]*)<`).exec(page.text)[1];
  assert.deepEqual([fig('dues-due'), fig('dues-reduced'), fig('dues-paid'), fig('dues-owing')], ['110.50', '0.50', '45.00', '65.00']);
  assert.match(page.text, /党费丁[^<]*<\/a> ⚠ 连续6个月未缴/, 'D: six months before this one, flagged');
  // arrears: B three months (two before this one), D seven (six before this one: flagged)
  const ar = await call('zuzhi', 'GET', '/api/v1/dues/arrears?org=CJZ-DUES');
  assert.equal(ar.status, 200, ar.text);
  const byId = Object.fromEntries(ar.json.members.map((x) => [x.member_id, x]));
  assert.deepEqual([byId[m.b].months, byId[m.b].owing_fen, byId[m.b].flagged], [2, 10000, false]);
  assert.deepEqual([byId[m.d].months, byId[m.d].owing_fen, byId[m.d].flagged], [6, 9000, true]);
  assert.equal(byId[m.a], undefined);
  assert.equal(byId[m.c], undefined, 'a waived member owes nothing');

  // the export of the current year: its totals row equals the ledger of the same months
  const year = CUR.slice(0, 4);
  const inYear = MONTHS.filter((x) => x.startsWith(year));
  const ty = { due_fen: 0, reduced_fen: 0, paid_fen: 0, owing_fen: 0 };
  for (const mo of inYear) {
    const r = await call('zuzhi', 'GET', `/api/v1/dues/ledger?org=CJZ-DUES&period=${mo}`);
    for (const k of Object.keys(ty)) ty[k] += r.json.total[k];
  }
  const res = await fetch(srv.base + `/dues/export.xlsx?org=CJZ-DUES&year=${year}`, { headers: { cookie: b.cookieHeader() } });
  assert.equal(res.status, 200);
  const file = path.join(tmp, 'dues.xlsx');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const rows = JSON.parse(shell('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([[c for c in r] for r in ws.iter_rows(values_only=True)], ensure_ascii=False, default=str))`, file], { encoding: 'utf8' }));
  assert.deepEqual(rows[0].slice(15), ['应缴', '减免', '已缴', '欠缴']);
  const total = rows.find((r) => r[0] === '合计');
  const fen = (x) => Math.round(x * 100);
  assert.deepEqual(total.slice(15).map(fen), [ty.due_fen, ty.reduced_fen, ty.paid_fen, ty.owing_fen]);
  assert.equal(rows.length, 1 + 4 + 1, 'a row per member and the totals');
  // the year summary page agrees with the API for the same year
  const yp = await b.get(`/dues/year?org=CJZ-DUES&year=${year}`);
  const yfig = (id) => Math.round(Number(new RegExp(`id="${id}">([^<]*)<`).exec(yp.text)[1]) * 100);
  assert.deepEqual([yfig('year-due'), yfig('year-reduced'), yfig('year-paid'), yfig('year-owing')], [ty.due_fen, ty.reduced_fen, ty.paid_fen, ty.owing_fen]);

  // 上缴: everything collected goes up in one record, then nothing is left
  const up = await call('zuzhi', 'POST', '/api/v1/dues/remits', { org: 'CJZ-DUES', note: '交镇党委' });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.amount_fen, 106500);
  assert.equal((await call('zuzhi', 'POST', '/api/v1/dues/remits', { org: 'CJZ-DUES' })).status, 409);
});

// An .xlsx written by openpyxl (as Excel writes it: numbers stored as numbers).
function xlsx(rows, name) {
  const file = path.join(tmp, name);
  shell('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
for r in json.loads(sys.argv[2]): ws.append(r)
wb.save(sys.argv[1])`, file, JSON.stringify(rows)]);
  return fs.readFileSync(file);
}

async function upload(b, year, bytes) {
  const page = await b.get('/dues?org=CJZ-DUES');
  const fd = new FormData();
  fd.append('_csrf', Browser.csrf(page.text));
  fd.append('year', year);
  fd.append('file', new Blob([bytes]), 'bases.xlsx');
  const res = await fetch(srv.base + '/dues/import', { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: b.cookieHeader() } });
  return { status: res.status, text: await res.text() };
}

test('a year of bases imported from .xlsx: every bad row reported by row and column, nothing written, then all of a good file', async () => {
  const ids = {};
  for (const k of ['a', 'b', 'c', 'd']) ids[k] = (await call('zuzhi', 'GET', `/api/v1/members/${m[k]}?reveal=1`)).json.id_number;
  const next = String(Number(CUR.slice(0, 4)) + 1);
  const jan = `${next}-01`;
  const head = ['姓名', '身份证号', '类别', '月工资基数', '起始月份'];
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const bad = await upload(b, next, xlsx([head,
    ['党费甲', ids.a, '在职', 6000, jan],
    ['党费乙', ids.b, '离退休', -10, jan],
    ['无此人', '371524199001010000', '在职', 3000, jan],
    ['党费丙', ids.c, '农民', 2, jan],
    ['党费丁', ids.d, '老板', 3000, jan],
    ['党费甲', ids.a, '在职', 6000, jan],
  ], 'bad.xlsx'));
  assert.equal(bad.status, 422);
  const problems = [...bad.text.matchAll(/<tr><td data-label="行号">(\d+)<\/td><td data-label="列">([^<]*)<\/td>/g)].map((x) => `${x[1]}:${x[2]}`);
  assert.deepEqual(problems, ['3:月工资基数', '4:身份证号', '5:月工资基数', '6:类别', '7:身份证号']);
  assert.match(bad.text, /没有导入任何数据/);
  await call('zuzhi', 'POST', '/api/v1/dues/generate', { month: jan, org: 'CJZ-DUES' });
  const dueA = async () => (await call('zuzhi', 'GET', `/api/v1/dues/members/${m.a}?year=${next}`)).json.months[0].due_fen;
  assert.equal(await dueA(), 4500, 'the old base still applies: nothing was imported');
  // a good file: A's new base from February (6000.05 → 1.5% = 90.00), the others as before
  const feb = `${next}-02`;
  const good = await upload(b, next, xlsx([head,
    ['党费甲', ids.a, '在职', 6000.05, feb],
    ['党费乙', ids.b, '离退休', '5000.01', feb],
    ['党费丙', ids.c, '农民', 0.5, feb],
    ['', ids.d, '在职', 3000, feb],
  ], 'good.xlsx'));
  assert.equal(good.status, 303, good.text.slice(0, 400));
  await call('zuzhi', 'POST', '/api/v1/dues/generate', { month: feb, org: 'CJZ-DUES' });
  const months = (await call('zuzhi', 'GET', `/api/v1/dues/members/${m.a}?year=${next}`)).json.months;
  assert.deepEqual(months.map((x) => [x.month, x.base_fen, x.due_fen]), [[jan, 450000, 4500], [feb, 600005, 9000]]);
});

test('bad input is refused with the field named and nothing written', async () => {
  const before = (await call('zuzhi', 'GET', `/api/v1/dues/members/${m.d}`)).json;
  const base = async (v, field) => {
    const r = await call('zuzhi', 'POST', '/api/v1/dues/bases', { member_id: m.d, since: CUR, category: 'in_service', base: v });
    assert.equal(r.status, 422, r.text);
    assert.ok(r.json.error.fields[field], JSON.stringify(r.json));
    assert.match(r.json.error.message, /基数|金额/);
  };
  await base('-100', 'base');
  await base('abc', 'base');
  await base('12.345', 'base');
  const flat = await call('zuzhi', 'POST', '/api/v1/dues/bases', { member_id: m.c, since: CUR, category: 'farmer', flat: '1.50' });
  assert.equal(flat.status, 422);
  assert.ok(flat.json.error.fields.flat);
  const pay = (body) => call('zuzhi', 'POST', '/api/v1/dues/payments', { member_id: m.d, method: 'cash', ...body });
  let r = await pay({ months: [MONTHS[0]] });
  assert.equal(r.status, 409, 'a month paid twice');
  assert.match(r.json.error.message, /已经缴纳/);
  r = await pay({ months: [MONTHS[6]], amount_fen: 1501 });
  assert.equal(r.status, 422, 'more than is owed');
  assert.ok(r.json.error.fields.amount);
  r = await pay({ months: ['2026-13'] });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.months);
  r = await pay({ months: [MONTHS[6]], method: 'proxy' });
  assert.equal(r.status, 422, '代缴 without a payer');
  assert.ok(r.json.error.fields.payer_member_id);
  r = await call('xijie', 'POST', '/api/v1/dues/payments', { member_id: m.d, months: [MONTHS[6]], method: 'cash' });
  assert.equal(r.status, 404, 'a member outside the caller subtree');
  r = await call('zuzhi', 'POST', '/api/v1/dues/reductions', { member_id: m.d, from: MONTHS[5], to: MONTHS[4], kind: 'waive', reason: '理由' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.to);
  const after = (await call('zuzhi', 'GET', `/api/v1/dues/members/${m.d}`)).json;
  assert.deepEqual(after, before, 'nothing written');
  // the console form answers the same, naming the field beside it
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  const res = await b.postForm(`/dues/members/${m.d}`, `/dues/members/${m.d}/base`, { since: CUR, category: 'in_service', base: '-5' });
  assert.equal(res.status, 422);
  assert.match(res.text, /月工资基数不能为负数/);
});

test('each role sees what it may: the member their own dues and receipts, no one another subtree', async () => {
  const me = (await call('dangyuan', 'GET', '/api/v1/me')).json;
  assert.equal(me.role, 'member');
  const mine = await call('dangyuan', 'GET', '/api/v1/members?limit=1');
  // the member's own roster id, through their dues page
  const b = new Browser(srv.base);
  await b.login('dangyuan');
  const page = await b.get('/dues/my');
  assert.equal(page.status, 200);
  assert.match(page.text, /李志强的党费/);
  const receipt = /href="\/dues\/receipts\/(\d+)"/.exec(page.text);
  assert.ok(receipt, 'the demo member has receipts');
  assert.equal((await b.get(`/dues/receipts/${receipt[1]}`)).status, 200);
  assert.equal((await call('dangyuan', 'GET', `/api/v1/dues/payments/${receipt[1]}`)).status, 200);
  assert.equal((await call('dangyuan', 'GET', `/api/v1/dues/members/${m.a}`)).status, 404, 'another member');
  assert.equal((await call('dangyuan', 'GET', '/api/v1/dues/ledger')).status, 403);
  assert.equal((await call('dangyuan', 'POST', '/api/v1/dues/payments', { member_id: m.a, months: [CUR], method: 'cash' })).status, 403);
  assert.equal((await b.get('/dues')).headers.get('location'), '/dues/my');
  assert.ok(mine.status === 403 || mine.status === 200);
  // a secretary sees their branch only; the reviewer has no ledger
  assert.equal((await call('chenji', 'GET', '/api/v1/dues/ledger?org=CJZ-XJC')).status, 404);
  assert.equal((await call('chenji', 'GET', '/api/v1/dues/ledger?org=CJZ-CJC')).status, 200);
  assert.equal((await call('jiwei', 'GET', '/api/v1/dues/ledger')).status, 403);
  assert.equal((await call('chenji', 'POST', '/api/v1/dues/rates', { since: '2030-01-01', s1_upto: 300000, s1_bp: 50, s2_upto: 500000, s2_bp: 100, s3_upto: 1000000, s3_bp: 150, s4_bp: 200, r1_upto: 500000, r1_bp: 50, r2_bp: 100, flat_min: 20, flat_max: 100 })).status, 403);
  const rate = await call('zuzhi', 'POST', '/api/v1/dues/rates', { since: '2030-01-01', s1_upto: 350000, s1_bp: 40, s2_upto: 600000, s2_bp: 90, s3_upto: 1200000, s3_bp: 140, s4_bp: 180, r1_upto: 600000, r1_bp: 40, r2_bp: 90, flat_min: 50, flat_max: 200 });
  assert.equal(rate.status, 201, rate.text);
  assert.equal((await call('wangge', 'GET', '/api/v1/dues/rates')).json.length, 2);
  // the rates page: every version; a new one from the committee's form, its bad input named
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  let rp = await z.get('/dues/rates');
  assert.match(rp.text, /2008-04-01[\s\S]*≤3000\.00 元 0\.50%/);
  rp = await z.postForm('/dues/rates', '/dues/rates', { since: '2031-01-01', s1_upto: '3000', s1_pct: 'abc', s2_upto: '5000', s2_pct: '1', s3_upto: '10000', s3_pct: '1.5', s4_pct: '2', r1_upto: '5000', r1_pct: '0.5', r2_pct: '1', flat_min: '0.2', flat_max: '1' });
  assert.equal(rp.status, 422);
  assert.match(rp.text, /id="e-s1_pct"/);
  rp = await z.postForm('/dues/rates', '/dues/rates', { since: '2031-01-01', s1_upto: '3000', s1_pct: '0.5', s2_upto: '5000', s2_pct: '1', s3_upto: '10000', s3_pct: '1.5', s4_pct: '2', r1_upto: '5000', r1_pct: '0.5', r2_pct: '1', flat_min: '0.2', flat_max: '1' });
  assert.equal(rp.status, 303);
  assert.equal((await call('zuzhi', 'GET', '/api/v1/dues/rates')).json[0].since, '2031-01-01');
  // the console pages keep the same bounds
  const sec = new Browser(srv.base);
  await sec.login('xijie');
  assert.equal((await sec.get(`/dues/members/${m.a}`)).status, 404, 'another branch');
  assert.equal((await sec.post('/dues/rates', { _csrf: Browser.csrf((await sec.get('/dues/rates')).text), since: '2032-01-01' })).status, 403);
  assert.equal((await b.get('/transfers')).status, 403, 'a member has no transfers page');
  assert.equal((await b.get(`/dues/members/${m.a}`)).status, 403);
});

test('a transfer inside the committee moves the member, their account and their dues on the day it is received', async () => {
  const who = (await call('dangyuan', 'GET', '/api/v1/me')).json;
  const mine = await call('dangyuan', 'GET', '/api/v1/dues/mine');
  assert.equal(mine.status, 200, mine.text);
  const memberId = mine.json.member_id;
  assert.equal(mine.json.name, '李志强');
  const xjcBefore = (await call('xijie', 'GET', `/api/v1/dues/ledger?org=CJZ-XJC&period=${CUR}`)).json.total.members;
  // bad input first: into the same branch, a member outside the subtree
  let r = await call('chenji', 'POST', '/api/v1/transfers', { member_id: memberId, kind: 'internal', to_org: 'CJZ-CJC-1' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.to_org, /本支部/);
  r = await call('xijie', 'POST', '/api/v1/transfers', { member_id: memberId, kind: 'internal', to_org: 'CJZ-XJC' });
  assert.equal(r.status, 404);
  r = await call('chenji', 'POST', '/api/v1/transfers', { member_id: memberId, kind: 'internal', to_org: 'CJZ-XJC', reason: '工作调动' });
  assert.equal(r.status, 201, r.text);
  const t = r.json;
  assert.equal(t.state, 'issued');
  assert.match(t.letter_no, /^组转〔\d{4}〕\d+号$/);
  r = await call('chenji', 'POST', '/api/v1/transfers', { member_id: memberId, kind: 'outside', to_org_name: '中共某某街道委员会' });
  assert.equal(r.status, 409, 'a member with an open transfer');
  // not yet received: still 陈集村's
  assert.equal((await call('chenji', 'GET', `/api/v1/dues/members/${memberId}`)).status, 200);
  r = await call('chenji', 'POST', `/api/v1/transfers/${t.id}/actions/receive`, {});
  assert.equal(r.status, 403, 'the out-branch does not confirm its own letter');
  r = await call('xijie', 'POST', `/api/v1/transfers/${t.id}/actions/receive`, { note: '已报到' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'received');
  r = await call('xijie', 'POST', `/api/v1/transfers/${t.id}/actions/receive`, {});
  assert.equal(r.status, 409, 'received once');
  // the roster, the dues and the account follow
  assert.equal((await call('chenji', 'GET', `/api/v1/dues/members/${memberId}`)).status, 404);
  assert.equal((await call('xijie', 'GET', `/api/v1/dues/members/${memberId}`)).status, 200);
  assert.equal((await call('xijie', 'GET', `/api/v1/dues/ledger?org=CJZ-XJC&period=${CUR}`)).json.total.members, xjcBefore + 1);
  const again = await apiToken(srv.base, 'dangyuan');
  const me = (await api(srv.base, again, 'GET', '/api/v1/me')).json;
  assert.equal(me.id, who.id);
  assert.equal(me.org_name, '西街村党支部');
  assert.equal((await api(srv.base, again, 'GET', `/api/v1/dues/members/${memberId}`)).status, 200);
  const hist = await call('xijie', 'GET', `/api/v1/members/${memberId}`);
  assert.equal(hist.status, 200);
});

async function findMember(name) {
  const r = await call('chenji', 'GET', `/api/v1/members?q=${encodeURIComponent(name)}&limit=5`);
  return r.json.members.find((x) => x.name === name)?.id;
}

test('an outside letter lapses after three months and is flagged to both the branch and the committee', async () => {
  const id = await findMember('党费甲') || (await call('zuzhi', 'GET', '/api/v1/members?q=党费甲')).json.members[0].id;
  let r = await call('zuzhi', 'POST', '/api/v1/transfers', { member_id: id, kind: 'outside', to_org_name: '中共东阿县新城街道委员会', reason: '迁居县城' });
  assert.equal(r.status, 201, r.text);
  const t = r.json;
  // the incoming side: a letter from outside recorded by its number, once
  const inc = { letter_no: '莘组转〔2026〕8号', person_name: '周立新', from_org_name: '中共莘县燕店镇委员会', to_org: 'CJZ-CJC', issued_on: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) };
  r = await call('chenji', 'POST', '/api/v1/transfers/incoming', inc);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, 'received');
  assert.equal((await call('chenji', 'POST', '/api/v1/transfers/incoming', inc)).status, 409);
  const later = Math.floor(Date.now() / 1000) + 95 * 86400;
  fs.writeFileSync(NOW_FILE, String(later));
  try {
    // the sessions of three months ago have expired: log in again at the later clock
    tok.zuzhi = await apiToken(srv.base, 'zuzhi');
    r = await call('zuzhi', 'POST', `/api/v1/transfers/${t.id}/actions/receive`, {});
    assert.equal(r.status, 409, 'a letter past its validity');
    assert.match(r.json.error.message, /有效期/);
    srv.run(['tick', '--now', String(later)]);
    r = await call('zuzhi', 'GET', `/api/v1/transfers/${t.id}`);
    assert.equal(r.json.state, 'lapsed');
    const b = new Browser(srv.base);
    await b.login('zuzhi');
    const page = await b.get('/transfers');
    assert.match(page.text, /id="lapsed-flag"/);
    assert.match((await b.get('/console')).text, /id="work-lapsed"><a href="\/transfers">\d+ 份组织关系介绍信逾期未接收/, 'on the committee workbench');
    const issuer = new Browser(srv.base);
    await issuer.login('chenji');
    const chenjiBench = (await issuer.get('/console')).text;
    assert.match(chenjiBench, /id="work-arrears"/, 'the branch workbench: six months behind');
    // the demo's letter from 陈集村 to 西街村, never received, lapsed too: flagged on both branches' workbenches
    assert.match(chenjiBench, /id="work-lapsed"/, 'the issuing branch');
    const receiver = new Browser(srv.base);
    await receiver.login('xijie');
    assert.match((await receiver.get('/console')).text, /id="work-lapsed"/, 'the receiving branch');
    const inbox = await call('zuzhi', 'GET', '/api/v1/inbox');
    assert.ok(inbox.json.notifications.some((n) => n.entity === 'transfer' && n.entity_id === t.id && /失效/.test(n.text)));
  } finally {
    fs.writeFileSync(NOW_FILE, '0');
  }
});

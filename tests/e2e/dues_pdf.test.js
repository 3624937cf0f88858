// The dues receipt and the transfer letter as PDFs (pdf.c), read back by
// pdftotext (their numbers equal the records) and rendered by pdftoppm; a
// letter to an outside org, once its receipt is recorded, marks the member
// 转出 (history, account deactivated, dues stop after that month); a member
// transferred inside the committee keeps their session. Both databases.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, Browser, apiToken, api } = require('./lib');

function idNumber(birth, seq, male) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = '371524' + birth.replaceAll('-', '') + String(seq).padStart(2, '0') + String(male ? 1 : 2);
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}
function monthAdd(m, n) {
  let y = Number(m.slice(0, 4)), mo = Number(m.slice(5, 7)) - 1 + n;
  y += Math.floor(mo / 12);
  mo = ((mo % 12) + 12) % 12;
  return `${y}-${String(mo + 1).padStart(2, '0')}`;
}
const TODAY = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const CUR = TODAY.slice(0, 7);
const cnMonth = (ym) => `${ym.slice(0, 4)}年${Number(ym.slice(5, 7))}月`;
const cnDate = (d) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-duespdf-'));
let srv;
const tok = {};
const m = {};
const call = (who, method, p, body) => api(srv.base, tok[who], method, p, body);

// Fetches a PDF with the given token (or a Browser), checks its headers, writes
// it and returns its text (pdftotext, spaces squeezed) and its page rendered at 60 dpi.
async function pdf(get, name) {
  const res = await get();
  assert.equal(res.status, 200, res.text && res.text.slice(0, 300));
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''/);
  const file = path.join(tmp, name + '.pdf');
  fs.writeFileSync(file, res.body);
  assert.equal(res.body.subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', ['-q', '-layout', file, '-'], { encoding: 'utf8' });
  execFileSync('pdftoppm', ['-q', '-png', '-r', '60', '-singlefile', file, path.join(tmp, name)]);
  const png = fs.readFileSync(path.join(tmp, name + '.png'));
  assert.ok(png.length > 3000, 'a page with something drawn on it');
  return text.replace(/\s+/g, ''); // lines broken between characters: compare without spaces
}
async function rawGet(token, p) {
  const r = await fetch(srv.base + p, { headers: { Authorization: `Bearer ${token}` } });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, body, text: body.toString('utf8') };
}

test.before(async () => {
  srv = await startServer();
  for (const u of ['zuzhi', 'chenji', 'xijie', 'dangyuan', 'wangge']) tok[u] = await apiToken(srv.base, u);
  const mk = async (key, name, birth, seq, phone) => {
    const r = await call('chenji', 'POST', '/api/v1/members', { name, id_number: idNumber(birth, seq, true), phone, join_date: '2001-07-01', full_date: '2002-07-01', org: 'CJZ-CJC' });
    assert.equal(r.status, 201, r.text);
    m[key] = r.json.id;
  };
  await mk('pay', '收据甲', '1972-04-05', 61, '13912348801');
  await mk('proxy', '收据乙', '1974-06-07', 62, '13912348802');
  await mk('out', '转出丙', '1979-08-09', 63, '13912348803');
  for (const [id, base] of [[m.pay, '4500'], [m.proxy, '10150'], [m.out, '3000']]) {
    const r = await call('chenji', 'POST', '/api/v1/dues/bases', { member_id: id, since: monthAdd(CUR, -2), category: 'in_service', base });
    assert.equal(r.status, 201, r.text);
  }
  for (const mo of [monthAdd(CUR, -2), monthAdd(CUR, -1), CUR]) assert.equal((await call('chenji', 'POST', '/api/v1/dues/generate', { month: mo, org: 'CJZ-CJC' })).status, 200);
});
test.after(async () => {
  await srv.stop();
  if (!process.env.KEEP_PDF) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log('PDFs and PNGs kept in', tmp);
});

test('the receipt PDF: number, member, months, amount in 元 and 大写, the 代缴 payer and who received it equal the record', async () => {
  // 收据乙 pays two months through 收据甲 (代缴): 10150 → 2% = 203.00 a month, 406.00 in all
  const months = [monthAdd(CUR, -2), monthAdd(CUR, -1)];
  const p = await call('chenji', 'POST', '/api/v1/dues/payments', { member_id: m.proxy, months, method: 'proxy', payer_member_id: m.pay });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.amount_fen, 40600);
  const rec = (await call('chenji', 'GET', `/api/v1/dues/payments/${p.json.id}`)).json;
  const text = await pdf(() => rawGet(tok.chenji, `/api/v1/dues/payments/${p.json.id}/receipt.pdf`), 'receipt');
  assert.match(text, /中国共产党党费收据/);
  assert.ok(text.includes(`收据编号：${rec.receipt_no}`), text);
  assert.ok(text.includes('收据乙') && text.includes('陈集村党支部'), text);
  assert.ok(text.includes(months.join('、')), 'the months paid');
  assert.ok(text.includes('¥406.00元'), 'the amount in 元');
  assert.ok(text.includes('人民币肆佰零陆元整'), 'the amount in 大写');
  assert.ok(text.includes('代缴（代缴人：收据甲）'), 'who paid for the member');
  assert.ok(text.includes(`缴纳日期：${rec.paid_on}`), text);
  assert.match(text, /收款人[^收]+收款单位/, 'who received it');

  // the page links its PDF; the page's PDF is the same document
  const b = new Browser(srv.base);
  await b.login('chenji');
  const page = await b.get(`/dues/receipts/${p.json.id}`);
  assert.match(page.text, new RegExp(`href="/dues/receipts/${p.json.id}/receipt\\.pdf"`));
  const fromPage = await b.get(`/dues/receipts/${p.json.id}/receipt.pdf`);
  assert.equal(fromPage.status, 200);
  assert.equal(fromPage.headers.get('content-type'), 'application/pdf');

  // a cash payment of 45.00 + 45.00 + 45.00: 壹佰叁拾伍元整
  const c = await call('chenji', 'POST', '/api/v1/dues/payments', { member_id: m.pay, months: [monthAdd(CUR, -2), monthAdd(CUR, -1), CUR], method: 'cash' });
  assert.equal(c.status, 201, c.text);
  const t2 = await pdf(() => rawGet(tok.chenji, `/api/v1/dues/payments/${c.json.id}/receipt.pdf`), 'receipt-cash');
  assert.ok(t2.includes('¥135.00元') && t2.includes('人民币壹佰叁拾伍元整') && t2.includes('现金'), t2);

  // who may not: another branch, a member not theirs, nobody logged in; a receipt that is not there
  assert.equal((await rawGet(tok.xijie, `/api/v1/dues/payments/${p.json.id}/receipt.pdf`)).status, 404);
  assert.equal((await rawGet(tok.dangyuan, `/api/v1/dues/payments/${p.json.id}/receipt.pdf`)).status, 404);
  assert.equal((await fetch(`${srv.base}/api/v1/dues/payments/${p.json.id}/receipt.pdf`)).status, 401);
  assert.equal((await rawGet(tok.chenji, '/api/v1/dues/payments/999999/receipt.pdf')).status, 404);
  assert.equal((await rawGet(tok.chenji, '/api/v1/dues/payments/abc/receipt.pdf')).status, 404);
  // the member downloads their own receipt from their dues page
  const mine = new Browser(srv.base);
  await mine.login('dangyuan');
  const my = await mine.get('/dues/my');
  const rid = /href="\/dues\/receipts\/(\d+)"/.exec(my.text)[1];
  const own = await mine.get(`/dues/receipts/${rid}/receipt.pdf`);
  assert.equal(own.status, 200);
  assert.equal(own.headers.get('content-type'), 'application/pdf');
});

test('the letter PDF: number, both orgs, the member, 党费交至 and the validity equal the record, on the letter and its stub', async () => {
  const r = await call('chenji', 'POST', '/api/v1/transfers', { member_id: m.out, kind: 'outside', to_org_name: '中共东阿县新城街道委员会', reason: '迁居县城' });
  assert.equal(r.status, 201, r.text);
  const t = r.json;
  m.letter = t.id;
  const text = await pdf(() => rawGet(tok.chenji, `/api/v1/transfers/${t.id}/letter.pdf`), 'letter');
  assert.match(text, /中国共产党党员组织关系介绍信（存根）/);
  assert.match(text, /组转〔\d{4}〕\d+号中国共产党党员组织关系介绍信组转/, 'the letter after the cut');
  const count = (s) => text.split(s).length - 1;
  assert.ok(count(t.letter_no) >= 3, 'the number on the stub, across the cut and on the letter');
  assert.ok(count('转出丙') >= 2 && count('中共东阿县新城街道委员会') >= 2, text);
  assert.ok(text.includes(t.from_org_name || '陈集村党支部'), text);
  // 党费交至 from the ledger: 转出丙 has paid nothing, so none is recorded
  assert.equal(t.dues_paid_to || '', '');
  assert.ok(count('党费交至—') >= 1 && count('党费已交至—') === 1, text);
  assert.ok(count(`有效期至${cnDate(t.valid_until)}`) >= 2, 'the validity on both parts');
  assert.ok(text.includes(cnDate(t.issued_on)), 'the date of issue');
  assert.ok(text.includes('迁居县城'), 'the reason on the stub');

  // a letter whose member has paid: 党费交至 is the month the ledger says
  const paid = (await call('chenji', 'GET', `/api/v1/members?q=${encodeURIComponent('收据甲')}`)).json.members[0].id;
  const r2 = await call('chenji', 'POST', '/api/v1/transfers', { member_id: paid, kind: 'internal', to_org: 'CJZ-XJC' });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.json.dues_paid_to, CUR);
  const t2 = await pdf(() => rawGet(tok.xijie, `/api/v1/transfers/${r2.json.id}/letter.pdf`), 'letter-internal');
  assert.ok(t2.includes(`党费已交至${cnMonth(CUR)}`) && t2.includes('西街村党支部'), t2);
  assert.equal((await call('chenji', 'POST', `/api/v1/transfers/${r2.json.id}/actions/return`, {})).status, 200);

  // the page links it; who may not
  const b = new Browser(srv.base);
  await b.login('chenji');
  assert.match((await b.get(`/transfers/${t.id}`)).text, new RegExp(`href="/transfers/${t.id}/letter\\.pdf"`));
  assert.equal((await b.get(`/transfers/${t.id}/letter.pdf`)).headers.get('content-type'), 'application/pdf');
  assert.equal((await rawGet(tok.dangyuan, `/api/v1/transfers/${t.id}/letter.pdf`)).status, 403);
  assert.equal((await rawGet(tok.xijie, `/api/v1/transfers/${t.id}/letter.pdf`)).status, 404, 'another branch, not a side of the letter');
  assert.equal((await rawGet(tok.chenji, '/api/v1/transfers/999999/letter.pdf')).status, 404);
  // an incoming letter was written by the other side: no PDF of ours
  const inc = await call('chenji', 'POST', '/api/v1/transfers/incoming', { letter_no: '阳组转〔2026〕3号', person_name: '赵来顺', from_org_name: '中共阳谷县城关镇委员会', to_org: 'CJZ-CJC', issued_on: TODAY });
  assert.equal(inc.status, 201, inc.text);
  assert.equal((await rawGet(tok.chenji, `/api/v1/transfers/${inc.json.id}/letter.pdf`)).status, 409);
});

test('the receipt of a letter to an outside org: the member is 转出 (history), off the active roster, the account deactivated, the dues stop', async () => {
  // 转出丙 gets an account and logs in
  const chenji = new Browser(srv.base);
  await chenji.login('chenji');
  const slip = await chenji.postForm(`/members/${m.out}`, `/members/${m.out}/account`, {});
  const code = /<dd class="slip-code">([A-Z0-9]{4}-[A-Z0-9]{4})<\/dd>/.exec(slip.text)[1];
  const me = new Browser(srv.base);
  const first = await me.postForm('/activate?phone=13912348803', '/activate', { phone: '13912348803', code });
  const act = await me.post('/activate', { _csrf: Browser.csrf(first.text), phone: '13912348803', code, password: 'Zhuanchu2026x', password2: 'Zhuanchu2026x' });
  assert.equal(act.status, 303, act.text.slice(0, 300));
  assert.equal((await me.get('/dues/my')).status, 200);
  const before = (await call('chenji', 'GET', `/api/v1/dues/members/${m.out}`)).json.months.map((x) => x.month);
  assert.deepEqual(before, [monthAdd(CUR, -2), monthAdd(CUR, -1), CUR]);
  // 转出 is never set by hand: not by the status change, nor by an edit
  const byHand = await chenji.postForm(`/members/${m.out}`, `/members/${m.out}/change`, { kind: 'status', to: 'transferred', date: TODAY, note: '' });
  assert.equal(byHand.status, 422);
  assert.match(byHand.text, /转出由组织关系转接办理/);
  const patch = await call('chenji', 'PATCH', `/api/v1/members/${m.out}`, { status: 'transferred' });
  assert.equal(patch.status, 422, patch.text);
  assert.match(patch.json.error.fields.status, /转出由组织关系转接办理/);
  assert.equal((await call('chenji', 'GET', `/api/v1/members/${m.out}`)).json.status, 'active');
  // the receiving org is outside: only the issuing side records the receipt
  const r = await call('chenji', 'POST', `/api/v1/transfers/${m.letter}/actions/receive`, { note: '回执已寄回' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'received');
  const mem = (await call('chenji', 'GET', `/api/v1/members/${m.out}`)).json;
  assert.equal(mem.status, 'transferred');
  const active = (await call('chenji', 'GET', `/api/v1/members?status=active&q=${encodeURIComponent('转出丙')}`)).json;
  assert.equal(active.members.length, 0, 'off the active roster');
  const gone = (await call('chenji', 'GET', `/api/v1/members?status=transferred&q=${encodeURIComponent('转出丙')}`)).json;
  assert.equal(gone.members.length, 1, 'found as 转出');
  const page = await chenji.get(`/members/${m.out}`);
  assert.match(page.text, /转出/);
  assert.match(page.text, /转至中共东阿县新城街道委员会/, 'the history row names where the member went');
  // the account: deactivated, its session ended
  const after = await me.get('/dues/my');
  assert.notEqual(after.status, 200);
  // the dues: the months up to this one stay owing for the branch to settle; none after it
  assert.deepEqual((await call('chenji', 'GET', `/api/v1/dues/members/${m.out}`)).json.months.map((x) => x.month), before);
  const ahead = await call('chenji', 'POST', '/api/v1/dues/payments', { member_id: m.pay, months: [monthAdd(CUR, 1)], method: 'cash' });
  assert.equal(ahead.status, 201, 'a member still here may pay next month ahead: ' + ahead.text);
  const next = await call('chenji', 'POST', '/api/v1/dues/payments', { member_id: m.out, months: [monthAdd(CUR, 1)], method: 'cash' });
  assert.equal(next.status, 422, 'no dues after the month of transfer');
  const g = await call('chenji', 'POST', '/api/v1/dues/generate', { month: CUR, org: 'CJZ-CJC' });
  assert.equal(g.status, 200);
  const ledger = await chenji.get(`/dues?org=CJZ-CJC&month=${CUR}`);
  assert.equal(ledger.status, 200);
  assert.match(ledger.text, /收据乙/, 'the page lists the branch\'s members');
  assert.doesNotMatch(ledger.text, /转出丙/, 'not among the branch\'s members on the dues page');
  // and no second transfer for a member who has left
  const again = await call('chenji', 'POST', '/api/v1/transfers', { member_id: m.out, kind: 'outside', to_org_name: '中共某某街道委员会' });
  assert.equal(again.status, 422);
  assert.match(again.json.error.fields.member_id, /已转出/);
  const admin = new Browser(srv.base);
  await admin.login('admin');
  assert.match((await admin.get('/audit?action=member.status')).text, /转出丙：党籍状态变更为 转出/);
  assert.match((await admin.get('/audit?action=user.deactivate')).text, /党员组织关系转出本镇/);
});

test('a member transferred inside the committee keeps their session: the same login, scoped by the new branch', async () => {
  const b = new Browser(srv.base);
  await b.login('dangyuan');
  assert.equal((await b.get('/dues/my')).status, 200);
  const token = tok.dangyuan;
  const who = (await api(srv.base, token, 'GET', '/api/v1/me')).json;
  const mid = (await api(srv.base, token, 'GET', '/api/v1/dues/mine')).json.member_id;
  const t = await call('chenji', 'POST', '/api/v1/transfers', { member_id: mid, kind: 'internal', to_org: 'CJZ-XJC', reason: '工作调动' });
  assert.equal(t.status, 201, t.text);
  const rec = await call('xijie', 'POST', `/api/v1/transfers/${t.json.id}/actions/receive`, {});
  assert.equal(rec.status, 200, rec.text);
  // the page session and the API token both go on
  const page = await b.get('/dues/my');
  assert.equal(page.status, 200, 'the browser session was kept');
  assert.match(page.text, /西街村党支部/);
  const me = await api(srv.base, token, 'GET', '/api/v1/me');
  assert.equal(me.status, 200, 'the API token was kept');
  assert.equal(me.json.id, who.id);
  assert.equal(me.json.org_name, '西街村党支部');
  assert.equal(me.json.active ?? true, true);
  // the account's move is audited, not a deactivation
  const admin = new Browser(srv.base);
  await admin.login('admin');
  assert.match((await admin.get('/audit?action=user.update')).text, /账号与登录保持/);
  assert.doesNotMatch((await admin.get('/audit?action=user.deactivate')).text, /停用 dangyuan/, 'no deactivation of the account');
});

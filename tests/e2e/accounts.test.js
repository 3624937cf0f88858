// Accounts for members (issue 10 §1): a branch secretary gives a roster member
// a login with a one-time activation code (a printable slip with a QR code to
// /activate); the member activates it with the mobile number and the code,
// sets a password and logs in by phone or username; the account follows the
// roster record (停止党籍 or a transfer out deactivates it). Both databases.
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
const BAD = '手机号或激活码不正确';

let srv, tok, chenji;
const m = {};
test.before(async () => {
  srv = await startServer();
  tok = {};
  for (const u of ['chenji', 'zuzhi', 'xijie', 'admin']) tok[u] = await apiToken(srv.base, u);
  const mk = async (who, body) => {
    const r = await api(srv.base, tok[who], 'POST', '/api/v1/members', body);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  m.a = await mk('chenji', { name: '账号甲', id_number: idNumber('1980-03-08', 21, true), phone: '13912349001', join_date: '2001-07-01', full_date: '2002-07-01', org: 'CJZ-CJC-1' });
  m.g = await mk('chenji', { name: '账号网格', id_number: idNumber('1985-05-08', 22, false), phone: '13912349002', join_date: '2008-07-01', full_date: '2009-07-01', org: 'CJZ-CJC', duties: ['网格员'] });
  m.nophone = await mk('chenji', { name: '账号无手机', id_number: idNumber('1970-05-08', 23, true), join_date: '1995-07-01', full_date: '1996-07-01', org: 'CJZ-CJC' });
  m.stop = await mk('chenji', { name: '账号停止', id_number: idNumber('1975-01-02', 24, true), phone: '13912349004', join_date: '1999-07-01', full_date: '2000-07-01', org: 'CJZ-CJC' });
  m.move = await mk('chenji', { name: '账号转出', id_number: idNumber('1976-01-02', 25, false), phone: '13912349005', join_date: '1999-07-01', full_date: '2000-07-01', org: 'CJZ-CJC' });
  m.x = await mk('xijie', { name: '账号西街', id_number: idNumber('1977-01-02', 26, true), phone: '13912349006', join_date: '1999-07-01', full_date: '2000-07-01', org: 'CJZ-XJC' });
  chenji = new Browser(srv.base);
  await chenji.login('chenji');
});
test.after(async () => { await srv.stop(); });

// Issues an account from the member's page as b; the slip's code and the page.
async function issue(b, id) {
  const res = await b.postForm(`/members/${id}`, `/members/${id}/account`, {});
  const code = /<dd class="slip-code">([A-Z0-9]{4}-[A-Z0-9]{4})<\/dd>/.exec(res.text);
  return { res, code: code && code[1] };
}

async function activate(phone, code, password, password2 = password) {
  const b = new Browser(srv.base);
  const first = await b.postForm(`/activate?phone=${phone}`, '/activate', { phone, code });
  if (first.status !== 200 || password === undefined) return { b, res: first };
  const res = await b.post('/activate', { _csrf: Browser.csrf(first.text), phone, code, password, password2 });
  return { b, res };
}

test('a branch secretary issues an account from the member page: a slip shown once, with a QR code to /activate', async () => {
  const page = await chenji.get(`/members/${m.a.id}`);
  assert.match(page.text, /尚未开通/);
  assert.match(page.text, /开通账号并生成激活码/);
  const { res, code } = await issue(chenji, m.a.id);
  assert.equal(res.status, 200, res.text.slice(0, 500));
  assert.ok(code, 'the slip shows the code');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(res.text, /账号甲/);
  assert.match(res.text, /陈集村第一党小组|陈集村/);
  assert.match(res.text, /13912349001/);
  assert.match(res.text, /<svg class="qr"[^>]*>/);
  const url = `${srv.base}/activate?phone=13912349001`;
  assert.ok(res.text.includes(url), 'the activation URL with the phone');
  assert.ok(!res.text.includes(`phone=13912349001&amp;code`) && !res.text.includes(code.replace('-', '')), 'the code is never in a URL');
  m.a.code = code;
  m.a.slip = res.text;
  const after = await chenji.get(`/members/${m.a.id}`);
  assert.match(after.text, /账号 13912349001（党员）待激活/);
});

const haveTools = (() => {
  try { execFileSync('sh', ['-c', 'command -v rsvg-convert && command -v zbarimg'], { stdio: 'ignore' }); return true; } catch { return false; }
})();
test('the QR code of the slip decodes to the activation URL with the phone (rsvg-convert + zbarimg)', { skip: !haveTools && 'zbar-tools and librsvg2-bin are not installed (scripts/setup.sh)' }, () => {
  const svg = /<svg class="qr"[\s\S]*?<\/svg>/.exec(m.a.slip)[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-qr-'));
  try {
    fs.writeFileSync(path.join(dir, 'qr.svg'), svg);
    execFileSync('rsvg-convert', ['-w', '400', '-h', '400', '-b', 'white', '-o', path.join(dir, 'qr.png'), path.join(dir, 'qr.svg')]);
    const out = execFileSync('zbarimg', ['-q', '--raw', path.join(dir, 'qr.png')], { encoding: 'utf8' }).trim();
    assert.equal(out, `${srv.base}/activate?phone=13912349001`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad code gives one clear message, whether the phone exists or not; nothing is activated', async () => {
  const wrong = await activate('13912349001', 'ZZZZ-ZZZZ');
  assert.equal(wrong.res.status, 422);
  assert.ok(wrong.res.text.includes(BAD));
  const nobody = await activate('13800000000', m.a.code);
  assert.equal(nobody.res.status, 422);
  const msg = (t) => /<div class="form-error" role="alert">([^<]*)</.exec(t)[1];
  assert.equal(msg(wrong.res.text), msg(nobody.res.text), 'no hint whether the phone exists');
  const garbage = await activate('13912349001', 'abc');
  assert.equal(garbage.res.status, 422);
  const empty = await activate('', '');
  assert.equal(empty.res.status, 422);
  assert.match(empty.res.text, /请填写手机号/);
  assert.match(empty.res.text, /请填写激活码/);
  // before activation the account has no password at all
  const b = new Browser(srv.base);
  const login = await b.postForm('/login', '/login', { username: '13912349001', password: 'anything1' });
  assert.equal(login.status, 401);
});

test('the member activates with phone and code (any case, spaces), sets a password and is logged in; the code is used once', async () => {
  const typed = ' ' + m.a.code.toLowerCase().replace('-', ' ') + ' ';
  const mismatch = await activate('13912349001', typed, 'Xinmima2026a', 'Xinmima2026b');
  assert.equal(mismatch.res.status, 422);
  assert.match(mismatch.res.text, /两次输入的密码不一致/);
  const weak = await activate('13912349001', typed, 'password1');
  assert.equal(weak.res.status, 422);
  assert.match(weak.res.text, /密码过于常见|密码/);
  assert.match(weak.res.text, /name="password"/, 'the password form again');
  const withPhone = await activate('13912349001', typed, 'a13912349001');
  assert.equal(withPhone.res.status, 422);
  assert.match(withPhone.res.text, /(手机号|用户名)/);
  const { b, res } = await activate('13912349001', typed, 'Hongqi2026x');
  assert.equal(res.status, 303, res.text.slice(0, 400));
  assert.equal(res.headers.get('location'), '/console');
  const console = await b.get('/console');
  assert.equal(console.status, 200);
  assert.match(console.text, /账号甲/);
  const again = await activate('13912349001', m.a.code, 'Hongqi2026y');
  assert.equal(again.res.status, 422, 'a code is used once');
  // logs in by phone and by username alike
  for (const username of ['13912349001']) {
    const c = new Browser(srv.base);
    await c.login(username, 'Hongqi2026x');
    assert.match((await c.get('/console')).text, /账号甲/);
  }
  const after = await chenji.get(`/members/${m.a.id}`);
  assert.match(after.text, /已激活/);
});

test('a grid worker (duty 网格员) gets the role grid; a member without a phone gets a clear message and nothing', async () => {
  const g = await issue(chenji, m.g.id);
  assert.equal(g.res.status, 200);
  assert.match(g.res.text, /13912349002/);
  assert.match((await chenji.get(`/members/${m.g.id}`)).text, /（网格员）待激活/);
  const n = await issue(chenji, m.nophone.id);
  assert.equal(n.res.status, 303);
  const page = await chenji.get(`/members/${m.nophone.id}`);
  assert.match(page.text, /请先在党员信息中填写正确的手机号/);
  assert.match(page.text, /尚未开通/);
});

test('reissuing ends the old code; only staff of the member\'s subtree may issue', async () => {
  const first = await issue(chenji, m.g.id);
  const second = await issue(chenji, m.g.id);
  assert.notEqual(first.code, second.code);
  assert.equal((await activate('13912349002', first.code)).res.status, 422);
  assert.equal((await activate('13912349002', second.code)).res.status, 200);
  m.g.code = second.code;
  const xijie = new Browser(srv.base);
  await xijie.login('xijie');
  const other = await xijie.post(`/members/${m.g.id}/account`, { _csrf: Browser.csrf((await xijie.get('/console')).text) });
  assert.equal(other.status, 404, 'another branch');
  const member = new Browser(srv.base);
  await member.login('dangyuan');
  const mine = await member.post(`/members/${m.g.id}/account`, { _csrf: Browser.csrf((await member.get('/console')).text) });
  assert.equal(mine.status, 403);
  // the committee may, within its subtree
  const zuzhi = new Browser(srv.base);
  await zuzhi.login('zuzhi');
  const z = await issue(zuzhi, m.x.id);
  assert.equal(z.res.status, 200);
  assert.ok(z.code);
  // a staff account linked to a record (张建国 is chenji) is the admin's; it logs in by its phone too
  const zhang = (await api(srv.base, tok.chenji, 'GET', '/api/v1/members?q=' + encodeURIComponent('张建国'))).json.members[0];
  const s = await issue(zuzhi, zhang.id);
  assert.equal(s.res.status, 303);
  assert.match((await zuzhi.get(`/members/${zhang.id}`)).text, /该党员已有工作人员账号（用户名 chenji）/);
  const phone = (await api(srv.base, tok.chenji, 'GET', `/api/v1/members/${zhang.id}?reveal=1`)).json.phone;
  assert.match(phone, /^1\d{10}$/);
  const byPhone = new Browser(srv.base);
  await byPhone.login(phone);
  assert.match((await byPhone.get('/console')).text, /张建国/);
});

test('the activation is throttled per phone and address', async () => {
  const statuses = [];
  for (let i = 0; i < 7; i++) statuses.push((await activate('13912349005', 'ZZZZ-ZZZ' + 'ABCDEFGH'[i])).res.status);
  assert.deepEqual(statuses.slice(0, 5), [422, 422, 422, 422, 422]);
  assert.equal(statuses[6], 429, statuses.join(','));
});

test('停止党籍 deactivates the linked account in the same change; a transfer out of the branch too; both audited', async () => {
  for (const who of ['stop', 'move']) {
    const { code } = await issue(chenji, m[who].id);
    const phone = who === 'stop' ? '13912349004' : '13912349005';
    // the move's phone is throttled from this address by the test above: activate the stop one only
    m[who].code = code;
    if (who === 'stop') {
      const { res } = await activate(phone, code, 'Hongqi2026z');
      assert.equal(res.status, 303);
    }
  }
  const member = new Browser(srv.base);
  await member.login('13912349004', 'Hongqi2026z');
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const ch = await chenji.postForm(`/members/${m.stop.id}`, `/members/${m.stop.id}/change`, { kind: 'status', to: 'stopped', date: today, note: '' });
  assert.equal(ch.status, 303, ch.text.slice(0, 300));
  assert.equal((await member.get('/console')).status, 303, 'the session ended');
  const again = await new Browser(srv.base).postForm('/login', '/login', { username: '13912349004', password: 'Hongqi2026z' });
  assert.equal(again.status, 401);
  assert.match((await chenji.get(`/members/${m.stop.id}`)).text, /已停用/);
  // a transfer to 西街村 (by the committee): the pending account is deactivated and its code ends
  const mv = await api(srv.base, tok.zuzhi, 'PATCH', `/api/v1/members/${m.move.id}`, { org: 'CJZ-XJC' });
  assert.equal(mv.status, 200, mv.text);
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const audit = (await admin.get('/audit?action=user.deactivate')).text;
  assert.match(audit, /党员停止党籍/);
  assert.match(audit, /党员组织关系转出本支部/);
  const issued = (await admin.get('/audit?action=account.issue')).text;
  assert.match(issued, /开通账号 账号甲/);
  const used = (await admin.get('/audit?action=user.activate')).text;
  assert.match(used, /凭激活码设置密码/);
});

test('为本支部未开通的党员开通账号: one sheet of slips for every member of the branch without an account', async () => {
  const roster = await chenji.get('/members');
  assert.match(roster.text, /为本支部未开通的党员开通账号/);
  const res = await chenji.post('/members/accounts', { _csrf: Browser.csrf(roster.text), org: 'CJZ-CJC' });
  assert.equal(res.status, 200, res.text.slice(0, 300));
  const slips = res.text.match(/<dd class="slip-code">/g) || [];
  const n = Number(/已为 <strong>(\d+)<\/strong> 名党员开通账号/.exec(res.text)[1]);
  assert.equal(slips.length, n);
  assert.ok(n >= 10, `the branch has many members without a login (${n})`);
  assert.match(res.text, /账号无手机：请先在党员信息中填写正确的手机号/);
  const twice = await chenji.post('/members/accounts', { _csrf: Browser.csrf(roster.text), org: 'CJZ-CJC' });
  assert.equal(twice.status, 200);
  assert.equal((twice.text.match(/<dd class="slip-code">/g) || []).length, 0, 'nobody twice');
  // not another branch's roster
  const other = await chenji.post('/members/accounts', { _csrf: Browser.csrf(roster.text), org: 'CJZ-XJC' });
  assert.equal(other.status, 404);
});

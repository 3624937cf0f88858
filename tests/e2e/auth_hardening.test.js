// Login throttling, sessions, passwords and anonymous CSRF tokens (issue 8 §3, §9),
// on SQLite or, with DANGJIAN_PG, on PostgreSQL. Each test uses its own
// account and addresses (X-Real-IP, believed from loopback) so none sees
// another's counters.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { startServer, Browser, setCookies, BIN, PASSWORD, dbSql } = require('./lib');

let srv;
// more threads than the default 4, so that many attempts are in flight at once
test.before(async () => { srv = await startServer({ args: ['--threads', '16'] }); });
test.after(async () => { await srv.stop(); });

function sql(statements) {
  return dbSql(srv, statements);
}
const now = () => Math.floor(Date.now() / 1000);

// The login form's cookie and token, as a browser at address ip gets them.
async function loginForm(ip, headers = {}) {
  const page = await fetch(srv.base + '/login', { headers: { 'x-real-ip': ip, ...headers } });
  const cookie = setCookies(page.headers).map((c) => c.split(';')[0]).join('; ');
  return { cookie, token: Browser.csrf(await page.text()), setCookie: setCookies(page.headers) };
}

async function postLogin(form, ip, username, password, headers = {}) {
  const r = await fetch(srv.base + '/login', {
    method: 'POST', redirect: 'manual',
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': ip, ...headers },
    body: new URLSearchParams({ _csrf: form.token, username, password }).toString(),
  });
  return { status: r.status, retry: Number(r.headers.get('retry-after') || 0), setCookie: setCookies(r.headers), text: await r.text() };
}

async function attempt(ip, username, password) {
  return postLogin(await loginForm(ip), ip, username, password);
}

test('41 attempts at once (40 wrong, 1 right): at most 5 passwords are checked, none accepted past the limit', async () => {
  const ip = '198.51.100.41';
  const form = await loginForm(ip);
  const passwords = Array.from({ length: 40 }, (_, i) => `Wrong-${i}-x9`);
  passwords.splice(20, 0, PASSWORD);
  const res = await Promise.all(passwords.map((p) => postLogin(form, ip, 'chenji', p)));
  const by = (s) => res.filter((r) => r.status === s).length;
  assert.deepEqual(res.filter((r) => ![303, 401, 429].includes(r.status)).map((r) => r.status), []);
  assert.ok(by(401) + by(303) <= 5, `${by(401)} wrong and ${by(303)} right passwords were checked against a limit of 5`);
  assert.ok(by(429) >= 36);
  // the right password, checked within the limit, may have been let in; afterwards it is not
  assert.equal((await postLogin(form, ip, 'chenji', PASSWORD)).status, 429);
  // the audit log has one login.fail per checked wrong password, no more
  assert.equal(Number(sql("SELECT COUNT(*) FROM audit WHERE action = 'login.fail' AND summary = 'chenji'")), by(401));
});

test("guesses from other addresses do not lock the account's owner out of theirs", async () => {
  // 5 wrong guesses from 5 addresses
  for (let i = 1; i <= 5; i++) {
    const r = await attempt(`203.0.113.${i}`, 'xijie', `Guess-${i}-zz`);
    assert.equal(r.status, 401, `guess ${i}`);
  }
  // the owner, from an address never used before, logs in
  assert.equal((await attempt('192.0.2.77', 'xijie', PASSWORD)).status, 303);
  // one address that guessed 5 times is locked out, the right password included
  for (let i = 0; i < 4; i++) assert.equal((await attempt('203.0.113.1', 'xijie', `More-${i}-zz`)).status, 401);
  const locked = await attempt('203.0.113.1', 'xijie', PASSWORD);
  assert.equal(locked.status, 429);
  assert.ok(locked.retry > 14 * 60, `locked for ${locked.retry} s`);
  // and still nobody else is
  assert.equal((await attempt('192.0.2.77', 'xijie', PASSWORD)).status, 303);
  assert.equal((await attempt('203.0.113.2', 'xijie', PASSWORD)).status, 303);
});

test('the per-account back-off still slows a guesser spread over many addresses, but not the owner at a known address', async () => {
  // the owner logged in from home before the attack
  assert.equal((await attempt('192.0.2.200', 'zuzhi', PASSWORD)).status, 303);
  // ten fresh addresses guess once each: all are checked
  for (let i = 1; i <= 10; i++) assert.equal((await attempt(`198.18.0.${i}`, 'zuzhi', `Guess-${i}-zz`)).status, 401, `guess ${i}`);
  // the next fresh address waits, whatever the password
  for (const [ip, pw] of [['198.18.0.11', 'Guess-11-zz'], ['198.18.0.12', PASSWORD]]) {
    const r = await attempt(ip, 'zuzhi', pw);
    assert.equal(r.status, 429, ip);
    assert.ok(r.retry > 0 && r.retry <= 30, `back-off ${r.retry} s`);
    assert.match(r.text, /登录失败次数过多/);
  }
  // the owner, at the address they used before, is not held back
  assert.equal((await attempt('192.0.2.200', 'zuzhi', PASSWORD)).status, 303);
});

test('cookies carry Secure over HTTPS (nginx on loopback says so) and not over plain HTTP', async () => {
  const plain = await loginForm('192.0.2.50');
  assert.ok(plain.setCookie.length > 0);
  assert.ok(plain.setCookie.every((c) => !/;\s*Secure/i.test(c)), plain.setCookie.join(' | '));
  const https = { 'x-forwarded-proto': 'https' };
  const form = await loginForm('192.0.2.50', https);
  assert.ok(form.setCookie.some((c) => /^dj_csrf=.*;\s*Secure/i.test(c)), form.setCookie.join(' | '));
  const r = await postLogin(form, '192.0.2.50', 'dangyuan', PASSWORD, https);
  assert.equal(r.status, 303);
  const session = r.setCookie.find((c) => c.startsWith('dj_session='));
  assert.match(session, /;\s*Secure/i);
  assert.match(session, /;\s*HttpOnly/i);
});

test('DANGJIAN_COOKIE_SECURE=1 marks every cookie Secure', async () => {
  const s2 = await startServer({ demo: false, env: { DANGJIAN_COOKIE_SECURE: '1' } });
  try {
    const page = await fetch(s2.base + '/login');
    const set = setCookies(page.headers);
    assert.ok(set.length > 0 && set.every((c) => /;\s*Secure/i.test(c)), set.join(' | '));
  } finally {
    await s2.stop();
  }
});

test('a console session ends 7 days after the login, however active', async () => {
  const b = new Browser(srv.base);
  await b.login('jiwei');
  const uid = sql("SELECT id FROM users WHERE username = 'jiwei'");
  const t = now();
  // used every few minutes for 6 days: still good, and the sliding expiry stops at 7 days
  sql(`UPDATE sessions SET created_at = ${t - 6 * 86400 - 23 * 3600}, last_seen = ${t - 600} WHERE user_id = ${uid} AND kind = 'web'`);
  assert.equal((await b.get('/console')).status, 200);
  const expires = Number(sql(`SELECT MAX(expires_at) FROM sessions WHERE user_id = ${uid} AND kind = 'web'`));
  assert.ok(expires <= t - 6 * 86400 - 23 * 3600 + 7 * 86400, `expires ${expires - t} s from now`);
  // past 7 days: logged out although it was used a minute ago
  sql(`UPDATE sessions SET created_at = ${t - 7 * 86400 - 60}, last_seen = ${t - 60}, expires_at = ${t + 3600} WHERE user_id = ${uid} AND kind = 'web'`);
  const r = await b.get('/console');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/login/);
});

test('anonymous forms need a token signed with the server secret: a planted cookie is not enough', async () => {
  const ip = '192.0.2.60';
  const post = (cookie, token) => fetch(srv.base + '/login', {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': ip },
    body: new URLSearchParams({ _csrf: token, username: 'wangge', password: PASSWORD }).toString(),
  }).then((r) => r.status);
  // a bare double submit: the same value planted in the cookie and sent in the form
  for (const v of ['AAAAAAAAAAAA', 'forged-token-00000000000000000000']) assert.equal(await post(`dj_csrf=${v}`, v), 403, v);
  // a real token, but over another browser's nonce
  const a = await loginForm(ip), b = await loginForm(ip);
  assert.equal(await post(a.cookie, b.token), 403);
  // made with the secret kept in the settings table (every node shares it): accepted while fresh
  const secret = Buffer.from(sql("SELECT value FROM settings WHERE key = 'csrf_secret'"), 'hex');
  assert.equal(secret.length, 32);
  const nonce = 'NonceNonce12';
  const mint = (expiry) => `${nonce}.${expiry}.` + crypto.createHmac('sha256', secret).update(`csrf1|${nonce}|${expiry}`).digest().subarray(0, 16).toString('base64url');
  assert.equal(await post(`dj_csrf=${nonce}`, mint(now() - 5)), 403, 'expired');
  const good = mint(now() + 3600);
  assert.equal(await post(`dj_csrf=${nonce}`, good.replace(/\.(\d+)\./, (m, e) => `.${Number(e) + 1}.`)), 403, 'expiry changed');
  assert.equal(await post(`dj_csrf=${nonce}`, good), 303);
});

test('a password being set may not contain the username, be the demo password or a common one', async () => {
  const b = new Browser(srv.base);
  await b.login('wangge');
  for (const [pw, msg] of [['Wangge2099', '密码不能包含用户名'], ['Demo2026', '密码不能使用演示密码'], ['Password123', '密码过于常见']]) {
    const r = await b.postForm('/account/password', '/account/password', { current: PASSWORD, password: pw, confirm: pw });
    assert.equal(r.status, 422, pw);
    assert.ok(r.text.includes(msg), `${pw}: ${msg}`);
  }
  // the admin form
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const form = await admin.get('/admin/users/new');
  const orgId = /<option value="(\d+)">[\s　]*陈集村党支部<\/option>/.exec(form.text)[1];
  const r = await admin.post('/admin/users/new', { _csrf: Browser.csrf(form.text), username: 'gaoyan', name: '高燕', role: 'member', org_id: orgId, password: 'qwerty123' });
  assert.equal(r.status, 422);
  assert.ok(r.text.includes('密码过于常见'));
  // the command line
  const cli = spawnSync(BIN, ['--db', srv.db, 'user', 'passwd', 'wangge'], { input: 'Demo2026\n', encoding: 'utf8' });
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /演示密码/);
  // a good one is taken, and the demo accounts still log in with the demo password
  const ok = await b.postForm('/account/password', '/account/password', { current: PASSWORD, password: 'Lizhi-9981', confirm: 'Lizhi-9981' });
  assert.equal(ok.status, 303);
  await new Browser(srv.base).login('wangge', 'Lizhi-9981');
  await new Browser(srv.base).login('dangyuan');
});

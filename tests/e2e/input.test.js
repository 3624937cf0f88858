// Bad input (SPEC §5): refused cleanly, nothing changes, the server stays up.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const { startServer, Browser } = require('./lib');

let srv;
test.before(async () => { srv = await startServer(); });
test.after(async () => { await srv.stop(); });

const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${srv.pid}/status`, 'utf8'))[1]);

// Raw HTTP, for what fetch will not send.
function raw(text, { body = null, bodyBytes = 0, chunk = 1 << 16 } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', (e) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve(got) : reject(e)));
    s.on('close', () => resolve(got));
    s.write(text, () => {
      if (body) s.write(body);
      let left = bodyBytes;
      const zeros = Buffer.alloc(chunk, 0x61);
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, chunk);
          left -= n;
          if (!s.write(zeros.subarray(0, n))) return s.once('drain', pump);
        }
      };
      // the socket stays open for writing: a half-close reads as the client going away
      if (bodyBytes) pump();
    });
    s.setTimeout(30000, () => { s.destroy(); resolve(got); });
  });
}

test('a form POST without a valid CSRF token is refused and changes nothing', async () => {
  const b = new Browser(srv.base);
  await b.login('chenji');
  for (const token of [undefined, '', 'forged-token-0000000000000000']) {
    const fields = { current: 'Demo2026', password: 'Newpass2026', confirm: 'Newpass2026' };
    if (token !== undefined) fields._csrf = token;
    const r = await b.post('/account/password', fields);
    assert.equal(r.status, 403, `token ${JSON.stringify(token)}`);
    assert.match(r.text, /CSRF/);
  }
  // the password did not change and the session still works
  assert.equal((await b.get('/console')).status, 200);
  await new Browser(srv.base).login('chenji', 'Demo2026');
  // logout without a token is refused too
  assert.equal((await b.post('/logout', {})).status, 403);
  assert.equal((await b.get('/console')).status, 200);
  // the login form without its cookie is refused
  const anon = new Browser(srv.base);
  const page = await anon.get('/login');
  anon.cookies.clear();
  assert.equal((await anon.post('/login', { _csrf: Browser.csrf(page.text), username: 'chenji', password: 'Demo2026' })).status, 403);
});

test('repeated wrong passwords are throttled per account, even for the right password', async () => {
  const b = new Browser(srv.base);
  for (let i = 0; i < 5; i++) {
    const r = await b.postForm('/login', '/login', { username: 'wangge', password: 'wrong-' + i });
    assert.equal(r.status, 401);
    assert.match(r.text, /用户名或密码不正确/);
  }
  const locked = await b.postForm('/login', '/login', { username: 'wangge', password: 'Demo2026' });
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  assert.match(locked.text, /登录失败次数过多/);
  // another account from the same address is not locked by this
  await new Browser(srv.base).login('dangyuan');
  // the failures are in the audit log
  const admin = new Browser(srv.base);
  await admin.login('admin');
  assert.ok(((await admin.get('/audit?action=login.fail')).text.match(/wangge/g) || []).length >= 5);
});

test('the API login is throttled by address too', async () => {
  let last;
  for (let i = 0; i < 31; i++) {
    last = await fetch(srv.base + '/api/v1/session', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': '203.0.113.9' },
      body: JSON.stringify({ username: `nobody${i}`, password: 'x' }),
    });
    if (last.status === 429) break;
    assert.equal(last.status, 401);
  }
  assert.equal(last.status, 429, 'an address that keeps failing is stopped');
  assert.equal((await last.json()).error.code, 'throttled');
});

test('a body far above the route limit is refused without the server growing', async () => {
  const before = rssKiB();
  for (let i = 0; i < 3; i++) {
    // streamed, no Content-Length
    const chunked = await raw('POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      { body: Buffer.concat([Buffer.from((8 << 20).toString(16) + '\r\n'), Buffer.alloc(8 << 20, 0x61), Buffer.from('\r\n0\r\n\r\n')]) });
    assert.match(chunked, /^HTTP\/1\.1 413/);
  }
  // announced by Content-Length: refused at the headers, before any of it is read
  const announced = await raw(`POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${50 << 20}\r\nConnection: close\r\n\r\n`);
  assert.match(announced, /^HTTP\/1\.1 413/);
  const grew = rssKiB() - before;
  assert.ok(grew < 8 * 1024, `RSS grew by ${grew} KiB after 24 MiB of refused bodies and 50 MiB announced`);
  assert.equal((await fetch(srv.base + '/healthz')).status, 200);
});

test('a 1 MiB header gets 431', async () => {
  const r = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1 << 20)}\r\nConnection: close\r\n\r\n`);
  assert.match(r, /^HTTP\/1\.1 431/);
  assert.equal((await fetch(srv.base + '/healthz')).status, 200);
});

test('malformed forms, bad UTF-8 and overlong fields get clear answers', async () => {
  const b = new Browser(srv.base);
  const page = await b.get('/login');
  const csrf = Browser.csrf(page.text);
  const post = (body) => fetch(srv.base + '/login', {
    method: 'POST', redirect: 'manual', body,
    headers: { cookie: b.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal((await post(`_csrf=${csrf}&username=%zz&password=x`)).status, 400);
  const badUtf8 = await post(`_csrf=${csrf}&username=%ff%fe&password=x`);
  assert.equal(badUtf8.status, 422);
  assert.match(await badUtf8.text(), /用户名格式不正确/);
  const empty = await post(`_csrf=${csrf}&username=&password=`);
  assert.equal(empty.status, 422);
  const t = await empty.text();
  assert.match(t, /请填写用户名/);
  assert.match(t, /请填写密码/);
  const long = await post(`_csrf=${csrf}&username=${'a'.repeat(200)}&password=x`);
  assert.equal(long.status, 422);
  const longPw = await post(`_csrf=${csrf}&username=chenji&password=${'a'.repeat(300)}`);
  assert.equal(longPw.status, 422);
  assert.match(await longPw.text(), /128/);
});

test('unknown paths, wrong methods and bad JSON', async () => {
  assert.equal((await fetch(srv.base + '/no/such/page')).status, 404);
  assert.equal((await fetch(srv.base + '/console', { method: 'DELETE' })).status, 405);
  const apiMissing = await fetch(srv.base + '/api/v1/nothing');
  assert.equal(apiMissing.status, 404);
  assert.equal((await apiMissing.json()).error.code, 'not_found');
  const json = (body, type = 'application/json') => fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': type }, body });
  let r = await json('{"username": "a", ');
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, 'bad_json');
  r = await json('{"username":"a","username":"b","password":"x"}');
  assert.equal(r.status, 400, 'duplicate keys are refused');
  r = await json('{"username":"chenji","password":"Demo2026","admin":true}');
  assert.equal(r.status, 400, 'unknown fields are refused');
  r = await json('[1,2]');
  assert.equal(r.status, 400);
  r = await json('username=a', 'application/x-www-form-urlencoded');
  assert.equal(r.status, 415);
  r = await json('{"username":"\\u0000","password":1}');
  assert.equal(r.status, 400);
  assert.equal((await fetch(srv.base + '/healthz')).status, 200, 'still up after all of it');
});

// QR check-in pages (checkin_web.c), as far as they go without a mechanism
// that takes check-ins: the scan page asks a visitor to log in first and
// comes back to the same code; a kind no module registered is a 404 for the
// screen, its code and the scan. The whole scan (window, code of the minute,
// record) is tested with each mechanism that uses it and in
// tests/unit/test_checkin.c.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser } = require('./lib');

let srv, member;
test.before(async () => {
  srv = await startServer();
  member = new Browser(srv.base);
  await member.login('dangyuan');
});
test.after(async () => { await srv.stop(); });

test('a scanned code opened without a login goes to the login and back', async () => {
  const anon = new Browser(srv.base);
  const res = await anon.get('/c/meeting/1/ABCD2345');
  assert.ok([302, 303].includes(res.status), String(res.status));
  assert.equal(res.headers.get('location'), '/login?next=%2Fc%2Fmeeting%2F1%2FABCD2345');
});

test('a kind of record nothing registered is not found', async () => {
  for (const p of ['/checkin/nosuch/1', '/checkin/nosuch/1/code', '/c/nosuch/1/ABCD2345']) {
    const res = await member.get(p);
    assert.equal(res.status, 404, p);
    assert.match(res.text, /签到页面不存在/, p);
  }
  const res = await member.postForm('/', '/c/nosuch/1/ABCD2345', {});
  assert.equal(res.status, 404);
});

// Slow clients (issue 8, defect 2): sockets that send their headers one line at a
// time, or their body a few bytes at a time, are closed at a deadline that does not
// restart on each byte, and meanwhile a normal client is answered within 1 s; the
// per-address limit does not lock out the nginx proxy's address, and behind the
// proxy it counts by X-Real-IP. Loopback only (127.0.0.1–127.0.0.5), about 20 s.
// bench/slow_clients.js is the full-size version (1,000 sockets, docs/performance.md).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const http = require('node:http');
const { startServer } = require('./lib');

const LIMIT = 40; // --per-ip-limit
const HEADER_TIMEOUT = 10; // the server's default, seconds
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
test.before(async () => { srv = await startServer({ args: ['--per-ip-limit', String(LIMIT)] }); });
test.after(async () => { await srv.stop(); });

// A socket from a given loopback address that sends `first`, then `more` every
// `every` ms (more: a string, or a function of the count), never finishing; records
// when it connected and when the server closed it.
function slowSocket(localAddress, first, more, every) {
  const s = net.connect({ host: '127.0.0.1', port: srv.port, localAddress });
  const st = { s, t0: 0, closedAt: 0, data: '' };
  let timer = null;
  let n = 0;
  st.connected = new Promise((resolve) => s.on('connect', () => {
    st.t0 = Date.now();
    s.write(first);
    timer = setInterval(() => s.write(typeof more === 'function' ? more(n++) : more), every);
    resolve();
  }));
  s.on('data', (d) => { st.data += d; });
  s.on('error', () => {});
  const closed = () => { if (!st.closedAt) st.closedAt = Date.now(); clearInterval(timer); };
  s.on('end', closed);
  s.on('close', closed);
  return st;
}

// One request on a new connection from 127.0.0.1 (the address nginx would use).
function get(path) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const rq = http.get({ host: '127.0.0.1', port: srv.port, path, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Date.now() - t0 }));
    });
    rq.on('timeout', () => rq.destroy(new Error('timeout')));
    rq.on('error', (e) => resolve({ status: 0, ms: Date.now() - t0, error: e.message }));
  });
}

// A whole request on one raw socket from 127.0.0.1; resolves with the status line.
function rawRequest(head) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port: srv.port });
    let data = '';
    s.on('connect', () => s.write(head));
    s.on('data', (d) => { data += d; if (data.includes('\r\n')) { s.destroy(); resolve(data.split('\r\n')[0]); } });
    s.on('error', () => {});
    s.on('close', () => resolve(data.split('\r\n')[0]));
  });
}

test('behind the proxy, requests in flight are counted per X-Real-IP, not against the proxy address', async () => {
  // LIMIT requests from one user, through the proxy, waiting for their bodies
  const held = [];
  for (let i = 0; i < LIMIT; i++)
    held.push(slowSocket('127.0.0.1', 'POST /login HTTP/1.1\r\nHost: x\r\nX-Real-IP: 203.0.113.7\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\n', '', 60000));
  await Promise.all(held.map((h) => h.connected));
  await sleep(500);
  try {
    assert.equal(held.filter((h) => h.closedAt).length, 0, 'the proxy address is not limited by its own connections');
    // one more from the same user: refused; from another user: answered
    assert.match(await rawRequest('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Real-IP: 203.0.113.7\r\n\r\n'), / 503 /);
    assert.match(await rawRequest('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Real-IP: 203.0.113.8\r\n\r\n'), / 200 /);
    const plain = await get('/healthz');
    assert.equal(plain.status, 200, plain.error);
  } finally {
    for (const h of held) h.s.destroy();
  }
  await sleep(300);
  // the user's requests are gone: its address is free again
  assert.match(await rawRequest('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Real-IP: 203.0.113.7\r\n\r\n'), / 200 /);
});

test('slow headers and slow bodies are closed at their deadline; a normal client is answered within 1 s throughout', async () => {
  const slow = [];
  // LIMIT from each of four addresses, and LIMIT from the proxy's address: one header line every 2 s
  for (const addr of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.1'])
    for (let i = 0; i < LIMIT; i++) slow.push(slowSocket(addr, 'GET / HTTP/1.1\r\nHost: x\r\n', (n) => `X-Slow-${n}: a\r\n`, 2000));
  await Promise.all(slow.map((h) => h.connected));
  // one over the limit from a direct client's address is still refused
  const extra = slowSocket('127.0.0.2', 'GET / HTTP/1.1\r\nHost: x\r\n', '', 2000);
  // a body at 10 bytes a second, far below the minimum rate
  const body = slowSocket('127.0.0.6', 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
    'Content-Length: 4000\r\n\r\n', 'aaaaaaaaaa', 1000);
  await extra.connected;
  await body.connected;

  const lat = [];
  const t0 = Date.now();
  try {
    for (let i = 0; Date.now() - t0 < (HEADER_TIMEOUT + 3) * 1000 || slow.some((h) => !h.closedAt); i++) {
      if (Date.now() - t0 > 20000) break;
      const r = await get(i % 2 ? '/' : '/healthz');
      assert.equal(r.status, 200, `request ${i} at ${Date.now() - t0} ms: ${r.error || r.status}`);
      assert.ok(r.ms < 1000, `request ${i} took ${r.ms} ms`);
      lat.push(r.ms);
      await sleep(100);
    }
  } finally {
    for (const h of [...slow, extra, body]) h.s.destroy();
  }
  assert.ok(lat.length > 40, `${lat.length} requests`);

  assert.ok(extra.closedAt && extra.closedAt - extra.t0 < 2000, 'the connection over the per-address limit is closed at once');
  const lives = slow.map((h) => (h.closedAt ? (h.closedAt - h.t0) / 1000 : Infinity));
  const early = lives.filter((s) => s < HEADER_TIMEOUT - 1).length;
  const late = lives.filter((s) => s > HEADER_TIMEOUT + 4).length;
  assert.equal(early, 0, `${early} slow sockets closed before the header deadline`);
  assert.equal(late, 0, `${late} slow sockets still open ${HEADER_TIMEOUT + 4} s after their request line: ${lives.filter((s) => s > HEADER_TIMEOUT + 4).slice(0, 5)}`);
  const bodyLife = body.closedAt ? (body.closedAt - body.t0) / 1000 : Infinity;
  assert.ok(bodyLife >= HEADER_TIMEOUT - 1 && bodyLife <= HEADER_TIMEOUT + 4, `the slow body lived ${bodyLife} s`);
});

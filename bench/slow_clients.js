#!/usr/bin/env node
// Slow clients against `dangjian serve` (issue 8, defect 2), on loopback only.
//
// Starts the server on a fresh demo database, then measures a normal client (one new
// connection per request, GET /healthz and GET / in turn, from 127.0.0.1) twice in
// the same run: first alone, then while SOCKETS slow sockets, spread over the
// loopback addresses 127.0.0.2–127.0.0.5, each send a request line and then one
// header line every INTERVAL seconds, never finishing. A slow socket the server
// closes is opened again at once, as an attack tool would. Everything stops by
// itself after the attack's SECONDS; the script prints a Markdown table for
// docs/performance.md and exits 1 if a request of the normal client under attack
// took over 1 s or was not answered.
//
//   node bench/slow_clients.js [BIN] [SECONDS] [SOCKETS] [INTERVAL]
//   defaults: build/dangjian 40 1000 10; extra serve options in DJ_SERVE_ARGS
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.resolve(process.argv[2] || path.join(ROOT, 'build', 'dangjian'));
const SECONDS = Number(process.argv[3] || 40);
const SOCKETS = Number(process.argv[4] || 1000);
const INTERVAL = Number(process.argv[5] || 10);
const BASELINE = 10; // seconds of the normal client alone
const ADDRS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
const REQ_TIMEOUT = 15000; // a normal request not answered by then counts as lost

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The whole run is bounded, whatever happens.
const hardStop = setTimeout(() => {
  console.error('slow_clients: overall time limit reached');
  process.exit(2);
}, (BASELINE + SECONDS + 60) * 1000);
hardStop.unref();

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function get(port, p) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const done = (ok) => resolve({ ok, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
    const rq = http.get({ host: '127.0.0.1', port, path: p, agent: false, timeout: REQ_TIMEOUT }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200));
      res.on('error', () => done(false));
    });
    rq.on('timeout', () => rq.destroy());
    rq.on('error', () => done(false));
  });
}

// The normal client: requests one after the other until stop() is called.
function normalClient(port) {
  const lat = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const r = await get(port, i % 2 ? '/' : '/healthz');
      lat.push(r.ms);
      if (!r.ok) failed++;
      await sleep(50);
    }
  })();
  return { stop: async () => { running = false; await loop; return { lat, failed }; } };
}

function stats(lat) {
  const s = [...lat].sort((a, b) => a - b);
  const q = (f) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  return { n: s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1] };
}

function rssKiB(pid) {
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch { return 0; }
}

// The slow sockets. Each keeps itself open; one closed by the server is reopened.
function attack(port) {
  const st = { opened: 0, open: 0, peakOpen: 0, closedByServer: 0, refused: 0, longest: 0 };
  const live = new Set();
  let running = true;
  const openOne = (i) => {
    if (!running) return;
    const s = net.connect({ host: '127.0.0.1', port, localAddress: ADDRS[i % ADDRS.length] });
    live.add(s);
    st.opened++;
    let t0 = 0;
    let timer = null;
    let lines = 0;
    s.setNoDelay(true);
    s.on('connect', () => {
      t0 = Date.now();
      st.open++;
      st.peakOpen = Math.max(st.peakOpen, st.open);
      s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      timer = setInterval(() => s.write(`X-Slow-${lines++}: a\r\n`), INTERVAL * 1000);
    });
    s.on('data', () => {}); // an answer (e.g. 408) is read and dropped
    s.on('error', () => {});
    s.on('close', () => {
      clearInterval(timer);
      live.delete(s);
      if (t0) {
        st.open--;
        const life = (Date.now() - t0) / 1000;
        if (running) {
          if (life < 1) st.refused++;
          else st.closedByServer++, (st.longest = Math.max(st.longest, life));
        }
      }
      if (running) setTimeout(() => openOne(i), 100);
    });
  };
  // open them over about a second, as fast as a script would
  const starting = (async () => {
    for (let i = 0; i < SOCKETS && running; i++) {
      openOne(i);
      if (i % 50 === 49) await sleep(50);
    }
  })();
  return {
    st,
    stop: async () => {
      running = false;
      await starting;
      for (const s of live) s.destroy();
    },
  };
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN}: build it first (make build)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-slow-'));
  const db = path.join(tmp, 'bench.db');
  execFileSync(BIN, ['--db', db, 'demo'], { stdio: 'ignore' });
  const port = await freePort();
  const extra = (process.env.DJ_SERVE_ARGS || '').split(/\s+/).filter(Boolean);
  const srv = spawn(BIN, ['--db', db, 'serve', '--port', String(port), '--access-log', 'off', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  srv.stderr.on('data', (d) => { log += d; });
  const cleanup = () => { try { srv.kill('SIGKILL'); } catch { /* gone */ } fs.rmSync(tmp, { recursive: true, force: true }); };
  process.on('exit', cleanup);
  for (let i = 0; ; i++) {
    if ((await get(port, '/healthz')).ok) break;
    if (i > 100) throw new Error(`server did not start:\n${log}`);
    await sleep(100);
  }

  const base = normalClient(port);
  await sleep(BASELINE * 1000);
  const alone = await base.stop();

  const atk = attack(port);
  await sleep(3000); // the sockets are open
  const under = normalClient(port);
  let peakRss = 0;
  const until = Date.now() + (SECONDS - 3) * 1000;
  while (Date.now() < until) {
    peakRss = Math.max(peakRss, rssKiB(srv.pid));
    await sleep(500);
  }
  const attacked = await under.stop();
  await atk.stop();

  srv.kill('SIGTERM');
  await new Promise((r) => srv.on('exit', r));

  const a = stats(alone.lat);
  const u = stats(attacked.lat);
  const f = (ms) => `${ms.toFixed(1)} ms`;
  console.log(`slow clients: ${SOCKETS} sockets from ${ADDRS.join(', ')}, one header line every ${INTERVAL} s, ${SECONDS} s; server ${path.relative(ROOT, BIN)} ${extra.join(' ')}`);
  console.log('');
  console.log('| normal client (new connection per request, /healthz and / in turn) | requests | p50 | p99 | max | not answered or not 200 |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(`| alone (reference, same run) | ${a.n} | ${f(a.p50)} | ${f(a.p99)} | ${f(a.max)} | ${alone.failed} |`);
  console.log(`| under the slow sockets | ${u.n} | ${f(u.p50)} | ${f(u.p99)} | ${f(u.max)} | ${attacked.failed} |`);
  console.log('');
  const s = atk.st;
  console.log(`slow sockets: ${s.opened} opened (reopened when closed), at most ${s.peakOpen} open at once; ` +
    `${s.closedByServer} closed by the server after ${s.longest.toFixed(1)} s at most; ${s.refused} closed within 1 s (refused); ` +
    `server RSS at most ${(peakRss / 1024).toFixed(1)} MiB`);
  const ok = attacked.failed === 0 && u.max < 1000;
  console.log(ok ? 'PASS: every request under attack answered within 1 s' : 'FAIL: a request under attack took over 1 s or was not answered');
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(2);
});

// Starts a real `dangjian serve` on a fresh demo database, on SQLite or on
// PostgreSQL, for end-to-end and browser tests. The server is the test
// build (AddressSanitizer + UBSan): stop() fails the test if the server
// did not exit cleanly or the sanitizers reported anything, leaks included.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = process.env.DANGJIAN_BIN || path.join(ROOT, 'build-test', 'dangjian');
// DANGJIAN_PG: a PostgreSQL URL to a maintenance database of a throwaway
// cluster (scripts/test.sh starts it). Unset: the tests run on SQLite.
const PG = process.env.DANGJIAN_PG || '';
const ENGINE = PG ? 'postgresql' : 'sqlite';
const PASSWORD = 'Demo2026';

const SANITIZER_ENV = {
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=86',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1:exitcode=87',
  LSAN_OPTIONS: `suppressions=${path.join(ROOT, 'tests', 'lsan.supp')}:print_suppressions=0`,
};

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

// A fresh database: a temporary SQLite file, or a new database in the cluster.
function freshDatabase() {
  if (!PG) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-e2e-'));
    return { url: path.join(dir, 'test.db'), drop: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = 'dj_' + crypto.randomBytes(6).toString('hex');
  execFileSync('psql', [PG, '-qAtc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  const u = new URL(PG);
  u.pathname = '/' + name;
  return {
    url: u.toString(),
    drop: () => {
      try { execFileSync('psql', [PG, '-qAtc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' }); } catch { /* cluster may be gone */ }
    },
  };
}

// A command the tests shell out to for output (sqlite3, psql, a python
// reader): execFileSync with room for 256 MB of it. Node's default keeps 1 MB
// and fails with ENOBUFS beyond it, and the demo town's year of records
// outgrows that when a test reads whole tables.
const MAX_BUFFER = 256 * 1024 * 1024;
function shell(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { maxBuffer: MAX_BUFFER, ...opts });
}

// SQL on a test server's database through the engine's own client, the
// output trimmed: psql stops at the first error, sqlite3 reads the
// statements from stdin.
function dbSql(srv, q) {
  if (srv.engine === 'postgresql') return shell('psql', [srv.db, '-qAtv', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8' }).trim();
  return shell('sqlite3', [srv.db], { input: q, encoding: 'utf8' }).trim();
}

function run(args, opts = {}) {
  return execFileSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...SANITIZER_ENV, ...(opts.env || {}) }, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] });
}

// opts.db: serve this database instead of a fresh one (several nodes on one
// database): nothing is loaded into it and stop() leaves it to its owner.
// opts.config: settings stored before the server starts ({ request_timeout: '60' }).
async function startServer(opts = {}) {
  const db = opts.db ? { url: opts.db, drop: () => {} } : freshDatabase();
  if (!opts.db && opts.demo !== false) run(['--db', db.url, 'demo']);
  // The tests check what is answered, not how fast (speed is measured by
  // bench/): a request's budget is 30 s here rather than 5, so a sanitizer
  // build on a loaded machine does not turn a slow upload into a 503. The
  // budget's own tests set theirs (tests/e2e/budget.test.js).
  const config = opts.db ? { ...(opts.config || {}) } : { request_timeout: 30, ...(opts.config || {}) };
  for (const [k, v] of Object.entries(config)) run(['--db', db.url, 'config', 'set', k, String(v)]);
  const port = await freePort();
  const args = ['--db', db.url, 'serve', '--port', String(port), '--access-log', 'off', ...(opts.args || [])];
  const child = spawn(BIN, args, { env: { ...process.env, ...SANITIZER_ENV, ...(opts.env || {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(base + '/healthz');
      if (r.status === 200) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null || i > 300) throw new Error(`server did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    port,
    db: db.url,
    engine: ENGINE,
    pid: child.pid,
    stderr: () => stderr,
    run: (a, o) => run(['--db', db.url, ...a], o),
    async stop() {
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      db.drop();
      const bad = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|sql error:/.exec(stderr);
      if (bad || code !== 0) throw new Error(`server exited with code ${code} signal ${signal}; sanitizer output:\n${stderr}`);
    },
  };
}

// The Set-Cookie lines of a fetch() answer. Debian 12's own nodejs (18.20, with Debian's
// older undici) has no Headers.getSetCookie(); there get() joins the lines with ", ", and
// a line starts where a "name=" follows the comma (an Expires date's comma is followed by
// a day number, not by a name and "=").
function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  return joined === null ? [] : joined.split(/,\s*(?=[^;,=\s]+=)/);
}

// A cookie-keeping client for the HTML console.
class Browser {
  constructor(base) { this.base = base; this.cookies = new Map(); }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  keep(res) {
    for (const c of setCookies(res.headers)) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i).trim(), v = pair.slice(i + 1).trim();
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || v === '') this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
  }
  async get(p, headers = {}) {
    const res = await fetch(this.base + p, { redirect: 'manual', headers: { cookie: this.cookieHeader(), ...headers } });
    this.keep(res);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
  async post(p, fields, headers = {}) {
    const body = new URLSearchParams(fields).toString();
    const res = await fetch(this.base + p, {
      method: 'POST', redirect: 'manual', body,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
    this.keep(res);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
  // The CSRF token of the forms on a page.
  static csrf(html) {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    return m ? m[1] : null;
  }
  async postForm(pagePath, action, fields) {
    const page = await this.get(pagePath);
    return this.post(action, { _csrf: Browser.csrf(page.text), ...fields });
  }
  async login(username, password = PASSWORD) {
    const res = await this.postForm('/login', '/login', { username, password });
    if (res.status !== 303) throw new Error(`login ${username}: ${res.status}`);
    return res;
  }
}

async function apiToken(base, username, password = PASSWORD) {
  const r = await fetch(base + '/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (r.status !== 201) throw new Error(`token ${username}: ${r.status} ${await r.text()}`);
  return (await r.json()).token;
}

async function api(base, token, method, p, body) {
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, json, text };
}

// Debian's Chromium under playwright-core, with the flags this machine needs
// (root: no sandbox; no network: nothing in the background that calls home).
function launchChromium() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

module.exports = { startServer, freshDatabase, freePort, Browser, setCookies, apiToken, api, launchChromium, BIN, ENGINE, PASSWORD, PG, ROOT, run, shell, dbSql };

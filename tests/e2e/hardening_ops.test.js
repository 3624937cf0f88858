// Issue 8, defects 6, 7 and 10: full exports on disk, forged log lines,
// /metrics for the machine only, and the notification log adapter's summary.
// Runs on SQLite, and on PostgreSQL when DANGJIAN_PG is set.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startServer, Browser, BIN, shell } = require('./lib');

const SAN = {
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=86',
  LSAN_OPTIONS: `suppressions=${path.join(__dirname, '..', 'lsan.supp')}:print_suppressions=0`,
};

let srv, tmp, logFile;
test.before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-h5-'));
  fs.mkdirSync(path.join(tmp, 'exports'), { mode: 0o700 });
  logFile = path.join(tmp, 'access.log');
  srv = await startServer({ args: ['--access-log', logFile], env: { TMPDIR: path.join(tmp, 'exports') } });
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// One query on the server's database, rows as text lines.
function sql(q) {
  if (srv.engine === 'postgresql') return shell('psql', [srv.db, '-qAtc', q], { encoding: 'utf8' }).trim();
  return shell('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();
}

// The access log's lines once the server has written the line of the last request.
async function accessLines(mark) {
  for (let i = 0; i < 100; i++) {
    const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : [];
    if (lines.some((l) => l.includes(mark))) return lines;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no access-log line with ${mark}`);
}

test('a %0a in the URL cannot add a line to the access log: control characters are escaped', async () => {
  const before = (await accessLines('"GET /healthz"')).length;
  const forged = '2026-01-01T00:00:00Z 6.6.6.6 "GET /admin" 200 0.1ms user=admin';
  const r = await fetch(`${srv.base}/forge-a%0a${encodeURIComponent(forged).replace(/%20/g, '%20')}%0d%1b[31m`);
  assert.equal(r.status, 404);
  const lines = await accessLines('/forge-a');
  assert.equal(lines.length, before + 1, lines.slice(before).join('\n'));
  const line = lines[lines.length - 1];
  assert.match(line, /"GET \/forge-a\\x0a2026-01-01T00:00:00Z 6\.6\.6\.6 \\"GET \/admin\\" 200 0\.1ms user=admin\\x0d\\x1b\[31m" 404 /);
  assert.ok(!lines.some((l) => l.startsWith('2026-01-01T00:00:00Z 6.6.6.6')), 'a forged line');
});

test('X-Real-IP is taken only when it is an IPv4 or IPv6 address; anything else falls back to the peer', async () => {
  const tries = [
    ['not-an-ip "quoted" <b>', '127.0.0.1'],
    ['203.0.113.7', '203.0.113.7'],
    ['2001:DB8::0:1', '2001:db8::1'],
    ['203.0.113.7\r\nX: y', '127.0.0.1'],
    ['203.0.113.7, 10.0.0.1', '127.0.0.1'],
  ];
  for (const [i, [sent, want]] of tries.entries()) {
    let r;
    try {
      r = await fetch(`${srv.base}/ip-probe-${i}`, { headers: { 'x-real-ip': sent } });
    } catch {
      continue; /* fetch itself refuses a header with CR/LF */
    }
    assert.equal(r.status, 404);
    const line = (await accessLines(`/ip-probe-${i}`)).find((l) => l.includes(`/ip-probe-${i}`));
    assert.equal(line.split(' ')[1], want, `${JSON.stringify(sent)}: ${line}`);
  }
  // and what lands in audit.ip: a failed login behind a forged X-Real-IP
  const b = new Browser(srv.base);
  const page = await b.get('/login');
  const res = await b.post('/login', { _csrf: Browser.csrf(page.text), username: 'h5-nobody', password: 'wrong-password' },
    { 'x-real-ip': 'not-an-ip "quoted" <b>' });
  assert.notEqual(res.status, 303);
  const ips = sql("SELECT ip FROM audit WHERE action = 'login.fail' AND summary = 'h5-nobody'").split('\n');
  assert.deepEqual(ips, ['127.0.0.1']);
});

test('order content with a newline prints no log line; the log adapter prints one summary per run and keeps the outbox', async () => {
  const content = '帮忙代购降压药\ndangjian: notify to admin: 伪造的通知\n';
  const placed = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': '203.0.113.50' },
    body: JSON.stringify({ kind: 'need', content, org: 'CJZ-CJC', contact_name: '李奶奶', contact_phone: '13900002222' }),
  });
  assert.equal(placed.status, 201, await placed.text());
  // the server flushed the demo's messages when it started (its minute timer
  // runs next a minute later): what waits now is the new order's
  const pending = Number(sql("SELECT COUNT(*) FROM outbox WHERE status = 'pending'"));
  const sentBefore = Number(sql("SELECT COUNT(*) FROM outbox WHERE status = 'sent'"));
  assert.ok(pending >= 1 && pending < 256, `${pending} pending messages`);
  const t = spawnSync(BIN, ['--db', srv.db, 'tick'], { encoding: 'utf8', env: { ...process.env, ...SAN } });
  assert.equal(t.status, 0, t.stderr);
  const out = (t.stderr + t.stdout).split('\n');
  assert.ok(!out.some((l) => l.startsWith('dangjian: notify to ')), 'one line per notice:\n' + out.slice(0, 5).join('\n'));
  const summary = out.filter((l) => l.startsWith('dangjian: notify: '));
  assert.deepEqual(summary, [`dangjian: notify: ${pending} message${pending === 1 ? '' : 's'} sent (log adapter)`]);
  // every message is still in the outbox table, now marked sent
  assert.equal(Number(sql("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")), sentBefore + pending);
  assert.ok(sentBefore > 1, `${sentBefore} sent at start`);
  assert.equal(Number(sql("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")), 0);
});

test('/metrics answers loopback, or a client with the metrics_token; not a client behind the proxy without it', async () => {
  const get = (headers = {}) => fetch(srv.base + '/metrics', { headers });
  assert.equal((await get()).status, 200);
  // behind nginx the peer is loopback and X-Real-IP is the client
  const remote = { 'x-real-ip': '198.51.100.4' };
  let r = await get(remote);
  assert.equal(r.status, 403);
  assert.doesNotMatch(await r.text(), /dangjian_requests_total/);
  assert.equal((await get({ ...remote, authorization: 'Bearer no-token-is-set-yet-000' })).status, 403);
  const bad = spawnSync(BIN, ['--db', srv.db, 'config', 'set', 'metrics_token', 'short'], { encoding: 'utf8', env: { ...process.env, ...SAN } });
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /metrics_token/);
  srv.run(['config', 'set', 'metrics_token', 'scrape-0123456789abcdef']);
  assert.equal((await get({ ...remote, authorization: 'Bearer scrape-0123456789abcdeX' })).status, 403);
  r = await get({ ...remote, authorization: 'Bearer scrape-0123456789abcdef' });
  assert.equal(r.status, 200);
  assert.match(await r.text(), /dangjian_requests_total/);
  srv.run(['config', 'set', 'metrics_token', '']);
  assert.equal((await get({ ...remote, authorization: 'Bearer scrape-0123456789abcdef' })).status, 403);
});

test('a full web export is written in a private directory under $TMPDIR and leaves nothing behind, on success and on failure', async () => {
  const dir = path.join(tmp, 'exports');
  const seen = [];
  const w = fs.watch(dir, (ev, name) => { if (name) seen.push(name); });
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const ok = await fetch(srv.base + '/members/export.xlsx?full=1', { headers: { cookie: admin.cookieHeader() } });
  assert.equal(ok.status, 200);
  assert.ok((await ok.arrayBuffer()).byteLength > 1000);
  // a role without the full numbers: refused after the directory was made
  const member = new Browser(srv.base);
  await member.login('dangyuan');
  const no = await fetch(srv.base + '/members/export.xlsx?full=1', { headers: { cookie: member.cookieHeader() } });
  assert.ok(no.status === 403 || no.status === 404, String(no.status));
  await new Promise((r) => setTimeout(r, 100));
  w.close();
  assert.ok(seen.some((n) => n.startsWith('dj-export-')), `the export did not use $TMPDIR: ${seen}`);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('the CLI writes a full export 0600 whatever the umask, also over an existing 0644 file', () => {
  const old = process.umask(0o022);
  try {
    const file = path.join(tmp, 'roster.xlsx');
    srv.run(['export', 'members', '--org', 'CJZ-CJC', file]);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    fs.chmodSync(file, 0o644);
    srv.run(['export', 'members', '--org', 'CJZ-CJC', file]);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.includes('.tmp')), []);
  } finally {
    process.umask(old);
  }
});

test('a multipart part without a name is skipped, not a crash of the server (found by fuzz_multipart)', async () => {
  const admin = new Browser(srv.base);
  await admin.login('admin');
  // the input fuzz_multipart found (tests/fuzz/corpus/multipart/nameless_part): a
  // broken Content-Disposition, so the part reaches the collector with no name
  const body = Buffer.from(fs.readFileSync(path.join(__dirname, '..', 'fuzz', 'corpus', 'multipart', 'nameless_part')).subarray(7));
  const r = await fetch(srv.base + '/members/import', {
    method: 'POST', redirect: 'manual', body,
    headers: { cookie: admin.cookieHeader(), 'content-type': 'multipart/form-data; boundary=XyZ123' },
  });
  assert.ok(r.status >= 400 && r.status < 500, String(r.status)); /* no _csrf field: refused */
  assert.equal((await fetch(srv.base + '/healthz')).status, 200);
});

test('a full export streams from a file already removed; a client that goes away leaves no file and no open descriptor', async () => {
  const dir = path.join(tmp, 'exports');
  const admin = new Browser(srv.base);
  await admin.login('admin');
  // the server's descriptors on an export file (removed: "… (deleted)")
  const fds = () => fs.readdirSync(`/proc/${srv.pid}/fd`).map((n) => {
    try { return fs.readlinkSync(`/proc/${srv.pid}/fd/${n}`); } catch { return ''; }
  }).filter((l) => l.includes('dj-export-')).length;
  const get = (signal) => fetch(srv.base + '/members/export.xlsx?full=1', { headers: { cookie: admin.cookieHeader() }, signal });
  await (await get()).arrayBuffer(); // the server's connections and statements are warm
  // the server lets go of the file when the answer is complete, which may come just after the client has it all
  let before = fds();
  for (let i = 0; i < 50 && before > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    before = fds();
  }
  assert.equal(before, 0);
  for (let i = 0; i < 5; i++) {
    const ctl = new AbortController();
    const r = await get(ctl.signal);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /spreadsheetml/);
    ctl.abort(); // gone before reading the body
    assert.deepEqual(fs.readdirSync(dir), []); // removed before the first byte
  }
  const whole = Buffer.from(await (await get()).arrayBuffer());
  assert.equal(whole.subarray(0, 2).toString(), 'PK'); // a whole .xlsx (zip)
  let after = fds();
  for (let i = 0; i < 50 && after > before; i++) {
    await new Promise((r) => setTimeout(r, 50));
    after = fds();
  }
  assert.ok(after <= before, `${before} descriptors before, ${after} after`);
  assert.deepEqual(fs.readdirSync(dir), []);
});

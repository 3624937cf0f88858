// A time budget for every request (issue 9 §5) and writes that queue (§3).
// The test hook DANGJIAN_TEST_SLOW_PATH makes every statement of the requests
// under a path run seconds of work first (a recursive query on SQLite,
// pg_sleep on PostgreSQL), which the budget has to stop.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, freshDatabase, run, api, apiToken, Browser, PG } = require('./lib');

let ip = 0;
function place(base) {
  ip++;
  return fetch(base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': `198.51.${100 + (ip >> 8)}.${ip & 255}` },
    body: JSON.stringify({ kind: 'need', content: '路灯坏了', org: 'CJZ-CJC', contact_name: '王大爷', contact_phone: '13800001111' }),
  });
}

async function timed(p) {
  const t0 = Date.now();
  const res = await p;
  await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - t0 };
}

// A server on a fresh demo database whose request_timeout is `secs`.
async function serverWith(secs, slowPath) {
  const db = freshDatabase();
  run(['--db', db.url, 'demo']);
  run(['--db', db.url, 'config', 'set', 'request_timeout', String(secs)]);
  const srv = await startServer({ db: db.url, env: { DANGJIAN_TEST_SLOW_PATH: slowPath } });
  return { srv, db };
}

test('request_timeout is checked like the other settings', () => {
  const db = freshDatabase();
  try {
    run(['--db', db.url, 'demo']);
    for (const bad of ['0', '-1', 'abc', '601']) {
      assert.throws(() => run(['--db', db.url, 'config', 'set', 'request_timeout', bad]), /request_timeout 应为 1 到 600 之间的整数/);
    }
    run(['--db', db.url, 'config', 'set', 'request_timeout', '3']);
  } finally {
    db.drop();
  }
});

test('16 slow statistics requests: each answered within its deadline or 503 with Retry-After; orders are placed meanwhile', async () => {
  const { srv, db } = await serverWith(2, '/stats');
  try {
    const b = new Browser(srv.base);
    // the login's password hash (sanitizer build) may outlast a 2 s budget on a
    // loaded machine: it is not what this test is about, so it may be retried
    for (let i = 0; ; i++) {
      try { await b.login('chenji'); break; } catch (e) { if (i === 4 || !/503/.test(String(e))) throw e; }
    }
    const before = await timed(place(srv.base));
    assert.equal(before.status, 201);
    const t0 = Date.now();
    const slow = Array.from({ length: 16 }, () => timed(fetch(srv.base + '/stats/orders', { headers: { cookie: b.cookieHeader() } })));
    // while they run (every worker busy with one), orders are placed, one after another
    const placed = [];
    while (Date.now() - t0 < 2500) placed.push(await timed(place(srv.base)));
    const answers = await Promise.all(slow);
    for (const a of answers) {
      assert.equal(a.status, 503, 'past its deadline');
      assert.equal(a.retryAfter, '5');
      assert.ok(a.ms < 2000 + 1500, `answered ${a.ms} ms after it was sent (deadline 2 s)`);
    }
    assert.ok(placed.length >= 5, `${placed.length} orders placed in 2.5 s`);
    for (const p of placed) {
      assert.equal(p.status, 201);
      assert.ok(p.ms < 1000, `an order took ${p.ms} ms beside the slow requests`);
    }
    // the other pages still answer
    assert.equal((await b.get('/console')).status, 200);
  } finally {
    await srv.stop();
    db.drop();
  }
});

test('a write past its deadline is answered 503 and writes nothing; the next writes go on', async () => {
  // 3 s: the other requests of the test (a login's password hash in the
  // sanitizer build on a loaded machine) must fit in it; the slowed write
  // would take far longer
  const { srv, db } = await serverWith(3, '/api/v1/public/orders');
  try {
    const tok = await apiToken(srv.base, 'chenji');
    const count = async () => (await api(srv.base, tok, 'GET', '/api/v1/orders?limit=1')).json.total;
    const n0 = await count();
    const r = await timed(place(srv.base));
    assert.equal(r.status, 503);
    assert.equal(r.retryAfter, '5');
    assert.ok(r.ms < 3000 + 1500, `${r.ms} ms`);
    assert.equal(await count(), n0, 'nothing written');
    // the console's writes (another path, not slowed) are kept
    const b = new Browser(srv.base);
    await b.login('chenji');
    const id = (await api(srv.base, tok, 'GET', '/api/v1/orders?state=submitted&limit=1')).json.orders[0].id;
    const act = await b.postForm(`/orders/${id}`, `/orders/${id}/act/accept`, {});
    assert.equal(act.status, 303, `accepting: ${act.status}`);
    assert.equal((await api(srv.base, tok, 'GET', `/api/v1/orders/${id}`)).json.state, 'accepted');
  } finally {
    await srv.stop();
    db.drop();
  }
});

test('group commit: good and bad orders placed at once; each is all or nothing, every good one is kept', async () => {
  const srv = await startServer();
  try {
    const tok = await apiToken(srv.base, 'chenji');
    const count = async () => (await api(srv.base, tok, 'GET', '/api/v1/orders?limit=1')).json.total;
    const n0 = await count();
    const bad = (i) => fetch(srv.base + '/api/v1/public/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-real-ip': `203.0.113.${i}` },
      body: JSON.stringify({ kind: 'need', content: '路灯坏了', org: 'CJZ-CJC', contact_name: '王大爷', contact_phone: '123' }),
    });
    const all = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? bad(i) : place(srv.base))));
    const codes = [];
    for (const [i, res] of all.entries()) {
      assert.equal(res.status, i % 2 ? 422 : 201);
      if (!(i % 2)) codes.push((await res.json()).code);
      else await res.text();
    }
    assert.equal(await count(), n0 + 20, 'the 20 good ones, none of the bad');
    for (const code of codes) assert.equal((await fetch(`${srv.base}/api/v1/public/orders/${code}`)).status, 200);
  } finally {
    await srv.stop();
  }
});

// The writer's commits do not wait for the disk: the syncer fdatasyncs the WAL
// and only then are the requests answered. With the sync failing (the test
// hook fails its first round), a placed order is answered 503, not 201 — so
// its answer did wait for the sync; it is committed all the same, and the
// retry with the same Idempotency-Key gets it back.
test('group commit: an order is answered only after the WAL is synced; a failed sync answers 503 and the retry gets the order', { skip: !!PG && 'SQLite only: PostgreSQL commits on its own connection' }, async () => {
  const srv = await startServer({ env: { DANGJIAN_TEST_SYNC_FAIL: '1' } });
  try {
    const body = JSON.stringify({ kind: 'need', content: '村口水管漏水', org: 'CJZ-CJC', contact_name: '李大姐', contact_phone: '13800002222' });
    const post = () => fetch(srv.base + '/api/v1/public/orders', {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'sync-fail-0001', 'x-real-ip': '198.51.200.1' },
    });
    const first = await post();
    const j1 = await first.json();
    assert.equal(first.status, 503, JSON.stringify(j1));
    assert.equal(j1.error.code, 'db_busy');
    assert.match(j1.error.message, /保存失败/);
    // the syncer writes its line to stderr (a pipe) before the answer goes
    // out on the socket; node may read the socket first: wait for the line
    for (let i = 0; i < 100 && !/fdatasync of the WAL failed/.test(srv.stderr()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(srv.stderr(), /fdatasync of the WAL failed/);
    const again = await post();
    const j2 = await again.json();
    assert.equal(again.status, 200, JSON.stringify(j2));
    assert.equal(j2.repeated, true);
    assert.equal((await fetch(`${srv.base}/api/v1/public/orders/${j2.code}`)).status, 200);
    const third = await fetch(srv.base + '/api/v1/public/orders', {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'idempotency-key': 'sync-fail-0002', 'x-real-ip': '198.51.200.2' },
    });
    assert.equal(third.status, 201, 'the next sync succeeds');
    assert.notEqual((await third.json()).code, j2.code);
  } finally {
    await srv.stop();
  }
});

// Answered orders are in the WAL the syncer synced, and the checkpointer copies
// it into the database beside the writer: a server killed outright (SIGKILL,
// no shutdown) loses none of them, and the database checks whole afterwards.
test('group commit: every answered order survives a SIGKILL of the server; the database checks whole', async () => {
  const db = freshDatabase();
  run(['--db', db.url, 'demo']);
  run(['--db', db.url, 'config', 'set', 'request_timeout', '30']);
  try {
    let srv = await startServer({ db: db.url });
    const tok = await apiToken(srv.base, 'chenji');
    const count = async (s) => (await api(s.base, tok, 'GET', '/api/v1/orders?limit=1')).json.total;
    const n0 = await count(srv);
    const codes = [];
    for (let round = 0; round < 4; round++) {
      const all = await Promise.all(Array.from({ length: 30 }, () => place(srv.base)));
      for (const res of all) {
        assert.equal(res.status, 201);
        codes.push((await res.json()).code);
      }
      await new Promise((r) => setTimeout(r, 250)); // a checkpoint runs between rounds
    }
    process.kill(srv.pid, 'SIGKILL');
    await srv.stop().catch(() => {}); // it exited on a signal: stop() only reports that
    srv = await startServer({ db: db.url });
    try {
      assert.equal(await count(srv), n0 + 120, 'all 120 answered orders are there');
      for (const code of codes.slice(-5)) assert.equal((await fetch(`${srv.base}/api/v1/public/orders/${code}`)).status, 200);
    } finally {
      await srv.stop();
    }
    assert.match(run(['--db', db.url, 'check']), /engine integrity: ok/); // exits non-zero on any difference
  } finally {
    db.drop();
  }
});

// SIGTERM while slow requests run: a server with a 600 s budget, chenji
// logged in, the requests `start` begins (each answer with `at`, when it
// came), 500 ms for them to be under way, then the stop — within 10 s. Every
// request is answered 503 or closed, some 503; returns the answers with
// `after`, ms from the stop to each answer.
const slowRead = (srv, b) =>
  timed(fetch(srv.base + '/stats/orders', { headers: { cookie: b.cookieHeader() } }))
    .catch(() => ({ status: 'closed' })).then((a) => ({ ...a, at: Date.now() }));
async function sigtermDuring(start) {
  const { srv, db } = await serverWith(600, '/stats');
  let answers, stopped = false;
  try {
    const b = new Browser(srv.base);
    await b.login('chenji');
    const slow = await start(srv, b);
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    stopped = true;
    await srv.stop();
    const took = Date.now() - t0;
    assert.ok(took < 10000, `the server took ${took} ms to stop`);
    answers = (await Promise.all(slow)).map((a) => ({ ...a, after: a.at - t0 }));
  } finally {
    if (!stopped) await srv.stop();
    db.drop();
  }
  for (const a of answers) assert.ok(a.status === 503 || a.status === 'closed', `a slow request: ${a.status}`);
  assert.ok(answers.some((a) => a.status === 503), 'the running ones are answered');
  return answers;
}

test('SIGTERM ends the server within 10 s while 16 slow requests run (their answer: 503)', async () => {
  await sigtermDuring(async (srv, b) => Array.from({ length: 16 }, () => slowRead(srv, b)));
});

// The nice value and name of each thread of a process (Linux /proc).
function threadNices(pid) {
  const fs = require('node:fs');
  const out = [];
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat;
    try { stat = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'); } catch { continue; } // gone meanwhile
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' '); // fields[0] is field 3 (state)
    out.push({ name: stat.slice(stat.indexOf('(') + 1, close), nice: Number(fields[16]) });
  }
  return out;
}

test('long reads give way to writes: the read workers run 10 steps nicer, the writer and the server threads do not', async () => {
  const srv = await startServer({ args: ['--threads', '3'] });
  try {
    const threads = threadNices(srv.pid);
    const own = threads.find((t) => t.name === 'dangjian').nice; // the process's own priority
    const readers = threads.filter((t) => t.name === 'dj-read');
    assert.equal(readers.length, 3, JSON.stringify(threads));
    for (const t of readers) assert.equal(t.nice, Math.min(19, own + 10), JSON.stringify(threads));
    const others = threads.filter((t) => t.name !== 'dj-read');
    for (const t of others) assert.equal(t.nice, own, `${t.name} keeps the process's priority`);
    if (PG) assert.equal(threads.filter((t) => t.name === 'dj-pgwrite').length, 3, 'PostgreSQL write workers');
    else for (const name of ['dj-writer', 'dj-syncer', 'dj-checkpoint']) assert.ok(others.some((t) => t.name === name), name);
    assert.ok(others.some((t) => t.name === 'MHD-worker'), 'the server threads');
    assert.doesNotMatch(srv.stderr(), /keep their priority/);
  } finally {
    await srv.stop();
  }
});

// Beside slow reads that burn CPU (SQLite's slow statement; PostgreSQL's is a
// pg_sleep in the database server, which takes no CPU of ours) orders are
// placed at close to their rate alone. 8 read workers and 8 slow requests on
// the 2-core development machine at load 4–5: at the writer's priority
// (before) the orders kept 20–26 % of their rate alone in 1.5 s, at nice 10
// 41–84 % (most 60–80 %). The bound (a third) lies between; a timing on a
// loaded machine may still miss it once, so it is the best of three tries
// (each fails without the change).
// How many orders are placed beside the slow reads is a benchmark figure
// (bench/writes.sh, docs/performance.md "Long reads give way to writes"),
// not a timed assertion: here every order placed beside them succeeds and
// every slow read ends as a 503 at its deadline; the counts are diagnostics.
test('orders placed beside 8 slow statistics requests: every one placed, every slow read a 503', { skip: !!PG && 'SQLite only: on PostgreSQL the slow statement takes no CPU of the server' }, async (t) => {
  const db = freshDatabase();
  run(['--db', db.url, 'demo']);
  run(['--db', db.url, 'config', 'set', 'request_timeout', '3']);
  const srv = await startServer({ db: db.url, args: ['--threads', '8'], env: { DANGJIAN_TEST_SLOW_PATH: '/stats' } });
  try {
    const b = new Browser(srv.base);
    for (let i = 0; ; i++) {
      try { await b.login('chenji'); break; } catch (e) { if (i === 4 || !/503/.test(String(e))) throw e; }
    }
    // 8 clients placing orders one after another each, for `ms`
    const placeFor = async (ms) => {
      const end = Date.now() + ms;
      let n = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (Date.now() < end) {
          const r = await place(srv.base);
          await r.text();
          assert.equal(r.status, 201);
          n++;
        }
      }));
      return n;
    };
    await placeFor(300); // warm
    const alone = await placeFor(1500);
    const slow = Array.from({ length: 8 }, () => timed(fetch(srv.base + '/stats/orders', { headers: { cookie: b.cookieHeader() } })));
    await new Promise((r) => setTimeout(r, 200)); // every worker on one
    const beside = await placeFor(1500);
    const answers = await Promise.all(slow);
    for (const a of answers) assert.equal(a.status, 503, 'past its deadline');
    assert.ok(beside > 0, 'orders are placed while the slow reads run');
    // the slow reads slept while the orders queued (db_set_give_way)
    const metrics = await (await fetch(srv.base + '/metrics')).text();
    const gave = Number(/^dangjian_long_reads_gave_way_seconds_total (\S+)$/m.exec(metrics)?.[1]);
    assert.ok(gave > 0, `the slow reads gave way to the orders: ${gave} s`);
    t.diagnostic(`orders placed in 1.5 s: ${alone} alone, ${beside} beside 8 slow requests; the slow reads slept ${gave} s`);
  } finally {
    await srv.stop();
    db.drop();
  }
});

// On SQLite at most (cores - 1) long reads run at once (a route over 250 ms on
// average); the others wait on their worker within their deadline. Here the
// deadline is 600 s: the waiting ones must still end when the server stops.
test('SIGTERM ends the server within 10 s while long reads wait for their turn (their answer: 503)', async () => {
  const answers = await sigtermDuring(async (srv, b) => {
    // one slow request, its client gone after 1 s: the route is measured, and long
    const ac = new AbortController();
    const first = fetch(srv.base + '/stats/orders', { headers: { cookie: b.cookieHeader() }, signal: ac.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 1000));
    ac.abort();
    assert.equal(await first, 'aborted');
    await new Promise((r) => setTimeout(r, 1000)); // the reaper stops it; its time is recorded
    return Array.from({ length: 6 }, () => slowRead(srv, b));
  });
  // on 2 cores one runs (stopped by the grace of 5 s) and three wait on their
  // workers: those are answered as soon as the server stops
  if (!PG && require('node:os').cpus().length <= 2) {
    const soon = answers.filter((a) => a.after < 2500).length;
    assert.ok(soon >= 3, `answered soon after SIGTERM: ${soon} (${answers.map((a) => a.after).join(', ')} ms)`);
  }
});

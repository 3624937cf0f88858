// Several nodes (issue 9): two `dangjian serve` on one PostgreSQL database
// behind a throwaway nginx on loopback, configured as the README's nginx block
// (an upstream of both nodes, X-Real-IP set by nginx). Every request of the
// order workflow and of the logins goes through nginx, and the test checks
// that nginx sent them to the nodes in turn, so each step runs on the other
// node than the step before: a session (page or API) made on one node is used
// on the other, and the rate limits hold across nodes because they live in
// the database, keyed on the address nginx passes on.
//
// Needs PostgreSQL (SQLite is one file on one machine): scripts/test.sh runs
// the e2e files a second time with DANGJIAN_PG set, and this file runs there.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, freshDatabase, freePort, Browser, api, apiToken, run, PG, ROOT, shell } = require('./lib');

const skip = PG ? false : 'skipped: needs DANGJIAN_PG (two nodes share one PostgreSQL database)';
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

// nginx as the README configures it, in a temporary prefix: its own config,
// pid file, logs and temp paths, listening on a free loopback port. The
// X-Dangjian-Node header (not in the README) tells the test which node answered;
// with one worker process nginx's round robin is strictly A, B, A, …
async function startNginx(upstreams) {
  if (!NGINX) throw new Error('nginx missing: run scripts/setup.sh');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-nginx-'));
  const port = await freePort();
  const conf = `# written by tests/e2e/nodes.test.js
${process.getuid() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    upstream dangjian { ${upstreams.map((u) => `server ${u};`).join(' ')} }
    server {
        listen 127.0.0.1:${port};
        server_name dangjian.example.org;
        client_max_body_size 20m;
        client_header_timeout 10s;
        client_body_timeout 10s;
        send_timeout 30s;
        location / {
            proxy_pass http://dangjian;
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Dangjian-Node $upstream_addr always;
        }
    }
}
`;
  // the directives of the README's block are all here, as it writes them
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /\n {4}server \{\n([\s\S]*?)\n {4}\}\n/.exec(readme)[1];
  for (const line of block.split('\n').map((l) => l.trim()).filter((l) => /^(proxy_|client_|send_timeout)/.test(l))) {
    assert.ok(conf.includes(line), `the README's nginx block says "${line}"; the test's config does not`);
  }
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  execFileSync(NGINX, ['-t', '-q', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'pipe' });
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base + '/healthz')).status === 200) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null || i > 200) throw new Error(`nginx did not start:\n${out}${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    errorLog: () => fs.readFileSync(path.join(dir, 'error.log'), 'utf8'),
    async stop() {
      child.kill('SIGQUIT'); // graceful: finishes the requests in flight
      const { code } = await exited;
      fs.rmSync(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`nginx exited with ${code}:\n${out}`);
    },
  };
}

let db, nodes = [], nginx, base;
let names = new Map(); // upstream address → 'A' or 'B'
// The node that answered each request through nginx, in order.
const hops = [];
const realFetch = globalThis.fetch;

test.before(async () => {
  if (skip) return;
  db = freshDatabase();
  run(['--db', db.url, 'demo']);
  // both nodes migrate on start: the second finds the schema up to date
  nodes = [await startServer({ db: db.url }), await startServer({ db: db.url })];
  nginx = await startNginx(nodes.map((n) => `127.0.0.1:${n.port}`));
  base = nginx.base;
  names = new Map(nodes.map((n, i) => [`127.0.0.1:${n.port}`, 'AB'[i]]));
  globalThis.fetch = async (url, init) => {
    const r = await realFetch(url, init);
    if (String(url).startsWith(base)) {
      const via = r.headers.get('x-dangjian-node');
      assert.ok(names.has(via), `answered by ${via}, not one of the two nodes`);
      hops.push(names.get(via));
    }
    return r;
  };
});

test.after(async () => {
  globalThis.fetch = realFetch;
  if (skip) return;
  const errors = [];
  if (nginx) {
    const log = nginx.errorLog();
    try { await nginx.stop(); } catch (e) { errors.push(e); }
    // an upstream error (a node refused or dropped a request) would show here
    if (/\[(error|crit|alert|emerg)\]/.test(log)) errors.push(new Error(`nginx error log:\n${log}`));
  }
  for (const n of nodes) {
    try { await n.stop(); } catch (e) { errors.push(e); }
  }
  if (db) db.drop();
  if (errors.length) throw errors[0];
});

// Runs fn and checks that the requests it sent through nginx went to the
// nodes in turn (A, B, A, … or B, A, B, …), so that every step ran on the
// other node than the step before it, and that each node served some.
async function alternating(fn) {
  const from = hops.length;
  await fn();
  const seen = hops.slice(from);
  assert.ok(seen.length >= 4, `only ${seen.length} requests went through nginx`);
  for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1], `requests ${i - 1} and ${i} both went to node ${seen[i]}: ${seen.join('')}`);
  return seen;
}
const node = (res) => names.get(res.headers.get('x-dangjian-node'));
const psql = (sql) => shell('psql', [db.url, '-qAtc', sql], { encoding: 'utf8' }).trim();

test('a resident places an order, the branch and a member handle it, the resident confirms: through nginx, on both nodes in turn', { skip }, async () => {
  await alternating(async () => {
    // the resident: the public form (the CSRF cookie of one node checked by the other)
    const resident = new Browser(base);
    const form = await resident.get('/order');
    assert.equal(form.status, 200);
    const key = /name="_key" value="([^"]+)"/.exec(form.text)[1];
    const placed = await resident.post('/order', {
      _csrf: Browser.csrf(form.text), _key: key, kind: 'need', content: '村口路灯坏了，晚上出行不便', org: 'CJZ-CJC',
      urgency: 'normal', contact_name: '王大爷', contact_phone: '13800001111',
    });
    assert.equal(placed.status, 303, placed.text);
    assert.notEqual(node(placed), node(form), 'the form came from the other node');
    const trackPath = placed.headers.get('location');
    const code = /^\/track\/([\w-]+)$/.exec(trackPath)[1];
    const track = await resident.get(trackPath);
    assert.equal(track.status, 200);
    assert.ok(track.text.includes(`查询码是 ${code}`), 'the flash set by one node is shown by the other');

    // the branch secretary logs in on one node; the next request, on the other, is logged in
    const chenji = new Browser(base);
    const login = await chenji.login('chenji');
    const consolePage = await chenji.get('/console');
    assert.notEqual(node(consolePage), node(login));
    assert.equal(consolePage.status, 200);
    assert.ok(consolePage.text.includes('张建国'), 'the console is the logged-in one');
    const list = await chenji.get('/orders');
    const id = new RegExp(`<a href="/orders/(\\d+)">${code}</a>`).exec(list.text)[1];
    const accepted = await chenji.postForm(`/orders/${id}`, `/orders/${id}/act/accept`, {});
    assert.equal(accepted.status, 303, accepted.text);

    // an API token made on one node works on the other
    const tokenRes = await fetch(base + '/api/v1/session', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'chenji', password: 'Demo2026' }),
    });
    assert.equal(tokenRes.status, 201);
    const tok = (await tokenRes.json()).token;
    const assign = await api(base, tok, 'POST', `/api/v1/orders/${id}/actions/assign`, { assignee: 'dangyuan' });
    assert.equal(assign.status, 200, assign.text);
    assert.notEqual(node(assign), node(tokenRes));

    // the member delivers on the console
    const member = new Browser(base);
    await member.login('dangyuan');
    const delivered = await member.postForm(`/orders/${id}`, `/orders/${id}/act/deliver`, { note: '路灯已修好' });
    assert.equal(delivered.status, 303, delivered.text);
    assert.ok((await member.get(`/orders/${id}`)).text.includes('路灯已修好'));

    // the resident confirms on the tracking page
    const confirmed = await resident.postForm(trackPath, `${trackPath}/confirm`, { rating: '5', note: '谢谢' });
    assert.equal(confirmed.status, 303, confirmed.text);
    const after = await resident.get(trackPath);
    assert.ok(after.text.includes('★★★★★'), 'the rating shows on the tracking page');

    const d = await api(base, tok, 'GET', `/api/v1/orders/${id}`);
    assert.equal(d.json.state, 'closed');
    assert.equal(d.json.close_reason, 'resolved');
    assert.deepEqual(d.json.history.map((h) => h.action), ['create', 'accept', 'assign', 'deliver', 'confirm']);
  });
});

// The statistics and the order list are remembered per node for the second
// they were counted in, while the database's generation (the newest audit id)
// stands (src/order_stats_memo.c, src/answer_memo.c): an order placed on node
// B shows on node A's next request, within the same second, though A had
// already answered the same question in that second.
test('the statistics and the order list one node remembered show an order placed on the other at once', { skip }, async () => {
  const [A, B] = nodes;
  const tok = await apiToken(A.base, 'chenji');
  const stats = '/api/v1/stats/orders?from=2000-01-01&to=2099-12-31';
  let sameSecond = false;
  for (let attempt = 0; attempt < 5 && !sameSecond; attempt++) {
    const s0 = await api(A.base, tok, 'GET', stats);
    const l0 = await api(A.base, tok, 'GET', '/api/v1/orders?limit=5');
    assert.equal(s0.status, 200, s0.text);
    assert.equal(l0.status, 200, l0.text);
    // asked again: the same answer (remembered or not)
    assert.deepEqual((await api(A.base, tok, 'GET', stats)).json, s0.json);
    const placed = await fetch(B.base + '/api/v1/public/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-real-ip': `192.0.2.${attempt + 1}` },
      body: JSON.stringify({ kind: 'need', content: '社区健身器材松动，请派人检查', org: 'CJZ-CJC', contact_name: '赵阿姨', contact_phone: '13900003333' }),
    });
    const code = (await placed.json()).code;
    assert.equal(placed.status, 201);
    const s1 = await api(A.base, tok, 'GET', stats);
    const l1 = await api(A.base, tok, 'GET', '/api/v1/orders?limit=5');
    assert.equal(s1.json.collected, s0.json.collected + 1, 'node A counts the order node B placed');
    assert.equal(s1.json.open, s0.json.open + 1);
    assert.equal(l1.json.orders[0].code, code, 'and lists it first');
    assert.equal(l1.json.total, l0.json.total + 1);
    // the case the memo could get wrong: both answers of node A in one second
    sameSecond = s0.headers.get('date') === l1.headers.get('date');
  }
  assert.ok(sameSecond, 'five attempts, none within one second: the machine is too slow to tell');
});

test('a session ended on one node is ended on both', { skip }, async () => {
  await alternating(async () => {
    const b = new Browser(base);
    await b.login('zuzhi');
    const one = await b.get('/console');
    const two = await b.get('/console');
    assert.ok(one.text.includes('刘红梅') && two.text.includes('刘红梅'));
    assert.notEqual(node(one), node(two));
    const cookie = b.cookieHeader();
    const out = await b.postForm('/console', '/logout', {});
    assert.equal(out.status, 303);
    // the old cookie, replayed, is logged in on neither node
    const again = [];
    for (let i = 0; i < 2; i++) {
      const r = await fetch(base + '/console', { redirect: 'manual', headers: { cookie } });
      assert.equal(r.status, 303);
      assert.match(r.headers.get('location'), /^\/login/);
      again.push(node(r));
    }
    assert.deepEqual(new Set(again), new Set(['A', 'B']));
  });
});

test('the per-address limit on placing orders holds across nodes, keyed on the address nginx passes on', { skip }, async () => {
  await alternating(async () => {
    // nginx sets X-Real-IP to the peer it sees (127.0.0.1 here): what a client sends is replaced
    const used = Number(psql("SELECT count FROM order_rate WHERE key = 'place:127.0.0.1'") || 0);
    assert.equal(used, 1, 'the order placed on the form in the workflow counted for 127.0.0.1');
    const place = (i) => fetch(base + '/api/v1/public/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `nodes-rate-${i}`, 'x-real-ip': `203.0.113.${i}` },
      body: JSON.stringify({ kind: 'need', content: '帮忙代购降压药', org: 'CJZ-CJC', contact_name: '李奶奶', contact_phone: '13900002222' }),
    });
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await place(i)).status);
    // ten an hour from one address: nine more after the workflow's, then 429 on both nodes
    assert.deepEqual(statuses, [...Array(9).fill(201), 429, 429]);
    assert.equal(psql("SELECT COUNT(*) FROM order_rate WHERE key LIKE 'place:203.0.113.%'"), '0', 'the address a client claimed is not trusted through nginx');
    // the form is refused too, on whichever node
    const b = new Browser(base);
    const form = await b.get('/order');
    const refused = await b.post('/order', {
      _csrf: Browser.csrf(form.text), _key: 'nodes-rate-form-1', kind: 'need', content: '帮忙代购降压药', org: 'CJZ-CJC',
      urgency: 'normal', contact_name: '李奶奶', contact_phone: '13900002222',
    });
    assert.equal(refused.status, 429);
  });
});

test('the login throttle holds across nodes: failures on either node lock the account on both', { skip }, async () => {
  await alternating(async () => {
    const session = (password) => fetch(base + '/api/v1/session', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wangge', password }),
    });
    const failed = [];
    for (let i = 0; i < 5; i++) {
      const r = await session('wrong-password-1');
      assert.equal(r.status, 401);
      failed.push(node(r));
    }
    assert.deepEqual(new Set(failed), new Set(['A', 'B']), 'the five failures were counted on both nodes');
    // locked: the right password is refused on the page on one node and on the API on the other
    const b = new Browser(base);
    const form = await b.get('/login');
    const page = await b.post('/login', { _csrf: Browser.csrf(form.text), username: 'wangge', password: 'Demo2026' });
    assert.equal(page.status, 429);
    assert.ok(page.text.includes('登录失败次数过多'));
    const api429 = await session('Demo2026');
    assert.equal(api429.status, 429);
    assert.ok(Number(api429.headers.get('retry-after')) > 0);
    assert.notEqual(node(page), node(api429));
  });
});

test('the per-address login throttle holds across nodes, keyed on the address nginx passes on', { skip }, async () => {
  // last: it locks every login from 127.0.0.1 for a quarter of an hour
  await alternating(async () => {
    const session = (username, password, ip) => fetch(base + '/api/v1/session', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': ip }, body: JSON.stringify({ username, password }),
    });
    // 30 failures from one address (other accounts each time; a claimed X-Real-IP changes nothing)
    const already = Number(psql("SELECT failures FROM login_throttle WHERE key = 'ip:127.0.0.1'") || 0);
    assert.equal(already, 5, "wangge's five failures counted for 127.0.0.1");
    for (let i = already; i < 30; i++) assert.equal((await session(`nobody${i}`, 'wrong-password-1', `198.51.100.${i}`)).status, 401);
    const a = await session('jiwei', 'Demo2026', '198.51.100.200');
    const b = await session('jiwei', 'Demo2026', '198.51.100.201');
    assert.deepEqual([a.status, b.status], [429, 429]);
    assert.notEqual(node(a), node(b));
  });
  // the lock is on the address: another one (claimed from loopback, as nginx would) logs in
  const other = await fetch(nodes[0].base + '/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': '198.51.100.250' }, body: JSON.stringify({ username: 'jiwei', password: 'Demo2026' }),
  });
  assert.equal(other.status, 201);
});

// Backups (issue 10 §9): `dangjian backup FILE` copies a live SQLite database
// with the online backup API; a restore is copying the file back. The copy,
// restored to a new file, passes `check` with the same row count in every
// table as the original. On PostgreSQL the command points to pg_dump.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, run, PG } = require('./lib');

let srv, dir;
test.before(async () => {
  srv = await startServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-backup-'));
});
test.after(async () => {
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function cli(args) {
  try {
    return { status: 0, out: srv.run(args) };
  } catch (e) {
    return { status: e.status, out: String(e.stdout), err: String(e.stderr) };
  }
}

test('backup FILE, restored to a new file, checks and counts the same as the original', { skip: !!PG }, async () => {
  // the server is running and writing: an order placed before the copy is in it
  const tok = await apiToken(srv.base, 'chenji');
  const r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': '192.0.2.31' },
    body: JSON.stringify({ kind: 'need', content: '备份之前的诉求', org: 'CJZ-CJC', contact_name: '李大爷', contact_phone: '13600001111' }),
  });
  assert.equal(r.status, 201);
  const file = path.join(dir, 'copy.db');
  const out = cli(['backup', file]);
  assert.equal(out.status, 0, out.err);
  assert.match(out.out, /backup written/);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'a backup is readable by its owner only');
  assert.ok(!fs.existsSync(file + '.part'));
  // a second backup to the same file is refused, the first left alone
  const again = cli(['backup', file]);
  assert.equal(again.status, 1);
  assert.match(again.err, /already exists/);

  // restore: copy the backup to a new file, while the original keeps changing afterwards
  const restored = path.join(dir, 'restored.db');
  fs.copyFileSync(file, restored);
  const original = cli(['check']);
  assert.equal(original.status, 0, original.out);
  const copy = (() => {
    try { return { status: 0, out: run(['--db', restored, 'check']) }; } catch (e) { return { status: e.status, out: String(e.stdout) }; }
  })();
  assert.equal(copy.status, 0, copy.out);
  assert.match(copy.out, /engine integrity: ok/);
  const rows = (t) => Object.fromEntries([...t.matchAll(/^rows (\w+): (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
  const a = rows(original.out), b = rows(copy.out);
  assert.ok(Object.keys(a).length >= 15, 'every table is counted');
  assert.ok(a.orders > 0 && a.members > 0 && a.audit > 0);
  assert.deepEqual(b, a);
  assert.equal(copy.out, original.out, 'the whole check report is the same');

  // the restored file serves: the order placed before the backup is there
  const b2 = await startServer({ db: restored });
  try {
    const t2 = await apiToken(b2.base, 'chenji');
    const list = await api(b2.base, t2, 'GET', '/api/v1/orders?limit=200');
    assert.ok(list.json.orders.some((o) => o.content === '备份之前的诉求'));
  } finally {
    await b2.stop();
  }
  void tok;
});

test('backup refuses a missing database and wrong arguments', { skip: !!PG }, () => {
  let e = (() => { try { run(['--db', path.join(dir, 'none.db'), 'backup', path.join(dir, 'x.db')]); } catch (x) { return x; } })();
  assert.equal(e.status, 1);
  assert.match(String(e.stderr), /no database at/);
  assert.ok(!fs.existsSync(path.join(dir, 'none.db')), 'no empty database is created');
  e = (() => { try { srv.run(['backup']); } catch (x) { return x; } })();
  assert.equal(e.status, 2);
  assert.match(run(['backup', '--help']), /online\s+backup API/);
});

test('on PostgreSQL the backup command points to pg_dump', { skip: !PG }, () => {
  const out = cli(['backup', path.join(dir, 'pg.db')]);
  assert.equal(out.status, 1);
  assert.match(out.err, /pg_dump/);
});

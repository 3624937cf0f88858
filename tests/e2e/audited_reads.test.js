// Audited reads fail closed (issue 8, defect 1): reading full ID and phone
// numbers writes a member.reveal audit row, and under concurrent writes
// (residents placing orders) that row must still be written — the read runs
// in a write transaction from the start — and no full number is ever sent
// without it. Bounded: a fixed number of reads, the writers stop with them.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv, tok, admin;
test.before(async () => {
  srv = await startServer();
  tok = await apiToken(srv.base, 'chenji');
  admin = new Browser(srv.base);
  await admin.login('admin');
});
test.after(async () => { await srv.stop(); });

// How many rows of one action the audit log holds ("共 N 条").
async function auditCount(action) {
  const page = await admin.get(`/audit?action=${action}`);
  assert.equal(page.status, 200);
  const m = /共 (\d+) 条/.exec(page.text);
  assert.ok(m, 'the audit page shows its total');
  return Number(m[1]);
}

// Residents placing orders, each from its own address, until stop() is called.
function placers(n) {
  let running = true, placed = 0, ip = 0;
  const loops = [];
  for (let k = 0; k < n; k++) {
    loops.push((async () => {
      while (running) {
        const i = ip++;
        const r = await fetch(srv.base + '/api/v1/public/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-real-ip': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
          body: JSON.stringify({ kind: 'need', content: '帮忙代购降压药', org: 'CJZ-CJC', contact_name: '李奶奶', contact_phone: '13900002222' }),
        });
        await r.text();
        if (r.status === 201) placed++;
      }
    })());
  }
  return { async stop() { running = false; await Promise.all(loops); return placed; } };
}

test('full numbers read under concurrent order placement: every read is answered and audited', async () => {
  const list = await api(srv.base, tok, 'GET', '/api/v1/members?limit=1');
  assert.equal(list.status, 200);
  const id = list.json.members[0].id;
  const before = { reveal: await auditCount('member.reveal'), export: await auditCount('member.export_full') };

  const w = placers(6);
  const statuses = {};
  let full = 0, edits = 0, exports = 0;
  const reveal = async () => {
    const r = await api(srv.base, tok, 'GET', `/api/v1/members/${id}?reveal=1`);
    statuses[r.status] = (statuses[r.status] || 0) + 1;
    if (r.status === 200 && /^\d{17}[\dX]$/.test(r.json.id_number)) full++;
    else assert.ok(!/\d{17}[\dX]/.test(r.text), `no full number without its audit row: ${r.status} ${r.text}`);
  };
  const b = new Browser(srv.base);
  await b.login('chenji');
  // 100 API reveals, 4 at a time, and the edit page and a full export alongside
  for (let round = 0; round < 25; round++) {
    const jobs = [reveal(), reveal(), reveal(), reveal()];
    if (round % 5 === 0) {
      jobs.push(b.get(`/members/${id}/edit`).then((r) => { if (r.status === 200) edits++; else assert.equal(r.status, 503); }));
      jobs.push(b.get('/members/export.xlsx?full=1').then((r) => { if (r.status === 200) exports++; else assert.equal(r.status, 503); }));
    }
    await Promise.all(jobs);
  }
  const placed = await w.stop();
  assert.ok(placed > 0, 'orders were placed meanwhile');

  // every answer with full numbers has its audit row, and none was refused for a lost write lock
  const reveals = await auditCount('member.reveal') - before.reveal;
  assert.equal(reveals, full + edits, `audit rows ${reveals} for ${full} API reads and ${edits} edit pages (statuses ${JSON.stringify(statuses)})`);
  assert.equal(await auditCount('member.export_full') - before.export, exports);
  assert.deepEqual(statuses, { 200: 100 }, 'every reveal answered: the audit row waits for the write lock instead of failing');
  assert.equal(edits, 5);
  assert.equal(exports, 5);
});

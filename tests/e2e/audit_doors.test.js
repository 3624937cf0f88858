// Audit by the domain (issue 7 §3): the same change leaves the same one audit
// row whichever door it came through — a console page, the JSON API, or the
// command line (`dangjian tick`, whose auto-close acts as the system).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

let srv, tok = {}, admin;

test.before(async () => {
  srv = await startServer();
  for (const u of ['chenji', 'dangyuan']) tok[u] = await apiToken(srv.base, u);
  admin = new Browser(srv.base);
  await admin.login('admin');
});
test.after(async () => { await srv.stop(); });

// The audit rows of one order, as the audit log page lists them: [username, action, summary].
async function auditOf(id) {
  const rows = [];
  for (const action of ['order.create', 'order.action']) {
    const page = await admin.get(`/audit?action=${action}`);
    assert.equal(page.status, 200);
    const mine = [];
    const re = /<tr><td>[^<]*<\/td><td>([^<]*)<\/td><td>[^<]*<\/td><td>[^<]*<br><code class=\"muted\">([^<]+)<\/code><\/td><td>order #(\d+)<\/td><td>[^<]*<\/td><td>([^<]*)<\/td><\/tr>/g;
    for (const m of page.text.matchAll(re)) if (Number(m[3]) === id) mine.push([m[1], m[2], m[4]]);
    rows.push(...mine.reverse()); // the page is newest first
  }
  return rows;
}

test('a page, the API and the command line each leave exactly one audit row per change', async () => {
  const placed = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-real-ip': '198.51.100.77' },
    body: JSON.stringify({ kind: 'need', content: '村口水管漏水', org: 'CJZ-CJC', contact_name: '李大姐', contact_phone: '13800002222' }),
  });
  assert.equal(placed.status, 201);
  const { code } = await placed.json();
  const id = (await api(srv.base, tok.chenji, 'GET', '/api/v1/orders?limit=1')).json.orders[0].id;
  assert.deepEqual((await auditOf(id)).map((r) => r[1]), ['order.create'], 'placing through the API: one row');

  // a console page: the branch secretary accepts
  const b = new Browser(srv.base);
  await b.login('chenji');
  const r = await b.postForm(`/orders/${id}`, `/orders/${id}/act/accept`, {});
  assert.equal(r.status, 303, r.text);
  let rows = await auditOf(id);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[1], ['chenji', 'order.action', '接单']);

  // the API: assign, then the member delivers
  assert.equal((await api(srv.base, tok.chenji, 'POST', `/api/v1/orders/${id}/actions/assign`, { assignee: 'dangyuan' })).status, 200);
  assert.equal((await api(srv.base, tok.dangyuan, 'POST', `/api/v1/orders/${id}/actions/deliver`, { note: '水管已修好' })).status, 200);
  rows = await auditOf(id);
  assert.deepEqual(rows.slice(2), [['chenji', 'order.action', '派单'], ['dangyuan', 'order.action', '送单']]);

  // a refused action leaves none
  assert.equal((await api(srv.base, tok.chenji, 'POST', `/api/v1/orders/${id}/actions/accept`, {})).status, 409);
  assert.equal((await auditOf(id)).length, 4);

  // the command line: nobody answers for 8 days, `dangjian tick` closes it as the system
  assert.match(srv.run(['tick', '--now', String(Math.floor(Date.now() / 1000) + 8 * 86400)]), /tick: \d+ record/);
  rows = await auditOf(id);
  assert.equal(rows.length, 5);
  assert.deepEqual(rows[4], ['system', 'order.action', '逾期未评价，自动销单']);
  const t = await (await fetch(`${srv.base}/api/v1/public/orders/${code}`)).json();
  assert.equal(t.state, 'closed');
});

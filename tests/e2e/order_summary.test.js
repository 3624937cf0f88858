// The statistics' summary (issue 9 §2): every order step keeps the per-(org,
// day, kind) summary in step, a dispatch moves the order's figures to the
// branch that holds it now, and `dangjian check` recounts the summary from the
// orders and reports every row that differs (exit 1). On both databases.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer, apiToken, api } = require('./lib');

let srv, tok = {};
test.before(async () => {
  srv = await startServer();
  for (const u of ['zuzhi', 'chenji']) tok[u] = await apiToken(srv.base, u);
});
test.after(async () => { await srv.stop(); });

// `dangjian check`: its exit status and what it printed
function check() {
  try {
    return { status: 0, out: srv.run(['check']) };
  } catch (e) {
    return { status: e.status, out: String(e.stdout) + String(e.stderr) };
  }
}
// a statement on the server's database, outside the application (the breakage)
function sql(q) {
  if (srv.engine === 'postgresql' || /^postgres(ql)?:/.test(srv.db)) execFileSync('psql', [srv.db, '-qAtc', q], { stdio: 'pipe' });
  else execFileSync('sqlite3', [srv.db, q], { stdio: 'pipe' });
}

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const stats = async (org) => {
  const r = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/stats/orders?org=${org}&from=${today()}&to=${today()}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('the demo, a dispatch to another branch and check: the summary equals a recount; a broken row is reported', async () => {
  let c = check();
  assert.equal(c.status, 0, c.out);
  assert.match(c.out, /order summary: equal to a recount of the orders/);

  const before = { cjc: await stats('CJZ-CJC'), xjc: await stats('CJZ-XJC'), town: await stats('CJZ') };
  const r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': '203.0.113.77' },
    body: JSON.stringify({ kind: 'opinion', content: '西街路灯不亮，需要镇里协调', org: 'CJZ-CJC', contact_name: '王大爷', contact_phone: '13900003333' }),
  });
  assert.equal(r.status, 201, await r.text());
  const list = await api(srv.base, tok.chenji, 'GET', '/api/v1/orders?limit=1');
  const id = list.json.orders[0].id;
  const act = async (who, action, body = {}) => {
    const a = await api(srv.base, tok[who], 'POST', `/api/v1/orders/${id}/actions/${action}`, body);
    assert.equal(a.status, 200, `${action}: ${a.text}`);
  };
  await act('chenji', 'accept');
  await act('chenji', 'escalate', { note: '路灯属于西街村，请镇里转派' });
  // a second clerk's stale action changes nothing, the summary included
  assert.equal((await api(srv.base, tok.chenji, 'POST', `/api/v1/orders/${id}/actions/accept`, {})).status, 409);
  await act('zuzhi', 'dispatch', { to_org: 'CJZ-XJC' });

  const after = { cjc: await stats('CJZ-CJC'), xjc: await stats('CJZ-XJC'), town: await stats('CJZ') };
  // the order is counted where it is now, once in the town
  assert.equal(after.cjc.collected, before.cjc.collected);
  assert.equal(after.xjc.collected, before.xjc.collected + 1);
  assert.equal(after.xjc.accepted, before.xjc.accepted + 1);
  assert.equal(after.xjc.escalated, before.xjc.escalated + 1);
  assert.equal(after.xjc.dispatched, before.xjc.dispatched + 1);
  assert.equal(after.xjc.open, before.xjc.open + 1);
  assert.equal(after.town.collected, before.town.collected + 1);
  assert.equal(after.town.open, before.town.open + 1);
  c = check();
  assert.equal(c.status, 0, c.out);

  // issue 9 §2: the town's figures come from its own rollup rows; a broken
  // month of the town's subtree, and a broken hour of the histogram of times
  // to close, are each reported against the recount from the orders
  const month = "(org_id, grain, start, kind) IN (SELECT r.org_id, r.grain, r.start, r.kind FROM order_rollup r JOIN orgs g ON g.id = r.org_id " +
    "WHERE g.code = 'CJZ' AND r.grain = 'm' AND r.collected > 0 ORDER BY r.start DESC, r.kind LIMIT 1)";
  sql(`UPDATE order_rollup SET closed = closed + 1 WHERE ${month}`);
  c = check();
  assert.equal(c.status, 1, c.out);
  assert.match(c.out, /order_rollup org \d+ \d{4}-\d\d kind \w+: stored +collected=\d+ /);
  assert.match(c.out, /order_rollup org \d+ \d{4}-\d\d kind \w+: recounted collected=\d+ /);
  assert.doesNotMatch(c.out, /order_summary org/);
  sql(`UPDATE order_rollup SET closed = closed - 1 WHERE ${month}`);
  const hour = '(org_id, grain, start, hours) IN (SELECT org_id, grain, start, hours FROM order_close_hist ORDER BY start DESC, org_id, hours LIMIT 1)';
  sql(`UPDATE order_close_hist SET n = n + 1 WHERE ${hour}`);
  c = check();
  assert.equal(c.status, 1, c.out);
  assert.match(c.out, /order_close_hist org \d+ [\d-]+ hours \d+: stored +n=\d+/);
  sql(`UPDATE order_close_hist SET n = n - 1 WHERE ${hour}`);
  c = check();
  assert.equal(c.status, 0, c.out);

  // break one row: check names it, stored against recounted, and fails
  const row = "(org_id, day, kind) IN (SELECT org_id, day, kind FROM order_summary WHERE collected > 0 ORDER BY day DESC, org_id, kind LIMIT 1)";
  sql(`UPDATE order_summary SET rated = rated + 2 WHERE ${row}`);
  c = check();
  assert.equal(c.status, 1, c.out);
  assert.match(c.out, /order_summary org \d+ day \d{4}-\d\d-\d\d kind \w+: stored +collected=\d+ .* rated=(\d+)/);
  assert.match(c.out, /order_summary org \d+ day \d{4}-\d\d-\d\d kind \w+: recounted collected=\d+ /);
  assert.match(c.out, /order summary: 1 \(org, day, kind\) row\(s\) differ from a recount of the orders/);
  const stored = Number(/: stored +.* rated=(\d+)/.exec(c.out)[1]), recounted = Number(/: recounted .* rated=(\d+)/.exec(c.out)[1]);
  assert.equal(stored, recounted + 2);
  // a row that is missing is reported as well
  sql(`UPDATE order_summary SET rated = rated - 2 WHERE ${row}`);
  assert.equal(check().status, 0);
  sql(`DELETE FROM order_summary WHERE ${row}`);
  c = check();
  assert.equal(c.status, 1, c.out);
  assert.match(c.out, /: recounted collected=/);
  assert.doesNotMatch(c.out, /: stored /);
});

// The state machine of resident orders (SPEC M2), table-driven: the table is
// read from the server itself (GET /api/v1/orders/transitions), and every
// (state, action, actor) pair is tried. Every allowed one works and lands in
// its next state; every other one is refused and changes nothing.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, apiToken, api } = require('./lib');

let srv, table, tok = {};
let ipSeq = 1;
const USERS = { committee: 'zuzhi', branch: 'chenji', member: 'dangyuan', grid: 'wangge', admin: 'admin', reviewer: 'jiwei' };

async function place(kind = 'need') {
  const r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': `198.51.100.${(ipSeq++ % 250) + 1}` },
    // in the grid of the demo's grid worker: a grid worker sees the orders of its grids (SPEC §1)
    body: JSON.stringify({ kind, content: '路灯坏了，晚上出行不便', grid: 'CJC-G1', contact_name: '王大爷', contact_phone: '13800001111' }),
  });
  const text = await r.text();
  assert.equal(r.status, 201, text);
  const { code } = JSON.parse(text);
  const list = await api(srv.base, tok.admin, 'GET', '/api/v1/orders?limit=1');
  const o = list.json.orders[0];
  assert.equal(o.code, code);
  return { id: o.id, code };
}

// What each action carries, for an actor (a grid worker assigns to itself).
function body(action, actor) {
  switch (action) {
    case 'reject': case 'escalate': case 'close': case 'reopen': case 'add_info':
      return { note: '测试说明', reason: action === 'close' ? 'unresolvable' : undefined };
    case 'deliver': return { note: '已修好路灯' };
    case 'assign': return { assignee: actor === 'grid' ? 'wangge' : 'dangyuan' };
    case 'dispatch': return { to_org: 'CJZ-CJC', assignee: 'dangyuan' };
    case 'confirm': return { rating: 5, note: '很满意' };
    default: return {};
  }
}

async function act(o, action, actor, expectOk = true) {
  const b = body(action, actor);
  const r = actor === 'public'
    ? await fetch(`${srv.base}/api/v1/public/orders/${o.code}/actions/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })
      .then(async (x) => ({ status: x.status, text: await x.text() }))
    : await api(srv.base, tok[actor], 'POST', `/api/v1/orders/${o.id}/actions/${action}`, b);
  if (expectOk) assert.equal(r.status, 200, `${action} by ${actor}: ${r.text}`);
  return r;
}

// The shortest way to each state, taken by the actors who may.
async function reach(state, forActor, action) {
  const o = await place(action === 'claim' ? 'wish' : 'need'); // only micro-wishes can be claimed
  // to test a grid worker's own start or deliver, the order is the grid worker's
  const who = forActor === 'grid' && (state === 'assigned' || state === 'in_progress') ? 'grid' : 'branch';
  const steps = {
    submitted: [],
    accepted: [['accept', 'branch']],
    assigned: [['accept', 'branch'], ['assign', who]],
    in_progress: [['accept', 'branch'], ['assign', who], ['start', who === 'grid' ? 'grid' : 'member']],
    escalated: [['accept', 'branch'], ['escalate', 'branch']],
    delivered: [['accept', 'branch'], ['assign', 'branch'], ['deliver', 'member']],
    closed: [['accept', 'branch'], ['assign', 'branch'], ['deliver', 'member'], ['confirm', 'public']],
    rejected: [['reject', 'branch']],
    withdrawn: [['withdraw', 'public']],
  }[state];
  for (const [a, by] of steps) {
    // a grid worker's own assignment is done by the grid worker
    await act(o, a, a === 'assign' && who === 'grid' ? 'grid' : by);
  }
  return o;
}

const stateOf = async (o) => (await api(srv.base, tok.admin, 'GET', `/api/v1/orders/${o.id}`)).json;

test.before(async () => {
  srv = await startServer();
  for (const [role, u] of Object.entries(USERS)) tok[role] = await apiToken(srv.base, u);
  table = (await (await fetch(srv.base + '/api/v1/orders/transitions')).json());
});
test.after(async () => { await srv.stop(); });

test('the table covers the states and actions of SPEC M2', () => {
  const has = (from, action, actor, to) => table.transitions.some((t) => t.from === from && t.action === action && t.actor === actor && t.to === to);
  assert.ok(has('submitted', 'accept', 'branch', 'accepted'));
  assert.ok(has('submitted', 'reject', 'branch', 'rejected'));
  assert.ok(has('accepted', 'assign', 'branch', 'assigned'));
  assert.ok(has('assigned', 'escalate', 'branch', 'escalated'));
  assert.ok(has('escalated', 'dispatch', 'committee', 'assigned'));
  assert.ok(has('assigned', 'start', 'member', 'in_progress'));
  assert.ok(has('in_progress', 'deliver', 'member', 'delivered'));
  assert.ok(has('delivered', 'confirm', 'public', 'closed'));
  assert.ok(has('delivered', 'auto_close', 'system', 'closed'));
  assert.ok(has('delivered', 'reopen', 'public', 'assigned'));
  for (const s of ['submitted', 'accepted', 'assigned', 'in_progress', 'escalated', 'delivered']) assert.ok(has(s, 'withdraw', 'public', 'withdrawn'), s);
  assert.ok(has('submitted', 'claim', 'member', 'assigned'), 'a member claims a micro-wish');
});

test('only micro-wishes can be claimed, and the claim makes the member its assignee', async () => {
  const need = await place('need');
  const r = await api(srv.base, tok.member, 'POST', `/api/v1/orders/${need.id}/actions/claim`, {});
  assert.equal(r.status, 409);
  assert.match(r.text, /只有微心愿可以认领/);
  const wish = await place('wish');
  const c = await api(srv.base, tok.member, 'POST', `/api/v1/orders/${wish.id}/actions/claim`, {});
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.assignee, 'dangyuan');
  assert.equal(c.json.state, 'assigned');
});

const ACTORS = ['committee', 'branch', 'member', 'grid', 'admin', 'reviewer', 'public'];
const STATES = ['submitted', 'accepted', 'assigned', 'in_progress', 'escalated', 'delivered', 'closed', 'rejected', 'withdrawn'];

for (const state of STATES) {
  test(`from ${state}: every action by every actor is allowed exactly as the table says`, async () => {
    let tried = 0;
    for (const action of table.actions.filter((a) => a !== 'auto_close')) {
      for (const actor of ACTORS) {
        const o = await reach(state, actor, action);
        const before = await stateOf(o);
        assert.equal(before.state, state);
        const rule = table.transitions.find((t) => t.from === state && t.action === action && t.actor === actor);
        const r = await act(o, action, actor, false);
        const after = await stateOf(o);
        if (rule) {
          assert.equal(r.status, 200, `${state} --${action}(${actor})--> ${rule.to}: ${r.text}`);
          assert.equal(after.state, rule.to, `${state} --${action}(${actor})`);
          assert.equal(after.history.length, before.history.length + 1, 'one history entry per transition');
          assert.equal(after.history.at(-1).action, action);
        } else {
          assert.ok([403, 404, 409].includes(r.status), `${state} --${action}(${actor}) must be refused, got ${r.status} ${r.text}`);
          assert.ok(/"error"/.test(r.text) && /"message"/.test(r.text), 'a clear JSON error');
          assert.deepEqual(after, before, `${state} --${action}(${actor}) changed nothing`);
        }
        tried++;
      }
    }
    assert.ok(tried >= 13 * ACTORS.length);
  });
}

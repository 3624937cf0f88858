// The life of a micro-lesson order (SPEC M4, issue 14), table-driven: the
// table is read from the server (GET /api/v1/lesson-orders/transitions) and
// every (state, action, actor) is tried. Every allowed step works and lands
// in its next state; every other is refused and changes nothing. Actors: the
// lesson's lecturer (dangyuan, 李志强 of 陈集村), the ordering branch (xijie,
// 西街村), the committee (zuzhi: above the branch), and a branch that is
// neither (chenji: another village).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, apiToken, api } = require('./lib');

let srv, table, lessonId, xjcMembers = [];
const tok = {};
const USERS = { lecturer: 'dangyuan', branch: 'xijie', committee: 'zuzhi', other: 'chenji' };
const ACTORS = Object.keys(USERS);
const STATES = ['requested', 'scheduled', 'delivered', 'rated', 'declined', 'cancelled'];
const FUTURE = '2099-06-01';

async function memberId(org, name) {
  const r = await api(srv.base, tok.committee, 'GET', `/api/v1/members?org=${org}&q=${encodeURIComponent(name)}`);
  assert.equal(r.status, 200, r.text);
  const m = r.json.members.find((x) => x.name === name);
  assert.ok(m, `${name} in ${org}`);
  return m.id;
}

function body(action) {
  switch (action) {
    case 'confirm': return { date: FUTURE, place: '西街村党群服务中心' };
    case 'decline': return { reason: '当月外出学习' };
    case 'cancel': return { reason: '时间冲突' };
    case 'deliver': return { present: xjcMembers.slice(0, 3), speakers: [xjcMembers[0]], others: 2 };
    case 'rate': return { rating: 5, comment: '讲得接地气' };
    default: return {};
  }
}

const act = (id, action, actor) => api(srv.base, tok[actor], 'POST', `/api/v1/lesson-orders/${id}/actions/${action}`, body(action));
const get = async (id) => (await api(srv.base, tok.committee, 'GET', `/api/v1/lesson-orders/${id}`)).json;

async function place() {
  const r = await api(srv.base, tok.branch, 'POST', '/api/v1/lesson-orders', { lesson_id: lessonId, want_from: '2099-05-20', want_to: '2099-06-10' });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function reach(state) {
  const id = await place();
  const steps = {
    requested: [],
    scheduled: [['confirm', 'lecturer']],
    delivered: [['confirm', 'lecturer'], ['deliver', 'branch']],
    rated: [['confirm', 'lecturer'], ['deliver', 'branch'], ['rate', 'branch']],
    declined: [['decline', 'lecturer']],
    cancelled: [['cancel', 'branch']],
  }[state];
  for (const [a, by] of steps) {
    const r = await act(id, a, by);
    assert.equal(r.status, 200, `${a} by ${by}: ${r.text}`);
  }
  return id;
}

test.before(async () => {
  srv = await startServer();
  for (const [role, u] of Object.entries(USERS)) tok[role] = await apiToken(srv.base, u);
  table = await (await fetch(srv.base + '/api/v1/lesson-orders/transitions', { headers: { authorization: `Bearer ${tok.committee}` } })).json();
  const lecturer = await memberId('CJZ-CJC', '李志强');
  const l = await api(srv.base, tok.committee, 'POST', '/api/v1/lessons', {
    title: '庭院里的乡村振兴', topic: 'rural', minutes: 20, outline: '从一户一策讲起', lecturers: [lecturer],
  });
  assert.equal(l.status, 201, l.text);
  lessonId = l.json.id;
  const ms = await api(srv.base, tok.committee, 'GET', '/api/v1/members?org=CJZ-XJC&limit=10');
  xjcMembers = ms.json.members.map((m) => m.id);
  assert.ok(xjcMembers.length >= 3);
});
test.after(async () => { await srv.stop(); });

test('the table is the one of SPEC M4: confirm/decline by the lecturer, cancel/deliver/rate by the branch', () => {
  const has = (from, action, actor, to) => table.transitions.some((t) => t.from === from && t.action === action && t.actor === actor && t.to === to);
  assert.ok(has('requested', 'confirm', 'lecturer', 'scheduled'));
  assert.ok(has('requested', 'decline', 'lecturer', 'declined'));
  assert.ok(has('requested', 'cancel', 'branch', 'cancelled'));
  assert.ok(has('scheduled', 'cancel', 'branch', 'cancelled'));
  assert.ok(has('scheduled', 'deliver', 'branch', 'delivered'));
  assert.ok(has('delivered', 'rate', 'branch', 'rated'));
  assert.deepEqual(table.states, STATES);
});

// who the table's actor names: the committee acts as the branch (it is above it)
const roleOf = (actor) => (actor === 'committee' ? 'branch' : actor);

for (const state of STATES) {
  test(`from ${state}: every action by every actor is allowed exactly as the table says`, async () => {
    let tried = 0;
    for (const action of table.actions) {
      for (const actor of ACTORS) {
        const id = await reach(state);
        const before = await get(id);
        assert.equal(before.state, state);
        const rule = table.transitions.find((t) => t.from === state && t.action === action && t.actor === roleOf(actor));
        const r = await act(id, action, actor);
        const after = await get(id);
        if (rule) {
          assert.equal(r.status, 200, `${state} --${action}(${actor})--> ${rule.to}: ${r.text}`);
          assert.equal(after.state, rule.to);
          assert.equal(after.history.length, before.history.length + 1, 'one history entry per step');
          assert.equal(after.history.at(-1).action, action);
        } else {
          assert.ok([403, 404, 409].includes(r.status), `${state} --${action}(${actor}) must be refused, got ${r.status} ${r.text}`);
          assert.match(r.text, /"message"/);
          assert.deepEqual(after, before, `${state} --${action}(${actor}) changed nothing`);
        }
        tried++;
      }
    }
    assert.equal(tried, table.actions.length * ACTORS.length);
  });
}

test('a delivery records who was there and who spoke; the order shows the person-times', async () => {
  const id = await reach('delivered');
  const o = await get(id);
  assert.equal(o.present, 3);
  assert.equal(o.speakers, 1);
  assert.equal(o.others, 2);
  assert.equal(o.attendance, 5);
  assert.equal(o.attendees.length, 3);
  assert.deepEqual(o.attendees.filter((a) => a.spoke).map((a) => a.member_id), [xjcMembers[0]]);
  assert.equal(o.lecturer_name, '李志强');
});

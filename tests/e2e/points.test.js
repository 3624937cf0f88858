// Party-member points (issue 11, SPEC M6): awarded by the events themselves,
// once per source, capped with a 0-point entry that says why, priced by the
// rule version in force (a change from tomorrow leaves today alone), manual
// adjustments that only someone else may approve — and the ledger is never
// updated: every action is checked against a copy of the whole ledger taken
// before it. Runs on SQLite and (DANGJIAN_PG) PostgreSQL; the server's clock
// is injected through DANGJIAN_NOW_FILE.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, shell } = require('./lib');

const clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-clock-')), 'now');
const at = (s) => Math.floor(Date.parse(s + '+08:00') / 1000); // Asia/Shanghai wall time
const setClock = (t) => fs.writeFileSync(clockFile, String(t));

let srv, tok = {}, ip = 1;
test.before(async () => {
  setClock(at('2027-03-01T09:00:00'));
  srv = await startServer({ env: { DANGJIAN_NOW_FILE: clockFile } });
  for (const u of ['admin', 'zuzhi', 'chenji', 'xijie', 'dangyuan', 'wangge']) tok[u] = await apiToken(srv.base, u);
});
test.after(async () => { await srv.stop(); });

// The whole ledger, read from the database itself (not through the code under test).
function ledger() {
  const sql = 'SELECT id, member_id, org_id, kind, code, rule_id, qty, points, reason, source_kind, source_id, corrects_id, at, year, month, day, '
    + 'actor_user_id, actor, created_at FROM points_ledger ORDER BY id';
  // the demo town's year of meetings, volunteering and lessons makes it several MB: shell's buffer holds it
  const opts = { encoding: 'utf8' };
  if (srv.db.startsWith('postgres')) return shell('psql', ['-At', '-F', '|', srv.db, '-c', sql], opts);
  return shell('sqlite3', ['-separator', '|', srv.db.replace(/^sqlite:/, ''), sql], opts);
}
function sqlRun(sql) {
  const opts = { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] };
  if (srv.db.startsWith('postgres')) return shell('psql', ['-v', 'ON_ERROR_STOP=1', '-At', srv.db, '-c', sql], opts);
  return shell('sqlite3', ['-bail', srv.db.replace(/^sqlite:/, ''), sql], opts);
}
// Runs an action and checks that the ledger before it is still there, row for row.
async function unchanged(fn) {
  const before = ledger();
  const out = await fn();
  const after = ledger();
  assert.ok(after.startsWith(before), 'no ledger row was updated or deleted');
  return { out, added: after.slice(before.length).split('\n').filter(Boolean) };
}

async function place(kind = 'need') {
  const r = await fetch(srv.base + '/api/v1/public/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': `203.0.113.${ip++}` },
    body: JSON.stringify({ kind, content: '帮忙代购降压药', org: 'CJZ-CJC', contact_name: '李奶奶', contact_phone: '13900002222' }),
  });
  const j = await r.json();
  assert.equal(r.status, 201, JSON.stringify(j));
  const list = await api(srv.base, tok.chenji, 'GET', '/api/v1/orders?limit=1');
  return { id: list.json.orders[0].id, code: j.code };
}
const act = async (who, o, action, body = {}) => {
  const r = await api(srv.base, tok[who], 'POST', `/api/v1/orders/${o.id}/actions/${action}`, body);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
};
async function delivered(who = 'dangyuan') {
  const o = await place();
  await act('chenji', o, 'accept');
  await act('chenji', o, 'assign', { assignee: who });
  await act(who, o, 'deliver', { note: '药已送到' });
  return o;
}
const mine = async (year = 2027) => {
  const r = await api(srv.base, tok.dangyuan, 'GET', `/api/v1/points?year=${year}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('delivering an order pays the rule once; reopened and delivered again it does not pay twice', async () => {
  const before = await mine();
  const { out: o, added } = await unchanged(() => delivered());
  assert.equal(added.length, 1, 'one entry');
  let p = await mine();
  assert.equal(p.total, before.total + 3);
  const e = p.entries.find((x) => x.source.kind === 'order' && x.source.id === o.id);
  assert.ok(e, 'the entry names its order');
  assert.equal(e.points, 3);
  assert.equal(e.code, 'order_delivered');
  assert.equal(e.source.href, `/orders/${o.id}`);
  assert.equal(e.source.label, o.code);
  assert.match(e.actor, /李志强/);
  // the resident says it is not solved; delivered again: no second payment
  const r = await fetch(`${srv.base}/api/v1/public/orders/${o.code}/actions/reopen`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: '药买错了' }),
  });
  assert.equal(r.status, 200, await r.text());
  const again = await unchanged(() => act('dangyuan', o, 'deliver', { note: '已换药' }));
  assert.equal(again.added.length, 0);
  p = await mine();
  assert.equal(p.total, before.total + 3);
  assert.equal(p.entries.filter((x) => x.source.id === o.id).length, 1);
  // the total is the sum of the entries
  assert.equal(p.entries.reduce((s, x) => s + x.points, 0), p.total);
  // and the database itself refuses to change a ledger row (a trigger on either engine)
  for (const sql of ['UPDATE points_ledger SET points = 99', 'DELETE FROM points_ledger']) {
    const before = ledger();
    assert.throws(() => sqlRun(sql), /append-only/, sql);
    assert.equal(ledger(), before);
  }
});

test('the daily cap stops the (cap+1)-th award with a 0-point entry that says why', async () => {
  setClock(at('2027-03-05T09:00:00'));
  const rule = (await api(srv.base, tok.dangyuan, 'GET', '/api/v1/points/rules')).json.rules.find((x) => x.code === 'order_delivered' && x.current);
  assert.equal(rule.points, 3);
  assert.equal(rule.cap_day, 9);
  const ids = [], codes = [];
  for (let k = 0; k < 4; k++) {
    setClock(at('2027-03-05T09:00:00') + k * 600);
    const o = await delivered();
    ids.push(o.id);
    codes.push(o.code);
  }
  const p = await mine();
  const got = ids.map((id) => p.entries.find((x) => x.source.id === id));
  assert.deepEqual(got.map((x) => x.points), [3, 3, 3, 0]);
  assert.match(got[3].reason, /已达每日上限 9 分/);
  assert.equal(got[3].rule_points, 3, 'the rule would have given 3');
  // the next day pays again
  setClock(at('2027-03-06T09:00:00'));
  const next = await delivered();
  assert.equal((await mine()).entries.find((x) => x.source.id === next.id).points, 3);
  // the member sees why on 我的积分
  const b = new Browser(srv.base);
  await b.login('dangyuan');
  const page = await b.get('/points?year=2027');
  assert.equal(page.status, 200);
  assert.match(page.text, /已达每日上限 9 分，本次不计分/);
  assert.ok(page.text.includes(`href="/orders/${ids[3]}"`));
  assert.ok(page.text.includes(`>诉求 ${codes[3]}</a>`), 'the order by its tracking code');
});

test('a rule changed from tomorrow leaves today alone; tomorrow uses the new value', async () => {
  setClock(at('2027-03-10T10:00:00'));
  const today = await delivered();
  const before = await mine();
  // bad input first: nothing written
  const bad = [
    [{ code: 'bogus', points: 4, valid_from: '2027-03-11' }, 'code'],
    [{ code: 'order_delivered', points: 'four', valid_from: '2027-03-11' }, 'points'],
    [{ code: 'order_delivered', points: 2.5, valid_from: '2027-03-11' }, 'points'],
    [{ code: 'order_delivered', points: 4, cap_day: '9', valid_from: '2027-03-11' }, 'cap_day'],
    [{ code: 'order_delivered', points: 4, valid_from: '2027-03-10' }, 'valid_from'], // an entry of today already used the rule
    [{ code: 'order_delivered', points: 4, valid_from: '11/03/2027' }, 'valid_from'],
  ];
  const rulesBefore = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/points/rules')).json.rules.length;
  for (const [body, field] of bad) {
    const r = await api(srv.base, tok.zuzhi, 'POST', '/api/v1/points/rules', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(JSON.stringify(r.json.error.fields || {}).includes(field) || r.json.error.message.includes(field) || r.text.includes(`"${field}"`),
      `${field} named: ${r.text}`);
  }
  assert.equal((await api(srv.base, tok.zuzhi, 'GET', '/api/v1/points/rules')).json.rules.length, rulesBefore);
  // only the committee changes rules
  assert.equal((await api(srv.base, tok.chenji, 'POST', '/api/v1/points/rules', { code: 'order_delivered', points: 4, valid_from: '2027-03-11' })).status, 403);
  assert.equal((await api(srv.base, tok.dangyuan, 'POST', '/api/v1/points/rules', { code: 'order_delivered', points: 4, valid_from: '2027-03-11' })).status, 403);
  const { out: r } = await unchanged(() => api(srv.base, tok.zuzhi, 'POST', '/api/v1/points/rules',
    { code: 'order_delivered', points: 5, cap_day: 0, cap_year: 0, valid_from: '2027-03-11', note: '鼓励党员多办实事' }));
  assert.equal(r.status, 201, r.text);
  const after = await mine();
  assert.equal(after.total, before.total, "today's total unchanged");
  assert.deepEqual(after.entries, before.entries, "today's entries unchanged");
  const rules = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/points/rules')).json.rules.filter((x) => x.code === 'order_delivered');
  assert.equal(rules.length, 2);
  assert.equal(rules.find((x) => x.current).points, 3, 'today the old version is in force');
  // tomorrow
  setClock(at('2027-03-11T10:00:00'));
  const t = await delivered();
  const p = await mine();
  assert.equal(p.entries.find((x) => x.source.id === t.id).points, 5);
  assert.equal(p.entries.find((x) => x.source.id === today.id).points, 3);
  assert.equal(p.total, before.total + 5);
  assert.equal((await api(srv.base, tok.zuzhi, 'GET', '/api/v1/points/rules')).json.rules.find((x) => x.code === 'order_delivered' && x.current).points, 5);
});

test('an adjustment: the proposer gets 403 approving it, another officer approves, the total moves by exactly that', async () => {
  setClock(at('2027-03-12T10:00:00'));
  const me = await mine();
  const member = me.member.id;
  // bad input: no reason, not an integer, 0, a member outside the subtree
  const other = (await api(srv.base, tok.xijie, 'GET', '/api/v1/points/ranking?limit=1')).json.ranking[0].member_id;
  for (const [body, status, field] of [
    [{ member, points: 5 }, 422, 'reason'],
    [{ member, points: 5, reason: '' }, 422, 'reason'],
    [{ member, points: 0, reason: '表现突出' }, 422, 'points'],
    [{ member, points: 999, reason: '表现突出' }, 422, 'points'],
    [{ member, points: '5', reason: '表现突出' }, 422, 'points'],
    [{ member: other, points: 5, reason: '表现突出' }, 422, 'member'], // outside the subtree: as if there were none
  ]) {
    const { out: r, added } = await unchanged(() => api(srv.base, tok.chenji, 'POST', '/api/v1/points/adjustments', body));
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(r.text.includes(field), `${field} named: ${r.text}`);
    assert.equal(added.length, 0);
  }
  // a member may not propose
  assert.equal((await api(srv.base, tok.dangyuan, 'POST', '/api/v1/points/adjustments', { member, points: 5, reason: '自荐' })).status, 403);
  const { out: prop, added } = await unchanged(() => api(srv.base, tok.chenji, 'POST', '/api/v1/points/adjustments',
    { member, points: 4, reason: '汛期连续三昼夜参加河堤巡查' }));
  assert.equal(prop.status, 201, prop.text);
  assert.equal(added.length, 0, 'a proposal writes no ledger entry');
  const id = prop.json.id;
  const own = await unchanged(() => api(srv.base, tok.chenji, 'POST', `/api/v1/points/adjustments/${id}/approve`, {}));
  assert.equal(own.out.status, 403, own.out.text);
  assert.equal(own.added.length, 0);
  // the console says the same
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  const q = await sec.get('/points/adjustments?state=pending');
  assert.match(q.text, /由他人审批/);
  assert.equal((await sec.post(`/points/adjustments/${id}/decide`, { _csrf: Browser.csrf(q.text), decision: 'approve' })).status, 403);
  // another branch's secretary does not see it; a member may not approve
  assert.equal((await api(srv.base, tok.xijie, 'POST', `/api/v1/points/adjustments/${id}/approve`, {})).status, 404);
  assert.equal((await api(srv.base, tok.dangyuan, 'POST', `/api/v1/points/adjustments/${id}/approve`, {})).status, 403);
  const ok = await unchanged(() => api(srv.base, tok.zuzhi, 'POST', `/api/v1/points/adjustments/${id}/approve`, { note: '情况属实' }));
  assert.equal(ok.out.status, 200, ok.out.text);
  assert.equal(ok.out.json.state, 'approved');
  assert.equal(ok.added.length, 1, 'one ledger entry');
  const after = await mine();
  assert.equal(after.total, me.total + 4);
  assert.ok(after.entries.some((x) => x.kind === 'adjustment' && x.points === 4 && x.source.id === id && x.reason === '汛期连续三昼夜参加河堤巡查'));
  // decided once
  assert.equal((await api(srv.base, tok.zuzhi, 'POST', `/api/v1/points/adjustments/${id}/reject`, { note: '重复' })).status, 409);
  // a rejection needs a note and moves nothing
  const p2 = await api(srv.base, tok.chenji, 'POST', '/api/v1/points/adjustments', { member, points: 3, reason: '协助人口普查' });
  assert.equal(p2.status, 201);
  assert.equal((await api(srv.base, tok.zuzhi, 'POST', `/api/v1/points/adjustments/${p2.json.id}/reject`, {})).status, 422);
  const rej = await unchanged(() => api(srv.base, tok.zuzhi, 'POST', `/api/v1/points/adjustments/${p2.json.id}/reject`, { note: '属于日常工作' }));
  assert.equal(rej.out.status, 200);
  assert.equal(rej.added.length, 0);
  assert.equal((await mine()).total, me.total + 4);
  const list = (await api(srv.base, tok.chenji, 'GET', '/api/v1/points/adjustments')).json.adjustments;
  assert.equal(list.find((x) => x.id === id).state, 'approved');
  assert.equal(list.find((x) => x.id === p2.json.id).state, 'rejected');
  assert.equal((await api(srv.base, tok.chenji, 'GET', '/api/v1/points/adjustments?state=bogus')).status, 422);
  // audited
  const adm = new Browser(srv.base);
  await adm.login('admin');
  const audit = await adm.get('/audit?action=points.approve');
  assert.equal(audit.status, 200);
  assert.match(audit.text, /批准积分调整/);
  assert.match(audit.text, /李志强 \+4 分/);
  assert.match((await adm.get('/audit?action=points.propose')).text, /汛期连续三昼夜参加河堤巡查/);
});

test('a correction is a new entry that references the corrected one', async () => {
  setClock(at('2027-03-13T10:00:00'));
  const o = await delivered();
  const me = await mine();
  const entry = me.entries.find((x) => x.source.id === o.id);
  // a member may not correct; a reason is required; the same value is no correction
  assert.equal((await api(srv.base, tok.dangyuan, 'POST', `/api/v1/points/entries/${entry.id}/correct`, { points: 0, reason: 'x' })).status, 403);
  assert.equal((await api(srv.base, tok.chenji, 'POST', `/api/v1/points/entries/${entry.id}/correct`, { points: 0 })).status, 422);
  assert.equal((await api(srv.base, tok.chenji, 'POST', `/api/v1/points/entries/${entry.id}/correct`, { points: entry.points, reason: '无变化' })).status, 422);
  assert.equal((await api(srv.base, tok.xijie, 'POST', `/api/v1/points/entries/${entry.id}/correct`, { points: 0, reason: '误记' })).status, 404);
  const { out: r, added } = await unchanged(() => api(srv.base, tok.chenji, 'POST', `/api/v1/points/entries/${entry.id}/correct`,
    { points: 0, reason: '经核实由网格员代为办结' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(added.length, 1);
  const p = await mine();
  assert.equal(p.total, me.total - entry.points);
  const c = p.entries.find((x) => x.corrects === entry.id);
  assert.equal(c.kind, 'correction');
  assert.equal(c.points, -entry.points);
  assert.equal(p.entries.find((x) => x.id === entry.id).corrected_by, c.id);
  assert.equal((await api(srv.base, tok.chenji, 'POST', `/api/v1/points/entries/${entry.id}/correct`, { points: 1, reason: '再改' })).status, 409);
});

test('who may read what; bad input is refused naming the field', async () => {
  const me = await mine();
  // a member reads its own points, not another's
  const other = (await api(srv.base, tok.chenji, 'GET', '/api/v1/points/ranking?year=2027')).json.ranking.find((x) => x.member_id !== me.member.id);
  assert.equal((await api(srv.base, tok.dangyuan, 'GET', `/api/v1/points?member=${other.member_id}`)).status, 404);
  assert.equal((await api(srv.base, tok.chenji, 'GET', `/api/v1/points?member=${other.member_id}&year=2027`)).status, 200);
  // another branch's secretary does not reach this member
  assert.equal((await api(srv.base, tok.xijie, 'GET', `/api/v1/points?member=${me.member.id}`)).status, 404);
  // a member sees its branch's ranking, not another branch's member ranking
  assert.equal((await api(srv.base, tok.dangyuan, 'GET', '/api/v1/points/ranking')).status, 200);
  assert.equal((await api(srv.base, tok.dangyuan, 'GET', '/api/v1/points/ranking?org=CJZ-XJC')).status, 404);
  assert.equal((await api(srv.base, tok.dangyuan, 'GET', '/api/v1/points/town')).status, 200);
  for (const [q, field] of [['year=abc', 'year'], ['year=1999', 'year'], ['month=13', 'month'], ['limit=0', 'limit']]) {
    const r = await api(srv.base, tok.chenji, 'GET', `/api/v1/points/ranking?${q}`);
    assert.equal(r.status, 422, `${q}: ${r.text}`);
    assert.ok(r.text.includes(field), r.text);
  }
  assert.equal((await api(srv.base, tok.chenji, 'GET', '/api/v1/points/ranking?org=NOPE')).status, 404);
  assert.equal((await api(srv.base, tok.chenji, 'GET', '/api/v1/points?member=abc')).status, 422);
  // pages by role
  const m = new Browser(srv.base);
  await m.login('dangyuan');
  assert.equal((await m.get('/points/adjustments')).status, 403);
  assert.equal((await m.get(`/points/members/${other.member_id}`)).status, 404);
  assert.equal((await m.get('/points/rules')).status, 200);
  assert.doesNotMatch((await m.get('/points/rules')).text, /保存新版本/, 'no rule form for a member');
  // the console's forms refuse bad input with the field's message, writing nothing
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const rules = await z.get('/points/rules');
  assert.match(rules.text, /保存新版本/);
  const count = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/points/rules')).json.rules.length;
  const bad = await z.post('/points/rules', { _csrf: Browser.csrf(rules.text), code: 'reflection', points: '1.5', cap_day: 'x', cap_year: '0', valid_from: '2027-13-01' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /分值应为 -100 到 100 的整数/);
  assert.match(bad.text, /每日上限应为/);
  assert.match(bad.text, /生效日期应为 YYYY-MM-DD/);
  assert.equal((await api(srv.base, tok.zuzhi, 'GET', '/api/v1/points/rules')).json.rules.length, count);
  const sec = new Browser(srv.base);
  await sec.login('chenji');
  const adj = await sec.get('/points/adjustments');
  const noReason = await sec.post('/points/adjustments', { _csrf: Browser.csrf(adj.text), member: String(me.member.id), points: '3', reason: '' });
  assert.equal(noReason.status, 422);
  assert.match(noReason.text, /请写明调整理由/);
  const noMember = await sec.post('/points/adjustments', { _csrf: Browser.csrf(adj.text), member: '', points: '3', reason: '表现突出' });
  assert.equal(noMember.status, 422);
  assert.match(noMember.text, /党员不存在或不在您的管辖范围内/);
});

// Every demo member: the total on the page, in the API and in the export is the sum of the entries.
test('every demo member: the total equals the sum of its entries on the page, the API and the export', async () => {
  const z = new Browser(srv.base);
  await z.login('zuzhi');
  const years = [2026, 2027];
  for (const year of years) {
    const rank = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/points/ranking?org=CJZ&year=${year}&limit=10000`);
    assert.equal(rank.status, 200, rank.text);
    const rows = rank.json.ranking;
    assert.equal(rows.length, rank.json.total);
    assert.ok(rows.length > 500, `${rows.length} members`);
    const x = await fetch(`${srv.base}/points/ranking.xlsx?org=CJZ&year=${year}`, { headers: { cookie: z.cookieHeader() } });
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-points-')), 'r.xlsx');
    fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
    const sheet = JSON.parse(shell('/usr/bin/python3', ['-c', `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([list(r) for r in wb.active.iter_rows(values_only=True)], ensure_ascii=False))`, file], { encoding: 'utf8' }));
    assert.deepEqual(sheet[0], ['名次', '党员编号', '姓名', '所在组织', '积分', '明细条数']);
    const exported = new Map(sheet.slice(1).map((r) => [r[1], r[4]]));
    assert.equal(exported.size, rows.length);
    let nonzero = 0;
    for (const row of rows) {
      const p = await api(srv.base, tok.zuzhi, 'GET', `/api/v1/points?member=${row.member_id}&year=${year}`);
      assert.equal(p.status, 200);
      const sum = p.json.entries.reduce((s, e) => s + e.points, 0);
      assert.equal(p.json.total, sum, `member ${row.member_id}: API total`);
      assert.equal(row.points, sum, `member ${row.member_id}: ranking`);
      assert.equal(exported.get(row.member_id), sum, `member ${row.member_id}: export`);
      const page = await z.get(`/points/members/${row.member_id}?year=${year}`);
      assert.equal(page.status, 200);
      assert.equal(Number(/id="points-total">(-?\d+)</.exec(page.text)[1]), sum, `member ${row.member_id}: page`);
      if (sum) nonzero++;
    }
    if (year === 2026) assert.ok(nonzero >= 4, `${nonzero} demo members with points`);
  }
  // the demo's adjustments are in each state
  const adj = (await api(srv.base, tok.zuzhi, 'GET', '/api/v1/points/adjustments')).json.adjustments;
  for (const st of ['pending', 'approved', 'rejected']) assert.ok(adj.some((a) => a.state === st), st);
});

// The member roster (issue 3): validation, search, 转正 and status history,
// scope and masking for every role, and the audited reading of full numbers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

// A valid GB 11643 ID number for a birth date, sequence and gender.
function idNumber(birth, seq, male) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const g = male ? 1 : 2;
  const body = '371524' + birth.replaceAll('-', '') + String(seq).padStart(2, '0') + String(g);
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

let srv, tok;
const ids = {};
test.before(async () => {
  srv = await startServer();
  tok = { admin: await apiToken(srv.base, 'admin') };
  for (const u of ['zuzhi', 'chenji', 'xijie', 'dangyuan', 'wangge', 'jiwei']) tok[u] = await apiToken(srv.base, u);
  // two members in 陈集村 (one in its group), one in 西街村, written through the API
  const mk = async (who, body) => {
    const r = await api(srv.base, tok[who], 'POST', '/api/v1/members', body);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  ids.a = await mk('chenji', { name: '测试甲', id_number: idNumber('1975-03-08', 11, true), phone: '13912340001', join_date: '2001-07-01', full_date: '2002-07-01', org: 'CJZ-CJC-1', duties: ['党员中心户'] });
  ids.b = await mk('chenji', { name: '测试乙', id_number: idNumber('1998-10-20', 12, false), phone: '13912340002', join_date: '2025-10-01', org: 'CJZ-CJC' });
  ids.c = await mk('xijie', { name: '测试丙', id_number: idNumber('1960-01-31', 13, true), phone: '13912340003', join_date: '1985-05-04', full_date: '1986-05-04', org: 'CJZ-XJC' });
});
test.after(async () => { await srv.stop(); });

test('the API masks ID and phone numbers and derives gender and birth date from the ID', () => {
  assert.equal(ids.a.id_number, ids.a.id_number.slice(0, 4) + '**********' + ids.a.id_number.slice(-4));
  assert.match(ids.a.phone, /^139\*\*\*\*0001$/);
  assert.equal(ids.b.gender, '女');
  assert.equal(ids.b.birth_date, '1998-10-20');
  assert.equal(ids.b.category, 'probationary');
  assert.equal(ids.a.category, 'full');
  assert.deepEqual(ids.a.duties, ['党员中心户']);
});

test('bad fields are refused with the field named, and nothing is written', async () => {
  const before = (await api(srv.base, tok.chenji, 'GET', '/api/v1/members?limit=1')).json.total;
  const cases = [
    [{ id_number: idNumber('1980-01-01', 1, true).slice(0, 17) + 'Y' }, 'id_number'],
    [{ id_number: '371524198001010010' }, 'id_number'],                                  // wrong check digit (or taken)
    [{ phone: '12345678901' }, 'phone'],
    [{ join_date: '1990-02-30' }, 'join_date'],
    [{ join_date: '1985-01-01' }, 'join_date'],                                          // before the age of 18
    [{ gender: '女' }, 'gender'],                                                        // contradicts the ID
    [{ full_date: '2000-01-01' }, 'full_date'],                                          // before joining
    [{ ethnicity: '火星族' }, 'ethnicity'],
    [{ duties: ['皇帝'] }, 'duties'],
    [{ org: 'CJZ' }, 'org'],                                                             // not a branch or group
    [{ org: 'NOPE' }, 'org'],
    [{ status: 'dead' }, 'status'],
    [{ extra: 1 }, 'extra'],
  ];
  for (const [patch, field] of cases) {
    const body = { name: '坏数据', id_number: idNumber('1980-01-01', 21, true), join_date: '2003-07-01', full_date: '2004-07-01', org: 'CJZ-CJC', ...patch };
    const r = await api(srv.base, tok.chenji, 'POST', '/api/v1/members', body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.ok(r.json.error.fields[field], `${field} named in ${r.text}`);
  }
  const dup = await api(srv.base, tok.chenji, 'POST', '/api/v1/members', { name: '重复', id_number: (await api(srv.base, tok.chenji, 'GET', `/api/v1/members/${ids.a.id}?reveal=1`)).json.id_number, join_date: '2003-07-01', full_date: '2004-07-01', org: 'CJZ-CJC' });
  assert.equal(dup.status, 422);
  assert.ok(dup.json.error.fields.id_number);
  assert.equal((await api(srv.base, tok.chenji, 'GET', '/api/v1/members?limit=1')).json.total, before);
});

test('search by name part, ID tail and phone tail within the caller\'s subtree', async () => {
  const q = async (who, s) => (await api(srv.base, tok[who], 'GET', `/api/v1/members?q=${encodeURIComponent(s)}`)).json;
  const full = (await api(srv.base, tok.admin, 'GET', `/api/v1/members/${ids.a.id}?reveal=1`)).json;
  const byTail = (await q('chenji', full.id_number.slice(-4))).members;
  assert.ok(byTail.some((m) => m.id === ids.a.id));
  assert.ok(byTail.every((m) => m.id_number.endsWith(full.id_number.slice(-4)) || m.phone.endsWith(full.id_number.slice(-4)) || m.name.includes(full.id_number.slice(-4))));
  assert.ok((await q('chenji', '0002')).members.some((m) => m.id === ids.b.id));
  assert.ok((await q('chenji', '测试')).members.every((m) => m.org.startsWith('CJZ-CJC')));
  assert.equal((await q('chenji', '测试丙')).total, 0, 'another branch\'s member is not found');
  assert.equal((await q('xijie', '测试丙')).total, 1);
  assert.equal((await q('zuzhi', '测试')).total >= 3, true);
});

test('every role sees only its subtree, masked; out of scope is 404', async () => {
  const get = (who, id) => api(srv.base, tok[who], 'GET', `/api/v1/members/${id}`);
  for (const who of ['chenji', 'dangyuan', 'wangge']) {
    assert.equal((await get(who, ids.a.id)).status, 200, who);
    assert.equal((await get(who, ids.c.id)).status, 404, who);
    const list = (await api(srv.base, tok[who], 'GET', '/api/v1/members?limit=1000')).json;
    assert.ok(list.members.every((m) => m.org.startsWith('CJZ-CJC') && m.masked && m.id_number.includes('*')), who);
    assert.equal((await api(srv.base, tok[who], 'GET', '/api/v1/members?org=CJZ-XJC')).status, 404, who);
  }
  assert.equal((await get('xijie', ids.a.id)).status, 404);
  assert.equal((await get('zuzhi', ids.c.id)).status, 200);
  assert.equal((await get('jiwei', ids.a.id)).status, 403, 'review departments have no roster');
  // pages answer the same way
  const b = new Browser(srv.base);
  await b.login('xijie');
  assert.equal((await b.get(`/members/${ids.a.id}`)).status, 404);
  const page = await b.get('/members');
  assert.ok(page.text.includes('full=1'), 'a secretary may export full numbers (audited)');
  assert.ok(!page.text.includes('测试甲'));
  assert.ok(page.text.includes('测试丙'));
});

test('reading a full number is explicit, limited to staff, and audited', async () => {
  assert.equal((await api(srv.base, tok.dangyuan, 'GET', `/api/v1/members/${ids.a.id}?reveal=1`)).status, 403);
  assert.equal((await api(srv.base, tok.wangge, 'GET', `/api/v1/members/${ids.a.id}?reveal=1`)).status, 403);
  const r = await api(srv.base, tok.chenji, 'GET', `/api/v1/members/${ids.a.id}?reveal=1`);
  assert.equal(r.status, 200);
  assert.match(r.json.id_number, /^\d{17}[\dX]$/);
  const b = new Browser(srv.base);
  await b.login('chenji');
  const detail = await b.get(`/members/${ids.a.id}`);
  assert.ok(!detail.text.includes(r.json.id_number), 'the detail page is masked');
  const shown = await b.post(`/members/${ids.a.id}/reveal`, { _csrf: Browser.csrf(detail.text) });
  assert.equal(shown.status, 200);
  assert.ok(shown.text.includes(r.json.id_number));
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const audit = await admin.get('/audit?action=member.reveal');
  assert.ok((audit.text.match(/member\.reveal/g) || []).length >= 3, 'API and page reads are in the audit log');
  // a member cannot even post the reveal form, nor sees a full export
  const m = new Browser(srv.base);
  await m.login('dangyuan');
  assert.ok(!(await m.get('/members')).text.includes('full=1'));
  const mp = await m.get(`/members/${ids.a.id}`);
  assert.equal((await m.post(`/members/${ids.a.id}/reveal`, { _csrf: Browser.csrf(mp.text) })).status, 403);
});

test('转正 and status changes are dated history entries; illegal ones are refused', async () => {
  const b = new Browser(srv.base);
  await b.login('chenji');
  const page = await b.get(`/members/${ids.b.id}`);
  const csrf = Browser.csrf(page.text);
  let r = await b.post(`/members/${ids.b.id}/change`, { _csrf: csrf, kind: 'full', date: '2025-11-30' });
  assert.equal(r.status, 422, 'before a year of probation');
  assert.match(r.text, /预备期一年/);
  r = await b.post(`/members/${ids.b.id}/change`, { _csrf: csrf, kind: 'full', date: '2026-11-01', note: '支部大会通过' });
  assert.equal(r.status, 303);
  const after = (await api(srv.base, tok.chenji, 'GET', `/api/v1/members/${ids.b.id}`)).json;
  assert.equal(after.category, 'full');
  assert.equal(after.full_date, '2026-11-01');
  r = await b.post(`/members/${ids.b.id}/change`, { _csrf: csrf, kind: 'full', date: '2026-11-02' });
  assert.equal(r.status, 422, 'already full');
  r = await b.post(`/members/${ids.b.id}/change`, { _csrf: csrf, kind: 'status', to: 'mobile', date: '2026-11-03' });
  assert.equal(r.status, 303);
  const detail = await b.get(`/members/${ids.b.id}`);
  assert.match(detail.text, /2026-11-01<\/td><td data-label="事项">转正<\/td><td data-label="变更">预备 → 正式/);
  assert.match(detail.text, /2026-11-03<\/td><td data-label="事项">党籍状态<\/td><td data-label="变更">正常 → 流动/);
  // another branch's secretary cannot change it
  const x = new Browser(srv.base);
  await x.login('xijie');
  const xp = await x.get('/console');
  assert.equal((await x.post(`/members/${ids.b.id}/change`, { _csrf: Browser.csrf(xp.text) || 'x', kind: 'status', to: 'active', date: '2026-11-04' })).status, 404);
});

test('PATCH edits with history; members and grid workers cannot write', async () => {
  let r = await api(srv.base, tok.chenji, 'PATCH', `/api/v1/members/${ids.a.id}`, { org: 'CJZ-CJC-2', duties: ['党员中心户', '讲师'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.org, 'CJZ-CJC-2');
  r = await api(srv.base, tok.chenji, 'PATCH', `/api/v1/members/${ids.a.id}`, { org: 'CJZ-XJC' });
  assert.equal(r.status, 422, 'cannot move a member out of one\'s own subtree');
  for (const who of ['dangyuan', 'wangge']) {
    assert.equal((await api(srv.base, tok[who], 'PATCH', `/api/v1/members/${ids.a.id}`, { name: '改名' })).status, 403, who);
    assert.equal((await api(srv.base, tok[who], 'POST', '/api/v1/members', { name: 'x' })).status, 403, who);
  }
});

test('the totals: counts kept per org follow a move, a tail search pages through all its matches, and dangjian check recounts them', async () => {
  const list = async (who, qs) => (await api(srv.base, tok[who], 'GET', `/api/v1/members?${qs}`)).json;
  // the unfiltered total (the counts per org of migration 043) is the number of rows there are
  for (const org of ['CJZ-CJC', 'CJZ-CJC-2', 'CJZ-XJC', 'CJZ']) {
    const all = await list('admin', `org=${org}&limit=1000`);
    assert.equal(all.total, all.members.length, org);
  }
  const before = (await list('chenji', 'org=CJZ-CJC-1&limit=1000')).total;
  const r = await api(srv.base, tok.chenji, 'PATCH', `/api/v1/members/${ids.a.id}`, { org: 'CJZ-CJC-1' });
  assert.equal(r.status, 200, r.text);
  const after = await list('chenji', 'org=CJZ-CJC-1&limit=1000');
  assert.equal(after.total, before + 1, 'the move counts in the new org');
  assert.equal(after.total, after.members.length);
  const chenji = new Browser(srv.base);
  await chenji.login('chenji');
  const page = await chenji.get('/members?org=CJZ-CJC-1');
  assert.match(page.text, new RegExp(`共 <strong>${after.total}</strong> 名党员`));
  // a tail's matches read once and counted as they are read: every page of one agrees with the whole
  const full = (await api(srv.base, tok.admin, 'GET', `/api/v1/members/${ids.b.id}?reveal=1`)).json;
  const tail = full.phone.slice(-4);
  const whole = await list('admin', `q=${tail}&limit=1000`);
  assert.ok(whole.total >= 1 && whole.total === whole.members.length);
  const seen = [];
  for (let off = 0; off < whole.total + 1; off++) {
    const one = await list('admin', `q=${tail}&limit=1&offset=${off}`);
    assert.equal(one.total, whole.total, `offset ${off}`);
    seen.push(...one.members.map((m) => m.id));
  }
  assert.deepEqual(seen, whole.members.map((m) => m.id));
  let out;
  try { out = srv.run(['check']); } catch (err) { out = String(err.stdout); } // other checks may find the demo's own problems
  assert.match(out, /member counts: equal to a recount of the members/);
});

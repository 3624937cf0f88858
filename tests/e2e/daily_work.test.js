// What was left of issue 10 ("daily work"), on SQLite or, with DANGJIAN_PG,
// on PostgreSQL: the order form's key survives the back button without
// JavaScript (§7); a lost tracking code is sent through the notification
// adapter without telling who has orders (§5); the filtered order list as
// .xlsx equals the list (§11); /admin/users shows the accounts awaiting
// activation apart (§1).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Browser, apiToken, api, dbSql, shell } = require('./lib');

const smsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-sms-'));
const SMS_LOG = path.join(smsDir, 'sms.log');
let srv;
test.before(async () => { srv = await startServer({ env: { DANGJIAN_SMS_LOG: SMS_LOG } }); });
test.after(async () => { await srv.stop(); fs.rmSync(smsDir, { recursive: true, force: true }); });

function sql(q) {
  return dbSql(srv, q);
}
const keyOf = (html) => /name="_key" value="([^"]+)"/.exec(html)[1];

// ---- §7: back + resubmit without JavaScript ----

test('the form key is issued with the page and kept until used: GET, POST twice, back (GET again), POST again: one order', async () => {
  const b = new Browser(srv.base);
  const form = await b.get('/order');
  assert.equal(form.status, 200);
  const key = keyOf(form.text);
  // the page reloaded (the back button of a no-store page) before anything was sent: the same key
  assert.equal(keyOf((await b.get('/order')).text), key);
  const org = sql("SELECT o.code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'chenji'");
  const body = { _csrf: Browser.csrf(form.text), _key: key, kind: 'need', urgency: 'normal', content: '回退重交只算一份', org, contact_name: '孙大爷', contact_phone: '13900002222' };
  const r1 = await b.post('/order', body);
  assert.equal(r1.status, 303);
  const loc = r1.headers.get('location');
  assert.match(loc, /^\/track\/[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  const r2 = await b.post('/order', body);
  assert.equal(r2.status, 303);
  assert.equal(r2.headers.get('location'), loc);
  // back: the browser fetches the form page again; it carries the same key and says so
  const back = await b.get('/order');
  assert.equal(keyOf(back.text), key);
  assert.match(back.text, /这张表单刚刚已经提交过/);
  const r3 = await b.post('/order', { ...body, _csrf: Browser.csrf(back.text), _key: keyOf(back.text) });
  assert.equal(r3.headers.get('location'), loc);
  assert.equal(sql("SELECT COUNT(*) FROM orders WHERE content = '回退重交只算一份'"), '1');
  // a new form on request: a new key, and a new order
  const fresh = await b.get('/order?new=1');
  assert.notEqual(keyOf(fresh.text), key);
  assert.doesNotMatch(fresh.text, /这张表单刚刚已经提交过/);
  const r4 = await b.post('/order', { ...body, _csrf: Browser.csrf(fresh.text), _key: keyOf(fresh.text), content: '第二份诉求' });
  assert.equal(r4.status, 303);
  assert.notEqual(r4.headers.get('location'), loc);
  // another device (no cookie) gets a key of its own
  const other = await new Browser(srv.base).get('/order');
  assert.notEqual(keyOf(other.text), keyOf(fresh.text));
  // an hour later the used key is not handed out again
  sql(`UPDATE orders SET created_at = created_at - 7200 WHERE content = '第二份诉求'`);
  const later = await b.get('/order');
  assert.notEqual(keyOf(later.text), keyOf(fresh.text));
  // a cookie that is not a key's shape is ignored
  b.cookies.set('dj_okey', 'x%22%3E');
  assert.doesNotMatch((await b.get('/order')).text, /x"&gt;|x%22/);
});

// ---- §11: the filtered order list as .xlsx ----

const PY = '/usr/bin/python3'; // Debian's, which has openpyxl
function sheet(buf) {
  const file = path.join(smsDir, `list-${Math.random().toString(36).slice(2)}.xlsx`);
  fs.writeFileSync(file, buf);
  const rows = JSON.parse(shell(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([list(r) for r in wb['诉求清单'].iter_rows(values_only=True)], ensure_ascii=False, default=str))`, file], { encoding: 'utf8' }));
  fs.rmSync(file);
  return { head: rows[0], rows: rows.slice(1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]]))) };
}
async function download(b, query) {
  const res = await fetch(`${srv.base}/orders.xlsx?${query}`, { headers: { cookie: b.cookieHeader() }, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body };
}
const masked = /^1\d{2}\*{4}\d{4}$/;

test('the exported rows are the list\'s rows, in its order, for several filters (page and API alike)', async () => {
  const zuzhi = new Browser(srv.base);
  await zuzhi.login('zuzhi');
  const tok = await apiToken(srv.base, 'zuzhi');
  const all = (await api(srv.base, tok, 'GET', '/api/v1/orders?limit=500')).json.orders;
  assert.ok(all.length > 50, 'more rows than one batch of the export');
  const one = all[Math.floor(all.length / 3)];
  const word = [...one.content].slice(0, 2).join('');
  const days = [...new Set(all.map((o) => new Date((o.created_at + 8 * 3600) * 1000).toISOString().slice(0, 10)))].sort();
  const queries = ['', 'state=submitted', 'kind=wish', 'urgency=urgent', 'overdue=1', 'escalated=1', 'sort=old', 'sort=due',
    `q=${encodeURIComponent(word)}`, `q=${one.contact_phone.slice(-4)}`, `org=CJZ-CJC&from=${days[Math.floor(days.length / 2)]}`,
    `kind=need&sort=due&to=${days[Math.floor(days.length / 2)]}`];
  let nonEmpty = 0;
  for (const q of queries) {
    const want = (await api(srv.base, tok, 'GET', `/api/v1/orders?limit=500&${q}`)).json;
    assert.equal(want.total, want.orders.length, q);
    const r = await download(zuzhi, q);
    assert.equal(r.status, 200, `${q}: ${r.body}`);
    assert.match(r.type, /spreadsheetml/);
    assert.match(r.disposition, /attachment; filename="orders-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const x = sheet(r.body);
    assert.deepEqual(x.rows.map((o) => o['查询码']), want.orders.map((o) => o.code), `rows of ${q || '(no filter)'}`);
    for (const o of x.rows) assert.match(o['手机号'], masked, 'masked unless asked for in full');
    // the page counts as many and links to this export with its filters
    const page = await zuzhi.get(`/orders?${q}`);
    assert.equal(Number(/id="orders-total">共 (\d+) 条/.exec(page.text)[1]), x.rows.length, q);
    if (x.rows.length) {
      nonEmpty++;
      const href = /<a class="btn btn-secondary" href="(\/orders\.xlsx\?[^"]*)" download>导出 Excel<\/a>/.exec(page.text)[1].replace(/&amp;/g, '&');
      const got = new URLSearchParams(href.split('?')[1]);
      assert.deepEqual([...got].filter(([, v]) => v !== ''), [...new URLSearchParams(q)].filter(([, v]) => v !== ''), `the link carries ${q}`);
    }
  }
  assert.ok(nonEmpty >= 8, 'most filters hold rows');
  // the columns a branch secretary reads
  const x = sheet((await download(zuzhi, 'kind=wish')).body);
  for (const h of ['查询码', '提交时间', '类型', '紧急程度', '所在支部', '网格', '状态', '办理人', '当前时限', '逾期', '满意度', '手机号'])
    assert.ok(x.head.includes(h), h);
  assert.ok(x.rows.every((o) => o['类型'] === '微心愿'));
  // every export is on the audit log, with its filter and count
  assert.match(sql("SELECT summary FROM audit WHERE action = 'order.list_export' ORDER BY id DESC LIMIT 1"), new RegExp(`导出诉求清单 ${x.rows.length} 条（kind=wish）`));
});

test('full phones only where the caller may reveal them (§4), audited; bad filters named; no login, no file', async () => {
  const chenji = new Browser(srv.base);
  await chenji.login('chenji');
  const full = sheet((await download(chenji, 'full=1')).body).rows;
  assert.ok(full.length > 0);
  const phoneOf = (code) => sql(`SELECT contact_phone FROM orders WHERE code = '${code}'`);
  for (const o of full) assert.equal(o['手机号'], phoneOf(o['查询码']), 'the branch reveals its own orders');
  assert.match(sql("SELECT summary FROM audit WHERE action = 'order.list_export_full' ORDER BY id DESC LIMIT 1"), new RegExp(`其中 ${full.length} 条含完整手机号`));
  // a member: in full only what is assigned to it; never another branch's resident
  const dangyuan = new Browser(srv.base);
  await dangyuan.login('dangyuan');
  const mine = sheet((await download(dangyuan, 'full=1')).body).rows;
  const me = sql("SELECT name FROM users WHERE username = 'dangyuan'");
  assert.ok(mine.some((o) => o['办理人'] === me) && mine.some((o) => o['办理人'] !== me), 'some of its own, some others (open wishes)');
  for (const o of mine) {
    if (o['办理人'] === me) assert.equal(o['手机号'], phoneOf(o['查询码']));
    else { assert.match(o['手机号'], masked); assert.equal(o['地址'], null); }
  }
  // a filter the list refuses, refused here too, naming the field
  const bad = await download(chenji, 'state=nonsense');
  assert.equal(bad.status, 422);
  assert.match(bad.body.toString(), /状态不存在/);
  const rev = await download(chenji, 'from=2026-05-01&to=2026-04-01');
  assert.equal(rev.status, 422);
  assert.match(rev.body.toString(), /结束日期早于开始日期/);
  // not logged in: to the login page, no file
  const anon = await download(new Browser(srv.base), '');
  assert.equal(anon.status, 303);
  assert.match(anon.type || '', /^(text\/html|$)/);
});

// ---- §5: a lost code sent through the notification adapter ----

test('a resident with no code asks by phone: the codes go out as an SMS through the outbox; the page is the same for a phone without orders; limited per phone and per address', async () => {
  const phone = '13900002222'; // the two orders placed by the first test
  const codes = sql(`SELECT code FROM orders WHERE contact_phone = '${phone}' ORDER BY id DESC`).split('\n');
  assert.equal(codes.length, 2);
  const ask = async (p) => {
    const b = new Browser(srv.base);
    const page = await b.get('/track');
    assert.match(page.text, /短信发送查询码/);
    return b.post('/track/codes', { _csrf: Browser.csrf(page.text), sms_phone: p });
  };
  const sent = await ask(phone);
  assert.equal(sent.status, 200);
  const none = await ask('13700000001');
  assert.equal(none.status, 200);
  // the same words either way, the masked number aside; no code on the page
  const words = (t) => /id="codes-sent">([^<]*)</.exec(t)[1].replace(/1\d{2}\*{4}\d{4}/, 'N');
  assert.equal(words(sent.text), words(none.text));
  assert.match(sent.text, /139\*{4}2222/);
  for (const c of codes) assert.ok(!sent.text.includes(c), 'the code goes by SMS, not on the page');
  // one SMS in the outbox for the phone with orders, none for the other
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '${phone}'`), '1');
  assert.equal(sql("SELECT COUNT(*) FROM outbox WHERE recipient = '13700000001'"), '0');
  const text = sql(`SELECT text FROM outbox WHERE channel = 'sms' AND recipient = '${phone}'`);
  for (const c of codes) assert.ok(text.includes(c), `${c} in the SMS`);
  // both requests on the audit log; the phone masked there
  assert.equal(sql("SELECT COUNT(*) FROM audit WHERE action = 'order.codes_sent'"), '2');
  assert.equal(sql("SELECT COUNT(*) FROM audit WHERE action = 'order.codes_sent' AND summary LIKE '%13900002222%'"), '0');
  // the adapter sends it: the background work once, and the SMS sink holds it
  srv.run(['tick'], { env: { DANGJIAN_SMS_LOG: SMS_LOG } });
  const log = fs.readFileSync(SMS_LOG, 'utf8').trim().split('\n');
  const line = log.find((l) => l.split('\t')[1] === phone);
  assert.ok(line, log.join('\n'));
  for (const c of codes) assert.ok(line.includes(c));
  assert.equal(sql(`SELECT status FROM outbox WHERE channel = 'sms' AND recipient = '${phone}'`), 'sent');
  assert.equal((fs.statSync(SMS_LOG).mode & 0o777).toString(8), '600');
  // the code received works: the tracking page
  assert.equal((await new Browser(srv.base).get(`/track/${codes[0]}`)).status, 200);
  // per phone: 3 an hour, alike for a phone with orders and one without
  for (const p of [phone, '13700000001']) {
    assert.equal((await ask(p)).status, 200);
    assert.equal((await ask(p)).status, 200);
    const limited = await ask(p);
    assert.equal(limited.status, 429, p);
    assert.match(limited.text, /发送过于频繁/);
  }
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '${phone}'`), '3');
  // per address: 10 an hour (6 done so far), whatever the phones
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await ask(`1360000${String(1000 + i)}`)).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
  // an hour on, the background work drops the windows: asking works again
  assert.ok(Number(sql("SELECT COUNT(*) FROM order_rate WHERE key LIKE 'codes:%'")) > 0);
  srv.run(['tick', '--now', String(Math.floor(Date.now() / 1000) + 3700)], { env: { DANGJIAN_SMS_LOG: SMS_LOG } });
  assert.equal(sql("SELECT COUNT(*) FROM order_rate WHERE key LIKE 'codes:%'"), '0');
  assert.equal((await ask(phone)).status, 200);
  // bad input: named, nothing written
  const bad = await ask('12345');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /11 位手机号/);
});

// ---- §1: /admin/users shows the accounts awaiting activation apart ----

test('/admin/users: 待激活 apart with its count, each with its activation slip; activated, it leaves the list', async () => {
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const pendingCount = (html) => Number(/id="users-pending">待激活 <span class="badge">(\d+)<\/span>/.exec(html)[1]);
  const before = pendingCount((await admin.get('/admin/users')).text);
  assert.equal(before, Number(sql("SELECT COUNT(*) FROM users WHERE active = 1 AND password_hash = ''")));
  // chenji gives two members of the branch an account (a slip each)
  const chenji = new Browser(srv.base);
  await chenji.login('chenji');
  const ms = sql("SELECT m.id || '|' || m.name || '|' || m.phone FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.code LIKE 'CJZ-CJC%' "
    + "AND m.user_id IS NULL AND m.status = 'active' AND m.phone <> '' ORDER BY m.id LIMIT 2").split('\n').map((l) => l.split('|'));
  assert.equal(ms.length, 2);
  for (const [id] of ms) {
    const page = await chenji.get(`/members/${id}`);
    const r = await chenji.post(`/members/${id}/account`, { _csrf: Browser.csrf(page.text) });
    assert.equal(r.status, 200, r.text.slice(0, 300));
  }
  const all = await admin.get('/admin/users');
  assert.equal(pendingCount(all.text), before + 2);
  assert.match(all.text, /<span class="badge">待激活<\/span>/);
  // the filter lists exactly the pending accounts, counted
  const list = await admin.get('/admin/users?status=pending');
  assert.equal(list.status, 200);
  assert.equal(Number(/id="users-total">共 (\d+) 个待激活用户/.exec(list.text)[1]), before + 2);
  const rows = [...list.text.matchAll(/<tr><td data-label="用户名"><a href="\/admin\/users\/(\d+)">/g)].map((x) => x[1]).sort();
  assert.deepEqual(rows, sql("SELECT id FROM users WHERE active = 1 AND password_hash = ''").split('\n').sort());
  assert.ok(!/>启用</.test(list.text) && !/>停用</.test(list.text), 'only accounts awaiting activation');
  assert.match(list.text, /<a href="\/admin\/users\?status=pending" class="active" aria-current="page" id="users-pending">/);
  assert.match(list.text, /<form class="filters"[^>]*>(?:(?!<\/form>).)*<input type="hidden" name="status" value="pending">/s, 'a search stays among them');
  assert.doesNotMatch(list.text, /&lt;input|class=&quot;/);
  // from there: the slip, made anew (the old code ends)
  const [mid, name, phone] = ms[0];
  assert.ok(list.text.includes(`action="/members/${mid}/account"`), 'the slip is reachable from the row');
  const slip = await admin.post(`/members/${mid}/account`, { _csrf: Browser.csrf(list.text) });
  assert.equal(slip.status, 200);
  assert.match(slip.text, /党员账号激活单/);
  assert.ok(slip.text.includes(name) && slip.text.includes(phone));
  const code = /class="slip-code">([^<]+)</.exec(slip.text)[1];
  assert.equal(sql(`SELECT COUNT(*) FROM activation_codes a JOIN members m ON m.user_id = a.user_id WHERE m.id = ${mid} AND a.used_at IS NULL`), '1');
  // the member activates: the account leaves 待激活
  const b = new Browser(srv.base);
  const first = await b.postForm(`/activate?phone=${phone}`, '/activate', { phone, code });
  assert.equal(first.status, 200, first.text.slice(0, 300));
  const done = await b.post('/activate', { _csrf: Browser.csrf(first.text), phone, code, password: 'Hongqi2026x', password2: 'Hongqi2026x' });
  assert.equal(done.status, 303);
  assert.equal(pendingCount((await admin.get('/admin/users')).text), before + 1);
  assert.ok(!(await admin.get('/admin/users?status=pending')).text.includes(`action="/members/${mid}/account"`));
});

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
const { execFileSync } = require('node:child_process');
const { startServer, Browser, apiToken, api } = require('./lib');

const smsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-sms-'));
const SMS_LOG = path.join(smsDir, 'sms.log');
let srv;
test.before(async () => { srv = await startServer({ env: { DANGJIAN_SMS_LOG: SMS_LOG } }); });
test.after(async () => { await srv.stop(); fs.rmSync(smsDir, { recursive: true, force: true }); });

function sql(q) {
  if (srv.engine === 'postgresql') return execFileSync('psql', [srv.db, '-qAtv', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8' }).trim();
  return execFileSync('sqlite3', [srv.db], { input: q, encoding: 'utf8' }).trim();
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

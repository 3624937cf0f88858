// The workbench per role and safe forms (issue 10 §2, §7), on SQLite or, with
// DANGJIAN_PG, on PostgreSQL: the figures equal what the lists hold and link to
// them, the unread badge, a message opened is read; error pages in the layout;
// a form posted after the session ended is kept through the login and
// submitted again; the order form's idempotency key and its empty first option;
// the confirmation attributes of irreversible actions.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api, setCookies, PASSWORD, dbSql } = require('./lib');

let srv;
test.before(async () => { srv = await startServer(); });
test.after(async () => { await srv.stop(); });

function sql(q) {
  return dbSql(srv, q);
}

// The workbench's figures: label → { n, href }.
function figures(html) {
  const out = {};
  for (const m of html.matchAll(/<a class="stat[^"]*" href="([^"]+)"><span class="stat-num">(\d+)<\/span><span class="stat-label">([^<]+)<\/span>/g))
    out[m[3]] = { n: Number(m[2]), href: m[1].replace(/&amp;/g, '&') };
  return out;
}
const badge = (html) => { const m = /class="nav-badge"[^>]*>([^<]*)</.exec(html); return m ? m[1] : null; };

async function placeOrder(fields) {
  const b = new Browser(srv.base);
  const form = await b.get('/order');
  const key = /name="_key" value="([^"]+)"/.exec(form.text)[1];
  return { b, key, res: await b.post('/order', { _csrf: Browser.csrf(form.text), _key: key, kind: 'need', urgency: 'normal', contact_name: '王大妈', contact_phone: '13900001111', ...fields }) };
}

test('each role sees its figures, counted by the domain and equal to the lists they link to', async () => {
  const want = {
    chenji: ['新点单待接单', '逾期未办', '派给我的', '未读消息'],
    zuzhi: ['新点单待接单', '向上反馈待派单', '逾期未办', '未读消息'],
    dangyuan: ['派给我的', '可认领心愿', '未读消息'],
    wangge: ['新点单待接单', '逾期未办', '派给我的', '未读消息'],
  };
  for (const [user, labels] of Object.entries(want)) {
    const b = new Browser(srv.base);
    await b.login(user);
    const page = await b.get('/console');
    assert.equal(page.status, 200);
    const f = figures(page.text);
    assert.deepEqual(Object.keys(f), labels, user);
    const token = await apiToken(srv.base, user);
    const total = async (q) => (await api(srv.base, token, 'GET', '/api/v1/orders?limit=1&' + q)).json.total;
    const uid = sql(`SELECT id FROM users WHERE username = '${user}'`);
    if (f['新点单待接单']) {
      assert.equal(f['新点单待接单'].n, await total('state=submitted'), `${user} waiting`);
      assert.equal(f['新点单待接单'].href, '/orders?state=submitted');
    }
    if (f['向上反馈待派单']) {
      assert.equal(f['向上反馈待派单'].n, await total('state=escalated'), `${user} escalated`);
      assert.ok(f['向上反馈待派单'].n > 0, 'the demo has escalated orders');
      assert.match(f['向上反馈待派单'].href, /^\/orders\?state=escalated&escalated=1$/);
    }
    if (f['逾期未办']) {
      assert.equal(f['逾期未办'].n, await total('overdue=1'), `${user} overdue`);
      assert.equal(f['逾期未办'].href, '/orders?overdue=1');
    }
    if (f['派给我的']) {
      assert.equal(f['派给我的'].n, Number(sql(`SELECT COUNT(*) FROM orders WHERE assignee_user_id = ${uid} AND state IN ('assigned', 'in_progress')`)), `${user} mine`);
      assert.equal(f['派给我的'].href, '/orders?mine=1');
    }
    if (f['可认领心愿']) {
      assert.equal(f['可认领心愿'].n, (await (await fetch(srv.base + '/api/v1/public/wishes')).json()).wishes.length);
      assert.equal(f['可认领心愿'].href, '/wishes');
    }
    const inbox = (await api(srv.base, token, 'GET', '/api/v1/inbox')).json;
    assert.equal(f['未读消息'].n, inbox.unread, `${user} unread`);
    assert.equal(f['未读消息'].href, '/inbox');
    // the badge on 消息 says the same on every page
    const other = await b.get('/orgs');
    assert.equal(badge(other.text), inbox.unread ? (inbox.unread > 99 ? '99+' : String(inbox.unread)) : null, `${user} badge`);
    // the latest five of each figure, as links
    const sections = [...page.text.matchAll(/<ul class="worklist">([\s\S]*?)<\/ul>/g)].map((m) => (m[1].match(/<li/g) || []).length);
    assert.ok(sections.length >= labels.length - 1 && sections.every((n) => n >= 1 && n <= 5), `${user} sections ${sections}`);
  }
  // the admin has no orders of its own to do, the reviewer none at all
  const admin = new Browser(srv.base);
  await admin.login('admin');
  assert.deepEqual(Object.keys(figures((await admin.get('/console')).text)), ['逾期未办', '未读消息']);
  const jiwei = new Browser(srv.base);
  await jiwei.login('jiwei');
  const jp = await jiwei.get('/console');
  assert.equal(jp.status, 200);
  assert.deepEqual(Object.keys(figures(jp.text)), []);
});

test('a new order raises the branch figure and its badge; a message opened is read and leads to its record', async () => {
  const b = new Browser(srv.base);
  await b.login('chenji');
  const before = figures((await b.get('/console')).text);
  const org = sql("SELECT o.code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'chenji'");
  const { res } = await placeOrder({ content: '工作台测试：路灯坏了', org });
  assert.equal(res.status, 303);
  const page = await b.get('/console');
  const after = figures(page.text);
  assert.equal(after['新点单待接单'].n, before['新点单待接单'].n + 1);
  assert.equal(after['未读消息'].n, before['未读消息'].n + 1);
  // the badge: the count, or 99+ past 99 (a secretary of the demo town has a year of messages)
  assert.equal(badge(page.text), after['未读消息'].n > 99 ? '99+' : String(after['未读消息'].n));
  assert.ok(page.text.includes('工作台测试：路灯坏了'), 'the new order is among the latest five');
  // the newest message is about the new order; opening it marks it read and goes there
  const id = sql("SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'chenji' ORDER BY n.id DESC LIMIT 1");
  const orderId = sql("SELECT id FROM orders WHERE content = '工作台测试：路灯坏了'");
  assert.ok(page.text.includes(`href="/inbox/${id}"`), 'the workbench links the message through /inbox/:id');
  const open = await b.get(`/inbox/${id}`);
  assert.equal(open.status, 303);
  assert.equal(open.headers.get('location'), `/orders/${orderId}`);
  assert.notEqual(sql(`SELECT read_at FROM notifications WHERE id = ${id}`), '');
  assert.equal(figures((await b.get('/console')).text)['未读消息'].n, before['未读消息'].n);
  // again: still read, same place
  assert.equal((await b.get(`/inbox/${id}`)).headers.get('location'), `/orders/${orderId}`);
  // another user's message is not found, and stays unread
  const theirs = sql("SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'zuzhi' AND n.read_at IS NULL ORDER BY n.id DESC LIMIT 1");
  const d = new Browser(srv.base);
  await d.login('dangyuan');
  assert.equal((await d.get(`/inbox/${theirs}`)).status, 404);
  assert.equal((await d.get('/inbox/abc')).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM notifications WHERE id = ${theirs} AND read_at IS NULL`), '1');
  // the inbox page links every message through /inbox/:id too
  assert.match((await b.get('/inbox')).text, /href="\/inbox\/\d+"/);
});

test('404, 405 and 403 pages are in the site layout with a way back', async () => {
  const nf = await fetch(srv.base + '/no/such/page');
  const nfText = await nf.text();
  assert.equal(nf.status, 404);
  assert.match(nfText, /class="topbar"/);
  assert.match(nfText, /页面不存在/);
  assert.match(nfText, /href="\/">返回首页/);
  const m = await fetch(srv.base + '/console', { method: 'DELETE' });
  const mText = await m.text();
  assert.equal(m.status, 405);
  assert.match(mText, /class="topbar"/);
  assert.match(mText, /不支持的请求方法/);
  assert.ok(!/^405 不支持/.test(mText));
  // logged in: 403 with the way back to the page before and to the workbench
  const b = new Browser(srv.base);
  await b.login('dangyuan');
  const f = await b.get('/admin/users', { referer: srv.base + '/orders' });
  assert.equal(f.status, 403);
  assert.match(f.text, /href="\/orders">返回上一页/);
  assert.match(f.text, /href="\/console">返回工作台/);
  assert.match(f.text, /nav class="mainnav grouped"/);
  assert.match(f.text, /nav class="tabbar"/);
  // a referer of another site is not offered
  const g = await b.get('/admin/users', { referer: 'https://evil.example/x' });
  assert.ok(!g.text.includes('返回上一页'));
  // the API keeps its JSON errors
  const a = await fetch(srv.base + '/api/v1/nope');
  assert.match(a.headers.get('content-type'), /json/);
});

test('a form posted after the session ended is kept through the login and submitted again, without passwords', async () => {
  const b = new Browser(srv.base);
  await b.login('chenji');
  const org = sql("SELECT o.code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'chenji'");
  await placeOrder({ content: '会话过期测试', org });
  const id = sql("SELECT id FROM orders WHERE content = '会话过期测试'");
  const detail = await b.get(`/orders/${id}`);
  const csrf = Browser.csrf(detail.text);
  // the session ends (idle too long)
  sql(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'chenji')`);
  const hdrs = { origin: srv.base, referer: `${srv.base}/orders/${id}`, 'sec-fetch-site': 'same-origin' };
  const expired = await b.post(`/orders/${id}/act/reject`, { _csrf: csrf, note: '不属于本村事务，请向镇司法所反映', password: 'secret123' }, hdrs);
  assert.equal(expired.status, 401);
  assert.match(expired.text, /登录已过期/);
  assert.match(expired.text, /class="topbar"/);
  assert.match(expired.text, new RegExp(`name="_resubmit" value="/orders/${id}/act/reject"`));
  assert.match(expired.text, /name="_keep_note" value="不属于本村事务，请向镇司法所反映"/);
  assert.ok(!expired.text.includes('secret123'), 'a password is never kept');
  assert.ok(!expired.text.includes(`value="${csrf}"`), 'nor the old token');
  assert.match(expired.text, new RegExp(`action="/login\\?next=%2Forders%2F${id}"`));
  assert.equal(sql(`SELECT state FROM orders WHERE id = ${id}`), 'submitted');
  // a wrong password: the fields are still there
  const hidden = (html) => Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((x) => [x[1], x[2]]));
  const kept = hidden(expired.text);
  const bad = await b.post(`/login?next=%2Forders%2F${id}`, { ...kept, username: 'chenji', password: 'wrong-Pass1' });
  assert.equal(bad.status, 401);
  assert.match(bad.text, /name="_keep_note" value="不属于本村事务，请向镇司法所反映"/);
  // logged in: the form again, under the new session's token, shown before it goes
  const again = await b.post(`/login?next=%2Forders%2F${id}`, { ...hidden(bad.text), username: 'chenji', password: PASSWORD });
  assert.equal(again.status, 200);
  assert.match(again.text, /继续提交/);
  assert.match(again.text, /<li>不属于本村事务，请向镇司法所反映<\/li>/);
  assert.match(again.text, new RegExp(`action="/orders/${id}/act/reject"`));
  assert.match(again.text, new RegExp(`href="/orders/${id}">不提交，返回原页面`));
  const form = hidden(again.text);
  assert.equal(form.note, '不属于本村事务，请向镇司法所反映');
  assert.ok(!('password' in form) && !('_keep_note' in form));
  const done = await b.post(`/orders/${id}/act/reject`, form);
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), `/orders/${id}`);
  assert.equal(sql(`SELECT state FROM orders WHERE id = ${id}`), 'rejected');
  // a form another site posts is not kept (no prefilled login for a forged request)
  const anon = new Browser(srv.base);
  const cross = await anon.post(`/orders/${id}/act/reject`, { note: '伪造' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  assert.equal(cross.status, 401);
  assert.ok(!cross.text.includes('伪造') && !cross.text.includes('_resubmit'));
  // a GET still goes to the login with the page to come back to
  const get = await anon.get(`/orders/${id}`);
  assert.equal(get.status, 303);
  assert.equal(get.headers.get('location'), `/login?next=%2Forders%2F${id}`);
});

test('the order form preselects no village, and back + resubmit of one form makes one order', async () => {
  const form = await new Browser(srv.base).get('/order');
  const select = /<select id="f-org" name="org">([\s\S]*?)<\/select>/.exec(form.text)[1];
  assert.match(select, /^<option value=""( selected)?>请选择<\/option>/);
  assert.ok(!/<option value="[^"]+" selected/.test(select), 'no village preselected');
  const { res: none } = await placeOrder({ content: '没选村' });
  assert.equal(none.status, 422);
  assert.match(none.text, /请选择您所在的村（社区）/);
  assert.equal(sql("SELECT COUNT(*) FROM orders WHERE content = '没选村'"), '0');
  const org = sql("SELECT o.code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'chenji'");
  const { b, key, res } = await placeOrder({ content: '只算一次的诉求', org });
  assert.equal(res.status, 303);
  const loc = res.headers.get('location');
  assert.match(loc, /^\/track\//);
  // the same form (its key) posted again: the same tracking page, no second order
  const page = await b.get('/order');
  const again = await b.post('/order', { _csrf: Browser.csrf(page.text), _key: key, kind: 'need', urgency: 'normal', content: '只算一次的诉求', org, contact_name: '王大妈', contact_phone: '13900001111' });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), loc);
  assert.equal(sql("SELECT COUNT(*) FROM orders WHERE content = '只算一次的诉求'"), '1');
});

test('irreversible actions ask first (data-confirm), and the red is kept for the main action', async () => {
  const org = sql("SELECT o.code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'chenji'");
  const { res } = await placeOrder({ content: '确认步骤测试', org, kind: 'wish' });
  const code = res.headers.get('location').split('/').pop();
  const id = sql("SELECT id FROM orders WHERE content = '确认步骤测试'");
  const b = new Browser(srv.base);
  await b.login('chenji');
  const d = (await b.get(`/orders/${id}`)).text;
  const button = (html, label) => new RegExp(`<button [^>]*>${label}</button>`).exec(html)?.[0] || '';
  assert.match(button(d, '不予受理'), /class="btn btn-danger"[^>]*data-confirm="不予受理后/);
  assert.match(button(d, '接单'), /class="btn btn-primary"/);
  assert.ok(!button(d, '接单').includes('data-confirm'), 'accepting is not irreversible');
  // the resident's withdrawal
  const t = (await new Browser(srv.base).get(`/track/${code}`)).text;
  assert.match(button(t, '撤回诉求'), /data-confirm="撤回后/);
  assert.match(button(t, '提交补充信息'), /btn-secondary/);
  // the member's claim on the wall
  const m = new Browser(srv.base);
  await m.login('dangyuan');
  assert.match(button((await m.get('/wishes')).text, '我来认领'), /data-confirm="认领后/);
  // 党籍 changes, and deactivating an account (asked only when 停用 is chosen)
  const memberId = sql("SELECT id FROM members WHERE org_id = (SELECT org_id FROM users WHERE username = 'chenji') ORDER BY id LIMIT 1");
  assert.match(button((await b.get(`/members/${memberId}`)).text, '保存变更'), /data-confirm="党籍状态变更/);
  const admin = new Browser(srv.base);
  await admin.login('admin');
  const uid = sql("SELECT id FROM users WHERE username = 'wangge'");
  assert.match(button((await admin.get(`/admin/users/${uid}`)).text, '保存'), /data-confirm="停用后[^"]*" data-confirm-when="active:0"/);
  // without JS the action goes through as before (the attribute asks nothing of the server)
  const page = await b.get(`/orders/${id}`);
  const r = await b.post(`/orders/${id}/act/reject`, { _csrf: Browser.csrf(page.text), note: '重复' });
  assert.equal(r.status, 303);
});

// The navigation's structure (layout.c nav_draw, the groups of module.h):
// `dangjian routes --nav` prints each link's group; each role's pages carry
// the bar of group menus, the phone's tab bar and the 全部功能 page (/menu),
// all drawn from that same table; a visitor keeps the public row.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, run } = require('./lib');

const GROUPS = ['常用', '诉求服务', '党员管理', '组织生活', '评选考核', '系统', '更多', '账户'];
const USERS = { admin: 'admin', zuzhi: 'committee', chenji: 'branch', dangyuan: 'member', wangge: 'grid', jiwei: 'reviewer' };
const table = run(['routes', '--nav']).trim().split('\n').map((l) => l.split('\t'));
const rows = (key) => table.filter((r) => r[0] === key);
const unescape = (s) => s.replace(/&amp;/g, '&');

let srv;
test.before(async () => { srv = await startServer(); });
test.after(async () => { await srv.stop(); });

test('routes --nav prints ROLE, HREF, LABEL, GROUP, each role\'s links grouped in the groups\' order', () => {
  assert.match(run(['routes', '--help']), /ROLE, HREF,\s+LABEL, GROUP/);
  for (const r of table) {
    assert.equal(r.length, 4, r.join('|'));
    assert.ok(GROUPS.includes(r[3]), `${r[2]}: group ${r[3]}`);
  }
  for (const key of [...Object.values(USERS), 'public']) {
    const order = rows(key).map((r) => GROUPS.indexOf(r[3]));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), key);
  }
  for (const key of Object.values(USERS)) {
    assert.deepEqual(rows(key).filter((r) => r[3] === '常用').map((r) => r[2]), ['工作台', '消息'], key);
    assert.deepEqual(rows(key).at(-1).slice(2), ['修改密码', '账户'], key);
  }
  assert.ok(rows('public').every((r) => r[3] === '常用'));
  // the committee's groups (SPEC §1: the town runs all of them)
  assert.deepEqual([...new Set(rows('committee').map((r) => r[3]))], ['常用', '诉求服务', '党员管理', '组织生活', '评选考核', '系统', '账户']);
  assert.deepEqual(rows('committee').filter((r) => r[3] === '组织生活').map((r) => r[2]).sort(), ['主题党日', '主题活动', '会议', '志愿服务', '教育片', '微党课'].sort());
});

for (const [user, key] of Object.entries(USERS)) {
  test(`${user}: the bar's menus, the tab bar and 全部功能 hold the table's links`, async () => {
    const nav = rows(key);
    const b = new Browser(srv.base);
    await b.login(user);
    const page = await b.get('/console');
    assert.equal(page.status, 200);
    // the bar: every link of the role once, groups of several as <details> menus
    const bar = /<nav class="mainnav grouped" aria-label="主导航">(.*?)<\/nav>/s.exec(page.text)[1];
    assert.deepEqual([...bar.matchAll(/<a href="([^"]+)"/g)].map((m) => unescape(m[1])), nav.map((r) => r[1]));
    const menus = [...new Set(nav.map((r) => r[3]))].filter((g) => g !== '常用' && nav.filter((r) => r[3] === g).length > 1);
    assert.deepEqual([...bar.matchAll(/<summary class="nav-link[^"]*">([^<]+)<\/summary>/g)].map((m) => m[1]), menus);
    assert.match(bar, /<a href="\/console" class="nav-link active" aria-current="page">工作台<\/a>/);
    // the tab bar: at most four of the role's links, then 全部
    const tabs = [.../<nav class="tabbar" aria-label="常用功能">(.*?)<\/nav>/s.exec(page.text)[1].matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(tabs.length >= 3 && tabs.length <= 5, tabs.join(' '));
    assert.equal(tabs.at(-1), '/menu');
    for (const h of tabs.slice(0, -1)) assert.ok(nav.some((r) => r[1] === h), `${user}: tab ${h}`);
    // 全部功能: every group and link, the 全部 tab current
    const menu = await b.get('/menu');
    assert.equal(menu.status, 200);
    const body = /<div class="navpage">(.*?)<\/div>/s.exec(menu.text)[1];
    assert.deepEqual([...body.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]), [...new Set(nav.map((r) => r[3]))]);
    assert.deepEqual([...body.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)/g)].map((m) => [m[1], m[2].trim()]), nav.map((r) => [r[1], r[2]]));
    assert.match(menu.text, /<a href="\/menu" class="tab active" aria-current="page">/);
    assert.match(menu.text, /<h1 class="page-title">全部功能<\/h1>/);
    // every link leads to a page of the role (我的网格 to the worker's own grid)
    for (const [, href] of nav) {
      const res = await b.get(href);
      assert.ok(res.status === 200 || (href === '/grids/mine' && res.status === 303), `${user} ${href}: ${res.status}`);
    }
  });
}

test('the unread badge of 消息 is drawn wherever 消息 is, from one count', async () => {
  const b = new Browser(srv.base);
  await b.login('dangyuan');
  const page = await b.get('/menu');
  const badges = [...page.text.matchAll(/<a href="\/inbox"[^>]*>.*?<span class="nav-badge" aria-label="(\d+) 条未读">([^<]+)<\/span>/g)];
  // the demo member has unread messages: the bar, the tab and the page show the same number
  assert.equal(badges.length, 3);
  assert.equal(new Set(badges.map((m) => m[2])).size, 1);
});

test('a visitor keeps the public row and is sent to log in for 全部功能', async () => {
  const b = new Browser(srv.base);
  const home = await b.get('/');
  assert.doesNotMatch(home.text, /class="tabbar"|<details class="navgroup"/);
  const bar = /<nav class="mainnav" aria-label="主导航">(.*?)<\/nav>/s.exec(home.text)[1];
  assert.deepEqual([...bar.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]), rows('public').map((r) => r[1]));
  const menu = await b.get('/menu');
  assert.ok([302, 303].includes(menu.status), String(menu.status));
  assert.match(menu.headers.get('location'), /^\/login/);
});

// The org tree (issue 3, SPEC M1): create, rename, move with the subtree,
// dissolve only when empty; pages and API; who may do it and where.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Browser, apiToken, api } = require('./lib');

// A valid GB 11643 ID number (for a member that keeps an org from being dissolved).
function idNumber(birth, seq, male) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = '371524' + birth.replaceAll('-', '') + String(seq).padStart(2, '0') + String(male ? 1 : 2);
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

let srv;
const tok = {};
const id = {}; // code → id
test.before(async () => {
  srv = await startServer();
  for (const u of ['admin', 'zuzhi', 'chenji', 'xijie', 'dangyuan', 'wangge', 'jiwei']) tok[u] = await apiToken(srv.base, u);
  for (const o of (await api(srv.base, tok.admin, 'GET', '/api/v1/orgs')).json.orgs) id[o.code] = o.id;
});
test.after(async () => { await srv.stop(); });

const get = (who, p) => api(srv.base, tok[who], 'GET', p);
const post = (who, body) => api(srv.base, tok[who], 'POST', '/api/v1/orgs', body);
const patch = (who, code, body) => api(srv.base, tok[who], 'PATCH', `/api/v1/orgs/${code}`, body);
const codes = async (who, q = '') => (await get(who, `/api/v1/orgs${q}`)).json.orgs.map((o) => o.code);
async function browser(user) {
  const b = new Browser(srv.base);
  await b.login(user);
  return b;
}

test('GET /api/v1/orgs lists the caller\'s subtree with codes and the new fields', async () => {
  const r = await get('zuzhi', '/api/v1/orgs');
  assert.equal(r.status, 200);
  const cjc = r.json.orgs.find((o) => o.code === 'CJZ-CJC');
  for (const k of ['id', 'code', 'name', 'type', 'kind', 'parent_code', 'secretary', 'serves', 'phone', 'dissolved'])
    assert.ok(k in cjc, `${k} in ${JSON.stringify(cjc)}`);
  assert.equal(cjc.type, 'branch');
  assert.equal(cjc.kind, '农村');
  assert.equal(cjc.parent_code, 'CJZ');
  assert.equal(cjc.dissolved, false);
  assert.equal(r.json.orgs[0].code, 'CJZ', 'tree order: the committee first');
  assert.ok(!r.json.orgs.some((o) => o.code === 'DEX'), 'the county is above the committee');
  assert.ok((await codes('admin')).includes('DEX'));
  assert.deepEqual(await codes('chenji'), ['CJZ-CJC', 'CJZ-CJC-1', 'CJZ-CJC-2', 'CJZ-CJC-3']);
  assert.deepEqual(await codes('zuzhi', '?under=CJZ-XJC'), ['CJZ-XJC', 'CJZ-XJC-1', 'CJZ-XJC-2']);
  assert.equal((await get('chenji', '/api/v1/orgs?under=CJZ-XJC')).status, 404);
});

test('the committee creates orgs in its subtree through the API', async () => {
  let r = await post('zuzhi', { code: 'CJZ-T1', name: '测试村党支部', type: 'branch', kind: '农村', parent_code: 'CJZ', secretary: '周书记', serves: '测试村、测试二村', phone: '0635-3280000' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), '/api/v1/orgs/CJZ-T1');
  assert.equal(r.json.parent_code, 'CJZ');
  assert.equal(r.json.secretary, '周书记');
  assert.equal(r.json.serves, '测试村、测试二村');
  assert.deepEqual(r.json.history.map((h) => h.kind), ['create']);
  assert.equal(r.json.history[0].by, 'zuzhi');
  id['CJZ-T1'] = r.json.id;
  r = await post('zuzhi', { code: 'CJZ-T1-1', name: '测试村第一党小组', type: 'group', parent_code: 'CJZ-T1' });
  assert.equal(r.status, 201, r.text);
  id['CJZ-T1-1'] = r.json.id;
  r = await get('zuzhi', '/api/v1/orgs/CJZ-T1-1');
  assert.equal(r.json.parent_code, 'CJZ-T1');
  assert.equal((await get('zuzhi', `/api/v1/orgs/${id['CJZ-T1-1']}`)).json.code, 'CJZ-T1-1', 'by id or by code');
});

test('the committee creates an org through the page: CSRF, field errors beside fields, then the new org', async () => {
  const b = await browser('zuzhi');
  const tree = await b.get('/orgs');
  assert.ok(tree.text.includes('新建下级组织'));
  const form = await b.get(`/orgs/new?parent=${id['CJZ-JG']}`);
  assert.equal(form.status, 200);
  assert.match(form.text, new RegExp(`<option value="${id['CJZ-JG']}" selected>`));
  const csrf = Browser.csrf(form.text);
  const fields = { parent_id: String(id['CJZ-JG']), code: 'CJZ-JG-3', name: '镇机关第三党支部', type: 'branch', kind: '机关', secretary: '', serves: '', phone: '' };
  let r = await b.post('/orgs/new', fields);
  assert.equal(r.status, 403, 'no CSRF token');
  r = await b.post('/orgs/new', { ...fields, _csrf: 'forged-token-0123456789' });
  assert.equal(r.status, 403, 'a wrong CSRF token');
  r = await b.post('/orgs/new', { ...fields, _csrf: csrf, code: '坏', name: '', phone: 'abc' });
  assert.equal(r.status, 422);
  for (const f of ['code', 'name', 'phone']) assert.match(r.text, new RegExp(`<p class="field-error" id="e-${f}">`), f);
  assert.ok(r.text.includes('请填写组织名称'));
  r = await b.post('/orgs/new', { ...fields, _csrf: csrf, type: 'group' });
  assert.equal(r.status, 422);
  assert.ok(r.text.includes('党小组只能设在党支部之下'));
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-JG-3')).status, 404, 'nothing written');
  r = await b.post('/orgs/new', { ...fields, _csrf: csrf });
  assert.equal(r.status, 303, r.text);
  const loc = r.headers.get('location');
  assert.match(loc, /^\/orgs\/\d+$/);
  const detail = await b.get(loc);
  assert.ok(detail.text.includes('镇机关第三党支部'));
  assert.ok(detail.text.includes('CJZ-JG-3'));
  assert.ok(detail.text.includes('新建'), 'history shows the creation');
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-JG-3')).json.parent_code, 'CJZ-JG');
});

test('rename and edit write dated history, through the API and the edit page', async () => {
  let r = await patch('zuzhi', 'CJZ-T1', { name: '测试村党支部（更名）', secretary: '吴书记' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, '测试村党支部（更名）');
  const rename = r.json.history.find((h) => h.kind === 'rename');
  assert.equal(rename.from, '测试村党支部');
  assert.equal(rename.to, '测试村党支部（更名）');
  assert.ok(r.json.history.some((h) => h.kind === 'edit' && h.from === '周书记' && h.to === '吴书记'));
  const b = await browser('zuzhi');
  const form = await b.get(`/orgs/${id['CJZ-T1']}/edit`);
  assert.equal(form.status, 200);
  assert.ok(form.text.includes('吴书记'));
  const csrf = Browser.csrf(form.text);
  const fields = { name: '测试村党支部', kind: '农村', secretary: '吴书记', serves: '测试村', phone: '13800138000' };
  r = await b.post(`/orgs/${id['CJZ-T1']}/edit`, fields);
  assert.equal(r.status, 403, 'no CSRF token');
  r = await b.post(`/orgs/${id['CJZ-T1']}/edit`, { ...fields, _csrf: csrf, name: '名'.repeat(41), kind: '外星' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-name">组织名称不能超过 40 个字/);
  assert.match(r.text, /id="e-kind">/);
  r = await b.post(`/orgs/${id['CJZ-T1']}/edit`, { ...fields, _csrf: csrf });
  assert.equal(r.status, 303);
  const detail = await b.get(`/orgs/${id['CJZ-T1']}`);
  assert.ok(detail.text.includes('更名'));
  assert.ok(detail.text.includes('测试村党支部（更名） → 测试村党支部'));
  assert.match(detail.text, /<td>\d{4}-\d\d-\d\d \d\d:\d\d<\/td><td>更名<\/td>/, 'dated');
  assert.ok(detail.text.includes('刘红梅'), 'by whom');
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-T1')).json.phone, '13800138000');
});

test('moving a branch under a 党总支 takes its groups along; scopes follow the new paths', async () => {
  const r = await patch('zuzhi', 'CJZ-CJC', { parent_code: 'CJZ-JG' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.parent_code, 'CJZ-JG');
  const move = r.json.history.find((h) => h.kind === 'move');
  assert.match(move.from, /CJZ\）$/);
  assert.match(move.to, /CJZ-JG/);
  const all = (await get('zuzhi', '/api/v1/orgs')).json.orgs;
  const by = Object.fromEntries(all.map((o) => [o.code, o]));
  assert.equal(by['CJZ-CJC'].parent_code, 'CJZ-JG');
  assert.equal(by['CJZ-CJC-1'].parent_code, 'CJZ-CJC');
  const order = all.map((o) => o.code);
  assert.ok(order.indexOf('CJZ-JG') < order.indexOf('CJZ-CJC') && order.indexOf('CJZ-CJC') < order.indexOf('CJZ-CJC-2'), 'tree order follows');
  assert.deepEqual((await codes('zuzhi', '?under=CJZ-JG')).sort(), ['CJZ-CJC', 'CJZ-CJC-1', 'CJZ-CJC-2', 'CJZ-CJC-3', 'CJZ-JG', 'CJZ-JG-1', 'CJZ-JG-2', 'CJZ-JG-3']);
  // the branch secretary of the moved branch still sees exactly its branch and groups
  assert.deepEqual(await codes('chenji'), ['CJZ-CJC', 'CJZ-CJC-1', 'CJZ-CJC-2', 'CJZ-CJC-3']);
  assert.equal((await get('chenji', '/api/v1/orgs/CJZ-CJC-2')).status, 200);
  assert.equal((await get('chenji', '/api/v1/orgs/CJZ-JG')).status, 404, 'not the new parent');
  assert.equal((await get('dangyuan', '/api/v1/orgs/CJZ-CJC-1')).status, 200);
  const b = await browser('chenji');
  const page = await b.get('/orgs');
  assert.ok(page.text.includes('陈集村第一党小组') && !page.text.includes('镇机关第一党支部'));
  // …and the committee still sees everything below, on pages too
  const c = await browser('zuzhi');
  assert.equal((await c.get(`/orgs/${id['CJZ-CJC-1']}`)).status, 200);
});

test('moving through the page, with the select of possible parents', async () => {
  const b = await browser('zuzhi');
  const detail = await b.get(`/orgs/${id['CJZ-XJC']}`);
  assert.ok(detail.text.includes('移动'));
  const sel = /<select id="f-parent_id" name="parent_id"[^>]*>([\s\S]*?)<\/select>/.exec(detail.text)[1];
  assert.ok(sel.includes(`value="${id['CJZ-JG']}"`), 'a 党总支 is offered');
  assert.ok(!sel.includes(`value="${id['CJZ']}"`), 'not the current parent');
  assert.ok(!sel.includes(`value="${id['CJZ-CJC']}"`), 'not a branch');
  assert.ok(!sel.includes(`value="${id['DEX']}"`), 'nothing outside the subtree');
  const csrf = Browser.csrf(detail.text);
  let r = await b.post(`/orgs/${id['CJZ-XJC']}/move`, { parent_id: String(id['CJZ-JG']) });
  assert.equal(r.status, 403, 'no CSRF token');
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-XJC')).json.parent_code, 'CJZ');
  r = await b.post(`/orgs/${id['CJZ-XJC']}/move`, { _csrf: csrf, parent_id: String(id['CJZ-XJC-1']) });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-parent_id">不能把组织移到它自己或它的下级组织之下/);
  r = await b.post(`/orgs/${id['CJZ-XJC']}/move`, { _csrf: csrf, parent_id: String(id['CJZ-JG']) });
  assert.equal(r.status, 303);
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-XJC')).json.parent_code, 'CJZ-JG');
  assert.deepEqual(await codes('xijie'), ['CJZ-XJC', 'CJZ-XJC-1', 'CJZ-XJC-2']);
  // and back again, so the branch is where the other tests expect it
  r = await patch('zuzhi', 'CJZ-XJC', { parent_code: 'CJZ' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.history.filter((h) => h.kind === 'move').length, 2);
});

test('an org cannot move under itself or one of its descendants', async () => {
  for (const [org, to] of [['CJZ-JG', 'CJZ-JG'], ['CJZ-JG', 'CJZ-CJC'], ['CJZ-JG', 'CJZ-CJC-1'], ['CJZ-CJC', 'CJZ-CJC-2']]) {
    const r = await patch('admin', org, { parent_code: to });
    assert.equal(r.status, 422, `${org} → ${to}: ${r.text}`);
    assert.ok(r.json.error.fields.parent_code, r.text);
  }
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-JG')).json.parent_code, 'CJZ', 'nothing moved');
});

test('types must fit the tree: 县委 → 镇党委 → 党总支/部门 → 党支部 → 党小组', async () => {
  const misfits = [
    [{ code: 'CJZ-X1', name: '小组', type: 'group', parent_code: 'CJZ' }, 'type'],
    [{ code: 'CJZ-X2', name: '镇党委', type: 'committee', parent_code: 'CJZ' }, 'type'],
    [{ code: 'CJZ-X3', name: '部门', type: 'dept', parent_code: 'CJZ-JG' }, 'type'],
    [{ code: 'CJZ-X4', name: '总支', type: 'general', parent_code: 'CJZ-JG' }, 'type'],
    [{ code: 'CJZ-X5', name: '支部', type: 'branch', parent_code: 'CJZ-CJC-1' }, 'type'],
    [{ code: 'CJZ-X6', name: '县委', type: 'county', parent_code: 'CJZ' }, 'type'],
  ];
  for (const [body, field] of misfits) {
    const r = await post('zuzhi', body);
    assert.equal(r.status, 422, `${body.type} under ${body.parent_code}: ${r.text}`);
    assert.ok(r.json.error.fields[field], r.text);
  }
  for (const [org, to] of [['CJZ-HZC', 'CJZ-CJC'], ['CJZ-XJC-1', 'CJZ'], ['CJZ-JW', 'CJZ-JG'], ['CJZ-JG', 'CJZ-CJC']]) {
    const r = await patch('zuzhi', org, { parent_code: to });
    assert.equal(r.status, 422, `${org} → ${to}: ${r.text}`);
    assert.ok(r.json.error.fields.parent_code);
  }
  const r = await patch('zuzhi', 'CJZ-HZC', { parent_code: 'CJZ-CJC-1' });
  assert.match(r.json.error.fields.parent_code, /党支部只能设在镇党委或党总支之下，不能设在党小组之下/);
});

test('dissolve: refused while not empty (409), done when empty, then hidden and frozen', async () => {
  // children and users
  let r = await patch('zuzhi', 'CJZ-CJC', { dissolved: true });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'conflict');
  assert.match(r.json.error.message, /下级组织 3 个/);
  assert.match(r.json.error.message, /在用账号/);
  // a child
  r = await patch('zuzhi', 'CJZ-T1', { dissolved: true });
  assert.equal(r.status, 409);
  // a member
  r = await post('zuzhi', { code: 'CJZ-T2', name: '有党员的支部', type: 'branch', parent_code: 'CJZ' });
  assert.equal(r.status, 201);
  const m = await api(srv.base, tok.zuzhi, 'POST', '/api/v1/members', { name: '撤销测试', id_number: idNumber('1980-05-06', 31, true), join_date: '2005-07-01', full_date: '2006-07-01', org: 'CJZ-T2' });
  assert.equal(m.status, 201, m.text);
  r = await patch('zuzhi', 'CJZ-T2', { dissolved: true });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /党员 1 名/);
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-T2')).json.dissolved, false, 'nothing written');
  // empty: the group first, then its branch
  r = await patch('zuzhi', 'CJZ-T1-1', { dissolved: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dissolved, true);
  assert.ok(Number.isInteger(r.json.dissolved_at));
  r = await patch('zuzhi', 'CJZ-T1', { dissolved: true });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.history.map((h) => h.kind).at(-1), 'dissolve');
  // hidden by default, listed on request
  assert.ok(!(await codes('zuzhi')).includes('CJZ-T1'));
  const all = (await get('zuzhi', '/api/v1/orgs?all=1')).json.orgs;
  assert.equal(all.find((o) => o.code === 'CJZ-T1').dissolved, true);
  const b = await browser('zuzhi');
  assert.ok(!(await b.get('/orgs')).text.includes('测试村党支部'));
  const shown = await b.get('/orgs?all=1');
  assert.ok(shown.text.includes('测试村党支部') && shown.text.includes('已撤销'));
  assert.ok(shown.text.includes('隐藏已撤销'));
  // frozen: no edit, no move, no children, no second dissolve; its code stays taken
  assert.equal((await patch('zuzhi', 'CJZ-T1', { name: '复活' })).status, 409);
  assert.equal((await patch('zuzhi', 'CJZ-T1', { parent_code: 'CJZ-JG' })).status, 409);
  assert.equal((await patch('zuzhi', 'CJZ-T1', { dissolved: true })).status, 409);
  assert.equal((await patch('zuzhi', 'CJZ-T1', { dissolved: false })).status, 409);
  r = await post('zuzhi', { code: 'CJZ-T1-2', name: '小组', type: 'group', parent_code: 'CJZ-T1' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.parent_code);
  r = await post('zuzhi', { code: 'cjz-t1', name: '同编码', type: 'branch', parent_code: 'CJZ' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.code);
  assert.equal((await b.get(`/orgs/${id['CJZ-T1']}/edit`)).status, 409);
});

test('dissolve through the page: a confirmation, the reason when refused, CSRF enforced', async () => {
  let r = await post('zuzhi', { code: 'CJZ-T3', name: '待撤销支部', type: 'branch', parent_code: 'CJZ' });
  assert.equal(r.status, 201);
  const t3 = r.json.id;
  const b = await browser('zuzhi');
  const detail = await b.get(`/orgs/${t3}`);
  assert.match(detail.text, /<button class="btn btn-danger" type="submit" data-confirm="[^"]+">撤销组织<\/button>/);
  r = await b.post(`/orgs/${t3}/dissolve`, {});
  assert.equal(r.status, 403, 'no CSRF token');
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-T3')).json.dissolved, false);
  const csrf = Browser.csrf(detail.text);
  r = await b.post(`/orgs/${id['CJZ-CJC']}/dissolve`, { _csrf: csrf });
  assert.equal(r.status, 409);
  assert.match(r.text, /id="e-dissolve">不能撤销：仍有下级组织 3 个/);
  r = await b.post(`/orgs/${t3}/dissolve`, { _csrf: csrf });
  assert.equal(r.status, 303);
  const after = await b.get(`/orgs/${t3}`);
  assert.ok(after.text.includes('该组织已于'));
  assert.ok(!after.text.includes('撤销组织</button>'), 'no actions on a dissolved org');
});

test('a child created while its parent is dissolved: one of the two wins, never both', async () => {
  for (let i = 0; i < 8; i++) {
    const code = `CJZ-R${i}`;
    assert.equal((await post('zuzhi', { code, name: '并发测试支部', type: 'branch', parent_code: 'CJZ' })).status, 201);
    const [child, gone] = await Promise.all([
      post('zuzhi', { code: `${code}-1`, name: '小组', type: 'group', parent_code: code }),
      patch('zuzhi', code, { dissolved: true }),
    ]);
    assert.ok((child.status === 201 && gone.status === 409) || (child.status === 422 && gone.status === 200), `${child.status}/${gone.status}`);
    const parent = (await get('zuzhi', `/api/v1/orgs/${code}`)).json;
    const kid = await get('zuzhi', `/api/v1/orgs/${code}-1`);
    assert.ok(!(parent.dissolved && kid.status === 200), 'no active child under a dissolved org');
  }
});

test('branch, member, grid and reviewer roles get 403 on every write path', async () => {
  const cjc = id['CJZ-CJC'], grp = id['CJZ-CJC-1'];
  for (const who of ['chenji', 'dangyuan', 'wangge', 'jiwei']) {
    assert.equal((await post(who, { code: 'CJZ-CJC-9', name: '小组', type: 'group', parent_code: 'CJZ-CJC' })).status, 403, who);
    assert.equal((await patch(who, 'CJZ-CJC', { name: '改名' })).status, 403, who);
    assert.equal((await patch(who, 'CJZ-CJC-1', { dissolved: true })).status, 403, who);
    const b = await browser(who);
    const page = await b.get('/orgs');
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes('新建下级组织'), who);
    const csrf = Browser.csrf(page.text);
    assert.equal((await b.get(`/orgs/new?parent=${cjc}`)).status, 403, who);
    assert.equal((await b.post('/orgs/new', { _csrf: csrf, parent_id: String(cjc), code: 'CJZ-CJC-9', name: '小组', type: 'group' })).status, 403, who);
    assert.equal((await b.get(`/orgs/${cjc}/edit`)).status, 403, who);
    assert.equal((await b.post(`/orgs/${cjc}/edit`, { _csrf: csrf, name: '改名' })).status, 403, who);
    assert.equal((await b.post(`/orgs/${grp}/move`, { _csrf: csrf, parent_id: String(id['CJZ-XJC']) })).status, 403, who);
    assert.equal((await b.post(`/orgs/${grp}/dissolve`, { _csrf: csrf })).status, 403, who);
  }
  const b = await browser('chenji');
  const own = await b.get(`/orgs/${cjc}`);
  assert.equal(own.status, 200);
  assert.ok(!own.text.includes('/edit"') && !own.text.includes('撤销组织'), 'no buttons for a branch secretary');
  const now = (await get('zuzhi', '/api/v1/orgs/CJZ-CJC')).json;
  assert.equal(now.name, '陈集村党支部');
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-CJC-9')).status, 404);
});

test('the committee gets 404 for orgs outside its subtree and cannot reach above or beside itself', async () => {
  const dex = id.DEX;
  assert.equal((await get('zuzhi', '/api/v1/orgs/DEX')).status, 404);
  assert.equal((await get('zuzhi', `/api/v1/orgs/${dex}`)).status, 404);
  assert.equal((await get('zuzhi', '/api/v1/orgs?under=DEX')).status, 404);
  assert.equal((await patch('zuzhi', 'DEX', { name: '改名' })).status, 404);
  assert.equal((await patch('zuzhi', 'DEX', { dissolved: true })).status, 404);
  const b = await browser('zuzhi');
  const page = await b.get('/orgs');
  const csrf = Browser.csrf(page.text);
  assert.equal((await b.get(`/orgs/${dex}`)).status, 404);
  assert.equal((await b.get(`/orgs/${dex}/edit`)).status, 404);
  assert.equal((await b.post(`/orgs/${dex}/edit`, { _csrf: csrf, name: '改名' })).status, 404);
  assert.equal((await b.post(`/orgs/${dex}/move`, { _csrf: csrf, parent_id: String(id.CJZ) })).status, 404);
  assert.equal((await b.post(`/orgs/${dex}/dissolve`, { _csrf: csrf })).status, 404);
  assert.equal((await b.get(`/orgs/new?parent=${dex}`)).status, 404);
  // a sibling of the committee: the county as parent is not the committee's to use
  let r = await post('zuzhi', { code: 'DEX-NEW', name: '另一个镇党委', type: 'committee', parent_code: 'DEX' });
  assert.equal(r.status, 422);
  assert.match(r.json.error.fields.parent_code, /不存在或不在您的管辖范围内/);
  r = await b.post('/orgs/new', { _csrf: csrf, parent_id: String(dex), code: 'DEX-NEW', name: '另一个镇党委', type: 'committee' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-parent_id">请选择您管辖范围内的上级组织/);
  // moving out of the subtree, or the committee itself
  r = await patch('zuzhi', 'CJZ-JG', { parent_code: 'DEX' });
  assert.equal(r.status, 422);
  assert.equal((await patch('zuzhi', 'CJZ', { parent_code: 'CJZ-JG' })).status, 422);
  assert.equal((await get('admin', '/api/v1/orgs/DEX-NEW')).status, 404, 'nothing written');
  // the committee may still edit its own org
  r = await patch('zuzhi', 'CJZ', { secretary: '陈书记' });
  assert.equal(r.status, 200, r.text);
});

test('bad input gives 422 naming the field, and writes nothing', async () => {
  const ok = { code: 'CJZ-B1', name: '坏数据支部', type: 'branch', parent_code: 'CJZ' };
  const cases = [
    [{ code: 'X' }, 'code'],
    [{ code: 'C'.repeat(33) }, 'code'],
    [{ code: 'CJZ B1' }, 'code'],
    [{ code: '陈集' }, 'code'],
    [{ code: 'CJZ-CJC' }, 'code'],
    [{ name: '' }, 'name'],
    [{ name: '名'.repeat(41) }, 'name'],
    [{ name: '换\n行' }, 'name'],
    [{ type: 'village' }, 'type'],
    [{ kind: '外星' }, 'kind'],
    [{ secretary: '书'.repeat(21) }, 'secretary'],
    [{ serves: '村'.repeat(201) }, 'serves'],
    [{ phone: 'abc' }, 'phone'],
    [{ parent_code: 'NOPE' }, 'parent_code'],
    [{ extra: 1 }, 'extra'],
    [{ name: 5 }, 'name'],
    [{ kind: null }, 'kind'],
  ];
  for (const [change, field] of cases) {
    const r = await post('zuzhi', { ...ok, ...change });
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(r.json.error.code, 'invalid');
    assert.ok(r.json.error.fields[field], `${field} named in ${r.text}`);
    assert.ok(r.json.error.message.length > 0);
  }
  let r = await post('zuzhi', { name: '缺编码', type: 'branch', parent_code: 'CJZ' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.fields.code);
  for (const [body, field] of [[{ code: 'CJZ-Z' }, 'code'], [{ type: 'group' }, 'type'], [{ dissolved: 'yes' }, 'dissolved'], [{ name: '' }, 'name'], [{ phone: '12' }, 'phone'], [{ bogus: true }, 'bogus']]) {
    r = await patch('zuzhi', 'CJZ-HZC', body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.ok(r.json.error.fields[field], `${field} named in ${r.text}`);
  }
  // all or nothing: a good rename with a bad move changes neither
  r = await patch('zuzhi', 'CJZ-HZC', { name: '后赵村党支部（新）', parent_code: 'CJZ-CJC-1' });
  assert.equal(r.status, 422);
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-HZC')).json.name, '后赵村党支部');
  assert.equal((await get('zuzhi', '/api/v1/orgs/CJZ-B1')).status, 404);
  // not JSON, broken JSON
  let raw = await fetch(srv.base + '/api/v1/orgs', { method: 'POST', headers: { authorization: `Bearer ${tok.zuzhi}`, 'content-type': 'text/plain' }, body: 'x' });
  assert.equal(raw.status, 415);
  raw = await fetch(srv.base + '/api/v1/orgs', { method: 'POST', headers: { authorization: `Bearer ${tok.zuzhi}`, 'content-type': 'application/json' }, body: '{"code":' });
  assert.equal(raw.status, 400);
});

test('admin creates a 县委 at the root and manages everywhere; every write is audited', async () => {
  let r = await post('admin', { code: 'QTX', name: '中共其他县委', type: 'county', kind: '机关' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.parent_code, null);
  r = await post('admin', { code: 'QTX-Z', name: '中共某镇委员会', type: 'committee', parent_code: 'QTX' });
  assert.equal(r.status, 201, r.text);
  r = await post('zuzhi', { code: 'QTX2', name: '县委', type: 'county' });
  assert.equal(r.status, 422, 'only admin creates a root');
  assert.ok(r.json.error.fields.parent_code);
  const list = await codes('admin');
  assert.ok(list.indexOf('QTX') < list.indexOf('QTX-Z'));
  assert.ok(!(await codes('zuzhi')).includes('QTX'));
  const b = await browser('admin');
  for (const action of ['org.create', 'org.update', 'org.move', 'org.dissolve']) {
    const a = await b.get(`/audit?action=${action}`);
    assert.ok(a.text.includes(action), `${action} in the audit log`);
  }
});

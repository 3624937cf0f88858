// Browser journey of the roster (issue 3): a branch secretary finds a
// probationary member by the last four digits of the ID number, opens the
// record and registers 转正 — on a phone and on a desktop.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, apiToken, api, PHONE, DESKTOP, shot, confirmed, navTo } = require('./lib');

let probationary;
const env = setup({
  before: async ({ srv }) => {
    const token = await apiToken(srv.base, 'chenji');
    // those whose year of probation is over (预备期满一年)
    const yearAgo = new Date(Date.now() + 8 * 3600e3 - 366 * 86400e3).toISOString().slice(0, 10);
    probationary = (await api(srv.base, token, 'GET', '/api/v1/members?category=probationary&limit=100')).json.members
      .filter((m) => m.join_date <= yearAgo);
    assert.ok(probationary.length >= 2, 'the demo branch has probationary members due for 转正');
  },
});

const viewports = [
  ['phone', PHONE],
  ['desktop', DESKTOP],
];

viewports.forEach(([name, opts], i) => {
  test(`a branch secretary records 转正 found by the ID's last four digits (${name})`, async () => {
    const member = probationary[i];
    const tail = member.id_number.slice(-4);
    const p = await env.page({ size: opts, user: 'chenji' });
    await navTo(p, '党员花名册');
    await p.locator('#f-q').fill(tail);
    await p.getByRole('button', { name: '查询' }).click();
    await assert.doesNotReject(p.getByRole('link', { name: member.name }).first().waitFor());
    await shot(p, `members-search-${name}`);
    await p.getByRole('link', { name: member.name }).first().click();
    await assert.doesNotReject(p.getByRole('heading', { name: '预备党员转正' }).waitFor());
    assert.ok((await p.locator('dl.kv').innerText()).includes('**********'), 'the ID number is masked');
    await shot(p, `member-detail-${name}`);
    await p.getByLabel('转正日期').fill(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
    await p.getByRole('button', { name: '记录转正' }).click();
    await confirmed(p); // the confirmation step (app.js)
    await assert.doesNotReject(p.getByText('已记录转正').waitFor());
    assert.match(await p.locator('table').last().innerText(), /转正\s+预备 → 正式/);
    assert.ok((await p.locator('dl.kv').innerText()).includes('正式，转正于'));
    await shot(p, `member-full-${name}`);
    assert.deepEqual(env.errors, []);
    await p.context().close();
  });
});

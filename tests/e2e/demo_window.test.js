// The demo town's window of records (src/demo.h, demo_window.c): eleven
// months back, twelve in December, so last year — the one the branch
// assessment rates with stars — always ends with a December holding every
// module's records. `dangjian demo` is made at a December clock, a January
// clock (the letters backdated into last year) and a June clock; each time
// the town entered on the window's first day, `dangjian check` is ok, and
// last year's stars are spread (some branches at 4 星 or more, some at 2 星
// or fewer, not all alike), and the role-model campaigns' years follow the clock.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { freshDatabase, run, dbSql, ENGINE } = require('./lib');

// Unix seconds of a Beijing wall-clock time
const at = (y, m, d, h = 12) => Math.floor(Date.UTC(y, m - 1, d, h - 8) / 1000);

for (const [name, now, first, lastYear] of [
  ['December', at(2026, 12, 15), '2025-12', 2025],
  ['January', at(2027, 1, 10), '2026-02', 2026],
  ['June', at(2026, 6, 15), '2025-07', 2025],
]) {
  test(`the demo made in ${name}: its records begin in ${first}, last year's stars are spread`, () => {
    const db = freshDatabase();
    const srv = { db: db.url, engine: ENGINE };
    const env = { DANGJIAN_NOW: String(now) };
    try {
      const out = run(['--db', db.url, 'demo'], { env });
      assert.match(out, new RegExp(`assessment: \\d+ bulletins, ${lastYear} stars`));
      assert.match(run(['--db', db.url, 'check'], { env }), /ok/i);
      // the town entered on the first day of the window (00:00 Beijing)
      const [y, m] = first.split('-').map(Number);
      const t0 = Date.UTC(y, m - 1, 1) / 1000 - 8 * 3600;
      assert.equal(dbSql(srv, "SELECT MIN(created_at) FROM orgs WHERE code LIKE 'CJZ%'"), String(t0));
      // the window's first month holds every module's records, not only the meetings demo_assess.c fills in
      const t1 = Date.UTC(y, m, 1) / 1000 - 8 * 3600;
      const within = (table, col) => Number(dbSql(srv, `SELECT COUNT(*) FROM ${table} WHERE ${col} >= ${t0} AND ${col} < ${t1}`));
      assert.ok(within('volunteer_activities', 'starts_at') > 0, 'volunteer activities in the first month');
      assert.ok(within('points_ledger', 'at') > 0, 'points in the first month');
      assert.ok(Number(dbSql(srv, `SELECT COUNT(*) FROM theme_plans WHERE month = '${first}'`)) > 0, 'theme-day plans of the first month');
      assert.ok(Number(dbSql(srv, `SELECT COUNT(*) FROM dues_months WHERE month = '${first}'`)) > 0, 'dues of the first month');
      // nothing before it
      assert.equal(Number(dbSql(srv, `SELECT COUNT(*) FROM theme_plans WHERE month < '${first}'`)), 0);
      assert.equal(Number(dbSql(srv, `SELECT COUNT(*) FROM dues_months WHERE month < '${first}'`)), 0);
      // last year's stars: every branch rated, spread
      const stars = dbSql(srv, `SELECT stars FROM assess_stars WHERE year = ${lastYear} AND version = (SELECT MAX(version) FROM assess_stars WHERE year = ${lastYear}) ORDER BY org_id`)
        .split('\n').map(Number);
      assert.ok(stars.length >= 10, stars.join(','));
      assert.ok(stars.some((s) => s >= 4), `some branches at 4 星 or more: ${stars.join(',')}`);
      assert.ok(stars.some((s) => s <= 2), `some branches at 2 星 or fewer: ${stars.join(',')}`);
      assert.ok(new Set(stars).size >= 3, `at least three different ratings: ${stars.join(',')}`);
      // the role-model campaigns follow the clock: last year's 两优一先, this year's 身边好人 and 最美家庭
      const campaigns = dbSql(srv, 'SELECT category, year, title FROM exemplar_campaigns ORDER BY id').split('\n').map((l) => l.split('|'));
      const thisYear = lastYear + 1;
      const want = { youxiu_dangyuan: lastYear, xianjin_zuzhi: lastYear, haoren: thisYear, jiating: thisYear };
      assert.equal(campaigns.length, 4, campaigns.join(';'));
      for (const [category, year, title] of campaigns) {
        assert.equal(Number(year), want[category], `${category} ${year}`);
        assert.ok(title.startsWith(`${want[category]}年度`), title);
      }
    } finally {
      db.drop();
    }
  });
}

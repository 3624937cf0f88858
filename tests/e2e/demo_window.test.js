// The demo town's window of records (src/demo.h, demo_window.c): eleven
// months back, twelve in December, so last year — the one the branch
// assessment rates with stars — always ends with a December holding every
// module's records. `dangjian demo` is made at a December clock, a January
// clock (the letters backdated into last year) and a June clock; each time
// the town entered on the window's first day, `dangjian check` is ok, and
// last year's stars are spread (the model branch 陈集村 at 5 星 from its
// records, some at 2 星 or fewer, not all alike), the role-model campaigns'
// dates fall in their 年度 (or early the next), and every text about a
// transfer letter names the number and validity the letter has.
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
      assert.ok(stars.some((s) => s === 5), `some branch at 5 星: ${stars.join(',')}`);
      assert.ok(stars.some((s) => s <= 2), `some branches at 2 星 or fewer: ${stars.join(',')}`);
      assert.ok(new Set(stars).size >= 3, `at least three different ratings: ${stars.join(',')}`);
      // the model branch (src/demo.h) is the 5 星 one, and through its
      // records: its basic score (the months' checks) alone is at 5 星's cut
      // (90) or near it, its 述职评议 no higher than before (96)
      const [code, basic, evaluation, total] = dbSql(srv, `SELECT o.code, s.basic, s.evaluation, s.total FROM assess_stars s JOIN orgs o ON o.id = s.org_id WHERE s.year = ${lastYear} AND s.stars = 5 ORDER BY s.total DESC LIMIT 1`).split('|');
      assert.equal(code, 'CJZ-CJC', 'the model branch 陈集村 at 5 星');
      assert.ok(Number(total) >= 9000 && Number(basic) >= 8700 && Number(evaluation) <= 9600, `basic ${basic}, evaluation ${evaluation}, total ${total}`);
      // and the 两优一先 honours it as 先进基层党组织
      assert.equal(dbSql(srv, "SELECT COUNT(*) FROM exemplar_candidates x JOIN exemplar_campaigns c ON c.id = x.campaign_id WHERE c.category = 'xianjin_zuzhi' AND x.name = '陈集村党支部' AND x.state = 'awarded'"), '1');
      // the role-model campaigns' dates fall in their 年度, or wrap it up early the
      // next (by March): in January the 身边好人 on notice is last year's
      const thisYear = lastYear + 1;
      const campaigns = dbSql(srv, 'SELECT category, year, title, created_at, nominate_until, review_until, consult_until, COALESCE(closed_at, 0) FROM exemplar_campaigns ORDER BY id')
        .split('\n').map((l) => l.split('|'));
      assert.equal(campaigns.length, 4, campaigns.join(';'));
      const day = (t) => new Date((Number(t) + 8 * 3600) * 1000).toISOString().slice(0, 10);
      for (const [category, year, title, created, ...dates] of campaigns) {
        assert.ok(title.startsWith(`${year}年度`), title);
        const closed = dates.pop();
        for (const d of [day(created), ...dates, ...(closed !== '0' ? [day(closed)] : [])]) {
          assert.ok(d >= `${year}-01-01` && d < `${Number(year) + 1}-03-01`, `${title}: ${d} outside its year`);
        }
        // opened in its year or early the next, never the year before
        assert.ok(day(created) < `${Number(year) + 1}-02-01`, `${title} opened ${day(created)}`);
      }
      const haoren = campaigns.find((c) => c[0] === 'haoren');
      assert.equal(Number(haoren[1]), name === 'January' ? lastYear : thisYear, haoren.join('|'));
      // every text about a transfer letter names the number and validity it
      // has (in January the letters put back into last year are renumbered)
      const letters = dbSql(srv, "SELECT id, letter_no, valid_until FROM transfers WHERE kind <> 'incoming' ORDER BY id").split('\n').map((l) => l.split('|'));
      assert.ok(letters.length >= 5, letters.join(';'));
      if (name === 'January') assert.ok(letters.some(([, no]) => no.startsWith(`组转〔${lastYear}〕`)), 'letters renumbered into last year');
      for (const [id, no, until] of letters) {
        const texts = dbSql(srv, `SELECT summary FROM audit WHERE entity = 'transfer' AND entity_id = ${id} UNION ALL SELECT text FROM notifications WHERE entity = 'transfer' AND entity_id = ${id}`).split('\n');
        assert.ok(texts.length >= 1, `texts of letter ${no}`);
        for (const t of texts) {
          const named = t.match(/组转〔\d{4}〕\d+号/);
          assert.ok(named && named[0] === no, `${no}: ${t}`);
          const valid = t.match(/有效期至 (\d{4}-\d{2}-\d{2})/);
          if (valid && !/失效/.test(t)) assert.equal(valid[1], until, t);
        }
      }
      // no text anywhere names a number no letter has
      const numbers = new Set(letters.map(([, no]) => no));
      const all = dbSql(srv, "SELECT summary FROM audit WHERE summary LIKE '%组转〔%' UNION ALL SELECT text FROM outbox WHERE text LIKE '%组转〔%' UNION ALL SELECT note FROM member_history WHERE note LIKE '%组转〔%'").split('\n');
      for (const t of all) for (const m of t.matchAll(/(?<!阳)组转〔\d{4}〕\d+号/g)) assert.ok(numbers.has(m[0]), `${m[0]} in "${t}"`);
    } finally {
      db.drop();
    }
  });
}

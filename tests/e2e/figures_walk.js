// Walks every registered figure (SPEC M11) for an org and a period: the API's
// value equals the number on /dashboard (a link to its drill-down), the count
// its drill-down list shows, and its cell in the .xlsx (sheet of its group);
// every row of a /dashboard/records list links to its record's own page, and
// the first of each opens. Shared by dashboard.test.js (the demo town over a
// year) and assess.test.js (a scripted month, compared with the bulletin).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { api, shell } = require('./lib');

const PY = '/usr/bin/python3'; // Debian's, which has openpyxl
// figures whose records have no page of their own (free practice records)
const NO_RECORD_PAGE = new Set(['themeday.practices']);

function sheets(buf) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-dash-'));
  const file = path.join(dir, 'd.xlsx');
  fs.writeFileSync(file, buf);
  try {
    return JSON.parse(shell(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({n: [list(r) for r in wb[n].iter_rows(values_only=True)] for n in wb.sheetnames}, ensure_ascii=False))`, file], { encoding: 'utf8' }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The number a drill-down list shows: "共 N" (orders, roster, orgs, ledger), or "合计 N 分".
function shown(html, unit) {
  const m = unit === '分' ? /合计\s*(-?\d+)\s*分/.exec(html) : /共\s*(?:<strong>)?(\d+)/.exec(html);
  return m ? Number(m[1]) : null;
}

// The record links of a /dashboard/records list: [{kind, href}]
function recordLinks(html) {
  const out = [];
  const re = /<a class="record-link" data-kind="([a-z_]+)" href="([^"]+)">/g;
  for (let m; (m = re.exec(html));) out.push({ kind: m[1], href: m[2].replace(/&amp;/g, '&') });
  return out;
}
function listRows(html) {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html);
  return body ? (body[1].match(/<tr>/g) || []).length : 0;
}

async function walk({ base, browser, token, org, from, to, srv }) {
  const q = `org=${org}&from=${from}&to=${to}`;
  const a = await api(base, token, 'GET', `/api/v1/dashboard?${q}`);
  assert.equal(a.status, 200, a.text + (srv ? srv.stderr().slice(-2000) : ''));
  assert.equal(a.json.from, from);
  assert.equal(a.json.to, to);
  const figs = a.json.figures;
  const page = await browser.get(`/dashboard?${q}`);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const x = await fetch(`${base}/dashboard.xlsx?${q}`, { headers: { cookie: browser.cookieHeader() } });
  assert.equal(x.status, 200);
  const book = sheets(Buffer.from(await x.arrayBuffer()));
  assert.equal(Object.keys(book)[0], '封面');
  assert.ok(book['封面'].some((r) => r[0] === '统计期间' && r[1] === `${from} 至 ${to}`));
  assert.ok(book['封面'].some((r) => r[0] === '导出人' && r[1]));
  let nonzero = 0, linked = 0;
  const opened = new Set();
  for (const f of figs) {
    // the drill-down list shows the same number (read again when a
    // background task — a volunteer activity finished at its time, an order
    // closed by itself — changed the records between the two reads)
    let list = await browser.get(f.href);
    assert.equal(list.status, 200, `${f.key}: ${f.href} ${list.status}`);
    for (let i = 0; i < 3 && shown(list.text, f.unit) !== f.value; i++) {
      const again = (await api(base, token, 'GET', `/api/v1/dashboard?${q}`)).json.figures.find((g) => g.key === f.key);
      list = await browser.get(f.href);
      if (shown(list.text, f.unit) === again.value) f.value = again.value;
    }
    assert.equal(shown(list.text, f.unit), f.value, `${f.key} (${org}): the list ${f.href} shows another number`);
    if (f.href.startsWith('/orders?')) { // the order list's API takes the same filters
      const l = await api(base, token, 'GET', `/api/v1${f.href}&limit=1`);
      assert.equal(l.json.total, f.value, `${f.key}: GET /api/v1${f.href}`);
    }
    if (f.href.startsWith('/dashboard/records?')) {
      // every row opens its record, through the module's entity link
      const rows = listRows(list.text), links = recordLinks(list.text);
      assert.equal(links.length, NO_RECORD_PAGE.has(f.key) ? 0 : rows, `${f.key}: every row of ${f.href} links to its record`);
      if (links.length) {
        linked++;
        if (!opened.has(links[0].kind)) {
          opened.add(links[0].kind);
          const rec = await browser.get(links[0].href.replace(/#.*$/, ''));
          assert.equal(rec.status, 200, `${f.key}: ${links[0].href}`);
        }
      }
    }
    // the page shows it as a link to that list
    const esc = f.href.replace(/&/g, '&amp;');
    const m = new RegExp(`data-key="${f.key.replace('.', '\\.')}" data-value="(-?\\d+)" href="([^"]+)"`).exec(page.text);
    assert.ok(m, `${f.key} on the page`);
    assert.equal(Number(m[1]), f.value, `${f.key} on the page`);
    assert.equal(m[2], esc);
    // the .xlsx cell of its group's sheet
    const row = book[f.group].find((r) => r[3] === f.key);
    assert.ok(row, `${f.key} in the .xlsx`);
    assert.equal(row[1], f.value, `${f.key} in the .xlsx`);
    if (f.value > 0) nonzero++;
  }
  return { figs, nonzero, linked, book, byKey: Object.fromEntries(figs.map((f) => [f.key, f.value])) };
}

module.exports = { walk, sheets, shown, recordLinks };

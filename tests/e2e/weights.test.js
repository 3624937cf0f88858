// What a slow phone downloads (issue 10 §10): every public page, with the
// stylesheets, scripts and icons it links (as a first visit fetches them, no
// cache), stays under 50 KB on the wire; the statistics page with ECharts under
// 400 KB. Bytes are counted as they arrive — status line, headers and the body
// as sent (compressed or not) — over node's http, which neither asks for nor
// undoes any coding by itself. Without Accept-Encoding the same URLs give the
// plain bytes.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const zlib = require('node:zlib');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, Browser, apiToken, api, ROOT } = require('./lib');

const PUBLIC_LIMIT = 50 * 1024;
const STATS_LIMIT = 400 * 1024;

let srv;
// brotli copies exist when the build had python3-brotli (scripts/setup.sh
// installs it); without them gzip is what goes out
let hasBr;
test.before(async () => {
  srv = await startServer();
  hasBr = (await get('/static/app.css', { 'accept-encoding': 'br' })).headers['content-encoding'] === 'br';
});
test.after(async () => { await srv.stop(); });

// One GET; resolves to the status, headers, the raw body as received and the
// bytes on the wire (status line + headers + body).
function get(p, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(srv.base + p, { headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        let head = `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}\r\n`;
        for (let i = 0; i < res.rawHeaders.length; i += 2) head += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
        head += '\r\n';
        resolve({ status: res.statusCode, headers: res.headers, body, wire: Buffer.byteLength(head) + body.length });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function decode(r) {
  const enc = r.headers['content-encoding'];
  if (!enc) return r.body;
  if (enc === 'gzip') return zlib.gunzipSync(r.body);
  if (enc === 'br') return zlib.brotliDecompressSync(r.body);
  throw new Error(`unknown content-encoding ${enc}`);
}

// The /static/… files a page links (href or src), in order, without repeats.
function assetsOf(html) {
  const seen = new Set();
  for (const m of html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)) seen.add(m[1].replace(/&amp;/g, '&'));
  return [...seen];
}

// A first visit of a page: the page and every asset it links, fetched as a
// browser would; returns the total on the wire and what was fetched.
async function visit(p, headers) {
  const page = await get(p, headers);
  assert.equal(page.status, 200, `${p}: ${page.status}`);
  if (page.headers['content-length'] !== undefined) assert.equal(Number(page.headers['content-length']), page.body.length, `${p}: Content-Length`);
  const html = decode(page).toString('utf8');
  assert.match(html, /<\/html>|<\/body>|<\/main>|<\/footer>/, `${p}: a whole page after decoding`);
  let total = page.wire;
  const assets = assetsOf(html);
  const fetched = [];
  for (const a of assets) {
    const r = await get(a, headers);
    assert.equal(r.status, 200, `${a}: ${r.status}`);
    assert.equal(Number(r.headers['content-length']), r.body.length, `${a}: Content-Length is the bytes sent`);
    total += r.wire;
    fetched.push({ url: a, r });
  }
  return { total, html, page, assets: fetched };
}

// The file an asset URL was built from, to compare the decoded bytes with.
function source(url) {
  const name = url.replace(/^\/static\//, '').replace(/\?.*$/, '');
  const where = { 'echarts.min.js': 'node_modules/echarts/dist/echarts.min.js', 'openapi.yaml': 'docs/openapi.yaml' }[name] || `assets/${name}`;
  return fs.readFileSync(path.join(ROOT, where));
}

async function publicPages() {
  // a demo order's tracking page: the code comes from the staff API
  const token = await apiToken(srv.base, 'zuzhi');
  const orders = (await api(srv.base, token, 'GET', '/api/v1/orders')).json.orders;
  assert.ok(orders.length > 0 && orders[0].code, 'the demo has orders with codes');
  const pages = ['/', '/order', '/track', `/track/${orders[0].code}`, '/wishes', '/notices', '/login'];
  // the activation page of member accounts, once it exists (issue 10 §1)
  if ((await get('/activate')).status === 200) pages.push('/activate');
  return pages;
}

test('every public page with its assets is under 50 KB with Accept-Encoding, and ECharts is not among them', async (t) => {
  for (const p of await publicPages()) {
    const v = await visit(p, { 'accept-encoding': 'gzip, br' });
    const plain = await visit(p, {});
    t.diagnostic(`${p}: ${v.total} bytes on the wire (${plain.total} without Accept-Encoding)`);
    assert.ok(v.total < PUBLIC_LIMIT, `${p}: ${v.total} bytes on the wire`);
    assert.ok(v.assets.length >= 2, `${p}: links its stylesheet and script`);
    assert.ok(!v.assets.some((a) => a.url.includes('echarts')), `${p}: no ECharts`);
    for (const { url, r } of v.assets) {
      assert.ok(['br', 'gzip'].includes(r.headers['content-encoding']), `${url}: compressed (${r.headers['content-encoding']})`);
      assert.match(r.headers.vary || '', /Accept-Encoding/i);
      assert.deepEqual(decode(r), source(url), `${url}: decodes to the file`);
      assert.match(r.headers['cache-control'], /immutable/, `${url}: a versioned URL, cached for good`);
    }
  }
});

test('the statistics page with ECharts is under 400 KB on a first visit, with brotli and with gzip only', async (t) => {
  const b = new Browser(srv.base);
  await b.login('zuzhi');
  for (const ae of ['gzip, br', 'gzip']) {
    const v = await visit('/stats/orders', { 'accept-encoding': ae, cookie: b.cookieHeader() });
    assert.ok(v.assets.some((a) => a.url.startsWith('/static/echarts.min.js')), 'the chart page loads ECharts');
    t.diagnostic(`/stats/orders (Accept-Encoding: ${ae}): ${v.total} bytes on the wire`);
    assert.ok(v.total < STATS_LIMIT, `/stats/orders (${ae}): ${v.total} bytes on the wire`);
    const echarts = v.assets.find((a) => a.url.startsWith('/static/echarts.min.js')).r;
    assert.equal(echarts.headers['content-encoding'], ae === 'gzip' || !hasBr ? 'gzip' : 'br');
    assert.match(echarts.headers['cache-control'], /immutable/, 'the versioned URL is cached for good');
    assert.deepEqual(decode(echarts), source('/static/echarts.min.js'));
    assert.equal(v.page.headers['content-encoding'], v.page.body.length < 1400 ? undefined : 'gzip', 'a large page is gzipped');
  }
  // a page that is no chart does not load it
  const plain = await visit('/stats/orders', { cookie: b.cookieHeader() });
  t.diagnostic(`/stats/orders without Accept-Encoding: ${plain.total} bytes`);
  assert.deepEqual(plain.assets.find((a) => a.url.startsWith('/static/echarts.min.js')).r.body, source('/static/echarts.min.js'));
  const console_ = await visit('/console', { 'accept-encoding': 'gzip, br', cookie: b.cookieHeader() });
  assert.ok(!console_.assets.some((a) => a.url.includes('echarts')), '/console: no ECharts');
});

test('without Accept-Encoding every page and asset comes plain, with its own ETag per coding', async () => {
  const pages = [...await publicPages()];
  for (const p of pages) {
    const v = await visit(p, {});
    assert.equal(v.page.headers['content-encoding'], undefined, `${p}: plain`);
    for (const { url, r } of v.assets) {
      assert.equal(r.headers['content-encoding'], undefined, `${url}: plain`);
      assert.deepEqual(r.body, source(url), `${url}: the file's bytes`);
    }
  }
  // q=0 refuses a coding; x-gzip is gzip; identity only is plain
  const css = assetsOf((await get('/')).body.toString()).find((a) => a.includes('app.css'));
  const etags = {};
  for (const [ae, want] of [['br;q=0, gzip', 'gzip'], ['x-gzip', 'gzip'], ['identity', undefined], ['gzip;q=0, br;q=0', undefined], ['*', hasBr ? 'br' : 'gzip'], ['br', hasBr ? 'br' : undefined]]) {
    const r = await get(css, { 'accept-encoding': ae });
    assert.equal(r.headers['content-encoding'], want, `Accept-Encoding: ${ae}`);
    assert.deepEqual(decode(r), source(css));
    etags[want || 'plain'] = r.headers.etag;
  }
  assert.equal(new Set(Object.values(etags)).size, hasBr ? 3 : 2, `one ETag per coding: ${JSON.stringify(etags)}`);
  // a revalidation answers 304 only for the representation the client has
  const gz = await get(css, { 'accept-encoding': 'gzip', 'if-none-match': etags.gzip });
  assert.equal(gz.status, 304);
  assert.equal(gz.headers.etag, etags.gzip);
  assert.match(gz.headers.vary || '', /Accept-Encoding/i);
  assert.equal((await get(css, { 'if-none-match': etags.gzip })).status, 200, 'the plain bytes are another representation');
  assert.equal((await get(css, { 'if-none-match': `W/${etags.plain}, "x"` })).status, 304, 'a list, weak tags');
  // a request another site started gets its page uncompressed (BREACH)
  const cross = await get('/order', { 'accept-encoding': 'gzip', 'sec-fetch-site': 'cross-site' });
  assert.equal(cross.headers['content-encoding'], undefined);
  const same = await get('/order', { 'accept-encoding': 'gzip', 'sec-fetch-site': 'same-origin' });
  assert.equal(same.headers['content-encoding'], 'gzip');
  assert.match(zlib.gunzipSync(same.body).toString(), /<\/html>|<\/body>/);
});

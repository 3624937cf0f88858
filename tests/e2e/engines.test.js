// Every npm package that `npm ci` installs from package-lock.json accepts, by its `engines`
// field, the Node that Debian 12 ships (nodejs 18.19/18.20): `make test` on a plain Debian 12
// uses that node, and playwright-core 1.62+ and @readme/openapi-parser 3+ need Node 20.
// (No server is started: this reads the lock only.)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, setCookies } = require('./lib');

// The oldest nodejs of Debian 12 (bookworm 18.19.0, bookworm-security 18.20.x).
const DEBIAN12_NODE = '18.19.0';

function parseVersion(v) {
  const m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) return null;
  const n = (x) => (x === undefined || x === 'x' || x === '*' ? null : Number(x));
  return [Number(m[1]), n(m[2]), n(m[3])];
}

function cmp(a, b) {
  for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) - (b[i] || 0);
  return 0;
}

// One comparator of a semver range ("", "*", ">=18", "^18.17.0", "~18.0", "18.x", "<21").
// Throws on syntax it does not know, so that an unknown range never passes unseen.
function satisfiesComparator(version, c) {
  if (c === '' || c === '*' || c === 'x') return true;
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(c);
  const want = parseVersion(m[2]);
  if (!want) throw new Error(`unknown engines comparator ${JSON.stringify(c)}`);
  const op = m[1] || (want[1] === null || want[2] === null ? 'x' : '=');
  const floor = want.map((x) => x || 0);
  const d = cmp(version, floor);
  switch (op) {
    case '>=': return d >= 0;
    case '>': return d > 0;
    case '<=': return d <= 0;
    case '<': return d < 0;
    case '=': return d === 0;
    case 'x': return version[0] === want[0] && (want[1] === null || version[1] === want[1]);
    case '^': return d >= 0 && (want[0] !== 0 ? version[0] === want[0] : version[1] === floor[1]);
    case '~': return d >= 0 && version[0] === want[0] && (want[1] === null || version[1] === want[1]);
  }
  throw new Error(`unknown engines comparator ${JSON.stringify(c)}`);
}

function satisfies(version, range) {
  const v = parseVersion(version);
  return range.split('||').some((alt) => {
    const parts = alt.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/);
    if (parts.length === 3 && parts[1] === '-') {
      return cmp(v, parseVersion(parts[0]).map((x) => x || 0)) >= 0 && satisfiesComparator(v, `<=${parts[2]}`);
    }
    return parts.every((c) => satisfiesComparator(v, c));
  });
}

test('the range check itself', () => {
  assert.equal(satisfies('18.19.0', '>=18'), true);
  assert.equal(satisfies('18.19.0', '>=20'), false);
  assert.equal(satisfies('18.19.0', '>=18.17'), true);
  assert.equal(satisfies('18.19.0', '>=18.20.0'), false);
  assert.equal(satisfies('18.19.0', '^16.13.0 || >=18.0.0'), true);
  assert.equal(satisfies('18.19.0', '^20.19.0 || ^22.12.0 || >=23'), false);
  assert.equal(satisfies('18.19.0', '>= 14.17.0 < 19'), true);
  assert.equal(satisfies('18.19.0', '18.x'), true);
  assert.throws(() => satisfies('18.19.0', 'node18'), /unknown engines comparator/);
});

test(`every locked npm package accepts Debian 12's Node ${DEBIAN12_NODE}`, () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  assert.equal(lock.lockfileVersion, 3, 'npm 9 (Debian 12) reads lockfile version 3');
  assert.ok(pkg.engines && satisfies(DEBIAN12_NODE, pkg.engines.node), 'package.json engines.node');
  const refused = [];
  for (const [where, p] of Object.entries(lock.packages)) {
    const range = p.engines && (Array.isArray(p.engines) ? null : p.engines.node);
    if (range && !satisfies(DEBIAN12_NODE, range)) refused.push(`${where || '(root)'} ${p.version}: node ${range}`);
  }
  assert.deepEqual(refused, [], `these need a newer Node than Debian 12's:\n${refused.join('\n')}`);
});

// Debian 12's nodejs has no Headers.getSetCookie(): the tests' cookie client reads the joined
// Set-Cookie header instead, and must split it where the server's lines split.
test('Set-Cookie lines are read without Headers.getSetCookie (Node 18)', () => {
  const lines = [
    'dj_session=abc; Path=/; HttpOnly; SameSite=Lax',
    'dj_csrf=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0',
    'dj_lang=zh-Hant; Path=/; Max-Age=31536000',
  ];
  const node18 = { get: (name) => (name.toLowerCase() === 'set-cookie' ? lines.join(', ') : null) };
  assert.deepEqual(setCookies(node18), lines);
  assert.deepEqual(setCookies({ get: () => null }), []);
  const h = new Headers();
  for (const l of lines) h.append('set-cookie', l);
  assert.deepEqual(setCookies(h), lines);
});

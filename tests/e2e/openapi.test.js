// docs/openapi.yaml describes every /api/v1 route of the route table, and no route that does not exist.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./lib');

test('openapi.yaml and src/routes.c list the same API operations', () => {
  const routes = fs.readFileSync(path.join(ROOT, 'src', 'routes.c'), 'utf8');
  const code = new Set();
  for (const m of routes.matchAll(/\{"(GET|POST|PATCH|PUT|DELETE)", "\/api\/v1(\/[^"*]*)"/g))
    code.add(`${m[1].toLowerCase()} ${m[2].replace(/:(\w+)/g, '{$1}')}`);
  const yaml = fs.readFileSync(path.join(ROOT, 'docs', 'openapi.yaml'), 'utf8');
  const doc = new Set();
  let current = null;
  for (const line of yaml.split('\n')) {
    const p = /^  (\/\S*):\s*$/.exec(line);
    if (p) { current = p[1]; continue; }
    const op = /^    (get|post|patch|put|delete):/.exec(line);
    if (op && current) doc.add(`${op[1]} ${current}`);
    if (/^\S/.test(line)) current = null;
  }
  assert.ok(code.size >= 5, 'routes found in src/routes.c');
  assert.deepEqual([...doc].sort(), [...code].sort());
});

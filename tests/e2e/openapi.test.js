// docs/openapi.yaml is a valid OpenAPI document, and it describes every /api/v1 route
// of the route table that `dangjian routes` prints, and no route that does not exist.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
// @readme/openapi-parser 2.x: the last major whose engines accept Node 18, Debian 12's own
// nodejs (3.x and later need Node 20). Its validate() checks the document against the
// OpenAPI 3.0 schema and the rules the schema cannot express (unique operationIds, path
// parameters), and rejects with every error listed.
const OpenAPIParser = require('@readme/openapi-parser');
const { ROOT, run } = require('./lib');

const SPEC = path.join(ROOT, 'docs', 'openapi.yaml');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// The merged route table: METHOD, PATTERN, ROLES, MODULE, NAME, tab-separated.
function routeTable() {
  const lines = run(['routes']).split('\n').filter((l) => l !== '');
  return lines.map((line) => {
    const f = line.split('\t');
    assert.equal(f.length, 5, `a route is METHOD, PATTERN, ROLES, MODULE, NAME: ${JSON.stringify(line)}`);
    const [method, pattern, roles, module, name] = f;
    assert.match(method, /^[A-Z]+$/, line);
    assert.match(pattern, /^\//, line);
    return { method, pattern, roles: roles.split(','), module, name };
  });
}

// The API operations of the route table, as "get /api/v1/orders/{id}"; the /api/* catch-all
// (the JSON 404) is not an operation.
function apiRoutes() {
  const ops = new Map();
  for (const r of routeTable()) {
    if (!r.pattern.startsWith('/api/v1/') || r.pattern.endsWith('*')) continue;
    ops.set(`${r.method.toLowerCase()} ${r.pattern.replace(/:(\w+)/g, '{$1}')}`, r);
  }
  return ops;
}

// The document's operations, keyed the same way (paths are relative to the server URL).
async function documentOperations() {
  const doc = await OpenAPIParser.parse(SPEC);
  assert.deepEqual(doc.servers.map((s) => s.url), ['/api/v1']);
  const ops = new Map();
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if (item[m]) ops.set(`${m} /api/v1${p}`, { doc, path: p, item, op: item[m] });
  }
  return ops;
}

test('openapi.yaml is a valid OpenAPI document', async () => {
  let error = null;
  try {
    await OpenAPIParser.validate(SPEC);
  } catch (e) {
    error = e;
  }
  assert.equal(error, null, error && `not a valid OpenAPI document:\n${error.message}`);
});

test('every {param} of a path has its in: path parameter, and no other', async () => {
  const problems = [];
  for (const { path: p, item, op } of (await documentOperations()).values()) {
    const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const declared = [...(item.parameters || []), ...(op.parameters || [])]
      .filter((x) => x.in === 'path')
      .map((x) => x.name)
      .sort();
    if (JSON.stringify(inPath) !== JSON.stringify(declared)) problems.push(`${p}: path has ${inPath}, parameters ${declared}`);
  }
  assert.deepEqual(problems, []);
});

test('openapi.yaml and `dangjian routes` list the same API operations', async () => {
  const code = apiRoutes();
  const doc = await documentOperations();
  assert.ok(code.size >= 5, 'API routes found in `dangjian routes`');
  const undocumented = [...code.keys()].filter((k) => !doc.has(k)).sort();
  const unserved = [...doc.keys()].filter((k) => !code.has(k)).sort();
  assert.deepEqual(
    { undocumented, unserved },
    { undocumented: [], unserved: [] },
    `routes missing from openapi.yaml: ${undocumented.join(', ') || 'none'}; ` +
      `operations in openapi.yaml that no route serves: ${unserved.join(', ') || 'none'}`,
  );
});

// A public route is documented without the bearer token (security: []); every other one needs it.
test('openapi.yaml asks for a token exactly where the route table does', async () => {
  const code = apiRoutes();
  const wrong = [];
  for (const [k, { doc, op }] of await documentOperations()) {
    const r = code.get(k);
    if (!r) continue;
    const needsToken = (op.security || doc.security || []).length > 0;
    const isPublic = r.roles.includes('public');
    if (needsToken === isPublic) wrong.push(`${k}: roles ${r.roles.join(',')}, token ${needsToken ? 'required' : 'not required'}`);
  }
  assert.deepEqual(wrong, []);
});

/**
 * The API under random requests, driven from the OpenAPI document it serves: every operation, with
 * random path and query parameters (NUL, lone surrogates, `%00`, path traversal, hex and duplicated
 * numbers, very long values), random or mutated JSON bodies, bytes that are not JSON, wrong content
 * types, and keys of every role or none. Whatever comes in: never a 5xx, an answer within seconds,
 * an error in the documented shape without a stack trace, and a write that fails changes nothing.
 *
 * Runs are bounded (FUZZ_RUNS scales them, FUZZ_SEED replays one: see test/fuzz/settings.ts);
 * FUZZ_DEBUG=1 prints how many answers of each status every operation gave.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestExamples } from '../../src/api/openapi.examples.ts';
import { anyString, fuzz } from '../fuzz/settings.ts';
import { storeKinds } from '../support/stores.ts';
import { startTestApi, type Role, type TestApi } from './support.ts';

interface Operation {
  method: string;
  /** OpenAPI path, e.g. `/api/v1/structures/{id}`. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: Record<string, unknown> }[];
  /** Name of the body's schema in components, when it has a JSON body. */
  body?: string;
  /** Content types of a raw body (bulk import), empty otherwise. */
  raw: string[];
}

function operationsOf(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p));
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema?.$ref as string | undefined;
      ops.push({
        method: method.toUpperCase(), path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        ...(json ? { body: json.split('/').pop() } : {}),
        raw: json ? [] : Object.keys(content),
      });
    }
  }
  return ops;
}

/** Percent-encodes every byte of the text's UTF-8 (a lone surrogate becomes U+FFFD, as a client sends it). */
const encode = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const REAL_IDS = ['dev-s06', 'dev-s25', 'dev-r02', 'dev-r01', 'default-v5', '2026-12-01', '53'];

/** A path segment: a real id, or something hostile, percent-encoded (or not, for `%00` and traversal). */
const segment = fc.oneof(
  { arbitrary: fc.constantFrom(...REAL_IDS).map(encodeURIComponent), weight: 3 },
  anyString(40).map(encode),
  fc.constantFrom('%00', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', "'%20OR%201%3D1--", 'x'.repeat(300), '%F0%9F', '%ED%A0%80', '%ZZ', 'a%2Fb', '__proto__', 'constructor'),
);

/** A query value: typed-looking or hostile. */
const queryValue = fc.oneof(
  fc.constantFrom('5', '20', 'true', 'structure', '2026-12-01', 'dev-s06', 'logistics', '53', 'vélo'),
  fc.constantFrom('0', '1', '-1', '20', '0x10', '1e309', 'NaN', '', 'true', 'false', 'structure', 'resource', 'dev-s06', '2026-12-01', '2026-02-30', '53', '%00', '%ED%A0%80', '%', 'admin', 'x'.repeat(2000)),
  anyString(30).map(encode),
);

/** Replaces, deletes or adds one field of an example body (the `__proto__` key included). */
function mutate(example: unknown, key: string, action: number, value: unknown): unknown {
  if (example === null || typeof example !== 'object' || Array.isArray(example)) return value;
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(example));
  const keys = Object.keys(copy);
  const target = keys.length > 0 && action % 3 !== 2 ? keys[action % keys.length] : key;
  if (action % 3 === 1) delete copy[target];
  else copy[target] = value;
  return copy;
}

const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyString(30), fc.constant(null), fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER));

interface Body { text?: string; type?: string }
const body = (example: unknown): fc.Arbitrary<Body> => fc.oneof(
  fc.constant<Body>({}),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' })),
  fc.tuple(fc.constantFrom('__proto__', 'id', 'extra', 'constructor', 'x'), fc.nat(), jsonish)
    .map(([k, a, v]) => ({ text: JSON.stringify(mutate(example, k, a, v)).replace('"x":', k === '__proto__' ? '"__proto__":' : '"x":'), type: 'application/json' })),
  fc.tuple(fc.constantFrom('__proto__', 'id', 'x'), fc.nat(), jsonish)
    .map(([k, a, v]) => ({ text: JSON.stringify(mutate(example, k, a, v)), type: 'application/merge-patch+json' })),
  anyString(100).map((text) => ({ text, type: 'application/json' })),
  fc.constantFrom<Body>(
    { text: '{"a":'.repeat(5000), type: 'application/json' },
    { text: `[${'['.repeat(3000)}${']'.repeat(3000)}]`, type: 'application/json' },
    { text: '{"__proto__": {"admin": true}}', type: 'application/json' },
    { text: 'id,name\n1,x\n', type: 'text/csv' },
    { text: '{"id":"a"}', type: 'text/plain' },
    { text: '\u0000\u0000', type: 'application/json' },
  ),
);

/** A file for a bulk import: valid records of the dev set's shape, mutated lines, garbage. */
const upload = (types: string[]): fc.Arbitrary<Body> => fc.tuple(
  fc.constantFrom(...types),
  fc.array(fc.oneof(
    fc.constant(JSON.stringify(requestExamples.StructureInput)),
    fc.constant(JSON.stringify(requestExamples.ResourceInput)),
    fc.tuple(fc.constantFrom('__proto__', 'id', 'name', 'x'), fc.nat(), jsonish).map(([k, a, v]) => JSON.stringify(mutate(requestExamples.StructureInput, k, a, v))),
    anyString(60),
    fc.constantFrom('id;name;legal_form;description;needs;postal_code', 'x;"y;scop;d;skills;35000', '\uFEFF', '"', '\u0000'),
  ), { maxLength: 8 }),
  fc.constantFrom('\n', '\r\n'),
).map(([type, lines, eol]) => ({ type, text: lines.join(eol) }));

interface Case { op: Operation; role: Role | 'none' | 'bad'; segments: string[]; query: [string, string][]; body: Body }

describe.each(storeKinds())('the API under random requests on %s', (kind) => {
  let api: TestApi;
  let ops: Operation[];
  let doc: any;
  beforeAll(async () => {
    api = await startTestApi(kind);
    doc = (await api.call('GET', '/api/v1/openapi.json')).body;
    ops = operationsOf(doc);
  });
  afterAll(() => api?.close());

  /** What a failed write must leave untouched: records, feedback, keys, models. */
  const fingerprint = async () => JSON.stringify(await api.store.rows(sql`select
    (select count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || count(archived_at) from structures) as s,
    (select count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || count(archived_at) from resources) as r,
    (select count(*) from feedback_events) as f,
    (select count(*) || ':' || count(revoked_at) from api_keys) as k,
    (select count(*) from model_changes) as m,
    (select count(*) from import_runs) as i`));

  const caseOf = (op: Operation): fc.Arbitrary<Case> => fc.record({
    op: fc.constant(op),
    role: fc.constantFrom<Case['role']>('admin', 'admin', 'bretagne', 'structureBzh', 'none', 'bad'),
    segments: fc.tuple(...op.pathParams.map(() => segment)),
    query: fc.array(fc.tuple(fc.constantFrom(...op.query.map((q) => q.name), 'unknown'), queryValue), { maxLength: 4 }),
    body: op.raw.length > 0 ? fc.oneof(upload(op.raw), body({}))
      : op.body || op.method !== 'GET' ? body(requestExamples[op.body ?? ''] ?? {}) : fc.constant<Body>({}),
  });

  async function send(c: Case) {
    let i = 0;
    const path = c.op.path.replace(/\{[^}]+\}/g, () => c.segments[i++]);
    const query = c.query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
    const headers: Record<string, string> = {};
    if (c.role === 'bad') headers.authorization = 'Bearer psk_nope%00';
    else if (c.role !== 'none') headers.authorization = `Bearer ${api.keys[c.role]}`;
    if (c.body.type) headers['content-type'] = c.body.type;
    const res = await fetch(`${api.url}${path}${query ? `?${query}` : ''}`, {
      method: c.op.method, headers, body: c.op.method === 'GET' || c.op.method === 'DELETE' ? undefined : c.body.text,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, text, contentType: res.headers.get('content-type') ?? '' };
  }

  it('finds every operation of the document', () => {
    expect(ops.length).toBeGreaterThanOrEqual(20);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toContain('PATCH /api/v1/structures/{id}');
  });

  it('never answers a 5xx, hangs, leaks a stack trace or half-writes, whatever the request', async () => {
    const seen = new Map<string, number>();
    const statuses = new Map<string, number>();
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ops).chain(caseOf), async (c) => {
      const write = c.op.method !== 'GET';
      const before = write ? await fingerprint() : '';
      const reply = await send(c);
      const label = `${c.op.method} ${c.op.path} → ${reply.status}: ${reply.text.slice(0, 300)}`;
      seen.set(`${c.op.method} ${c.op.path}`, (seen.get(`${c.op.method} ${c.op.path}`) ?? 0) + 1);
      if (process.env.FUZZ_DEBUG) statuses.set(`${c.op.method} ${c.op.path} ${reply.status}`, (statuses.get(`${c.op.method} ${c.op.path} ${reply.status}`) ?? 0) + 1);
      expect(reply.status, label).toBeLessThan(500);
      expect(reply.text, label).not.toMatch(/\bat [^\n]*\.(ts|js|mjs):\d+|node_modules|PGlite|postgres\.js|syntax error at/i);
      if (reply.status >= 400 && reply.contentType.includes('json')) {
        const parsed = JSON.parse(reply.text);
        expect(parsed.error, label).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
      if (write && reply.status >= 400) expect(await fingerprint(), label).toBe(before);
    }), { ...fuzz(700), endOnFailure: true });
    if (process.env.FUZZ_DEBUG) console.log([...statuses].sort().map(([k, n]) => `${k} ×${n}`).join("\n"));
    // Every operation was tried.
    expect(ops.filter((o) => !seen.has(`${o.method} ${o.path}`))).toEqual([]);
  }, 180_000);
});

/**
 * The OpenAPI document is a contract a client can be generated from. The types openapi-typescript
 * generates from the served document must compile a strict client of EVERY operation through
 * openapi-fetch without a cast (test/fixtures/openapi/client.ts.txt), and that client must then
 * work against the service. The document lists every route of the route table, every error code
 * each route can raise, the answer headers, the probes, the tags, and examples the service accepts.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/api/app.ts';
import type { ApiContext } from '../../src/api/context.ts';
import { errorsOf } from '../../src/api/openapi.ts';
import { requestExamples } from '../../src/api/openapi.examples.ts';
import { openApiPath } from '../../src/api/routes.ts';
import { startTestApi, type TestApi } from './support.ts';
import { DEFAULT_MODEL } from '../../src/matching/matching.models.ts';
import { readCommittedModel } from '../../src/models/models.serving.ts';
import { createModels } from '../../src/models/models.usecases.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const TEMPLATE = join(ROOT, 'test/fixtures/openapi/client.ts.txt');
const run = promisify(execFile);

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = (doc: Json) => Object.entries(doc.paths as Record<string, Json>)
  .flatMap(([path, ops]) => Object.entries(ops).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ path, method, op })));

/** The route table as the app builds it; the handlers are not called, so the context is never read. */
const routeTable = () => apiRoutes(new Proxy({}, { get: () => new Proxy({}, { get: () => undefined }) }) as unknown as ApiContext);

describe('the OpenAPI contract', () => {
  let api: TestApi;
  let doc: Json;
  let folder: string;

  beforeAll(async () => {
    api = await startTestApi('pglite');
    await createModels({ store: api.store }).registerDefault(readCommittedModel(DEFAULT_MODEL)!);
    doc = (await api.call('GET', '/api/v1/openapi.json')).body;
    folder = join(ROOT, 'tmp', `openapi-client-${process.pid}`);
    mkdirSync(folder, { recursive: true });
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await api?.close();
  });

  it('generates types that compile a strict client of every operation without a cast', async () => {
    writeFileSync(join(folder, 'api.ts'), astToString(await openapiTS(doc as never)));
    copyFileSync(TEMPLATE, join(folder, 'client.ts'));
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
        allowImportingTsExtensions: true, skipLibCheck: true, lib: ['ES2022', 'DOM'], types: [],
        exactOptionalPropertyTypes: false, noUncheckedIndexedAccess: true,
      },
      files: ['client.ts'],
    }));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(folder, 'tsconfig.json')]).then(
      () => ({ code: 0, output: '' }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: `${e.stdout}${e.stderr}` }),
    );
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('the client calls every operation of the document, and nothing else, with no cast', async () => {
    const { readFileSync } = await import('node:fs');
    const client = readFileSync(TEMPLATE, 'utf8');
    expect(client).not.toMatch(/\bas\s+(unknown|any|never|[A-Z]\w*)\b|<any>|@ts-(ignore|expect-error|nocheck)/);
    const called = new Set([...client.matchAll(/\.(GET|POST|PUT|PATCH|DELETE)\('([^']+)'/g)].map(([, m, p]) => `${m.toLowerCase()} ${p}`));
    const documented = new Set(operations(doc).map(({ method, path }) => `${method} ${path}`));
    expect([...documented].filter((o) => !called.has(o))).toEqual([]);
    expect([...called].filter((o) => !documented.has(o))).toEqual([]);
  });

  it('the generated client works against the service: each operation answers what its types say', async () => {
    writeFileSync(join(folder, 'api.ts'), astToString(await openapiTS(doc as never)));
    copyFileSync(TEMPLATE, join(folder, 'client.ts'));
    const { callEveryOperation } = await import(/* @vite-ignore */ join(folder, 'client.ts')) as {
      callEveryOperation(url: string, admin: string, structure: string): Promise<{ statuses: Record<string, number>; notes: string[] }>;
    };
    const { statuses, notes } = await callEveryOperation(api.url, api.keys.admin, api.keys.structureBzh);
    expect(statuses).toEqual({
      healthz: 200, readyz: 200, metrics: 200, whoAmI: 200, listKeys: 200, createKey: 201, revokeKey: 200,
      createStructure: 201, listStructures: 200, getStructure: 200, replaceStructure: 200, patchStructure: 200, importStructures: 200,
      createRessource: 201, listRessources: 200, getRessource: 200, replaceRessource: 200, patchRessource: 200, importRessources: 200,
      matchStructure: 200, matchResource: 200, previewMatches: 200, sendFeedback: 201, listFeedback: 200,
      listModels: 200, showModel: 200, promoteModel: 409, rollbackModel: 409, listAudit: 200, listReports: 200, getReport: 404,
      archiveStructure: 204, archiveRessource: 204,
    });
    expect(notes).toEqual(expect.arrayContaining([
      'healthz ok', 'database true', 'role admin', 'key shown once true', 'revoked revoked',
      'location /api/v1/structures/contract-s1', 'region 53', 'volunteers 9', 'inserted 1',
      'feedback created 1', 'promote models.already_current', 'hidden 404 structures.not_found',
    ]));
    expect(Object.keys(statuses).sort()).toEqual(operations(doc).map(({ op }) => op.operationId).sort());
  });

  it('lists every route of the route table, with its parameters, and the probes', () => {
    const routes = routeTable();
    for (const route of routes) {
      const op = doc.paths[`/api/v1${openApiPath(route.path)}`]?.[route.method];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op.operationId).toBe(route.operationId);
      const inPath = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map(([, name]) => name);
      expect(op.parameters.filter((p: Json) => p.in === 'path').map((p: Json) => p.name)).toEqual(inPath);
    }
    expect(operations(doc).length).toBe(routes.length + 3);
    for (const probe of ['/healthz', '/readyz', '/metrics']) expect(doc.paths[probe].get.security).toEqual([]);
  });

  it('lists for each route every error code it can raise, the common ones included', () => {
    for (const route of routeTable()) {
      const op = doc.paths[`/api/v1${openApiPath(route.path)}`][route.method];
      for (const [status, codes] of Object.entries(errorsOf(route))) {
        expect(op.responses[status]?.['x-error-codes'], `${route.operationId} ${status}`).toEqual(codes);
      }
      expect(op.responses['400']['x-error-codes']).toContain('request.invalid');
      expect(op.responses['401']['x-error-codes']).toEqual(['auth.missing_key', 'auth.invalid_key']);
      expect(op.responses['429']['x-error-codes']).toEqual(['rate_limited', 'auth.too_many_failures']);
      expect(op.responses['503']['x-error-codes']).toEqual(['service.unavailable']);
      if (route.body) expect(op.responses['413']['x-error-codes']).toContain('request.too_large');
    }
  });

  it('documents the id length limit of the path with its 400, as the service answers it', async () => {
    const param = doc.paths['/api/v1/structures/{id}'].get.parameters.find((p: Json) => p.name === 'id');
    expect(param.schema.maxLength).toBe(200);
    const reply = await api.call('GET', `/api/v1/structures/${'x'.repeat(201)}`, { key: api.keys.admin });
    expect(reply.status).toBe(400);
    expect(doc.paths['/api/v1/structures/{id}'].get.responses['400']['x-error-codes']).toContain(reply.body.error.code);
  });

  it('documents the answer headers: X-Request-Id everywhere, RateLimit-* with a key, Location on creation, Retry-After on 429 and 503', () => {
    expect(Object.keys(doc.components.headers).sort()).toEqual(['Allow', 'Location', 'RateLimit-Limit', 'RateLimit-Remaining', 'Retry-After', 'X-Request-Id']);
    for (const { op } of operations(doc)) {
      for (const [status, answer] of Object.entries(op.responses as Record<string, Json>)) {
        expect(answer.headers['X-Request-Id'], `${op.operationId} ${status}`).toBeDefined();
        if (status === '429' || (status === '503' && answer['x-error-codes'])) expect(answer.headers['Retry-After']).toBeDefined();
      }
    }
    expect(doc.paths['/api/v1/structures'].post.responses['201'].headers.Location).toEqual({ $ref: '#/components/headers/Location' });
    expect(doc.paths['/api/v1/structures'].get.responses['200'].headers['RateLimit-Remaining']).toBeDefined();
  });

  it('documents the 405 of a wrong method with its Allow header, as the service answers it', async () => {
    const documented = doc.components.responses.MethodNotAllowed;
    expect(documented['x-error-codes']).toEqual(['route.method_not_allowed']);
    expect(documented.headers.Allow).toEqual({ $ref: '#/components/headers/Allow' });
    const reply = await api.call('PUT', '/api/v1/structures', { key: api.keys.admin });
    expect(reply.status).toBe(405);
    expect(documented['x-error-codes']).toContain(reply.body.error.code);
    expect(reply.headers.get('allow')).toBe('GET, HEAD, POST');
  });

  it('patches are JSON Merge Patch: no id, no null on a required field, as the service checks', async () => {
    const patch = doc.paths['/api/v1/structures/{id}'].patch.requestBody.content;
    expect(Object.keys(patch)).toEqual(['application/merge-patch+json', 'application/json']);
    const schema = doc.components.schemas.StructurePatch;
    expect(schema.properties.id).toBe(false);
    expect(schema.properties.name).toEqual({ type: 'string', minLength: 1 });
    expect(schema.properties.volunteers.anyOf).toContainEqual({ type: 'null' });
    const admin = api.keys.admin;
    const nullName = await api.call('PATCH', '/api/v1/structures/dev-s08', { key: admin, json: { name: null } });
    expect(nullName.status).toBe(400);
    expect(nullName.body.error.details).toEqual([{ path: 'name', message: expect.stringContaining('obligatoire') }]);
    const withId = await api.call('PATCH', '/api/v1/structures/dev-s08', { key: admin, json: { id: 'dev-s08', volunteers: 3 } });
    expect(withId.status).toBe(400);
    expect(withId.body.error.details).toEqual([{ path: 'id', message: expect.stringContaining('adresse') }]);
    const removed = await api.call('PATCH', '/api/v1/structures/dev-s08', {
      key: admin, json: { volunteers: null }, headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(removed.status).toBe(200);
    expect(removed.body.volunteers).toBeUndefined();
  });

  it('a field with a default is optional in a request and present in an answer', () => {
    const { ResourceInput, Resource, NewApiKey } = doc.components.schemas;
    expect(ResourceInput.required).not.toContain('scope');
    expect(ResourceInput.properties.scope['x-default']).toBe('local');
    expect(ResourceInput.properties.scope.default).toBeUndefined();
    expect(NewApiKey.required).toEqual(['role']);
    expect(Resource.required).toContain('scope');
  });

  it('the preview body’s record has an optional id, as the service treats it', () => {
    const preview = doc.components.schemas.PreviewBody;
    for (const branch of preview.anyOf) {
      const record = Object.values(branch.properties as Record<string, Json>)[0];
      expect(record.required).not.toContain('id');
      expect(record.required).toContain('postal_code');
    }
  });

  it('has a described tag for every tag used, in the order of the documentation', () => {
    const used = new Set(operations(doc).flatMap(({ op }) => op.tags as string[]));
    expect(doc.tags.map((t: Json) => t.name).sort()).toEqual([...used].sort());
    for (const tag of doc.tags) expect(tag.description, tag.name).toMatch(/\w/);
  });

  it('gives an example of each request body, and the service accepts each one', async () => {
    for (const { op } of operations(doc)) {
      for (const media of Object.values((op.requestBody?.content ?? {}) as Record<string, Json>)) {
        if (media.schema.$ref) expect(media.example, op.operationId).toBeDefined();
      }
    }
    const admin = api.keys.admin;
    const accepted = async (method: string, path: string, json: unknown, statuses: number[]) => {
      const reply = await api.call(method, path, { key: admin, json });
      expect(statuses, `${method} ${path}: ${reply.text}`).toContain(reply.status);
    };
    const e = requestExamples as Record<string, Json>;
    await accepted('POST', '/api/v1/structures', e.StructureInput, [201]);
    await accepted('PATCH', `/api/v1/structures/${e.StructureInput.id}`, e.StructurePatch, [200]);
    await accepted('POST', '/api/v1/resources', e.ResourceInput, [201]);
    await accepted('PATCH', `/api/v1/resources/${e.ResourceInput.id}`, e.ResourcePatch, [200]);
    await accepted('POST', '/api/v1/matches/preview', e.PreviewBody, [200]);
    await accepted('POST', '/api/v1/feedback', e.FeedbackBody, [201]);
    await accepted('POST', '/api/v1/keys', e.NewApiKey, [201]);
    await accepted('POST', '/api/v1/models/rollback', e.ModelChange, [409]);
  });
});

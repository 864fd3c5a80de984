/**
 * The role matrix: for each route and each role, the status the API answers. Requests are valid,
 * so only the key decides. Then what each role sees inside an allowed answer: a structure key never
 * sees another structure, not in a record, a list, a match list, an error message or a count.
 *
 * Places of the dev set used here: dev-s06 Brest (Bretagne, 53), dev-s25 Albi (Occitanie, 76),
 * dev-r62 local Rennes (53), dev-r60 regional Bretagne, dev-r58 local Montpellier (76),
 * dev-r02 national. Feedback: a structure key reading another structure's events gets an empty list
 * (a filter names no record: 200, never a hint that the other structure exists).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/stores.ts';
import { AS_OF, newResource, newStructure, startTestApi, type Role, type TestApi } from './support.ts';

type Who = Role | 'anonymous';
const WHO: Who[] = ['admin', 'bretagne', 'occitanie', 'structureBzh', 'structureOcc', 'anonymous'];

interface Case {
  name: string;
  method: string;
  path: (who: Who) => string;
  json?: (who: Who) => unknown;
  body?: string;
  contentType?: string;
  expect: Record<Who, number>;
}

const all = (status: number): Record<Who, number> => ({
  admin: status, bretagne: status, occitanie: status, structureBzh: status, structureOcc: status, anonymous: 401,
});
const only = (statuses: Partial<Record<Who, number>>, otherwise: number): Record<Who, number> => ({
  ...all(otherwise), ...statuses, anonymous: 401,
});

const jsonl = (id: string) => `${JSON.stringify(newStructure(id))}\n`;
const resourceJsonl = (id: string) => `${JSON.stringify(newResource(id))}\n`;

const MATRIX: Case[] = [
  { name: 'who am I', method: 'GET', path: () => '/api/v1/me', expect: all(200) },
  { name: 'list structures', method: 'GET', path: () => '/api/v1/structures', expect: all(200) },
  {
    name: 'read a Bretagne structure', method: 'GET', path: () => '/api/v1/structures/dev-s06',
    expect: { admin: 200, bretagne: 200, occitanie: 403, structureBzh: 200, structureOcc: 404, anonymous: 401 },
  },
  {
    name: 'read an Occitanie local structure', method: 'GET', path: () => '/api/v1/structures/dev-s25',
    expect: { admin: 200, bretagne: 403, occitanie: 200, structureBzh: 404, structureOcc: 200, anonymous: 401 },
  },
  {
    name: 'create a structure in Bretagne', method: 'POST', path: () => '/api/v1/structures',
    json: (who) => newStructure(`matrix-new-${who}`),
    expect: only({ admin: 201, bretagne: 201 }, 403),
  },
  {
    name: 'replace a Bretagne structure', method: 'PUT', path: () => '/api/v1/structures/matrix-bzh',
    json: () => newStructure('matrix-bzh', { employees: 4 }),
    expect: { admin: 200, bretagne: 200, occitanie: 403, structureBzh: 404, structureOcc: 404, anonymous: 401 },
  },
  {
    name: 'patch its own structure', method: 'PATCH', path: () => '/api/v1/structures/dev-s06',
    json: () => ({ volunteers: 41 }),
    expect: { admin: 200, bretagne: 200, occitanie: 403, structureBzh: 200, structureOcc: 404, anonymous: 401 },
  },
  {
    name: 'patch an Occitanie local structure', method: 'PATCH', path: () => '/api/v1/structures/dev-s25',
    json: () => ({ volunteers: 61 }),
    expect: { admin: 200, bretagne: 403, occitanie: 200, structureBzh: 404, structureOcc: 200, anonymous: 401 },
  },
  {
    name: 'archive a Bretagne structure', method: 'DELETE', path: (who) => `/api/v1/structures/matrix-del-${who}`,
    expect: { admin: 204, bretagne: 204, occitanie: 403, structureBzh: 404, structureOcc: 404, anonymous: 401 },
  },
  {
    name: 'import structures', method: 'POST', path: () => '/api/v1/structures/import?source=matrice.jsonl',
    body: jsonl('matrix-import-s'), contentType: 'application/x-ndjson', expect: only({ admin: 200 }, 403),
  },
  { name: 'list resources', method: 'GET', path: () => '/api/v1/resources', expect: all(200) },
  { name: 'read a national resource', method: 'GET', path: () => '/api/v1/resources/dev-r02', expect: all(200) },
  {
    name: 'read an Occitanie local resource', method: 'GET', path: () => '/api/v1/resources/dev-r58',
    expect: only({ admin: 200, occitanie: 200, structureBzh: 200, structureOcc: 200 }, 403),
  },
  {
    name: 'create a resource in Bretagne', method: 'POST', path: () => '/api/v1/resources',
    json: (who) => newResource(`matrix-new-${who}`),
    expect: only({ admin: 201, bretagne: 201 }, 403),
  },
  {
    name: 'patch a Bretagne local resource', method: 'PATCH', path: () => '/api/v1/resources/dev-r62',
    json: () => ({ radius_km: 35 }), expect: only({ admin: 200, bretagne: 200 }, 403),
  },
  {
    name: 'patch a national resource', method: 'PATCH', path: () => '/api/v1/resources/dev-r02',
    json: () => ({ tags: ['à distance'] }), expect: only({ admin: 200 }, 403),
  },
  {
    name: 'archive a Bretagne resource', method: 'DELETE', path: (who) => `/api/v1/resources/matrix-del-${who}`,
    expect: only({ admin: 204, bretagne: 204 }, 403),
  },
  {
    name: 'import resources', method: 'POST', path: () => '/api/v1/resources/import',
    body: resourceJsonl('matrix-import-r'), contentType: 'application/x-ndjson', expect: only({ admin: 200 }, 403),
  },
  {
    name: 'matches of a Bretagne structure', method: 'GET', path: () => `/api/v1/structures/dev-s06/matches?as_of=${AS_OF}`,
    expect: { admin: 200, bretagne: 200, occitanie: 403, structureBzh: 200, structureOcc: 404, anonymous: 401 },
  },
  {
    name: 'matches of an Occitanie local structure', method: 'GET', path: () => `/api/v1/structures/dev-s25/matches?as_of=${AS_OF}`,
    expect: { admin: 200, bretagne: 403, occitanie: 200, structureBzh: 404, structureOcc: 200, anonymous: 401 },
  },
  {
    name: 'matches of a Bretagne regional resource', method: 'GET', path: () => `/api/v1/resources/dev-r60/matches?as_of=${AS_OF}`,
    expect: only({ admin: 200, bretagne: 200, structureBzh: 200, structureOcc: 200 }, 403),
  },
  { name: 'matches of a national resource', method: 'GET', path: () => `/api/v1/resources/dev-r02/matches?as_of=${AS_OF}`, expect: all(200) },
  {
    name: 'preview an unsaved structure', method: 'POST', path: () => `/api/v1/matches/preview?as_of=${AS_OF}`,
    json: () => ({ structure: newStructure('preview') }), expect: all(200),
  },
  {
    name: 'send feedback about a Bretagne structure', method: 'POST', path: () => '/api/v1/feedback',
    json: (who) => ({ client_event_id: `matrix-bzh-${who}`, kind: 'viewed', structure_id: 'dev-s06', resource_id: 'dev-r02' }),
    expect: { admin: 201, bretagne: 201, occitanie: 403, structureBzh: 201, structureOcc: 404, anonymous: 401 },
  },
  {
    name: 'send feedback about an Occitanie structure', method: 'POST', path: () => '/api/v1/feedback',
    json: (who) => ({ client_event_id: `matrix-occ-${who}`, kind: 'contacted', structure_id: 'dev-s25', resource_id: 'dev-r02' }),
    expect: { admin: 201, bretagne: 403, occitanie: 201, structureBzh: 404, structureOcc: 201, anonymous: 401 },
  },
  { name: 'list feedback', method: 'GET', path: () => '/api/v1/feedback', expect: all(200) },
  { name: 'list feedback about an Occitanie structure', method: 'GET', path: () => '/api/v1/feedback?structure_id=dev-s25', expect: all(200) },
  { name: 'list keys', method: 'GET', path: () => '/api/v1/keys', expect: only({ admin: 200 }, 403) },
  {
    name: 'create a key', method: 'POST', path: () => '/api/v1/keys',
    json: () => ({ role: 'delegate', regions: ['53'] }), expect: only({ admin: 201 }, 403),
  },
  { name: 'revoke a key', method: 'DELETE', path: (who) => `/api/v1/keys/${who}`, expect: only({ admin: 404 }, 403) },
  { name: 'read the audit trail', method: 'GET', path: () => '/api/v1/audit?action=record.created', expect: only({ admin: 200 }, 403) },
];

describe.each(storeKinds())('the role matrix on %s', (kind) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(kind);
    const admin = api.keys.admin;
    await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure('matrix-bzh') });
    for (const who of WHO) {
      await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure(`matrix-del-${who}`) });
      await api.call('POST', '/api/v1/resources', { key: admin, json: newResource(`matrix-del-${who}`) });
    }
  });
  afterAll(() => api?.close());

  const rows = MATRIX.flatMap((c) => WHO.map((who) => ({ ...c, who, status: c.expect[who] })));

  it.each(rows)('$name as $who answers $status', async ({ method, path, json, body, contentType, who, status }) => {
    const reply = await api.call(method, path(who), {
      key: who === 'anonymous' ? undefined : api.keys[who],
      json: json?.(who),
      body,
      headers: contentType ? { 'content-type': contentType } : undefined,
    });
    expect(reply.status, reply.text).toBe(status);
    if (status >= 400) expect(reply.body.error.code).toMatch(/^[a-z_]+(\.[a-z_]+)*$/);
  });
});

describe.each(storeKinds())('what each role sees on %s', (kind) => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi(kind); });
  afterAll(() => api?.close());

  const ids = (reply: { body: { items?: { id: string }[]; results?: { id: string }[] } }) =>
    (reply.body.items ?? reply.body.results ?? []).map((r) => r.id);

  it('a structure key lists only its own structure', async () => {
    const reply = await api.call('GET', '/api/v1/structures?limit=200', { key: api.keys.structureBzh });
    expect(ids(reply)).toEqual(['dev-s06']);
    expect(reply.body.next_cursor).toBeNull();
  });

  it('a structure key reading another structure gets the same 404 as for a structure that does not exist', async () => {
    const hidden = await api.call('GET', '/api/v1/structures/dev-s25', { key: api.keys.structureBzh });
    const absent = await api.call('GET', '/api/v1/structures/dev-s99', { key: api.keys.structureBzh });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe(absent.body.error.code);
    expect(hidden.body.error.message.replace('dev-s25', 'X')).toBe(absent.body.error.message.replace('dev-s99', 'X'));
  });

  it('a structure key asking for another structure’s matches gets 404 as if it did not exist', async () => {
    const hidden = await api.call('GET', '/api/v1/structures/dev-s25/matches', { key: api.keys.structureBzh });
    const absent = await api.call('GET', '/api/v1/structures/dev-s99/matches', { key: api.keys.structureBzh });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({ error: { ...absent.body.error, message: absent.body.error.message.replace('dev-s99', 'dev-s25') } });
  });

  it('a structure key sees its own matches, made of resources', async () => {
    const reply = await api.call('GET', `/api/v1/structures/dev-s06/matches?as_of=${AS_OF}`, { key: api.keys.structureBzh });
    expect(reply.status).toBe(200);
    expect(reply.body.results.length).toBeGreaterThan(0);
    expect(reply.body.results.every((r: { kind: string }) => r.kind === 'resource')).toBe(true);
  });

  it('a structure key asking for a resource’s matches sees at most itself, ranked first', async () => {
    const admin = await api.call('GET', `/api/v1/resources/dev-r52/matches?as_of=${AS_OF}`, { key: api.keys.admin });
    expect(ids(admin)).toContain('dev-s06');
    expect(admin.body.results.length).toBeGreaterThan(1);
    const own = await api.call('GET', `/api/v1/resources/dev-r52/matches?as_of=${AS_OF}`, { key: api.keys.structureBzh });
    expect(own.body.results.map((r: { id: string; rank: number }) => [r.id, r.rank])).toEqual([['dev-s06', 1]]);
    const other = await api.call('GET', `/api/v1/resources/dev-r52/matches?as_of=${AS_OF}`, { key: api.keys.structureOcc });
    expect(other.body.results.map((r: { id: string; rank: number }) => [r.id, r.rank])).toEqual([['dev-s25', 1]]);
    const local = await api.call('GET', `/api/v1/resources/dev-r66/matches?as_of=${AS_OF}`, { key: api.keys.structureOcc });
    expect(local.body.results).toEqual([]);
  });

  it('a structure key previewing a resource sees at most itself among the structures', async () => {
    const reply = await api.call('POST', `/api/v1/matches/preview?as_of=${AS_OF}`, {
      key: api.keys.structureBzh, json: { resource: newResource('essai', { postal_code: '29200', scope: 'regional' }) },
    });
    expect(reply.status).toBe(200);
    expect(ids(reply).every((id: string) => id === 'dev-s06')).toBe(true);
  });

  it('a delegate lists the structures of its régions only', async () => {
    const reply = await api.call('GET', '/api/v1/structures?limit=200', { key: api.keys.bretagne });
    expect(ids(reply).sort()).toEqual(['dev-s06', 'dev-s08', 'dev-s23']);
    expect(reply.body.items.every((s: { place: { region: string } }) => s.place.region === '53')).toBe(true);
  });

  it('a delegate lists the resources of its régions and the national ones', async () => {
    const reply = await api.call('GET', '/api/v1/resources?limit=200', { key: api.keys.bretagne });
    const items = reply.body.items as { id: string; scope: string; place: { region: string } }[];
    expect(items.every((r) => r.scope === 'national' || r.place.region === '53')).toBe(true);
    expect(items.map((r) => r.id)).toEqual(expect.arrayContaining(['dev-r02', 'dev-r07', 'dev-r60', 'dev-r62', 'dev-r66']));
    expect(items.map((r) => r.id)).not.toContain('dev-r58');
  });

  it('a delegate’s match lists hold only what its key may see', async () => {
    const forStructure = await api.call('GET', `/api/v1/structures/dev-s06/matches?limit=200&as_of=${AS_OF}`, { key: api.keys.bretagne });
    for (const r of forStructure.body.results as { id: string }[]) {
      const resource = api.matching.index.getResource(r.id)!;
      expect(resource.scope === 'national' || resource.place.region === '53').toBe(true);
    }
    const forNational = await api.call('GET', `/api/v1/resources/dev-r02/matches?limit=200&as_of=${AS_OF}`, { key: api.keys.bretagne });
    expect(forNational.body.results.length).toBeGreaterThan(0);
    for (const r of forNational.body.results as { id: string }[]) expect(api.matching.index.getStructure(r.id)!.place.region).toBe('53');
  });

  it('a Bretagne delegate cannot reach an Occitanie local structure, its matches or its resources', async () => {
    const key = api.keys.bretagne;
    expect((await api.call('GET', '/api/v1/structures/dev-s25', { key })).status).toBe(403);
    expect((await api.call('PATCH', '/api/v1/structures/dev-s25', { key, json: { employees: 1 } })).status).toBe(403);
    expect((await api.call('DELETE', '/api/v1/structures/dev-s25', { key })).status).toBe(403);
    expect((await api.call('GET', '/api/v1/structures/dev-s25/matches', { key })).status).toBe(403);
    expect((await api.call('GET', '/api/v1/resources/dev-r58/matches', { key })).status).toBe(403);
    const listed = await api.call('GET', '/api/v1/structures?region=76', { key });
    expect(listed.body.items).toEqual([]);
  });

  it('a delegate cannot move a structure out of its régions, nor create one outside them', async () => {
    const key = api.keys.bretagne;
    const moved = await api.call('PATCH', '/api/v1/structures/dev-s08', { key, json: { postal_code: '31000' } });
    expect(moved.status).toBe(403);
    expect(api.matching.index.getStructure('dev-s08')!.place.region).toBe('53');
    const outside = await api.call('POST', '/api/v1/structures', { key, json: newStructure('toulouse-1', { postal_code: '31000' }) });
    expect(outside.status).toBe(403);
    expect((await api.call('GET', '/api/v1/structures/toulouse-1', { key: api.keys.admin })).status).toBe(404);
  });

  it('a structure key may change its own record but not archive it', async () => {
    const key = api.keys.structureBzh;
    const patched = await api.call('PATCH', '/api/v1/structures/dev-s06', { key, json: { employees: 9 } });
    expect(patched.status).toBe(200);
    expect(patched.body.employees).toBe(9);
    expect((await api.call('DELETE', '/api/v1/structures/dev-s06', { key })).status).toBe(403);
  });

  it('each key reads only the feedback of its scope; a structure key asking for another structure’s gets an empty list', async () => {
    const admin = api.keys.admin;
    await api.call('POST', '/api/v1/feedback', { key: admin, json: { events: [
      { client_event_id: 'seen-bzh', kind: 'viewed', structure_id: 'dev-s06', resource_id: 'dev-r02' },
      { client_event_id: 'seen-occ', kind: 'viewed', structure_id: 'dev-s25', resource_id: 'dev-r02' },
    ] } });
    const structures = async (key: string, query = '') => ((await api.call('GET', `/api/v1/feedback${query}`, { key })).body.items as { structure_id: string }[])
      .map((e) => e.structure_id);
    expect(new Set(await structures(admin))).toEqual(new Set(['dev-s06', 'dev-s25']));
    expect(new Set(await structures(api.keys.bretagne))).toEqual(new Set(['dev-s06']));
    expect(new Set(await structures(api.keys.occitanie))).toEqual(new Set(['dev-s25']));
    expect(new Set(await structures(api.keys.structureBzh))).toEqual(new Set(['dev-s06']));
    const other = await api.call('GET', '/api/v1/feedback?structure_id=dev-s25', { key: api.keys.structureBzh });
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ items: [], next_cursor: null });
  });

  it('who am I tells the role and the régions by name', async () => {
    const reply = await api.call('GET', '/api/v1/me', { key: api.keys.bretagne });
    expect(reply.body).toMatchObject({ role: 'delegate', regions: [{ code: '53', name: 'Bretagne' }], structure_id: null });
  });
});

/**
 * Structures and resources over HTTP: create, read, replace, patch, archive, list with filters and
 * cursor pagination, bulk import — each with its errors, and each write matchable at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/stores.ts';
import { AS_OF, newResource, newStructure, startTestApi, type TestApi } from './support.ts';

describe.each(storeKinds())('structures and resources over HTTP on %s', (kind) => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    admin = api.keys.admin;
  });
  afterAll(() => api?.close());

  const matchIds = async (path: string) =>
    ((await api.call('GET', `${path}?limit=200&as_of=${AS_OF}`, { key: admin })).body.results as { id: string }[]).map((r) => r.id);

  describe('creating', () => {
    it('creates a structure, answers 201 with its place and Location, and makes it matchable at once', async () => {
      const reply = await api.call('POST', '/api/v1/structures', { key: admin, json: { ...newStructure('api-s1'), site_web: 'https://exemple.org' } });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.headers.get('location')).toBe('/api/v1/structures/api-s1');
      expect(reply.body).toMatchObject({
        id: 'api-s1', legal_form: 'association', status: 'active', archived_at: null,
        extra: { site_web: 'https://exemple.org' },
        place: { postal_code: '35000', commune: 'Rennes', department: '35', region: '53', region_name: 'Bretagne' },
      });
      expect((await api.call('GET', '/api/v1/structures/api-s1', { key: admin })).body).toEqual(reply.body);
      expect((await api.call('GET', `/api/v1/structures/api-s1/matches?as_of=${AS_OF}`, { key: admin })).status).toBe(200);
      expect(await matchIds('/api/v1/resources/dev-r62/matches')).toContain('api-s1');
    });

    it('creates a resource and proposes it at once to the structures nearby', async () => {
      const reply = await api.call('POST', '/api/v1/resources', { key: admin, json: newResource('api-r1') });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body).toMatchObject({ id: 'api-r1', scope: 'local', place: { commune: 'Rennes' } });
      expect(await matchIds('/api/v1/structures/api-s1/matches')).toContain('api-r1');
    });

    it('lists every bad field of a record with its path, in French', async () => {
      const reply = await api.call('POST', '/api/v1/structures', {
        key: admin, json: { id: 'bad-1', name: '', legal_form: 'sarl', description: 'x', needs: ['premises', 'cafe'], postal_code: '3500', employees: -2 },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('request.invalid');
      const paths = (reply.body.error.details as { path: string }[]).map((d) => d.path).sort();
      expect(paths).toEqual(['employees', 'legal_form', 'name', 'needs', 'postal_code']);
      expect(reply.body.error.details.find((d: { path: string }) => d.path === 'postal_code').message).toMatch(/zéro initial/);
    });

    it('refuses an unknown commune with the path postal_code', async () => {
      const reply = await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure('bad-2', { postal_code: '99999' }) });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details).toEqual([expect.objectContaining({ path: 'postal_code', code: 'import.unknown_postal_code' })]);
    });

    it('refuses a second record with the same id with 409', async () => {
      const reply = await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure('dev-s06') });
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('structures.already_exists');
    });

    it('refuses a body that is not JSON with 415', async () => {
      const reply = await api.call('POST', '/api/v1/structures', { key: admin, body: 'id=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(reply.status).toBe(415);
      expect(reply.body.error.code).toBe('request.unsupported_media_type');
    });
  });

  describe('reading', () => {
    it('reads a resource with its place names', async () => {
      const reply = await api.call('GET', '/api/v1/resources/dev-r02', { key: admin });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ id: 'dev-r02', scope: 'national', place: { postal_code: '75015', region_name: 'Île-de-France' } });
    });

    it('answers 404 with a dotted code for a record that does not exist', async () => {
      const reply = await api.call('GET', '/api/v1/resources/nope', { key: admin });
      expect(reply.status).toBe(404);
      expect(reply.body.error).toEqual({ code: 'resources.not_found', message: expect.stringContaining('nope') });
    });
  });

  describe('replacing and patching', () => {
    it('replaces a whole record: fields left out are gone', async () => {
      const reply = await api.call('PUT', '/api/v1/structures/api-s1', { key: admin, json: newStructure('api-s1', { need_text: undefined, employees: 5 }) });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.employees).toBe(5);
      expect(reply.body).not.toHaveProperty('need_text');
      expect(api.matching.index.getStructure('api-s1')!.employees).toBe(5);
    });

    it('takes the id from the address when the body has none, and refuses a different one', async () => {
      const { id: _id, ...withoutId } = newStructure('api-s1');
      expect((await api.call('PUT', '/api/v1/structures/api-s1', { key: admin, json: withoutId })).status).toBe(200);
      const other = await api.call('PUT', '/api/v1/structures/api-s1', { key: admin, json: newStructure('api-s2') });
      expect(other.status).toBe(400);
      expect(other.body.error.details[0].path).toBe('id');
    });

    it('answers 404 when replacing a record that does not exist', async () => {
      expect((await api.call('PUT', '/api/v1/structures/ghost', { key: admin, json: newStructure('ghost') })).status).toBe(404);
    });

    it('patches with JSON Merge Patch: given fields change, null removes, the rest stays', async () => {
      const reply = await api.call('PATCH', '/api/v1/structures/api-s1', {
        key: admin, json: { volunteers: 20, employees: null, tags: ['vélo'] }, headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ volunteers: 20, tags: ['vélo'], name: 'Atelier solidaire api-s1' });
      expect(reply.body).not.toHaveProperty('employees');
    });

    it('moves a record when its postal code changes, for the engine too', async () => {
      const reply = await api.call('PATCH', '/api/v1/resources/api-r1', { key: admin, json: { postal_code: '29200' } });
      expect(reply.body.place.commune).toBe('Brest');
      expect(api.matching.index.getResource('api-r1')!.place.department).toBe('29');
    });

    it('refuses an invalid patch with the path of the field', async () => {
      const reply = await api.call('PATCH', '/api/v1/resources/api-r1', { key: admin, json: { available_from: '2027-02-30', pillar: 'cafe' } });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['available_from', 'pillar']);
    });
  });

  describe('archiving', () => {
    it('archives: the record stays readable but is no longer matched, listed or matchable', async () => {
      await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure('api-s3') });
      expect(await matchIds('/api/v1/resources/dev-r62/matches')).toContain('api-s3');
      expect((await api.call('DELETE', '/api/v1/structures/api-s3', { key: admin })).status).toBe(204);
      expect((await api.call('DELETE', '/api/v1/structures/api-s3', { key: admin })).status).toBe(204);
      const read = await api.call('GET', '/api/v1/structures/api-s3', { key: admin });
      expect(read.body).toMatchObject({ status: 'archived', archived_at: expect.any(String) });
      expect(await matchIds('/api/v1/resources/dev-r62/matches')).not.toContain('api-s3');
      const matches = await api.call('GET', '/api/v1/structures/api-s3/matches', { key: admin });
      expect(matches.status).toBe(404);
      expect(matches.body.error.code).toBe('matches.structure_not_found');
      const active = await api.call('GET', '/api/v1/structures?q=api-s3', { key: admin });
      expect(active.body.items).toEqual([]);
      const archived = await api.call('GET', '/api/v1/structures?status=archived', { key: admin });
      expect(archived.body.items.map((s: { id: string }) => s.id)).toContain('api-s3');
    });

    it('refuses to patch an archived record and brings it back with PUT', async () => {
      const patched = await api.call('PATCH', '/api/v1/structures/api-s3', { key: admin, json: { volunteers: 1 } });
      expect(patched.status).toBe(409);
      expect(patched.body.error.code).toBe('structures.archived');
      const restored = await api.call('PUT', '/api/v1/structures/api-s3', { key: admin, json: newStructure('api-s3') });
      expect(restored.body.status).toBe('active');
      expect(await matchIds('/api/v1/resources/dev-r62/matches')).toContain('api-s3');
    });
  });

  describe('listing', () => {
    const list = async (path: string) => {
      const reply = await api.call('GET', path, { key: admin });
      expect(reply.status, reply.text).toBe(200);
      return reply.body.items as Record<string, unknown>[];
    };

    it('filters structures by région, département, pillar and legal form', async () => {
      const bretagne = await list('/api/v1/structures?region=53&limit=200');
      expect(bretagne.length).toBeGreaterThan(2);
      expect(bretagne.every((s) => (s.place as { region: string }).region === '53')).toBe(true);
      const finistere = await list('/api/v1/structures?department=29');
      expect(finistere.map((s) => s.id).sort()).toEqual(['dev-s06', 'dev-s08']);
      const esat = await list('/api/v1/structures?legal_form=esat&pillar=purchasing');
      expect(esat.length).toBeGreaterThan(0);
      expect(esat.every((s) => s.legal_form === 'esat' && (s.needs as string[]).includes('purchasing'))).toBe(true);
      const corse = await list('/api/v1/structures?department=2b');
      expect(corse.map((s) => s.id)).toContain('dev-s01');
    });

    it('filters resources by pillar, scope and the legal forms they are open to', async () => {
      const national = await list('/api/v1/resources?scope=national&pillar=banking&limit=200');
      expect(national.length).toBeGreaterThan(0);
      expect(national.every((r) => r.scope === 'national' && r.pillar === 'banking')).toBe(true);
      const forScop = await list('/api/v1/resources?legal_form=scop&pillar=purchasing&limit=200');
      expect(forScop.map((r) => r.id)).not.toContain('dev-r09');
      expect(forScop.every((r) => !(r.eligible_legal_forms as string[] | undefined)?.length
        || (r.eligible_legal_forms as string[]).includes('scop'))).toBe(true);
    });

    it('finds records by free text, whatever the case and accents', async () => {
      const found = await list('/api/v1/structures?q=BREST%20precarite');
      expect(found.map((s) => s.id)).toEqual(['dev-s06']);
      const resources = await list('/api/v1/resources?q=vélos%20réformés');
      expect(resources.map((r) => r.id)).toContain('dev-r27');
    });

    it('pages with a cursor through every record once, in id order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const reply = await api.call('GET', `/api/v1/resources?limit=7${cursor ? `&cursor=${cursor}` : ''}`, { key: admin });
        seen.push(...reply.body.items.map((r: { id: string }) => r.id));
        cursor = reply.body.next_cursor;
        pages += 1;
      } while (cursor && pages < 50);
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(['dev-r01', 'dev-r80', 'api-r1']));
    });

    it('refuses an unknown or malformed filter with the path of the parameter', async () => {
      const unknown = await api.call('GET', '/api/v1/structures?scope=national', { key: admin });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: 'scope' })]);
      const bad = await api.call('GET', '/api/v1/resources?limit=0&pillar=cafe', { key: admin });
      expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['limit', 'pillar']);
    });
  });

  describe('bulk import', () => {
    const upload = (path: string, body: string, contentType: string, key = admin) =>
      api.call('POST', path, { key, body, headers: { 'content-type': contentType } });

    it('imports JSON Lines like the command line: summary and every reject with line, field and reason', async () => {
      const lines = [
        JSON.stringify(newStructure('imp-1')),
        JSON.stringify(newStructure('imp-2', { legal_form: 'sarl' })),
        '{ pas du json',
        JSON.stringify(newStructure('imp-3', { postal_code: '99999' })),
        JSON.stringify(newStructure('dev-s06', { name: 'Le Phare', description: 'Accueil de jour à Brest.', postal_code: '29200' })),
      ].join('\n');
      const reply = await upload('/api/v1/structures/import?source=lot.jsonl', lines, 'application/x-ndjson');
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ source: 'lot.jsonl', inserted: 1, updated: 1, unchanged: 0, rejected: 3, total: 5 });
      expect(reply.body.rejects.map((r: { line: number; field?: string; code: string }) => [r.line, r.field, r.code])).toEqual([
        [2, 'legal_form', 'import.bad_enum'],
        [3, undefined, 'import.invalid_json'],
        [4, 'postal_code', 'import.unknown_postal_code'],
      ]);
      expect(reply.body.rejects[0].reason).toMatch(/sarl/);
      expect(await matchIds('/api/v1/resources/dev-r62/matches')).toContain('imp-1');
      expect(api.matching.index.getStructure('dev-s06')!.description).toBe('Accueil de jour à Brest.');
    });

    it('imports CSV with the same rules', async () => {
      const csv = 'id,pillar,title,description,postal_code,scope,radius_km\n'
        + 'imp-r1,logistics,Navette Rennes,Transport de caisses et palettes,35000,local,25\n'
        + 'imp-r2,logistics,Navette,Sans code postal,,local,25\n';
      const reply = await upload('/api/v1/resources/import', csv, 'text/csv; charset=utf-8');
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ inserted: 1, rejected: 1, total: 2 });
      expect(reply.body.rejects[0]).toMatchObject({ line: 3, field: 'postal_code', code: 'import.missing_field' });
      expect(api.matching.index.getResource('imp-r1')).toBeDefined();
    });

    it('imports nothing from a file that cannot be read as a whole', async () => {
      const reply = await upload('/api/v1/structures/import', `[${JSON.stringify(newStructure('imp-x'))}]`, 'application/x-ndjson');
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('import.json_array');
      expect((await api.call('GET', '/api/v1/structures/imp-x', { key: admin })).status).toBe(404);
    });

    it('refuses another content type with 415', async () => {
      const reply = await upload('/api/v1/structures/import', '{}', 'application/json');
      expect(reply.status).toBe(415);
      expect(reply.body.error.details.expected).toContain('text/csv');
    });

    it('refuses a file over the configured size with 413 and imports none of it', async () => {
      const small = await api.startAnother({ PASSERELLES_IMPORT_LIMIT: '2kb' });
      try {
        const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify(newStructure(`big-${i}`))).join('\n');
        const reply = await small.call('POST', '/api/v1/structures/import', { key: admin, body: lines, headers: { 'content-type': 'application/x-ndjson' } });
        expect(reply.status).toBe(413);
        expect(reply.body.error.code).toBe('request.too_large');
        expect((await api.call('GET', '/api/v1/structures/big-0', { key: admin })).status).toBe(404);

        // Without Content-Length (chunked upload), the cap applies while reading and the import rolls back.
        const chunks = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const line of lines.split('\n')) controller.enqueue(new TextEncoder().encode(`${line}\n`));
            controller.close();
          },
        });
        const streamed = await fetch(`${small.url}/api/v1/structures/import`, {
          method: 'POST', body: chunks, duplex: 'half',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-ndjson' },
        } as RequestInit);
        expect(streamed.status).toBe(413);
        expect((await api.call('GET', '/api/v1/structures/big-0', { key: admin })).status).toBe(404);
      } finally {
        await small.close();
      }
    });
  });
});

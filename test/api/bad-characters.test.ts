/**
 * A NUL character or a lone surrogate anywhere a client can put text — path, query, cursor, JSON
 * body, key label, the import's `source` — is refused with 400 naming the field, before it reaches
 * the database; in an imported file it is that record's reject. Never a 500, never SQL in a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/stores.ts';
import { newStructure, startTestApi, type TestApi } from './support.ts';

const NUL = '\u0000';
const LONE = '\ud800';

describe.each(storeKinds())('bad characters over HTTP on %s', (kind) => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    admin = api.keys.admin;
  });
  afterAll(() => api?.close());

  const expect400 = (reply: { status: number; text: string; body: any }, path: string) => {
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.error.code).toBe('request.invalid');
    expect(reply.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(reply.text).not.toMatch(/select|insert|params/i);
  };

  it('refuses %00 in a list query, a cursor and a read by id with 400 naming the field', async () => {
    expect400(await api.call('GET', '/api/v1/structures?q=ab%00c', { key: admin }), 'q');
    expect400(await api.call('GET', '/api/v1/structures?cursor=%00', { key: admin }), 'cursor');
    expect400(await api.call('GET', '/api/v1/structures/dev%00s06', { key: admin }), 'id');
    expect400(await api.call('GET', '/api/v1/resources/dev%00r01/matches', { key: admin }), 'id');
  });

  it('refuses a NUL or a lone surrogate in a created, replaced or patched record, naming the field', async () => {
    expect400(await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure('nul-1', { name: `A${NUL}B` }) }), 'name');
    expect400(await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure('nul-2', { site: `x${LONE}` }) }), 'site');
    expect400(await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure(`nul${NUL}3`) }), 'id');
    const created = await api.call('POST', '/api/v1/structures', { key: admin, json: newStructure('nul-4') });
    expect(created.status, created.text).toBe(201);
    expect400(await api.call('PUT', '/api/v1/structures/nul-4', { key: admin, json: newStructure('nul-4', { description: `x${NUL}` }) }), 'description');
    expect400(await api.call('PATCH', '/api/v1/structures/nul-4', { key: admin, json: { need_text: `y${LONE}z` } }), 'need_text');
  });

  it('refuses a NUL in a key label and in the import source', async () => {
    expect400(await api.call('POST', '/api/v1/keys', { key: admin, json: { role: 'admin', label: `a${NUL}` } }), 'label');
    const reply = await api.call('POST', `/api/v1/structures/import?source=a%00b.jsonl`, {
      key: admin, body: `${JSON.stringify(newStructure('nul-5'))}\n`, headers: { 'content-type': 'application/x-ndjson' },
    });
    expect400(reply, 'source');
  });

  it('rejects only the record with a NUL or a lone surrogate in an imported file, with its line and field', async () => {
    const lines = [newStructure('imp-1'), newStructure('imp-2', { name: `A${NUL}B` }), newStructure('imp-3', { note: `x${LONE}` }), newStructure('imp-4')];
    const body = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
    const reply = await api.call('POST', '/api/v1/structures/import?source=nul.jsonl', {
      key: admin, body, headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ inserted: 2, rejected: 2, total: 4 });
    expect(reply.body.rejects.map((r: { line: number; field: string; code: string }) => [r.line, r.field, r.code]))
      .toEqual([[2, 'name', 'import.bad_text'], [3, 'note', 'import.bad_text']]);
  });
});

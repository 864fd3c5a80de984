/**
 * The audit trail (issue 20, point 5): every acknowledged change writes exactly one entry naming
 * its key and role (or « operateur » for the command line's use cases), in the transaction of the
 * change — a refused or failed change writes none, and an entry that cannot be written undoes its
 * change. Admins read it at GET /api/v1/audit with filters and a cursor; every other key gets 403.
 * No key and no key hash ever reaches it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { auditListQuerySchema, createAudit } from '../../src/audit/audit.usecases.ts';
import { createKeys, hashKey } from '../../src/keys/keys.usecases.ts';
import { DEFAULT_MODEL } from '../../src/matching/matching.models.ts';
import { readCommittedModel } from '../../src/models/models.serving.ts';
import { createModels } from '../../src/models/models.usecases.ts';
import { storeKinds } from '../support/stores.ts';
import { newResource, newStructure, startTestApi, type Role, type TestApi } from './support.ts';

interface Entry { id: number; at: string; actor: { id: string; role: string }; action: string; record_kind: string; record_id: string | null; details: Record<string, unknown> }

describe.each(storeKinds())('the audit trail on %s', (kind) => {
  let api: TestApi;
  const keyIds = {} as Record<Role, string>;
  let reportsDir: string;
  const startedAt = new Date(Date.now() - 1000).toISOString();

  /** Every entry matching the filters (all pages). */
  async function entries(query = ''): Promise<Entry[]> {
    const all: Entry[] = [];
    let cursor: string | null = null;
    do {
      const reply = await api.call('GET', `/api/v1/audit?limit=500${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`, { key: api.keys.admin });
      expect(reply.status, reply.text).toBe(200);
      all.push(...reply.body.items);
      cursor = reply.body.next_cursor;
    } while (cursor);
    return all;
  }
  const about = (recordId: string) => entries(`record_id=${encodeURIComponent(recordId)}`);
  const summary = (list: Entry[]) => list.map((e) => [e.action, e.actor.id, e.actor.role]);

  beforeAll(async () => {
    api = await startTestApi(kind);
    for (const role of Object.keys(api.keys) as Role[]) {
      keyIds[role] = (await api.call('GET', '/api/v1/me', { key: api.keys[role] })).body.key_id;
    }
    reportsDir = await mkdtemp(join(tmpdir(), 'passerelles-audit-'));
  });
  afterAll(async () => {
    await api?.close();
    await rm(reportsDir, { recursive: true, force: true });
  });

  it('writes one entry per change of a record, naming the key and its role, and none when nothing changes', async () => {
    const admin = api.keys.admin;
    expect((await api.call('POST', '/api/v1/structures', { key: api.keys.bretagne, json: newStructure('audit-s1') })).status).toBe(201);
    expect((await api.call('PATCH', '/api/v1/structures/audit-s1', { key: admin, json: { employees: 9, volunteers: 2 } })).status).toBe(200);
    expect((await api.call('PUT', '/api/v1/structures/audit-s1', { key: admin, json: newStructure('audit-s1', { employees: 9, volunteers: 2 }) })).status).toBe(200);
    expect((await api.call('DELETE', '/api/v1/structures/audit-s1', { key: api.keys.bretagne })).status).toBe(204);
    expect((await api.call('DELETE', '/api/v1/structures/audit-s1', { key: admin })).status).toBe(204);
    expect((await api.call('PUT', '/api/v1/structures/audit-s1', { key: admin, json: newStructure('audit-s1') })).status).toBe(200);
    expect((await api.call('PATCH', '/api/v1/structures/dev-s06', { key: api.keys.structureBzh, json: { volunteers: 41 } })).status).toBe(200);
    expect((await api.call('POST', '/api/v1/resources', { key: admin, json: newResource('audit-r1') })).status).toBe(201);

    const trail = await about('audit-s1');
    expect(summary(trail)).toEqual([
      ['record.updated', keyIds.admin, 'admin'],
      ['record.archived', keyIds.bretagne, 'delegate'],
      ['record.updated', keyIds.admin, 'admin'],
      ['record.created', keyIds.bretagne, 'delegate'],
    ]);
    expect(trail.every((e) => e.record_kind === 'structure')).toBe(true);
    expect(trail[2].details).toEqual({ fields: ['employees', 'volunteers'] });
    expect(trail[0].details).toEqual({ fields: ['employees', 'volunteers'], restored: true });
    expect(summary(await about('dev-s06'))).toEqual([['record.updated', keyIds.structureBzh, 'structure']]);
    expect(summary(await about('audit-r1'))).toEqual([['record.created', keyIds.admin, 'admin']]);
    expect((await about('audit-r1'))[0].record_kind).toBe('resource');
  });

  it('writes one entry per import, with its source and counts, and none for a refused one', async () => {
    const lines = [newStructure('audit-i1'), newStructure('audit-i2'), { id: 'audit-i3' }].map((r) => JSON.stringify(r)).join('\n');
    const reply = await api.call('POST', '/api/v1/structures/import?source=audit.jsonl', {
      key: api.keys.admin, body: lines, headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(reply.status, reply.text).toBe(200);
    const refused = await api.call('POST', '/api/v1/structures/import?source=refus.jsonl', {
      key: api.keys.bretagne, body: lines, headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(refused.status).toBe(403);
    const imports = (await entries('action=records.imported')).filter((e) => e.details.source !== 'structures.jsonl' && e.details.source !== 'resources.jsonl');
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({
      actor: { id: keyIds.admin, role: 'admin' }, record_kind: 'structure', record_id: null,
      details: { source: 'audit.jsonl', inserted: 2, updated: 0, unchanged: 0, rejected: 1, total: 3, run_id: expect.any(Number) },
    });
  });

  it('writes one entry per key created or revoked, with its role and scope but never the key or its hash', async () => {
    const created = await api.call('POST', '/api/v1/keys', { key: api.keys.admin, json: { role: 'delegate', regions: ['53'], label: 'Audit' } });
    expect(created.status).toBe(201);
    const id = created.body.api_key.id as string;
    expect((await api.call('DELETE', `/api/v1/keys/${id}`, { key: api.keys.admin })).status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/keys/${id}`, { key: api.keys.admin })).status).toBe(200);
    const operator = await createKeys({ store: api.store, geography: api.geography }).create(OPERATOR, { role: 'admin', label: 'ligne de commande' });

    const trail = await about(id);
    expect(summary(trail)).toEqual([['key.revoked', keyIds.admin, 'admin'], ['key.created', keyIds.admin, 'admin']]);
    expect(trail[1].details).toMatchObject({ role: 'delegate', regions: ['53'], structure_id: null });
    expect(summary(await about(operator.record.id))).toEqual([['key.created', 'operateur', 'admin']]);

    const text = JSON.stringify(await entries());
    for (const key of [created.body.key as string, operator.key, ...Object.values(api.keys)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hashKey(key));
    }
  });

  it('writes one entry per promotion and rollback of a model, by the API’s key or the command line’s operator', async () => {
    const models = createModels({ store: api.store });
    await models.registerDefault(readCommittedModel(DEFAULT_MODEL)!);
    await models.repository.insert({
      version: 'audit-essai', status: 'candidate', parent: DEFAULT_MODEL, metrics: null, reason: 'essai',
      model: { ...readCommittedModel(DEFAULT_MODEL)!, version: 'audit-essai' },
    }, { action: 'trained', actor: 'test' }, new Date());
    expect((await api.call('POST', '/api/v1/models/audit-essai/promote', { key: api.keys.admin, json: { reason: 'essai' } })).status).toBe(200);
    expect((await api.call('POST', '/api/v1/models/audit-essai/promote', { key: api.keys.admin })).status).toBe(409);
    expect((await api.call('POST', '/api/v1/models/audit-essai/promote', { key: api.keys.bretagne })).status).toBe(403);
    await models.rollback(OPERATOR, 'fin de l’essai');

    const trail = await about('audit-essai');
    expect(summary(trail)).toEqual([['model.rolled_back', 'operateur', 'admin'], ['model.promoted', keyIds.admin, 'admin']]);
    expect(trail[1].details).toMatchObject({ from: DEFAULT_MODEL });
    expect(trail[0].details).toMatchObject({ to: DEFAULT_MODEL });
  });

  it('writes one entry when the training guard promotes a model by itself, and none when it keeps the current one', async () => {
    const models = createModels({ store: api.store });
    const current = (await models.current()).version;
    const file = (version: string) => ({ ...readCommittedModel(DEFAULT_MODEL)!, version });
    const report = (promote: boolean) => ({
      trainedAt: new Date().toISOString(), trainedThrough: { lastEventId: 0, events: 0 }, window: { from: null, to: null, days: 90 },
      events: 0, ignoredEvents: 0, rankings: 0, requesters: 0, pairs: 0,
      split: { cutoff: null, trainRankings: 0, testRankings: 0, trainEvents: 0, testEvents: 0 },
      heldOut: { candidate: { version: 'x', ndcg10: null, requesters: 0, rankings: 0 }, current: { version: current, ndcg10: null, requesters: 0, rankings: 0 } },
      propensities: { estimated: false, values: [], swaps: [], eta: 1 },
      guard: { promote, meanDelta: null, lower: null, upper: null, requesters: 0, margin: 0, confidence: 0.95, reason: promote ? 'meilleur' : 'pas mieux' },
      seconds: 0,
    });
    await models.addTrained(file('audit-appris-1'), report(false), current);
    await models.addTrained(file('audit-appris-2'), report(true), current);
    expect(await about('audit-appris-1')).toEqual([]);
    const trail = await about('audit-appris-2');
    expect(summary(trail)).toEqual([['model.promoted', 'entrainement', 'systeme']]);
    expect(trail[0].details).toEqual({ from: current, reason: 'meilleur' });
  });

  it('writes one entry per report exported, and none for a report refused', async () => {
    const [run] = await api.store.rows<{ id: number | string }>(sql`insert into batch_runs (status, trigger, mode, as_of, k, model_version, model, reports_at, finished_at)
      values ('done', 'cli', 'local', '2026-12-01', 10, ${DEFAULT_MODEL}, '{}'::jsonb, 'audit-run', now()) returning id`);
    await mkdir(join(reportsDir, 'audit-run'), { recursive: true });
    for (const scope of ['53', 'national']) await writeFile(join(reportsDir, 'audit-run', `${scope}.csv`), 'structure;ressource\n');
    const other = await api.startAnother({ PASSERELLES_REPORTS_DIR: reportsDir });
    try {
      expect((await other.call('GET', `/api/v1/reports/${run.id}/53.csv`, { key: api.keys.bretagne })).status).toBe(200);
      expect((await other.call('GET', `/api/v1/reports/${run.id}/national.csv`, { key: api.keys.bretagne })).status).toBe(403);
    } finally {
      await other.close();
    }
    const exports = await entries('action=report.exported');
    expect(exports.map((e) => [e.record_id, e.actor.id, e.actor.role])).toEqual([[`${run.id}/53.csv`, keyIds.bretagne, 'delegate']]);
    expect(exports[0].details).toEqual({ run: Number(run.id), scope: '53', format: 'csv' });
  });

  it('writes no entry for a refused or failed write, and an entry that cannot be written undoes its change', async () => {
    const ddl = (text: string) => api.store.rows(sql.raw(text));
    await ddl(`create function audit_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refusé par le test'; end $$`);
    await ddl(`create trigger audit_test_entry before insert on audit_entries for each row
      when (new.record_id = 'audit-boom' or new.details->>'source' = 'boom.jsonl') execute function audit_test_refuse()`);
    await ddl(`create trigger audit_test_row before insert on structures for each row when (new.id = 'audit-fail') execute function audit_test_refuse()`);
    try {
      expect((await api.call('POST', '/api/v1/structures', { key: api.keys.admin, json: newStructure('audit-bad', { postal_code: '00000' }) })).status).toBe(400);
      expect((await api.call('POST', '/api/v1/structures', { key: api.keys.bretagne, json: newStructure('audit-occ', { postal_code: '81000' }) })).status).toBe(403);
      expect((await api.call('POST', '/api/v1/structures', { key: api.keys.admin, json: newStructure('audit-fail') })).status).toBe(500);
      expect((await api.call('POST', '/api/v1/keys', { key: api.keys.admin, json: { role: 'delegate', regions: ['99'] } })).status).toBe(400);
      for (const id of ['audit-bad', 'audit-occ', 'audit-fail']) expect(await about(id)).toEqual([]);

      // The change and its entry commit together: an entry refused by the database undoes the change.
      expect((await api.call('POST', '/api/v1/structures', { key: api.keys.admin, json: newStructure('audit-boom') })).status).toBe(500);
      expect((await api.call('GET', '/api/v1/structures/audit-boom', { key: api.keys.admin })).status).toBe(404);
      expect(api.matching.index.getStructure('audit-boom')).toBeUndefined();
      const boom = await api.call('POST', '/api/v1/structures/import?source=boom.jsonl', {
        key: api.keys.admin, body: JSON.stringify(newStructure('audit-boom-import')), headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(boom.status).toBe(500);
      expect((await api.call('GET', '/api/v1/structures/audit-boom-import', { key: api.keys.admin })).status).toBe(404);
      expect((await entries('action=records.imported')).filter((e) => e.details.source === 'boom.jsonl')).toEqual([]);
    } finally {
      await ddl('drop trigger audit_test_entry on audit_entries');
      await ddl('drop trigger audit_test_row on structures');
      await ddl('drop function audit_test_refuse()');
    }
  });

  it('is refused to delegate and structure keys (403) and to a call without a key (401)', async () => {
    for (const role of ['bretagne', 'occitanie', 'structureBzh', 'structureOcc'] as const) {
      const reply = await api.call('GET', '/api/v1/audit', { key: api.keys[role] });
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('auth.forbidden');
    }
    expect((await api.call('GET', '/api/v1/audit')).status).toBe(401);
    // The use case refuses them too, whatever the edge (the command line reads as the operator, an admin).
    const audit = createAudit({ store: api.store });
    await expect(audit.list({ keyId: 'key_x', role: 'delegate', regions: ['53'], structureId: null }, auditListQuerySchema.parse({})))
      .rejects.toMatchObject({ code: 'auth.forbidden', status: 403 });
    expect((await audit.list(OPERATOR, auditListQuerySchema.parse({ limit: 1 }))).items).toHaveLength(1);
  });

  it('filters by actor, action, record kind and id, and dates, and its cursor walks every entry once, newest first', async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThan(10);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));

    const byDelegate = await entries(`actor_id=${keyIds.bretagne}`);
    expect(byDelegate.length).toBeGreaterThan(0);
    expect(byDelegate.every((e) => e.actor.id === keyIds.bretagne)).toBe(true);
    expect(byDelegate).toEqual(all.filter((e) => e.actor.id === keyIds.bretagne));
    expect(await entries('action=key.revoked')).toEqual(all.filter((e) => e.action === 'key.revoked'));
    expect(await entries('record_kind=resource')).toEqual(all.filter((e) => e.record_kind === 'resource'));
    expect(await entries('record_kind=structure&record_id=audit-s1&action=record.updated')).toHaveLength(2);
    expect(await entries(`from=${encodeURIComponent(startedAt)}`)).toEqual(all.filter((e) => e.at >= startedAt));
    expect(await entries('to=2000-01-01')).toEqual([]);
    expect(await entries('from=2999-01-01')).toEqual([]);

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply = await api.call('GET', `/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { key: api.keys.admin });
      expect(reply.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...reply.body.items.map((e: Entry) => e.id));
      cursor = reply.body.next_cursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    expect(pages).toBe(Math.ceil(all.length / 3));

    for (const bad of ['action=record.deleted', 'record_kind=user', 'from=hier', 'limit=0', 'cursor=abc', 'actor=key_x']) {
      const reply = await api.call('GET', `/api/v1/audit?${bad}`, { key: api.keys.admin });
      expect(reply.status, bad).toBe(400);
      expect(reply.body.error.code).toBe('request.invalid');
    }
  });

  it('is in the OpenAPI document with its filters', async () => {
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body;
    const op = doc.paths['/api/v1/audit'].get;
    expect(op.operationId).toBe('listAudit');
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['actor_id', 'action', 'record_kind', 'record_id', 'from', 'to', 'limit', 'cursor']);
  });
});

/**
 * What the API does with a structure or a resource, the same for both kinds: read one, list,
 * create, replace, patch, archive. Every write is validated by the contract, placed by the
 * geography, checked against the caller's scope (before AND after the change: a delegate cannot
 * move a record out of its régions), stored, and pushed to the engine so it is matchable at once.
 *
 * Lifecycle: DELETE archives (the row stays for reports and feedback history, the engine drops
 * it). PUT of an archived record brings it back; PATCH of an archived record is refused (409).
 */
import { contractFields } from '../contract/index.ts';
import { PasserellesError } from '../domain/errors.ts';
import type { EntityKind, Place, Resource, ResourceRecord, Structure, StructureRecord } from '../domain/types.ts';
import type { Geography } from '../geo/geography.ts';
import type { RecordOf } from '../db/records.repository.ts';
import type { Access, Action, Caller } from './auth/policy.ts';
import type { ApiContext } from './context.ts';
import { apiErrors } from './errors.ts';
import { archiveRecord, type Page, type Row } from './records.store.ts';
import { recordNotFound, type Reply } from './routes.ts';
import { validateForApi } from './validation.ts';

/** What differs between structures and resources. */
export interface KindSpec<K extends EntityKind> {
  kind: K;
  /** Path segment and prefix of the error codes: `structures`, `resources`. */
  plural: 'structures' | 'resources';
  /** French name for messages: « Structure », « Ressource ». */
  label: string;
  access(caller: Caller, action: Action, id: string, record: RecordOf[K], place: Place): Access;
  get(id: string): Promise<Row<RecordOf[K]> | undefined>;
  write(input: { record: RecordOf[K]; place: Place }): Promise<void>;
  list(caller: Caller, query: unknown): Promise<Page<RecordOf[K]>>;
}

const FIELD_ORDER: Record<EntityKind, string[]> = {
  structure: [...contractFields('structure').map((f) => f.name), 'extra'],
  resource: [...contractFields('resource').map((f) => f.name), 'extra'],
};

/** The record's fields in contract order (jsonb does not keep the order they were written in). */
function inContractOrder(kind: EntityKind, record: object): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of FIELD_ORDER[kind]) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

/** A stored record as the API answers it: contract fields, place with names, lifecycle. */
export function present<R extends StructureRecord | ResourceRecord>(geography: Geography, kind: EntityKind, row: Row<R>) {
  const { place } = row;
  return {
    ...inContractOrder(kind, row.record),
    place: {
      postal_code: place.postalCode, insee_code: place.inseeCode, commune: place.commune,
      department: place.department, department_name: geography.department(place.department)?.name ?? place.department,
      region: place.region, region_name: geography.region(place.region)?.name ?? place.region,
      lat: place.lat, lon: place.lon,
    },
    status: row.archivedAt ? 'archived' : 'active',
    archived_at: row.archivedAt?.toISOString() ?? null,
    updated_at: row.updatedAt.toISOString(),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7396: objects merge recursively, null removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

export function recordUseCases<K extends EntityKind>(ctx: ApiContext, spec: KindSpec<K>) {
  const notFound = (id: string) => recordNotFound(`${spec.plural}.not_found`, spec.label, id);
  const outOfScope = () => apiErrors.forbidden(`${spec.label} hors du périmètre de votre clé.`);

  function enforce(access: Access, id: string): void {
    if (access === 'hidden') throw notFound(id);
    if (access === 'forbidden') throw outOfScope();
  }

  /** The row, if the caller may do `action` on it; 404 when absent or hidden, 403 when out of scope. */
  async function load(caller: Caller, action: Action, id: string): Promise<Row<RecordOf[K]>> {
    const row = await spec.get(id);
    if (!row) throw notFound(id);
    enforce(spec.access(caller, action, id, row.record, row.place), id);
    return row;
  }

  async function save(caller: Caller, id: string, input: unknown, status: number): Promise<Reply> {
    const placed = validateForApi(spec.kind, input, ctx.geography) as { record: RecordOf[K]; place: Place };
    if (placed.record.id !== id) {
      throw apiErrors.invalidRequest([{ path: 'id', message: `l’id du corps (« ${placed.record.id} ») ne correspond pas à celui de l’adresse (« ${id} »)` }]);
    }
    enforce(spec.access(caller, status === 201 ? 'create' : 'update', id, placed.record, placed.place), id);
    await spec.write(placed);
    const entity = { ...placed.record, place: placed.place };
    if (spec.kind === 'structure') ctx.engine.upsertStructure(entity as Structure);
    else ctx.engine.upsertResource(entity as Resource);
    const stored = await spec.get(id);
    const headers: Record<string, string> = status === 201 ? { Location: `/api/v1/${spec.plural}/${encodeURIComponent(id)}` } : {};
    return { status, body: present(ctx.geography, spec.kind, stored!), headers };
  }

  return {
    async get(caller: Caller, id: string): Promise<Reply> {
      return { body: present(ctx.geography, spec.kind, await load(caller, 'read', id)) };
    },

    async list(caller: Caller, query: unknown): Promise<Reply> {
      const page = await spec.list(caller, query);
      return { body: { items: page.items.map((r) => present(ctx.geography, spec.kind, r)), next_cursor: page.nextCursor } };
    },

    async create(caller: Caller, body: unknown): Promise<Reply> {
      if (caller.role === 'structure') throw apiErrors.forbidden('Une clé de structure ne crée pas d’enregistrement.');
      const id = isObject(body) && typeof body.id === 'string' ? body.id.trim() : '';
      if (id && await spec.get(id)) {
        throw new PasserellesError(`${spec.plural}.already_exists`,
          `${spec.label} « ${id} » déjà existante : modifiez-la par PUT ou PATCH.`, 409);
      }
      return save(caller, id, body, 201);
    },

    async replace(caller: Caller, id: string, body: unknown): Promise<Reply> {
      await load(caller, 'update', id);
      return save(caller, id, isObject(body) && body.id === undefined ? { ...body, id } : body, 200);
    },

    async patch(caller: Caller, id: string, patch: unknown): Promise<Reply> {
      const row = await load(caller, 'update', id);
      if (row.archivedAt) {
        throw new PasserellesError(`${spec.plural}.archived`,
          `${spec.label} « ${id} » archivée : envoyez l’enregistrement complet par PUT pour la rétablir.`, 409);
      }
      if (!isObject(patch)) throw apiErrors.invalidRequest([{ path: '', message: 'un objet JSON {…} est attendu' }]);
      const { extra, ...fields } = row.record as RecordOf[K] & { extra?: Record<string, unknown> };
      return save(caller, id, mergePatch({ ...extra, ...fields }, patch), 200);
    },

    async archive(caller: Caller, id: string): Promise<Reply> {
      const row = await load(caller, 'archive', id);
      if (!row.archivedAt) await archiveRecord(ctx.store.db, spec.kind, id);
      ctx.engine.remove(spec.kind, id);
      return { status: 204 };
    },
  };
}

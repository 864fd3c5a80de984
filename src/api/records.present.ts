/**
 * A stored record as the API answers it: contract fields in contract order, the place with the
 * names of its département and région, the lifecycle.
 */
import { contractFields } from '../contract/index.ts';
import type { EntityKind, ResourceRecord, StructureRecord } from '../domain/types.ts';
import type { Geography } from '../geo/geography.ts';
import type { Row } from '../records/records.lists.ts';

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

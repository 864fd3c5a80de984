/** A record and the place its postal code resolved to, as one entity: what the engine indexes. */
import type { EntityKind, Place, Resource, ResourceRecord, Structure, StructureRecord } from './types.ts';

export type Entity = Structure | Resource;

export function toEntity(kind: 'structure', record: StructureRecord, place: Place): Structure;
export function toEntity(kind: 'resource', record: ResourceRecord, place: Place): Resource;
export function toEntity(kind: EntityKind, record: StructureRecord | ResourceRecord, place: Place): Entity;
export function toEntity(_kind: EntityKind, record: StructureRecord | ResourceRecord, place: Place): Entity {
  return { ...record, place } as Entity;
}

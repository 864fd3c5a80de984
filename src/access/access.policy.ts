/**
 * Who may see and change what: pure functions of the caller and the record's place, used by the
 * routes, the list queries and the match filters alike. The rules (README of src/api):
 *
 * - admin: everything.
 * - delegate (régions R): structures located in R; resources located in R plus every national
 *   resource (read only: national offers are changed by admins). Asks for matches there.
 * - structure (one structure S): reads and updates S only (no creation, no archiving); reads every
 *   resource; never learns that another structure exists: those answer 404, not 403.
 *
 * An `Access` says how to answer: `allow`, `forbidden` (403: the caller may know the record exists)
 * or `hidden` (404: the caller must not learn that it exists).
 */
import type { Scope } from '../domain/types.ts';

export const ROLES = ['admin', 'delegate', 'structure'] as const;
export type Role = (typeof ROLES)[number];

/** The holder of an API key, as resolved from it on each request. */
export interface Caller {
  keyId: string;
  role: Role;
  /** Région codes (INSEE, e.g. `53` Bretagne) of a delegate; empty otherwise. */
  regions: string[];
  /** The structure of a `structure` key; null otherwise. */
  structureId: string | null;
}

/** Whoever runs the command line on the service's machine: the operator, with an admin's rights. */
export const OPERATOR: Caller = { keyId: 'operateur', role: 'admin', regions: [], structureId: null };

export type Access = 'allow' | 'forbidden' | 'hidden';
export type Action = 'read' | 'create' | 'update' | 'archive';

/** What the policy needs to know of a structure. */
export interface StructurePlace { id: string; region: string }
/** What the policy needs to know of a resource. */
export interface ResourcePlace { id: string; region: string; scope: Scope }

const inRegions = (caller: Caller, region: string) => caller.regions.includes(region);

export function structureAccess(caller: Caller, action: Action, structure: StructurePlace): Access {
  switch (caller.role) {
    case 'admin': return 'allow';
    case 'delegate': return inRegions(caller, structure.region) ? 'allow' : 'forbidden';
    case 'structure':
      if (structure.id !== caller.structureId) return 'hidden';
      return action === 'read' || action === 'update' ? 'allow' : 'forbidden';
  }
}

export function resourceAccess(caller: Caller, action: Action, resource: ResourcePlace): Access {
  switch (caller.role) {
    case 'admin': return 'allow';
    case 'delegate':
      if (action === 'read') return resource.scope === 'national' || inRegions(caller, resource.region) ? 'allow' : 'forbidden';
      return resource.scope !== 'national' && inRegions(caller, resource.region) ? 'allow' : 'forbidden';
    case 'structure': return action === 'read' ? 'allow' : 'forbidden';
  }
}

/**
 * A structure key naming another structure: hidden whether it exists or not, decided without
 * looking it up, so that neither the answer nor its time tells which.
 */
export const hiddenWithoutLookup = (caller: Caller, kind: 'structure' | 'resource', id: string) =>
  kind === 'structure' && caller.role === 'structure' && id !== caller.structureId;

export const canSeeStructure = (caller: Caller, s: StructurePlace) => structureAccess(caller, 'read', s) === 'allow';
export const canSeeResource = (caller: Caller, r: ResourcePlace) => resourceAccess(caller, 'read', r) === 'allow';

/**
 * Whether canSeeResource holds for every resource, wherever and whatever its scope (an admin, a
 * structure's key): a ranking then filters none of its candidates by scope.
 */
export const seesEveryResource = (caller: Caller): boolean => caller.role === 'admin' || caller.role === 'structure';

/** Bulk import writes many records at once: admins only (a delegate creates and edits one by one). */
export const importAccess = (caller: Caller): Access => (caller.role === 'admin' ? 'allow' : 'forbidden');

/** API keys are managed by admins only. */
export const keysAccess = (caller: Caller): Access => (caller.role === 'admin' ? 'allow' : 'forbidden');

/** The rows a caller may list, as a filter the list queries turn into SQL. */
export type StructureListScope = { all: true } | { regions: string[] } | { id: string };
export type ResourceListScope = { all: true } | { regionsOrNational: string[] };

export function structureListScope(caller: Caller): StructureListScope {
  if (caller.role === 'admin') return { all: true };
  if (caller.role === 'delegate') return { regions: caller.regions };
  return { id: caller.structureId ?? '' };
}

export function resourceListScope(caller: Caller): ResourceListScope {
  return caller.role === 'delegate' ? { regionsOrNational: caller.regions } : { all: true };
}

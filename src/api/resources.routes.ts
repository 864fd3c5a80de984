/**
 * Routes of La Poste resources. Scope: admins all; a delegate reads the resources located in its
 * régions plus every national one, and changes only those located in its régions that are not
 * national (national offers are the admins'); a structure key reads every resource, changes none.
 */
import { createRecordsRepository } from '../db/records.repository.ts';
import type { ResourceRecord } from '../domain/types.ts';
import { resourceAccess, resourceListScope } from './auth/policy.ts';
import type { ApiContext } from './context.ts';
import {
  resourceInputSchema, resourceListQuerySchema, resourceListSchema, resourceOutputSchema, resourcePatchSchema,
  type ResourceListQuery,
} from './records.schemas.ts';
import { kindRoutes } from './records.routes.ts';
import { listResources } from './records.store.ts';
import type { RouteSpec } from './routes.ts';

export function resourceRoutes(ctx: ApiContext): RouteSpec[] {
  const repository = createRecordsRepository(ctx.store);
  return kindRoutes(ctx, {
    kind: 'resource',
    plural: 'resources',
    label: 'Ressource',
    one: 'une ressource',
    tag: 'Ressources',
    input: resourceInputSchema,
    patch: resourcePatchSchema,
    output: resourceOutputSchema,
    listOutput: resourceListSchema,
    listQuery: resourceListQuerySchema,
    accessText: {
      list: 'admin et structure : toutes ; délégué : celles de ses régions et les nationales.',
      read: 'admin et structure : toutes ; délégué : celles de ses régions et les nationales (sinon 403).',
      write: 'admin ; délégué pour une ressource de ses régions qui n’est pas nationale, avant comme après '
        + 'la modification ; jamais une clé de structure.',
      archive: 'admin ; délégué pour une ressource non nationale de ses régions.',
    },
    access: (caller, action, id, record, place) =>
      resourceAccess(caller, action, { id, region: place.region, scope: record.scope ?? 'local' }),
    get: (id) => repository.getResource(id),
    write: async (input) => { await repository.upsertResources(ctx.store.db, [input as { record: ResourceRecord; place: typeof input.place }]); },
    list: (caller, query) => listResources<ResourceRecord>(ctx.store.db, resourceListScope(caller), query as ResourceListQuery),
  });
}

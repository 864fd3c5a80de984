/**
 * Routes of La Poste resources. Scope: admins all; a delegate reads the resources located in its
 * régions plus every national one, and changes only those located in its régions that are not
 * national (national offers are the admins'); a structure key reads every resource, changes none.
 */
import type { ApiContext } from './context.ts';
import {
  resourceInputSchema, resourceListSchema, resourceOutputSchema, resourcePatchSchema,
} from './records.schemas.ts';
import { resourceListQuerySchema } from '../records/records.queries.ts';
import { kindRoutes } from './records.routes.ts';
import type { RouteSpec } from './routes.ts';

export function resourceRoutes(ctx: ApiContext): RouteSpec[] {
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
  });
}

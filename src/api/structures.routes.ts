/**
 * Routes of ESS structures. Scope: admins all; a delegate the structures located in its régions
 * (creating, changing and archiving included; it cannot move one out of them); a structure key its
 * own record only (read and update — other structures answer 404, as if they did not exist).
 */
import type { ApiContext } from './context.ts';
import {
  structureInputSchema, structureListSchema, structureOutputSchema, structurePatchSchema,
} from './records.schemas.ts';
import { structureListQuerySchema } from '../records/records.queries.ts';
import { kindRoutes } from './records.routes.ts';
import type { RouteSpec } from './routes.ts';

export function structureRoutes(ctx: ApiContext): RouteSpec[] {
  return kindRoutes(ctx, {
    kind: 'structure',
    plural: 'structures',
    label: 'Structure',
    one: 'une structure',
    tag: 'Structures',
    input: structureInputSchema,
    patch: structurePatchSchema,
    output: structureOutputSchema,
    listOutput: structureListSchema,
    listQuery: structureListQuerySchema,
    accessText: {
      list: 'admin : toutes ; délégué : celles de ses régions ; structure : la sienne seulement.',
      read: 'admin ; délégué si elle est dans ses régions (sinon 403) ; structure : la sienne (une autre répond 404).',
      write: 'admin ; délégué dans ses régions, avant comme après la modification ; structure : la sienne '
        + '(modification seulement, pas de création).',
      archive: 'admin ; délégué dans ses régions.',
    },
  });
}

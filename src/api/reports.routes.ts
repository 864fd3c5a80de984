/**
 * The nightly reports (src/batch/batch.reports.ts): the list a caller may read, and one report in
 * HTML, CSV or JSON. Admins read every report; a delegate those of its régions only (403 for
 * another région's, the national one included); structure keys none.
 */
import { z } from 'zod';
import { REPORT_FORMATS, REPORT_TYPES } from '../batch/batch.reports.ts';
import type { ApiContext } from './context.ts';
import { defineRoute, type RouteSpec } from './routes.ts';

const reportEntrySchema = z.object({
  run: z.number().int().describe('Numéro du calcul de nuit'),
  as_of: z.iso.date().describe('Date de référence du calcul'),
  finished_at: z.string().nullable(),
  model_version: z.string(),
  scope: z.string().describe('`national` ou le code INSEE de la région'),
  name: z.string().describe('France entière ou nom de la région'),
  formats: z.record(z.enum(REPORT_FORMATS), z.string()).describe('Adresse de chaque format'),
});

export const reportListSchema = z.object({ items: z.array(reportEntrySchema) }).describe('Rapports lisibles par la clé, du plus récent au plus ancien.');

const reportParams = z.strictObject({
  run: z.coerce.number().int().positive().describe('Numéro du calcul de nuit'),
  region: z.string().regex(/^(national|\d{2,3})$/, 'national ou code INSEE de région').describe('`national` ou code INSEE de la région (53 : Bretagne…)'),
  format: z.enum(REPORT_FORMATS).describe('html (page lisible sur téléphone, avec carte), csv (tableur, « ; » et virgule décimale), json'),
});

export function reportRoutes(ctx: ApiContext): RouteSpec[] {
  const access = 'admin : tous ; délégué : ceux de ses régions (pas le rapport national) ; structure : aucun.';
  return [
    defineRoute({
      method: 'get', path: '/reports', operationId: 'listReports', tag: 'Rapports',
      summary: 'Rapports du calcul de nuit', access,
      description: 'Rapports des calculs de nuit conservés, par région et national, avec l’adresse de chaque format.',
      responses: { 200: { description: 'Rapports lisibles', schema: reportListSchema } },
      errors: { 403: ['reports.forbidden'] },
      async handle({ caller }) {
        const entries = await ctx.reports.list(caller);
        return { body: { items: entries.map((e) => ({ run: e.run, as_of: e.asOf, finished_at: e.finishedAt, model_version: e.modelVersion, scope: e.scope, name: e.name, formats: e.formats })) } };
      },
    }),
    defineRoute({
      method: 'get', path: '/reports/:run/:region.:format', operationId: 'getReport', tag: 'Rapports',
      summary: 'Un rapport (HTML, CSV ou JSON)', access,
      description: 'Nouvelles correspondances et disparues (avec le motif), meilleures suggestions, couverture, '
        + 'comptes par pilier et par département, retours de la semaine.',
      params: reportParams,
      responses: {
        200: { description: 'Le rapport', contentType: REPORT_TYPES.html },
      },
      errors: { 403: ['reports.forbidden'], 404: ['reports.not_found'] },
      async handle({ caller, params }) {
        const file = await ctx.reports.read(caller, params.run, params.region, params.format);
        const name = `passerelles-${params.run}-${params.region}.${params.format}`;
        return { raw: file.body, headers: { 'content-type': file.contentType, 'content-disposition': `inline; filename="${name}"` } };
      },
    }),
  ];
}

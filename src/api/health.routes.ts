/**
 * Operations endpoints, outside /api/v1 and without a key: `/healthz` says the process answers;
 * `/readyz` says it can serve (database reachable, matching index loaded), 503 otherwise, so a
 * load balancer stops sending traffic to an instance whose database is gone.
 */
import { Router } from 'express';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ApiContext } from './context.ts';
import type { ProbeSpec } from './openapi.ts';

const checkSchema = z.object({ ok: z.boolean(), detail: z.string().optional().describe('Ce qui a été vu, ou pourquoi ça ne va pas') });
const indexSyncSchema = z.object({
  behind: z.literal(true),
  since: z.string().describe('Instant (ISO 8601) de la plus ancienne modification pas encore reportée dans l’index'),
  attempts: z.number().int().describe('Essais de rattrapage faits jusqu’ici (nouvel essai toutes les 0,25 à 5 s)'),
  reason: z.string().optional().describe('Pourquoi le dernier essai a échoué'),
}).describe('Présent tant que l’index est en retard sur la base (il la rattrape de lui-même) ; le service sert quand même.');
export const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.object({ database: checkSchema, index: checkSchema }),
  index_sync: indexSyncSchema.optional(),
}).describe('Prêt à servir : base joignable et index de mise en relation chargé.');

/** The probes as the OpenAPI document shows them (they are outside /api/v1 and need no key). */
export const probeSpecs: ProbeSpec[] = [
  {
    path: '/healthz', operationId: 'healthz', summary: 'Le processus répond',
    description: 'Répond dès que le serveur écoute, sans toucher à la base.',
    responses: { 200: { description: 'Vivant', schema: z.object({ status: z.literal('ok') }) } },
  },
  {
    path: '/readyz', operationId: 'readyz', summary: 'Le service peut servir',
    description: 'Base de données joignable (2 s au plus) et index chargé ; 503 sinon, avec la raison de chaque vérification. '
      + 'Un index en retard sur la base (une mise à jour qui a échoué, rattrapée de lui-même) est signalé par `index_sync` sans empêcher 200.',
    responses: {
      200: { description: 'Prêt', schema: readySchema },
      503: { description: 'Pas prêt : voir checks', schema: readySchema },
    },
  },
  {
    path: '/metrics', operationId: 'metrics', summary: 'Métriques Prometheus',
    description: 'Requêtes par route et statut, latences, classements servis par version du modèle, journal des classements.',
    responses: { 200: { description: 'Format texte de Prometheus', contentType: 'text/plain; version=0.0.4' } },
  },
];

const withTimeout = <T>(promise: Promise<T>, ms: number) => Promise.race([
  promise,
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pas de réponse en ${ms} ms`)), ms).unref()),
]);

export function healthRouter(ctx: ApiContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/readyz', async (req, res) => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    try {
      await withTimeout(ctx.store.rows(sql`select 1 as ok`), 2000);
      checks.database = { ok: true };
    } catch (e) {
      req.log?.warn({ err: e }, 'readiness: database unreachable');
      checks.database = { ok: false, detail: 'base de données injoignable' };
    }
    try {
      const stats = ctx.matching.stats();
      checks.index = { ok: true, detail: `${stats.structures} structures, ${stats.resources} ressources, modèle ${stats.modelVersion}` };
    } catch (e) {
      req.log?.warn({ err: e }, 'readiness: index not loaded');
      checks.index = { ok: false, detail: 'index de mise en relation non chargé' };
    }
    const ready = Object.values(checks).every((c) => c.ok);
    const behind = ctx.indexSync?.status();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks, ...(behind ? { index_sync: behind } : {}) });
  });
  return router;
}

/**
 * Operations endpoints, outside /api/v1 and without a key: `/healthz` says the process answers;
 * `/readyz` says it can serve (database reachable, matching index loaded), 503 otherwise, so a
 * load balancer stops sending traffic to an instance whose database is gone.
 */
import { Router } from 'express';
import { sql } from 'drizzle-orm';
import type { ApiContext } from './context.ts';

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
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });
  return router;
}

/**
 * What the service answers while its index loads (`serve` binds its port first): /healthz 200
 * (the process lives), /readyz 503 with the stage and its progress, every other path 503
 * `service.loading` with Retry-After. A plain request handler: express and the routes are
 * assembled only once the index is there.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STAGE_LABELS, type LoadProgress } from '../matching/matching.stages.ts';

/** Where the start of the service is; `opening_database` comes before the index's own stages. */
export interface StartState {
  stage: LoadProgress['stage'] | 'opening_database' | 'loading_demo_data';
  records?: number;
  total?: number;
  startedAt: number;
}

export const START_LABELS: Record<StartState['stage'], string> = {
  opening_database: 'ouverture de la base de données',
  loading_demo_data: 'chargement des données de démonstration',
  ...STAGE_LABELS,
};

export function describeStart(state: StartState) {
  return {
    stage: state.stage,
    detail: START_LABELS[state.stage],
    ...(state.records === undefined ? {} : { records: state.records }),
    ...(state.total === undefined ? {} : { total: state.total }),
    elapsed_s: Math.round((performance.now() - state.startedAt) / 100) / 10,
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

export function loadingHandler(state: StartState) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    const loading = describeStart(state);
    if (path === '/readyz') return send(res, 503, { status: 'loading', loading });
    send(res, 503, {
      error: {
        code: 'service.loading',
        message: `Le service démarre (${loading.detail}) : réessayez dans quelques secondes.`,
        details: loading,
      },
    }, { 'Retry-After': '5' });
  };
}

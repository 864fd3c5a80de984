/**
 * Starts the real app on an ephemeral port over a test store holding the dev set (imported through
 * the importer), with the real matching over the index built from the store, and the keys of the role matrix:
 *
 *   admin · delegate Bretagne (53) · delegate Occitanie (76) · structure dev-s06 (Brest, Bretagne)
 *   · structure dev-s25 (Albi, Occitanie)
 *
 * `call` is `fetch` with the key and JSON handled. Log lines are captured in `logs`.
 */
import { createReadStream } from 'node:fs';
import { createApp, type ApiDeps } from '../../src/api/app.ts';
import { createApiKey } from '../../src/keys/keys.usecases.ts';
import { createKeysRepository } from '../../src/keys/keys.repository.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/config/logger.ts';
import type { Store } from '../../src/db/open.ts';
import { openMatching } from '../../src/matching/matching.sync.ts';
import type { Matching } from '../../src/matching/matching.usecases.ts';
import { loadGeography, type Geography } from '../../src/geo/geography.ts';
import { importRecords } from '../../src/importer/index.ts';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { actorOf } from '../../src/audit/audit.repository.ts';
import { openTestStore, type StoreKind } from '../support/stores.ts';
import { openFeedbackLoop, type FeedbackLoop } from '../../src/feedback/feedback.loop.ts';

export const DEV_DIR = new URL('../fixtures/dev', import.meta.url).pathname;
/** Reference date of the dev set's judgments. */
export const AS_OF = '2026-12-01';

export type Role = 'admin' | 'bretagne' | 'occitanie' | 'structureBzh' | 'structureOcc';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface CallOptions {
  key?: string;
  json?: unknown;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export type Call = (method: string, path: string, options?: CallOptions) => Promise<Reply>;

export function client(baseUrl: string): Call {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body as BodyInit | undefined });
    const text = await res.text();
    let parsed: unknown;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
}

/** The real matching over the store, with the committed model and thesaurus, its clock on AS_OF. */
export const buildMatching = (store: Store): Promise<Matching> =>
  openMatching(store, { now: () => new Date(`${AS_OF}T12:00:00Z`) });

export async function importDevSet(store: Store, geography: Geography): Promise<void> {
  for (const kind of ['structure', 'resource'] as const) {
    await importRecords({ store, geography }, {
      kind, format: 'jsonl', source: createReadStream(`${DEV_DIR}/${kind}s.jsonl`), sourceName: `${kind}s.jsonl`, actor: actorOf(OPERATOR),
      onReject: (r) => { throw new Error(`dev set reject: ${r.reason}`); },
    });
  }
}

export interface TestApi {
  url: string;
  call: Call;
  store: Store;
  matching: Matching;
  geography: Geography;
  /** The ranking log and feedback effects of the main app (started; stopped by close). */
  feedback: FeedbackLoop;
  keys: Record<Role, string>;
  logs: string[];
  /** Another app over the same store and matching, with other settings or dependencies. */
  startAnother(env?: Record<string, string>, deps?: Partial<ApiDeps>): Promise<{ url: string; call: Call; close(): Promise<void> }>;
  close(): Promise<void>;
}

export const BASE_ENV = { LOG_LEVEL: 'info', PASSERELLES_RATE_LIMIT: '100000', PASSERELLES_AUTH_FAILURES: '100000' };

export async function startTestApi(kind: StoreKind): Promise<TestApi> {
  const store = await openTestStore(kind);
  const geography = loadGeography();
  await importDevSet(store, geography);
  const matching = await buildMatching(store);
  const logs: string[] = [];
  const logger = createLogger('info', { write: (line: string) => { logs.push(line); } });
  const servers: RunningServer[] = [];

  const feedback = await openFeedbackLoop({
    store, matching, config: loadConfig({ ...BASE_ENV, PASSERELLES_SWAP_SHARE: '0' }), logger, source: 'api', now: () => new Date(`${AS_OF}T12:00:00Z`), intervalMs: 20,
  });
  feedback.start();
  const start = async (env: Record<string, string>, deps: Partial<ApiDeps> = {}) => {
    const config = loadConfig({ ...BASE_ENV, ...env });
    const app = createApp({ config, logger, store, matching, geography, feedback, ...deps });
    const server = await startServer({ app, port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000 });
    servers.push(server);
    return { url: server.url, call: client(server.url), close: () => server.close() };
  };

  const main = await start({});
  const keyDeps = {
    keys: createKeysRepository(store),
    isRegion: (code: string) => geography.region(code) !== undefined,
    structureExists: async () => true,
    actor: actorOf(OPERATOR),
  };
  const make = async (input: Record<string, unknown>) => (await createApiKey(keyDeps, input)).key;
  const keys: Record<Role, string> = {
    admin: await make({ role: 'admin', label: 'test admin' }),
    bretagne: await make({ role: 'delegate', regions: ['53'], label: 'délégué Bretagne' }),
    occitanie: await make({ role: 'delegate', regions: ['76'], label: 'déléguée Occitanie' }),
    structureBzh: await make({ role: 'structure', structure_id: 'dev-s06', label: 'Le Phare (Brest)' }),
    structureOcc: await make({ role: 'structure', structure_id: 'dev-s25', label: 'Tarn Solidarité Aînés (Albi)' }),
  };

  return {
    url: main.url, call: main.call, store, matching, geography, feedback, keys, logs,
    startAnother: start,
    async close() {
      for (const s of servers) await s.close();
      await feedback.stop();
      await store.close();
    },
  };
}

/** A structure record in Bretagne (Rennes) that passes the contract. */
export const newStructure = (id: string, over: Record<string, unknown> = {}) => ({
  id, name: `Atelier solidaire ${id}`, legal_form: 'association',
  description: 'Atelier de réparation de vélos et de petit électroménager avec des personnes en insertion.',
  needs: ['logistics'], need_text: 'Transporter des caisses et des palettes de pièces détachées dans la métropole rennaise.',
  postal_code: '35000', employees: 3, volunteers: 12, ...over,
});

/** A local resource in Bretagne (Rennes) that passes the contract. */
export const newResource = (id: string, over: Record<string, unknown> = {}) => ({
  id, pillar: 'logistics', title: `Navettes de la plateforme de Rennes ${id}`,
  description: 'Places libres dans les navettes de la plateforme colis pour transporter caisses et palettes.',
  postal_code: '35000', scope: 'local', radius_km: 30, ...over,
});

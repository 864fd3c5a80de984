/**
 * What logging costs a request: the same explained top-20 rankings served by the service's own
 * path (src/feedback/serving.ts: effects, random swaps, the ranking pushed to the log, whose writer
 * stores it in an embedded database in the background) and by plain matching, alternated query
 * by query in one process, p50 and p95 of each.
 */
import { OPERATOR, type Caller } from '../../src/access/access.policy.ts';
import { openStore } from '../../src/db/open.ts';
import { createFeedbackEffects } from '../../src/feedback/effects.ts';
import { createRankingLog } from '../../src/feedback/ranking-log.ts';
import { createRankingsRepository } from '../../src/feedback/rankings.repository.ts';
import { createServing } from '../../src/feedback/serving.ts';
import type { Matching } from '../../src/matching/matching.usecases.ts';

export interface LoggingCost { queries: number; unlogged: { p50: number; p95: number }; logged: { p50: number; p95: number }; written: number; dropped: number }

const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

export async function measureLoggingCost(matching: Matching, queries: { kind: 'structure' | 'resource'; id: string }[], asOf: string): Promise<LoggingCost> {
  const store = await openStore({ dataDir: 'memory://' });
  const rankings = createRankingsRepository(store);
  const log = createRankingLog({ write: (batch) => rankings.insert(batch) });
  log.start();
  const effects = createFeedbackEffects({ enabled: true, maxDelegatesPerWeek: 5, now: () => new Date() });
  const serving = createServing({ matching, effects, log, swapShare: 0.05, source: 'bench' });
  const caller: Caller = { ...OPERATOR, keyId: 'bench', role: 'admin' };
  const query = { limit: 20, explain: true, as_of: asOf };
  const plain: number[] = [], logged: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const q of queries) {
      let t = performance.now();
      if (q.kind === 'structure') matching.forStructure(q.id, query, caller); else matching.forResource(q.id, query, caller);
      const a = performance.now() - t;
      t = performance.now();
      if (q.kind === 'structure') serving.forStructure(q.id, query, caller); else serving.forResource(q.id, query, caller);
      const b = performance.now() - t;
      if (round === 1) { plain.push(a); logged.push(b); } // the first round warms both paths up
      if (plain.length % 50 === 0) await new Promise((r) => setImmediate(r)); // let the writer run, as between requests
    }
  }
  await log.stop();
  const stats = log.stats();
  await store.close();
  return {
    queries: plain.length,
    unlogged: { p50: percentile(plain, 0.5), p95: percentile(plain, 0.95) },
    logged: { p50: percentile(logged, 0.5), p95: percentile(logged, 0.95) },
    written: stats.written, dropped: stats.dropped,
  };
}

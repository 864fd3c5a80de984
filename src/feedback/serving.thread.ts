/**
 * A ranking thread of the service (serving.pool.ts): decodes its replica of the index from the
 * snapshot the service encoded in shared memory, applies every change it is told in the order told,
 * and ranks each request as the service's thread would (rankForServing), with the request's model,
 * caller and hidden candidates. Messages that come while the index loads wait their turn.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isPasserellesError } from '../domain/errors.ts';
import { decodeIndex } from '../engine/snapshot.ts';
import { loadMatchingFiles } from '../matching/matching.models.ts';
import { bytesSnapshots } from '../matching/matching.snapshot.ts';
import { createMatching, type Matching } from '../matching/matching.usecases.ts';
import type { PoolMessage, PoolReply, PoolThreadData } from './serving.pool.ts';
import { rankListed, withExplanationsWritten } from './serving.ts';

const port = parentPort!;
const data = workerData as PoolThreadData;
/** The thread's matching once its index is loaded; until then, messages wait in `early`. */
const state: { matching?: Matching } = {};
const early: PoolMessage[] = [];

function handle(message: PoolMessage, m: Matching): void {
  if (message.op === 'change') { m.index.apply(message.change); return; }
  if (message.op === 'close') { port.close(); return; }
  let reply: PoolReply;
  try {
    if (message.models) {
      m.useModel(message.models.model);
      m.compareOnline(message.models.comparison?.model, message.models.comparison?.share ?? 0);
    }
    reply = { id: message.id, ranked: withExplanationsWritten(rankListed(m, message)) };
  } catch (e) {
    reply = isPasserellesError(e)
      ? { id: message.id, error: { code: e.code, message: e.message, status: e.status, details: e.details } }
      : { id: message.id, error: { code: 'internal', message: (e as Error).message, status: 500 } };
  }
  port.postMessage(reply);
}

port.on('message', (message: PoolMessage) => {
  if (state.matching) handle(message, state.matching);
  else early.push(message);
});

const started = performance.now();
const files = loadMatchingFiles();
const stored = await bytesSnapshots(new Uint8Array(data.snapshot)).open();
const { index } = await decodeIndex(files.thesaurus, stored!.read, stored!.size);
const loaded = createMatching({ index, model: files.model });
for (const message of early.splice(0)) handle(message, loaded);
state.matching = loaded;
const stats = index.stats();
port.postMessage({ ready: true, ms: Math.round(performance.now() - started), records: stats.structures + stats.resources } satisfies PoolReply);

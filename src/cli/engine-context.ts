/** Opens the store, builds the engine from it, runs `fn`, closes the store. */
import { loadEngine } from '../engine/load.ts';
import type { Engine } from '../engine/types.ts';
import type { CliContext } from './command.ts';

export async function withEngine<T>(ctx: CliContext, fn: (engine: Engine) => T | Promise<T>): Promise<T> {
  return ctx.withStore(async (store) => {
    const engine = await loadEngine(store);
    const stats = engine.stats();
    ctx.logger.debug({ ...stats }, 'index construit');
    return fn(engine);
  });
}

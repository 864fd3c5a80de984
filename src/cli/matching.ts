/**
 * What the match commands share: matching over the store (opened, indexed, closed for them) with
 * the registry's current model, and the match request read from flags through the one schema of
 * src/matching, each bad value reported with the flag that carried it.
 */
import { invalid, isPasserellesError } from '../domain/errors.ts';
import type { FieldIssue } from '../domain/validation.ts';
import { MAX_LIMIT, parseMatchQuery, type MatchQuery } from '../matching/matching.request.ts';
import { openServedMatching } from '../models/models.serving.ts';
import { snapshotStorageFor } from '../matching/matching.snapshot.ts';
import type { Matching } from '../matching/matching.usecases.ts';
import { openFeedbackLoop } from '../feedback/feedback.loop.ts';
import type { Serving } from '../feedback/serving.ts';
import type { CliContext } from './command.ts';

export async function withMatching<T>(ctx: CliContext, fn: (matching: Matching) => T | Promise<T>): Promise<T> {
  return ctx.withStore(async (store) => {
    const snapshots = ctx.config.indexSnapshot ? snapshotStorageFor(store, ctx.config.dataDir) : undefined;
    const { matching } = await openServedMatching(store, {
      snapshots,
      onSnapshotRejected: (reason) => ctx.logger.warn({ where: snapshots?.where, reason }, 'instantané de l’index écarté : reconstruction complète'),
    });
    ctx.logger.debug({ ...matching.stats() }, 'index prêt');
    return fn(matching);
  });
}

/**
 * Rankings served to the operator as the API serves them: logged (the log is written before the
 * command returns) and with the operator's feedback effects.
 */
export async function withServing<T>(ctx: CliContext, fn: (serving: Serving) => T | Promise<T>): Promise<T> {
  return ctx.withStore(async (store) => {
    const { matching } = await openServedMatching(store);
    const loop = await openFeedbackLoop({ store, matching, config: ctx.config, logger: ctx.logger, source: 'cli', purge: false });
    try {
      return await fn(loop.serving);
    } finally {
      await loop.stop();
    }
  });
}

/** What a flag expects, when its value is refused. */
const EXPECTED: Record<string, string> = { limit: `un entier de 1 à ${MAX_LIMIT}`, as_of: 'une date AAAA-MM-JJ (ex. 2026-12-01)' };

/** The flag of each request field. */
const FLAGS: Record<string, string> = { limit: '--limit', as_of: '--as-of', explain: '--explain', include_excluded: '--excluded', pillar: '--pillar' };

/** The match request of a command's flags; `cli.bad_arguments` naming the flag when a value is wrong. */
export function matchQueryOf(command: string, flags: { limit?: string; 'as-of'?: string; explain?: boolean; excluded?: boolean }): MatchQuery {
  const raw = {
    ...(flags.limit === undefined ? {} : { limit: flags.limit }),
    ...(flags['as-of'] === undefined ? {} : { as_of: flags['as-of'] }),
    ...(flags.explain === undefined ? {} : { explain: flags.explain }),
    ...(flags.excluded === undefined ? {} : { include_excluded: flags.excluded }),
  };
  try {
    return parseMatchQuery(raw);
  } catch (e) {
    if (!isPasserellesError(e) || e.code !== 'request.invalid') throw e;
    const issues = (e.details as FieldIssue[] | undefined) ?? [];
    const value = (path: string) => (raw as Record<string, unknown>)[path];
    const said = issues.map((i) => (EXPECTED[i.path]
      ? `${FLAGS[i.path]} attend ${EXPECTED[i.path]}, reçu « ${String(value(i.path))} »`
      : `${FLAGS[i.path] ?? i.path} : ${i.message}`)).join(' ; ');
    throw invalid('cli.bad_arguments', `${command} : ${said} (voir passerelles ${command} --help)`, issues);
  }
}

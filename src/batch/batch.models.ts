/**
 * The model a new run scores with: the registry's current version (table model_versions, kept by
 * the feedback loop) when there is one, otherwise the committed model file. And the retraining a
 * nightly run starts with (src/models: a no-op without new feedback since the last trained version).
 */
import { sql } from 'drizzle-orm';
import type { Store } from '../db/open.ts';
import { trainModel, type TrainingSettings, type TrainOutcome } from '../models/models.train.ts';
import type { Models } from '../models/models.usecases.ts';
import { parseModel, type RankingModel } from '../ranking/model.ts';
import type { TrainIfNewFeedback } from './batch.run.ts';

export async function currentModel(store: Store, fallback: RankingModel): Promise<RankingModel> {
  const [row] = await store.rows<{ model: unknown }>(sql`select model from model_versions where status = 'current' order by promoted_at desc nulls last limit 1`);
  return row ? parseModel(row.model, 'modèle courant (model_versions)') : fallback;
}

/**
 * What a training outcome means for the night's run: retrained or not, and the model to score with
 * when the new version was promoted (a version kept as candidate leaves the current model in place).
 */
export function nightlyModel(outcome: TrainOutcome, models: Pick<Models, 'toRankingModel'>): Awaited<ReturnType<TrainIfNewFeedback>> {
  if (outcome.status !== 'trained') return { trained: false };
  return outcome.promoted ? { trained: true, model: models.toRankingModel(outcome.version) } : { trained: true };
}

/** The nightly retraining of `passerelles serve`: `passerelles train`'s use case, before the run. */
export function nightlyRetraining(deps: { store: Store; models: Models; settings: TrainingSettings }): TrainIfNewFeedback {
  return async () => nightlyModel(await trainModel(deps), deps.models);
}

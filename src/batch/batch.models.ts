/**
 * The model a new run scores with: the registry's current version (table model_versions, kept by
 * the feedback loop) when there is one, otherwise the committed model file.
 */
import { sql } from 'drizzle-orm';
import type { Store } from '../db/open.ts';
import { parseModel, type RankingModel } from '../ranking/model.ts';

export async function currentModel(store: Store, fallback: RankingModel): Promise<RankingModel> {
  const [row] = await store.rows<{ model: unknown }>(sql`select model from model_versions where status = 'current' order by promoted_at desc nulls last limit 1`);
  return row ? parseModel(row.model, 'modèle courant (model_versions)') : fallback;
}

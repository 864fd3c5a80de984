/**
 * Builds the engine from the store: every active structure and resource, read in pages, then
 * indexed in one pass. Any process (API, CLI, batch worker) builds the same index this way.
 */
import type { Store } from '../db/open.ts';
import { createRecordsRepository } from '../db/records.repository.ts';
import type { Resource, Structure } from '../domain/types.ts';
import { loadModel, type RankingModel } from '../ranking/model.ts';
import { loadThesaurus, type Thesaurus } from '../text/thesaurus.ts';
import { createEngine } from './engine.ts';
import type { Engine } from './types.ts';

export const MODELS_DIR = new URL('../../models/', import.meta.url);
export const DEFAULT_MODEL = 'default-v3';

export function loadDefaults(model = DEFAULT_MODEL): { thesaurus: Thesaurus; model: RankingModel } {
  return {
    thesaurus: loadThesaurus(new URL('thesaurus.json', MODELS_DIR).pathname),
    model: loadModel(new URL(`${model}.json`, MODELS_DIR).pathname),
  };
}

export async function loadEngine(store: Store, deps = loadDefaults()): Promise<Engine> {
  const repo = createRecordsRepository(store);
  const structures: Structure[] = [];
  const resources: Resource[] = [];
  for await (const row of repo.streamActive('structure')) structures.push({ ...(row.record as Structure), place: row.place });
  for await (const row of repo.streamActive('resource')) resources.push({ ...(row.record as Resource), place: row.place });
  return createEngine(deps, { structures, resources });
}

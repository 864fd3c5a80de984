/**
 * The files matching starts from: the thesaurus and the ranking model in `models/`. Read when a
 * process starts (never at import time).
 */
import { loadModel, type RankingModel } from '../ranking/model.ts';
import { loadThesaurus, type Thesaurus } from '../text/thesaurus.ts';

export const MODELS_DIR = new URL('../../models/', import.meta.url);
export const DEFAULT_MODEL = 'default-v4';

export interface MatchingFiles { thesaurus: Thesaurus; model: RankingModel }

export function loadMatchingFiles(model = DEFAULT_MODEL): MatchingFiles {
  return {
    thesaurus: loadThesaurus(new URL('thesaurus.json', MODELS_DIR).pathname),
    model: loadModel(new URL(`${model}.json`, MODELS_DIR).pathname),
  };
}

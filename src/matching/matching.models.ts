/**
 * The files matching starts from: the thesaurus and the ranking model in `models/`. Read when a
 * process starts (never at import time).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadModel, type RankingModel } from '../ranking/model.ts';
import { loadThesaurus, type Thesaurus } from '../text/thesaurus.ts';

export const MODELS_DIR = new URL('../../models/', import.meta.url);
export const DEFAULT_MODEL = 'default-v6';

export interface MatchingFiles {
  thesaurus: Thesaurus;
  model: RankingModel;
  /** sha-256 of the thesaurus file (part of an index snapshot's key). */
  thesaurusDigest?: string;
}

export function loadMatchingFiles(model = DEFAULT_MODEL): MatchingFiles {
  const thesaurusPath = new URL('thesaurus.json', MODELS_DIR).pathname;
  return {
    thesaurus: loadThesaurus(thesaurusPath),
    thesaurusDigest: createHash('sha256').update(readFileSync(thesaurusPath)).digest('hex'),
    model: loadModel(new URL(`${model}.json`, MODELS_DIR).pathname),
  };
}

/**
 * Ranking models: versioned JSON files under models/ giving one weight per feature. The score is
 * one short pure function of a feature vector and a model, so every ranking can be explained
 * and several model versions can be served side by side.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PasserellesError } from '../domain/errors.ts';
import { FEATURE_NAMES } from '../features/index.ts';

const modelSchema = z.object({
  version: z.string().min(1),
  kind: z.literal('linear'),
  description: z.string().optional(),
  bias: z.number().default(0),
  weights: z.record(z.string(), z.number()),
  evaluation: z.unknown().optional(),
});

export interface RankingModel {
  version: string;
  bias: number;
  /** Weights in the order of FEATURE_NAMES. */
  weights: Float64Array;
}

export function parseModel(raw: unknown, source = 'modèle'): RankingModel {
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PasserellesError('model.invalid', `${source} invalide : ${issue.path.join('.')} — ${issue.message}`, 500);
  }
  const unknown = Object.keys(parsed.data.weights).filter((k) => !FEATURE_NAMES.includes(k));
  if (unknown.length > 0) {
    throw new PasserellesError('model.unknown_feature', `${source} : caractéristique inconnue ${unknown.join(', ')} (connues : ${FEATURE_NAMES.join(', ')})`, 500);
  }
  return {
    version: parsed.data.version,
    bias: parsed.data.bias,
    weights: Float64Array.from(FEATURE_NAMES, (n) => parsed.data.weights[n] ?? 0),
  };
}

export function loadModel(path: string): RankingModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PasserellesError('model.unreadable', `Modèle illisible (${path}) : ${(e as Error).message}`, 500);
  }
  return parseModel(raw, path);
}

/** The score of a pair: bias + Σ weight × feature. */
export function score(features: ArrayLike<number>, model: RankingModel): number {
  let s = model.bias;
  for (let i = 0; i < model.weights.length; i++) s += model.weights[i] * features[i];
  return s;
}

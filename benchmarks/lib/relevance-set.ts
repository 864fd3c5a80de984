/**
 * Loads a relevance set (structures.jsonl, resources.jsonl, qrels.jsonl) through the data
 * contract and the geography, as the importer would, and scores runs with the README's metrics.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateRecord } from '../../src/contract/validate.ts';
import type { EntityKind, Resource, Structure } from '../../src/domain/types.ts';
import type { Geography } from '../../src/geo/geography.ts';

export type Qrels = Map<string, Map<string, number>>; // "type\u0000id" → doc → grade

export interface RelevanceSet { structures: Structure[]; resources: Resource[]; qrels: Qrels }

const lines = (path: string) => readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');

function placed<K extends EntityKind>(kind: K, path: string, geo: Geography) {
  return lines(path).map((line, i) => {
    const v = validateRecord(kind, JSON.parse(line));
    if (!v.ok) throw new Error(`${path}:${i + 1} rejected: ${JSON.stringify(v.errors)}`);
    const where = geo.resolvePostalCode(v.record.postal_code);
    if (!where) throw new Error(`${path}:${i + 1} unknown postal code ${v.record.postal_code}`);
    return { ...v.record, place: where.place };
  });
}

export function loadRelevanceSet(dir: string, geo: Geography): RelevanceSet {
  const qrels: Qrels = new Map();
  for (const line of lines(join(dir, 'qrels.jsonl'))) {
    const q = JSON.parse(line) as { query_type: string; query_id: string; doc_id: string; grade: number };
    const key = `${q.query_type}\u0000${q.query_id}`;
    if (!qrels.has(key)) qrels.set(key, new Map());
    qrels.get(key)!.set(q.doc_id, q.grade);
  }
  return {
    structures: placed('structure', join(dir, 'structures.jsonl'), geo) as Structure[],
    resources: placed('resource', join(dir, 'resources.jsonl'), geo) as Resource[],
    qrels,
  };
}

const dcg = (grades: number[]) => grades.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);

export interface Scores { queries: number; ndcg: number; recall: number }

/** Macro NDCG@k and recall@k (grade ≥ 2) per direction, unjudged = 0, missing query = 0. */
export function evaluate(run: Map<string, string[]>, qrels: Qrels, k = 10): Record<EntityKind, Scores> {
  const out = {} as Record<EntityKind, Scores>;
  for (const type of ['structure', 'resource'] as const) {
    const keys = [...qrels.keys()].filter((key) => key.startsWith(`${type}\u0000`));
    let ndcg = 0, recall = 0;
    for (const key of keys) {
      const judged = qrels.get(key)!;
      const ranking = [...new Set(run.get(key) ?? [])].slice(0, k);
      const ideal = dcg([...judged.values()].sort((a, b) => b - a).slice(0, k));
      ndcg += ideal > 0 ? dcg(ranking.map((d) => judged.get(d) ?? 0)) / ideal : 0;
      const relevant = [...judged].filter(([, g]) => g >= 2).map(([d]) => d);
      recall += relevant.length > 0 ? relevant.filter((d) => ranking.includes(d)).length / relevant.length : 1;
    }
    out[type] = { queries: keys.length, ndcg: ndcg / keys.length, recall: recall / keys.length };
  }
  return out;
}

/** NDCG@k of one query: its ranking against its judged grades (unjudged = 0). */
export function queryNdcg(ranking: readonly string[], judged: ReadonlyMap<string, number>, k = 10): number {
  const grades = [...new Set(ranking)].slice(0, k).map((d) => judged.get(d) ?? 0);
  const ideal = dcg([...judged.values()].sort((a, b) => b - a).slice(0, k));
  return ideal > 0 ? dcg(grades) / ideal : 0;
}

/** The queries of the qrels as (type, id). */
export const queriesOf = (qrels: Qrels) =>
  [...qrels.keys()].map((key) => {
    const [type, id] = key.split('\u0000');
    return { type: type as EntityKind, id, key };
  });

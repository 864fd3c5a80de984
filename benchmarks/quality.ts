/**
 * Quality benchmark: ranks every query of a relevance set with the engine and with two
 * baselines run here on the same data, and prints NDCG@10 and recall@10 (grade ≥ 2) per direction.
 *   - text only: BM25 (minisearch) over the same fields, with the same French analysis;
 *   - rules only: pillar among the needs + the hard filters (geography, eligibility, dates), ties by id.
 *
 * npm run bench:quality -- [--set DIR] [--as-of 2026-12-01] [--model default-v3]
 *   DIR: ../shared/eval/dev when it is there, else its copy in test/fixtures/dev.
 * Results: benchmarks/results/quality.json; runs as `passerelles rank` prints them: benchmarks/results/run-*.jsonl
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { dayNumber } from '../src/domain/day.ts';
import { matchResource, matchStructure } from '../src/engine/engine.ts';
import { Index } from '../src/engine/index.ts';
import { DEFAULT_MODEL, loadMatchingFiles } from '../src/matching/matching.models.ts';
import type { RankingModel } from '../src/ranking/model.ts';
import { resourceFields, structureFields, FIELD_WEIGHTS } from '../src/profiles/analysis.ts';
import { loadGeography } from '../src/geo/geography.ts';
import { parseModel } from '../src/ranking/model.ts';
import { analyze } from '../src/text/analyze.ts';
import { evaluate, loadRelevanceSet, queriesOf, type RelevanceSet, type Scores } from './lib/relevance-set.ts';
import type { EntityKind } from '../src/domain/types.ts';

/** The shared relevance set beside the checkout, else its copy in the tests' fixtures. */
const SHARED_SET = resolve('../shared/eval/dev');
const defaultSet = existsSync(join(SHARED_SET, 'qrels.jsonl')) ? SHARED_SET : resolve('test/fixtures/dev');

const { values } = parseArgs({ options: {
  set: { type: 'string', default: defaultSet },
  'as-of': { type: 'string', default: '2026-12-01' },
  model: { type: 'string', default: DEFAULT_MODEL },
} });
const asOf = values['as-of']!;
for (const file of ['structures.jsonl', 'resources.jsonl', 'qrels.jsonl']) {
  if (!existsSync(join(values.set!, file))) {
    console.error(`Jeu de pertinence incomplet : ${join(values.set!, file)} introuvable (--set DOSSIER avec structures.jsonl, resources.jsonl, qrels.jsonl).`);
    process.exit(2);
  }
}
const set = loadRelevanceSet(values.set!, loadGeography());
const defaults = loadMatchingFiles(values.model);
const queries = queriesOf(set.qrels);
const LIMIT = 10;

type Run = Map<string, { id: string; score: number }[]>;

/** One index, any model: each system scores the same requests. */
function engineRun(index: Index, model: RankingModel): Run {
  const run: Run = new Map();
  const request = { limit: LIMIT, asOf, asOfDay: dayNumber(asOf), model, explain: false, includeExcluded: false };
  for (const q of queries) {
    const list = q.type === 'structure' ? matchStructure(index, q.id, request) : matchResource(index, q.id, request);
    run.set(q.key, list.results.map((r) => ({ id: r.id, score: r.score })));
  }
  return run;
}

function bm25Run(data: RelevanceSet): Run {
  const text = (fields: { name: string; text: string | undefined }[]) =>
    Object.fromEntries(fields.map((f) => [f.name, f.text ?? '']));
  const options = (fields: string[], boost: Record<string, number>) => new MiniSearch({
    fields, storeFields: [], tokenize: (t: string) => analyze(t).map((x) => x.stem), processTerm: (t: string) => t,
    searchOptions: { boost, combineWith: 'OR' },
  });
  const rIndex = options(['title', 'description', 'skills', 'tags'], FIELD_WEIGHTS.resource);
  rIndex.addAll(data.resources.map((r) => ({ id: r.id, ...text(resourceFields(r)) })));
  const sIndex = options(['name', 'description', 'need_text', 'tags'], FIELD_WEIGHTS.structure);
  sIndex.addAll(data.structures.map((s) => ({ id: s.id, ...text(structureFields(s)) })));
  const run: Run = new Map();
  for (const q of queries) {
    const query = q.type === 'structure'
      ? structureFields(data.structures.find((s) => s.id === q.id)!).map((f) => f.text ?? '').join(' ')
      : resourceFields(data.resources.find((r) => r.id === q.id)!).map((f) => f.text ?? '').join(' ');
    const hits = (q.type === 'structure' ? rIndex : sIndex).search(query).slice(0, LIMIT);
    run.set(q.key, hits.map((h) => ({ id: String(h.id), score: h.score })));
  }
  return run;
}

const rulesModel = parseModel({ version: 'rules-only', kind: 'linear', weights: { pillar: 1 } });
const started = performance.now();
const index = Index.build(defaults.thesaurus, set);
const systems: { name: string; run: Run }[] = [
  { name: `passerelles (${defaults.model.version})`, run: engineRun(index, defaults.model) },
  { name: 'texte seul (BM25, minisearch)', run: bm25Run(set) },
  { name: 'règles seules', run: engineRun(index, rulesModel) },
];

const results = systems.map((s) => ({
  name: s.name,
  scores: evaluate(new Map([...s.run].map(([k, v]) => [k, v.map((x) => x.id)])), set.qrels, LIMIT),
}));

const cell = (x: Scores) => `${x.ndcg.toFixed(3)} / ${x.recall.toFixed(3)}`;
console.log(`Relevance set ${values.set} (as of ${asOf}); NDCG@10 / recall@10 (grade ≥ 2)`);
console.log(`| system | structure queries (${results[0].scores.structure.queries}) | resource queries (${results[0].scores.resource.queries}) |`);
console.log('|---|---|---|');
for (const r of results) console.log(`| ${r.name} | ${cell(r.scores.structure)} | ${cell(r.scores.resource)} |`);

const out = resolve('benchmarks/results');
mkdirSync(out, { recursive: true });
systems.forEach((s, i) => {
  const lines = [...s.run].map(([key, list]) => {
    const [query_type, query_id] = key.split('\u0000') as [EntityKind, string];
    return JSON.stringify({ query_type, query_id, results: list });
  });
  writeFileSync(join(out, `run-${['engine', 'bm25', 'rules'][i]}.jsonl`), `${lines.join('\n')}\n`);
});
writeFileSync(join(out, 'quality.json'), `${JSON.stringify({
  // relative to the checkout: a tracked result never holds this machine's absolute paths
  set: relative(process.cwd(), resolve(values.set!)) || '.', asOf, model: defaults.model.version, thesaurus: defaults.thesaurus.version,
  date: new Date().toISOString(), seconds: (performance.now() - started) / 1000, results,
}, null, 2)}\n`);
console.log(`\nSaved ${join(out, 'quality.json')}; score a run with: python3 ../shared/eval/ndcg.py ${join(values.set!, 'qrels.jsonl')} ${join(out, 'run-engine.jsonl')}`);

/**
 * Quality benchmark: ranks every query of a relevance set with the engine and with two
 * baselines run here on the same data, and prints NDCG@10 and recall@10 (grade ≥ 2) per direction.
 *   - text only: BM25 (minisearch) over the same fields, with the same French analysis;
 *   - rules only: pillar among the needs + the hard filters (geography, eligibility, dates), ties by id.
 *
 * npm run bench:quality -- [--set DIR] [--as-of 2026-12-01] [--model default-v4] [--per-query] [--skip-heldout]
 *   Without --set: the dev set (../shared/eval/dev, else its copy in test/fixtures/dev), the four
 *   tuning sets (test/fixtures/tuning, tuning2, tuning3, tuning4) and the held-out set
 *   (test/fixtures/heldout), with the gap between dev and held-out per direction.
 *   The held-out set is never tuned on: only its aggregate figures are printed, no run is written,
 *   and --per-query (the engine's queries under NDCG@10 = 1, with their top 10 and grades, to
 *   study errors) lists the other sets only. --skip-heldout leaves it out altogether.
 * Results: benchmarks/results/quality.json (paths relative to the checkout); the dev runs as
 * `passerelles rank` prints them: benchmarks/results/run-*.jsonl
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
import { evaluate, loadRelevanceSet, queriesOf, queryNdcg, type RelevanceSet, type Scores } from './lib/relevance-set.ts';
import type { EntityKind } from '../src/domain/types.ts';

/** The shared relevance set beside the checkout, else its copy in the tests' fixtures. */
const SHARED_SET = resolve('../shared/eval/dev');
const defaultSet = existsSync(join(SHARED_SET, 'qrels.jsonl')) ? SHARED_SET : resolve('test/fixtures/dev');

const HELDOUT_SET = resolve('test/fixtures/heldout');
const TUNING_SET = resolve('test/fixtures/tuning');
const TUNING2_SET = resolve('test/fixtures/tuning2');
const TUNING3_SET = resolve('test/fixtures/tuning3');
const TUNING4_SET = resolve('test/fixtures/tuning4');

const { values } = parseArgs({ options: {
  set: { type: 'string' },
  'as-of': { type: 'string', default: '2026-12-01' },
  model: { type: 'string', default: DEFAULT_MODEL },
  'per-query': { type: 'boolean', default: false },
  'skip-heldout': { type: 'boolean', default: false },
} });
const asOf = values['as-of']!;
const sets = values.set ? [{ name: 'set', dir: resolve(values.set) }]
  : [
    { name: 'dev', dir: defaultSet }, { name: 'tuning', dir: TUNING_SET }, { name: 'tuning2', dir: TUNING2_SET },
    { name: 'tuning3', dir: TUNING3_SET }, { name: 'tuning4', dir: TUNING4_SET },
    ...(values['skip-heldout'] ? [] : [{ name: 'heldout', dir: HELDOUT_SET }]),
  ];
for (const { dir } of sets) {
  for (const file of ['structures.jsonl', 'resources.jsonl', 'qrels.jsonl']) {
    if (!existsSync(join(dir, file))) {
      console.error(`Jeu de pertinence incomplet : ${join(dir, file)} introuvable (--set DOSSIER avec structures.jsonl, resources.jsonl, qrels.jsonl).`);
      process.exit(2);
    }
  }
}
const defaults = loadMatchingFiles(values.model);
const LIMIT = 10;
const where = (dir: string) => relative(process.cwd(), dir) || '.';

type Run = Map<string, { id: string; score: number }[]>;
type Query = ReturnType<typeof queriesOf>[number];

/** One index, any model: each system scores the same requests. */
function engineRun(index: Index, model: RankingModel, queries: Query[]): Run {
  const run: Run = new Map();
  const request = { limit: LIMIT, asOf, asOfDay: dayNumber(asOf), model, explain: false, includeExcluded: false };
  for (const q of queries) {
    const list = q.type === 'structure' ? matchStructure(index, q.id, request) : matchResource(index, q.id, request);
    run.set(q.key, list.results.map((r) => ({ id: r.id, score: r.score })));
  }
  return run;
}

function bm25Run(data: RelevanceSet, queries: Query[]): Run {
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
const cell = (x: Scores) => `${x.ndcg.toFixed(3)} / ${x.recall.toFixed(3)}`;
const out = resolve('benchmarks/results');
mkdirSync(out, { recursive: true });

/** Every system on one relevance set: its scores, and the runs (written for the first set only: dev, or --set). */
function measure(name: string, dir: string) {
  const started = performance.now();
  const set = loadRelevanceSet(dir, loadGeography());
  const queries = queriesOf(set.qrels);
  const index = Index.build(defaults.thesaurus, set);
  const systems: { name: string; run: Run }[] = [
    { name: `passerelles (${defaults.model.version})`, run: engineRun(index, defaults.model, queries) },
    { name: 'texte seul (BM25, minisearch)', run: bm25Run(set, queries) },
    { name: 'règles seules', run: engineRun(index, rulesModel, queries) },
  ];
  const results = systems.map((s) => ({
    name: s.name,
    scores: evaluate(new Map([...s.run].map(([k, v]) => [k, v.map((x) => x.id)])), set.qrels, LIMIT),
  }));
  console.log(`\n${name}: ${where(dir)} (as of ${asOf}); NDCG@10 / recall@10 (grade ≥ 2)`);
  console.log(`| system | structure queries (${results[0].scores.structure.queries}) | resource queries (${results[0].scores.resource.queries}) |`);
  console.log('|---|---|---|');
  for (const r of results) console.log(`| ${r.name} | ${cell(r.scores.structure)} | ${cell(r.scores.resource)} |`);
  if (values['per-query'] && dir !== HELDOUT_SET) printPerQuery(systems[0].run, set.qrels);
  if (dir === sets[0].dir && dir !== HELDOUT_SET) {
    systems.forEach((s, i) => {
      const lines = [...s.run].map(([key, list]) => {
        const [query_type, query_id] = key.split('\u0000') as [EntityKind, string];
        return JSON.stringify({ query_type, query_id, results: list });
      });
      writeFileSync(join(out, `run-${['engine', 'bm25', 'rules'][i]}.jsonl`), `${lines.join('\n')}\n`);
    });
  }
  return { name, set: where(dir), seconds: (performance.now() - started) / 1000, results };
}

/** The engine's queries under NDCG@10 = 1, worst first: score, top 10 as id:grade, judged ≥ 2 missing from it. */
function printPerQuery(run: Run, qrels: RelevanceSet['qrels']) {
  const rows = [...qrels].map(([key, judged]) => {
    const ranking = (run.get(key) ?? []).map((x) => x.id);
    return { key, judged, ranking, ndcg: queryNdcg(ranking, judged, LIMIT) };
  }).filter((q) => q.ndcg < 1 - 1e-9).sort((a, b) => a.ndcg - b.ndcg);
  for (const q of rows) {
    const [type, id] = q.key.split('\u0000');
    const top = q.ranking.slice(0, LIMIT).map((d) => `${d}:${q.judged.get(d) ?? '-'}`).join(' ');
    const missing = [...q.judged].filter(([d, g]) => g >= 2 && !q.ranking.slice(0, LIMIT).includes(d)).map(([d, g]) => `${d}:${g}`);
    console.log(`  ${q.ndcg.toFixed(3)} ${type} ${id} | ${top}${missing.length ? ` | missing ${missing.join(' ')}` : ''}`);
  }
}

const measured = sets.map((s) => measure(s.name, s.dir));
let gap: Record<EntityKind, number> | undefined;
const dev = measured.find((m) => m.name === 'dev')?.results[0].scores;
const heldout = measured.find((m) => m.name === 'heldout')?.results[0].scores;
if (dev && heldout) {
  gap = { structure: dev.structure.ndcg - heldout.structure.ndcg, resource: dev.resource.ndcg - heldout.resource.ndcg };
  console.log(`\nNDCG@10 of passerelles (${defaults.model.version}), dev | held-out | gap:`);
  console.log('| direction | dev | held-out | gap |');
  console.log('|---|---|---|---|');
  for (const d of ['structure', 'resource'] as const) {
    console.log(`| ${d} → ${d === 'structure' ? 'resources' : 'structures'} | ${dev[d].ndcg.toFixed(3)} | ${heldout[d].ndcg.toFixed(3)} | ${gap[d].toFixed(3)} |`);
  }
}

writeFileSync(join(out, 'quality.json'), `${JSON.stringify({
  asOf, model: defaults.model.version, thesaurus: defaults.thesaurus.version,
  date: new Date().toISOString(), sets: measured, ...(gap ? { gap } : {}),
}, null, 2)}\n`);
console.log(`\nSaved ${where(join(out, 'quality.json'))}.`);

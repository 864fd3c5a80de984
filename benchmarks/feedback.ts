/**
 * Feedback benchmark (issue 15): does the loop learn a better ranking from simulated feedback, and
 * does its guard refuse noise? Over the demo data built in process (cases + 3,000 × 1,500), day
 * after day simulated requesters (associations asking for resources, delegates asking for
 * structures) get rankings served through src/matching with the registry's current model passed
 * per request (benchmarks/lib/serve.ts), with a small share of random adjacent swaps, and act on
 * them with position bias and noise (benchmarks/lib/simulate.ts). Rankings and events are written
 * to the ranking log's tables of an in-memory PGlite store; each simulated night runs the train
 * use case (src/models/models.train.ts: propensities from the swaps, pairwise training with the
 * bias correction, held-out split by time, guard, promotion through the registry). A model without
 * the correction is trained on the same split for comparison. The table gives, per day, NDCG@10 against
 * the users' true preferences on fresh rankings of other requesters, for the default model, the
 * learned models and the served one. A second run with pure-noise users must never promote.
 *
 * npm run bench:feedback -- [--days 12] [--requesters 250] [--swap-share 0.15] [--seed 15] [--quick]
 * Results: benchmarks/results/feedback.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Index } from '../src/engine/index.ts';
import { openStore } from '../src/db/open.ts';
import { DEFAULT_MODEL, loadMatchingFiles } from '../src/matching/matching.models.ts';
import { readTrainingLogs } from '../src/models/models.logs.ts';
import { readCommittedModel } from '../src/models/models.serving.ts';
import { trainModel } from '../src/models/models.train.ts';
import { createModels } from '../src/models/models.usecases.ts';
import { createMatching } from '../src/matching/matching.usecases.ts';
import { FEATURE_NAMES } from '../src/features/index.ts';
import { loadGeography } from '../src/geo/geography.ts';
import { toExamples, vectorOf, type FeedbackEvent, type LoggedRanking } from '../src/learning/events.ts';
import { splitByTime } from '../src/learning/evaluate.ts';
import { creditTeams, summarizeInterleaving, type Credit } from '../src/learning/interleave.ts';
import { estimatePropensities } from '../src/learning/propensity.ts';
import { train } from '../src/learning/train.ts';
import { Prng } from '../seed/prng.ts';
import { demoSet } from '../test/support/golden.ts';
import { writeLogs } from '../test/support/logs.ts';
import { asRankingModel, createServer, rankBy, requesterOf, type LinearModel, type Query } from './lib/serve.ts';
import { act, calibrateGrades, DEFAULT_BEHAVIOUR, featureIndex, gradeOf, trueUtility } from './lib/simulate.ts';
import { measureLoggingCost } from './lib/logging-cost.ts';

const { values } = parseArgs({ options: {
  days: { type: 'string', default: '12' },
  requesters: { type: 'string', default: '250' },
  population: { type: 'string', default: '800' },
  eval: { type: 'string', default: '300' },
  'swap-share': { type: 'string', default: '0.15' },
  seed: { type: 'string', default: '15' },
  margin: { type: 'string', default: '0.01' },
  confidence: { type: 'string', default: '0.95' },
  holdout: { type: 'string', default: '0.25' },
  'timing-events': { type: 'string', default: '100000' },
  quick: { type: 'boolean', default: false },
} });
const num = (k: keyof typeof values) => Number(values[k]);
const DAYS = values.quick ? 6 : num('days'), PER_DAY = num('requesters'), SWAP = num('swap-share'), SEED = num('seed');
const POOL = 50, SHOWN = 10, AS_OF = '2026-12-01', DAY_MS = 86_400_000;
const TARGET_EVENTS = 5000, TARGET_GAIN = 0.1;
const guardOptions = { margin: num('margin'), confidence: num('confidence'), resamples: 1000 };

const t0 = performance.now();
const set = demoSet(loadGeography());
const defaults = loadMatchingFiles();
const engine = createMatching({ index: Index.build(defaults.thesaurus, set), model: defaults.model });
const names = FEATURE_NAMES;
const f = featureIndex(names);
const server = createServer(engine, names, { poolSize: POOL, asOf: AS_OF });
const defaultModel: LinearModel = { version: defaults.model.version, bias: defaults.model.bias, weights: defaults.model.weights };

// Requesters: associations (structure queries) and delegates (resource queries), two thirds / one third.
const pickRng = new Prng(SEED);
const all: Query[] = pickRng.shuffle([
  ...pickRng.sample(set.structures, 2 * (num('population') + num('eval'))).map((s) => ({ kind: 'structure' as const, id: s.id })),
  ...pickRng.sample(set.resources, num('population') + num('eval')).map((r) => ({ kind: 'resource' as const, id: r.id })),
]).filter((q) => server.candidates(q).length >= SHOWN);
const evalQueries = all.slice(0, num('eval'));
const population = all.slice(num('eval'), num('eval') + num('population'));
const utilities = new Map<string, Map<string, number>>();
for (const q of [...evalQueries, ...population]) {
  utilities.set(requesterOf(q), new Map(server.candidates(q).map((c) => [c.id, trueUtility(c.features, f)])));
}
const thresholds = calibrateGrades([...utilities.values()].flatMap((m) => [...m.values()]));
const grades = new Map([...utilities].map(([r, m]) => [r, new Map([...m].map(([id, u]) => [id, gradeOf(u, thresholds)]))]));
/** True grades of the items of a served ranking: the service may show items outside the judged pool, graded from their features. */
const gradesOf = (r: LoggedRanking) => new Map(r.items.map((it) => [it.id, gradeOf(trueUtility(it.features, f), thresholds)]));
console.log(`Données : ${set.structures.length} structures, ${set.resources.length} ressources ; ${population.length} demandeurs simulés, ${evalQueries.length} pour l'évaluation ; prêt en ${((performance.now() - t0) / 1000).toFixed(1)} s.`);

/** NDCG@10 against the true grades on fresh rankings of the evaluation requesters. */
function trueNdcg(model: LinearModel): number {
  let total = 0, n = 0;
  for (const q of evalQueries) {
    const g = grades.get(requesterOf(q))!;
    const gain = (id: string) => 2 ** g.get(id)! - 1;
    const pool = server.candidates(q);
    const shown = rankBy(pool, model).slice(0, SHOWN);
    const ideal = pool.map((c) => gain(c.id)).sort((a, b) => b - a).slice(0, SHOWN);
    const dcg = (gains: number[]) => gains.reduce((s, x, i) => s + x / Math.log2(i + 2), 0);
    const best = dcg(ideal);
    if (best > 0) { total += dcg(shown.map((s) => gain(s.c.id))) / best; n++; }
  }
  return total / n;
}

interface DayRow {
  day: number; events: number; rankings: number; default: number; corrected: number; uncorrected: number; served: number;
  servedVersion: string; promoted: boolean; meanDelta: number; lower: number; reason: string; propensities: number[]; trainMs: number;
}

const EPOCH = Date.parse('2026-06-01T00:00:00Z');
const queryOf = (r: LoggedRanking) => {
  const [kind, id] = r.requester.split(':') as ['structure' | 'resource', string];
  return { kind, id };
};
const orNaN = (x: number | null) => (x === null ? NaN : x);

/**
 * Simulated days over a store of their own (PGlite in memory): each day's rankings are served
 * through src/matching with the registry's current model and written to the ranking log's tables
 * with their events; each night runs the train use case (src/models/models.train.ts), which reads
 * them back, trains, judges on the held-out split and promotes through the registry. The model
 * without the bias correction is trained on the same split, for comparison only.
 */
async function simulate(noise: boolean, seed: number) {
  const rng = new Prng(seed);
  const behaviour = { ...DEFAULT_BEHAVIOUR, noise };
  const store = await openStore({ dataDir: 'memory://' });
  let clock = EPOCH;
  const models = createModels({ store, now: () => new Date(clock), readModelFile: readCommittedModel });
  await models.registerDefault(readCommittedModel(DEFAULT_MODEL)!);
  const settings = {
    margin: guardOptions.margin, confidence: guardOptions.confidence, resamples: guardOptions.resamples, minRequesters: 20,
    holdoutShare: num('holdout'), windowDays: 365, attributionDays: 30,
  };
  const rows: DayRow[] = [];
  let events = 0, rankings = 0;
  let last = { corrected: defaultModel, uncorrected: defaultModel };
  let estimate: ReturnType<typeof estimatePropensities> | undefined;
  try {
    for (let day = 1; day <= DAYS; day++) {
      const served: LinearModel = models.toRankingModel(await models.current());
      const dayRankings: LoggedRanking[] = [], dayEvents: FeedbackEvent[] = [];
      for (let i = 0; i < PER_DAY; i++) {
        const q = rng.pick(population);
        const r = server.serve(q, served, { rng, swapShare: SWAP, shown: SHOWN, at: day * DAY_MS + i * 60_000, rankingId: `d${day}-${i}` });
        dayRankings.push(r);
        dayEvents.push(...act(r, gradesOf(r), rng, behaviour));
      }
      await writeLogs(store, dayRankings, dayEvents, { base: new Date(EPOCH), msPerAt: 1, queryOf });
      events += dayEvents.length; rankings += dayRankings.length;
      clock = EPOCH + day * DAY_MS + 23 * 3_600_000;
      const started = performance.now();
      const outcome = await trainModel({ store, models, settings: { ...settings, seed: seed + day }, now: () => new Date(clock) });
      const trainMs = performance.now() - started;
      if (outcome.status !== 'trained') throw new Error(`nuit ${day} : ${outcome.message}`);
      // The same split, without the correction (comparison only).
      const logs = await readTrainingLogs(store, { since: new Date(EPOCH), attributionDays: 30 });
      const withSilent = toExamples(logs.rankings, logs.events, { keepSilent: true });
      estimate = estimatePropensities(withSilent);
      const split = splitByTime(withSilent.filter((e) => e.events > 0), settings.holdoutShare);
      const uncorrected = train(split.train, { names, current: served, propensities: estimate, correct: false, rng: new Prng(seed + day) });
      last = {
        corrected: models.toRankingModel(outcome.version),
        uncorrected: { version: `appris-sans-correction-j${day}`, bias: uncorrected.bias, weights: uncorrected.vector },
      };
      const now: LinearModel = models.toRankingModel(await models.current());
      const { guard } = outcome.report;
      rows.push({
        day, events, rankings, default: trueNdcg(defaultModel), corrected: trueNdcg(last.corrected),
        uncorrected: trueNdcg(last.uncorrected), served: trueNdcg(now), servedVersion: now.version, promoted: outcome.promoted,
        meanDelta: orNaN(guard.meanDelta), lower: orNaN(guard.lower), reason: guard.reason, propensities: outcome.report.propensities.values, trainMs,
      });
    }
    const served: LinearModel = models.toRankingModel(await models.current());
    const registry = (await models.repository.list()).map((v) => ({ version: v.version, status: v.status, reason: v.reason }));
    return { rows, served, last, rng, estimate: estimate!, registry };
  } finally {
    await store.close();
  }
}

const fx = (x: number) => x.toFixed(3);
function printTable(title: string, rows: DayRow[]) {
  console.log(`\n${title}`);
  console.log('jour | événements | NDCG@10 défaut | appris corrigé | appris non corrigé | servi | promotion (Δ moyen, borne basse)');
  for (const r of rows) {
    console.log(`${String(r.day).padStart(4)} | ${String(r.events).padStart(10)} | ${fx(r.default).padStart(14)} | ${fx(r.corrected).padStart(14)} | ${fx(r.uncorrected).padStart(18)} | ${fx(r.served)} | ${r.promoted ? 'PROMU' : 'non'} (${fx(r.meanDelta)}, ${fx(r.lower)})`);
  }
}

const real = await simulate(false, SEED);
printTable('Utilisateurs simulés (préférences vraies non linéaires, biais de position η = 1) :', real.rows);
const lastProps = real.rows[real.rows.length - 1].propensities;
console.log(`Propensions estimées (p(k)/p(1), k = 1..10) : ${lastProps.map((p) => p.toFixed(2)).join(' ')} ; vraies : ${lastProps.map((_, k) => ((k + 1) ** -DEFAULT_BEHAVIOUR.eta).toFixed(2)).join(' ')}`);
console.log(`  rapports bruts p(k+1)/p(k) des échanges : ${[...real.estimate.rawRatios].map((r) => r.toFixed(2)).join(' ')} ; échanges par paire : ${[...real.estimate.swaps].join(' ')} ; η ajusté ${real.estimate.eta.toFixed(2)}`);

// Online comparison on the last day, through the service's path: src/matching interleaves the
// served (learned) model with the default one by team-draft, each item tagged with its team.
const credits: Credit[] = [];
engine.compareOnline(asRankingModel(real.served), 1);
for (let i = 0; i < 2000 && real.served.version !== defaultModel.version; i++) {
  const q = real.rng.pick(population);
  const served = q.kind === 'structure' ? engine.forStructure(q.id, { limit: SHOWN, as_of: AS_OF }) : engine.forResource(q.id, { limit: SHOWN, as_of: AS_OF });
  const shown = served.results.filter((r) => !r.excluded);
  const il = { ids: shown.map((r) => r.id), teams: shown.map((r) => (r.team === 'candidate' ? 'B' as const : 'A' as const)) };
  const ranking: LoggedRanking = { id: `il-${i}`, requester: requesterOf(q), at: 0, items: shown.map((r, k) => ({ id: r.id, position: k + 1, features: vectorOf(r.features, names), score: r.score })) };
  const evs = act(ranking, gradesOf(ranking), real.rng);
  credits.push(creditTeams(il, evs.map((e) => ({ itemId: e.itemId, value: e.kind === 'not_interested' ? -1 : 1 }))));
}
engine.compareOnline(undefined, 0);
const interleaving = summarizeInterleaving(credits);
console.log(`Interleaving (défaut contre servi ${real.served.version}, 2 000 classements) : ${interleaving.wins} gagnés, ${interleaving.ties} nuls, ${interleaving.losses} perdus ; part ${fx(interleaving.share)}, p = ${interleaving.pValue.toExponential(2)}`);

const noise = await simulate(true, SEED + 1000);
printTable('Utilisateurs « bruit pur » (événements indépendants de la pertinence) :', noise.rows);

// Cost: training on 100,000 events (rankings served by the default model, simulated users).
const timingRng = new Prng(SEED + 7);
const tRankings: LoggedRanking[] = [], tEvents: FeedbackEvent[] = [];
for (let i = 0; tEvents.length < num('timing-events'); i++) {
  const q = timingRng.pick(population);
  const r = server.serveFromPool(q, defaultModel, { rng: timingRng, swapShare: SWAP, shown: SHOWN, at: i, rankingId: `t${i}` });
  tRankings.push(r);
  tEvents.push(...act(r, gradesOf(r), timingRng));
}
const tStart = performance.now();
const tAll = toExamples(tRankings, tEvents, { keepSilent: true });
const tProps = estimatePropensities(tAll);
const tResult = train(tAll.filter((e) => e.events > 0), { names, current: defaultModel, propensities: tProps, rng: timingRng });
const timingMs = performance.now() - tStart;
console.log(`\nEntraînement sur ${tEvents.length} événements (${tRankings.length} classements, ${tResult.stats.pairs} paires, ${tResult.stats.epochs} époques) : ${(timingMs / 1000).toFixed(2)} s.`);

// Cost: a logged ranking against an unlogged one, on the service's own serving path.
const cost = await measureLoggingCost(engine, [...evalQueries, ...population].slice(0, 400), AS_OF);
console.log(`\nCoût du journal, ${cost.queries} classements expliqués (top 20) : sans journal p50 ${cost.unlogged.p50.toFixed(2)} ms, p95 ${cost.unlogged.p95.toFixed(2)} ms ; `
  + `avec journal p50 ${cost.logged.p50.toFixed(2)} ms, p95 ${cost.logged.p95.toFixed(2)} ms (${cost.written} écrits, ${cost.dropped} perdus).`);

// Targets.
const past = real.rows.filter((r) => r.events >= TARGET_EVENTS);
const first = past[0];
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const targets = [
  { name: `après ${TARGET_EVENTS} événements, le modèle appris dépasse le défaut d'au moins +${TARGET_GAIN} NDCG@10`,
    pass: first !== undefined && first.corrected - first.default >= TARGET_GAIN,
    detail: first ? `jour ${first.day}, ${first.events} événements : ${fx(first.corrected)} contre ${fx(first.default)} (${fx(first.corrected - first.default)})` : 'jamais atteint' },
  { name: 'le modèle corrigé du biais de position bat le non corrigé',
    pass: past.length > 0 && meanOf(past.map((r) => r.corrected)) > meanOf(past.map((r) => r.uncorrected)),
    detail: past.length ? `moyenne des jours après ${TARGET_EVENTS} événements : ${fx(meanOf(past.map((r) => r.corrected)))} contre ${fx(meanOf(past.map((r) => r.uncorrected)))}` : '—' },
  { name: 'avec du bruit pur, aucun modèle n\'est jamais promu', pass: noise.rows.every((r) => !r.promoted),
    detail: `${noise.rows.filter((r) => r.promoted).length} promotion(s) en ${noise.rows.length} nuits` },
  { name: 'entraînement sur 100 000 événements en moins d\'une minute', pass: timingMs < 60_000, detail: `${(timingMs / 1000).toFixed(2)} s` },
  { name: 'un classement journalisé reste à moins de 1 ms d\'un classement non journalisé (p95)', pass: cost.logged.p95 - cost.unlogged.p95 <= 1 && cost.dropped === 0,
    detail: `p95 ${cost.logged.p95.toFixed(2)} contre ${cost.unlogged.p95.toFixed(2)} ms (${(cost.logged.p95 - cost.unlogged.p95).toFixed(2)} ms), ${cost.dropped} perdu(s)` },
];
console.log('\nObjectifs :');
for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name} — ${t.detail}`);
const seconds = (performance.now() - t0) / 1000;
console.log(`Durée totale : ${seconds.toFixed(0)} s.`);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/feedback.json', import.meta.url), `${JSON.stringify({
  date: new Date().toISOString(),
  options: { days: DAYS, requestersPerDay: PER_DAY, population: population.length, evaluation: evalQueries.length, swapShare: SWAP, seed: SEED, pool: POOL, shown: SHOWN, ...guardOptions, holdout: num('holdout') },
  real: { rows: real.rows, registry: real.registry, served: { version: real.served.version, weights: Object.fromEntries(names.map((n, d) => [n, Number(real.served.weights[d].toFixed(4))])) } },
  interleaving,
  noise: { rows: noise.rows, registry: noise.registry },
  loggingCost: cost,
  training100k: { events: tEvents.length, rankings: tRankings.length, pairs: tResult.stats.pairs, seconds: timingMs / 1000 },
  targets: targets.map(({ name, pass, detail }) => ({ name, pass, detail })),
  seconds,
}, null, 2)}\n`);

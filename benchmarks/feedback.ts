/**
 * Feedback benchmark (issue 15): does the loop learn a better ranking from simulated feedback, and
 * does its guard refuse noise? Over the demo data built in process (cases + 3,000 × 1,500), day
 * after day simulated requesters (associations asking for resources, delegates asking for
 * structures) get rankings from `serve` (benchmarks/lib/serve.ts) with a small share of random
 * adjacent swaps, and act on them with position bias and noise (benchmarks/lib/simulate.ts). Each
 * simulated night: propensities are estimated from the swaps, a model is trained with and without
 * the bias correction on the events so far (the most recent share held out), and the guard decides
 * whether the corrected one replaces the served model. The table gives, per day, NDCG@10 against
 * the users' true preferences on fresh rankings of other requesters, for the default model, the
 * learned models and the served one. A second run with pure-noise users must never promote.
 *
 * npm run bench:feedback -- [--days 12] [--requesters 250] [--swap-share 0.15] [--seed 15] [--quick]
 * Results: benchmarks/results/feedback.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Index } from '../src/engine/index.ts';
import { loadMatchingFiles } from '../src/matching/matching.models.ts';
import { createMatching } from '../src/matching/matching.usecases.ts';
import { FEATURE_NAMES } from '../src/features/index.ts';
import { loadGeography } from '../src/geo/geography.ts';
import { toExamples, type FeedbackEvent, type LoggedRanking } from '../src/learning/events.ts';
import { evaluateModel, promotionGuard, splitByTime } from '../src/learning/evaluate.ts';
import { creditTeams, summarizeInterleaving, teamDraft, type Credit } from '../src/learning/interleave.ts';
import { estimatePropensities } from '../src/learning/propensity.ts';
import { train } from '../src/learning/train.ts';
import { Prng } from '../seed/prng.ts';
import { demoSet } from '../test/support/golden.ts';
import { createServer, rankBy, requesterOf, type LinearModel, type Query } from './lib/serve.ts';
import { act, calibrateGrades, DEFAULT_BEHAVIOUR, featureIndex, gradeOf, trueUtility } from './lib/simulate.ts';

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

function simulate(noise: boolean, seed: number) {
  const rng = new Prng(seed);
  const behaviour = { ...DEFAULT_BEHAVIOUR, noise };
  const rankings: LoggedRanking[] = [], events: FeedbackEvent[] = [];
  let served: LinearModel = defaultModel;
  const rows: DayRow[] = [];
  let last = { corrected: defaultModel, uncorrected: defaultModel };
  let estimate: ReturnType<typeof estimatePropensities> | undefined;
  for (let day = 1; day <= DAYS; day++) {
    for (let i = 0; i < PER_DAY; i++) {
      const q = rng.pick(population);
      const r = server.serve(q, served, { rng, swapShare: SWAP, shown: SHOWN, at: day * DAY_MS + i * 60_000, rankingId: `d${day}-${i}` });
      rankings.push(r);
      events.push(...act(r, grades.get(r.requester)!, rng, behaviour));
    }
    const started = performance.now();
    const withSilent = toExamples(rankings, events, { keepSilent: true });
    const examples = withSilent.filter((e) => e.events > 0);
    const propensities = (estimate = estimatePropensities(withSilent));
    const split = splitByTime(examples, num('holdout'));
    const common = { names, current: served, propensities, rng: new Prng(seed + day) };
    const corrected = train(split.train, { ...common, correct: true });
    const uncorrected = train(split.train, { ...common, correct: false });
    const trainMs = performance.now() - started;
    const current = evaluateModel(split.test, served.weights, { propensities });
    const candidate = evaluateModel(split.test, corrected.vector, { propensities });
    const verdict = promotionGuard(current.perRequester, candidate.perRequester, { ...guardOptions, rng: new Prng(seed * 31 + day) });
    last = {
      corrected: { version: `appris-j${day}`, bias: corrected.bias, weights: corrected.vector },
      uncorrected: { version: `appris-sans-correction-j${day}`, bias: uncorrected.bias, weights: uncorrected.vector },
    };
    if (verdict.promote) served = last.corrected;
    rows.push({
      day, events: events.length, rankings: rankings.length, default: trueNdcg(defaultModel), corrected: trueNdcg(last.corrected),
      uncorrected: trueNdcg(last.uncorrected), served: trueNdcg(served), servedVersion: served.version, promoted: verdict.promote,
      meanDelta: verdict.meanDelta, lower: verdict.lower, reason: verdict.reason, propensities: [...propensities.values], trainMs,
    });
  }
  return { rows, served, last, rankings, events, rng, estimate: estimate! };
}

const fx = (x: number) => x.toFixed(3);
function printTable(title: string, rows: DayRow[]) {
  console.log(`\n${title}`);
  console.log('jour | événements | NDCG@10 défaut | appris corrigé | appris non corrigé | servi | promotion (Δ moyen, borne basse)');
  for (const r of rows) {
    console.log(`${String(r.day).padStart(4)} | ${String(r.events).padStart(10)} | ${fx(r.default).padStart(14)} | ${fx(r.corrected).padStart(14)} | ${fx(r.uncorrected).padStart(18)} | ${fx(r.served)} | ${r.promoted ? 'PROMU' : 'non'} (${fx(r.meanDelta)}, ${fx(r.lower)})`);
  }
}

const real = simulate(false, SEED);
printTable('Utilisateurs simulés (préférences vraies non linéaires, biais de position η = 1) :', real.rows);
const lastProps = real.rows[real.rows.length - 1].propensities;
console.log(`Propensions estimées (p(k)/p(1), k = 1..10) : ${lastProps.map((p) => p.toFixed(2)).join(' ')} ; vraies : ${lastProps.map((_, k) => ((k + 1) ** -DEFAULT_BEHAVIOUR.eta).toFixed(2)).join(' ')}`);
console.log(`  rapports bruts p(k+1)/p(k) des échanges : ${[...real.estimate.rawRatios].map((r) => r.toFixed(2)).join(' ')} ; échanges par paire : ${[...real.estimate.swaps].join(' ')} ; η ajusté ${real.estimate.eta.toFixed(2)}`);

// Online comparison on the last day: team-draft interleaving of the default model and the served one.
const credits: Credit[] = [];
for (let i = 0; i < 2000; i++) {
  const q = real.rng.pick(population);
  const a = rankBy(server.candidates(q), defaultModel).slice(0, SHOWN).map((x) => x.c);
  const b = rankBy(server.candidates(q), real.served).slice(0, SHOWN).map((x) => x.c);
  const il = teamDraft(a.map((c) => c.id), b.map((c) => c.id), real.rng, SHOWN);
  const byId = new Map([...a, ...b].map((c) => [c.id, c]));
  const ranking: LoggedRanking = { id: `il-${i}`, requester: requesterOf(q), at: 0, items: il.ids.map((id, k) => ({ id, position: k + 1, features: byId.get(id)!.features, score: 0 })) };
  const evs = act(ranking, grades.get(ranking.requester)!, real.rng);
  credits.push(creditTeams(il, evs.map((e) => ({ itemId: e.itemId, value: e.kind === 'not_interested' ? -1 : 1 }))));
}
const interleaving = summarizeInterleaving(credits);
console.log(`Interleaving (défaut contre servi ${real.served.version}, 2 000 classements) : ${interleaving.wins} gagnés, ${interleaving.ties} nuls, ${interleaving.losses} perdus ; part ${fx(interleaving.share)}, p = ${interleaving.pValue.toExponential(2)}`);

const noise = simulate(true, SEED + 1000);
printTable('Utilisateurs « bruit pur » (événements indépendants de la pertinence) :', noise.rows);

// Cost: training on 100,000 events (rankings served by the default model, simulated users).
const timingRng = new Prng(SEED + 7);
const tRankings: LoggedRanking[] = [], tEvents: FeedbackEvent[] = [];
for (let i = 0; tEvents.length < num('timing-events'); i++) {
  const q = timingRng.pick(population);
  const r = server.serve(q, defaultModel, { rng: timingRng, swapShare: SWAP, shown: SHOWN, at: i, rankingId: `t${i}` });
  tRankings.push(r);
  tEvents.push(...act(r, grades.get(r.requester)!, timingRng));
}
const tStart = performance.now();
const tAll = toExamples(tRankings, tEvents, { keepSilent: true });
const tProps = estimatePropensities(tAll);
const tResult = train(tAll.filter((e) => e.events > 0), { names, current: defaultModel, propensities: tProps, rng: timingRng });
const timingMs = performance.now() - tStart;
console.log(`\nEntraînement sur ${tEvents.length} événements (${tRankings.length} classements, ${tResult.stats.pairs} paires, ${tResult.stats.epochs} époques) : ${(timingMs / 1000).toFixed(2)} s.`);

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
];
console.log('\nObjectifs :');
for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name} — ${t.detail}`);
const seconds = (performance.now() - t0) / 1000;
console.log(`Durée totale : ${seconds.toFixed(0)} s.`);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/feedback.json', import.meta.url), `${JSON.stringify({
  date: new Date().toISOString(),
  options: { days: DAYS, requestersPerDay: PER_DAY, population: population.length, evaluation: evalQueries.length, swapShare: SWAP, seed: SEED, pool: POOL, shown: SHOWN, ...guardOptions, holdout: num('holdout') },
  real: { rows: real.rows, served: { version: real.served.version, weights: Object.fromEntries(names.map((n, d) => [n, Number(real.served.weights[d].toFixed(4))])) } },
  interleaving,
  noise: { rows: noise.rows },
  training100k: { events: tEvents.length, rankings: tRankings.length, pairs: tResult.stats.pairs, seconds: timingMs / 1000 },
  targets: targets.map(({ name, pass, detail }) => ({ name, pass, detail })),
  seconds,
}, null, 2)}\n`);

/**
 * From a run's results to the reports' contents, for the country and each région (pure).
 *
 * A match is a structure–resource pair in the top-k of either side (a resource's structures or a
 * structure's resources); it belongs to the région of its structure (a delegate's scope). New:
 * a match of this run absent from the previous one; gone: the reverse, with the first reason that
 * applies, in this order: a record archived, the resource's availability ended, a « pas
 * intéressé » feedback since the previous run, another model, a record changed since the previous
 * run, else outranked by better matches.
 */
import { PILLARS, PILLAR_LABELS, type Pillar } from '../domain/types.ts';
import type {
  CountLine, GoneLine, GoneReason, PairLine, ReportData, Suggestion, UnmetNeed, WeakResource,
} from './report.types.ts';

export interface StructureInfo { name: string; department: string; region: string; needs: Pillar[]; archived: boolean; updatedAt: Date }
export interface ResourceInfo {
  title: string; department: string; region: string; pillar: Pillar; archived: boolean; updatedAt: Date;
  availableFrom?: string; availableUntil?: string;
}
export interface RunInfo { id: number; asOf: string; k: number; modelVersion: string; startedAt: Date; finishedAt: Date | null }
export interface ResultInput { kind: 'structure' | 'resource'; queryId: string; candidates: string[]; scores: number[] }

export interface ReportInput {
  run: RunInfo;
  previous: RunInfo | null;
  current: ResultInput[];
  previousResults: ResultInput[];
  structures: Map<string, StructureInfo>;
  resources: Map<string, ResourceInfo>;
  /** "structureId|resourceId" of the « pas intéressé » feedback received since the previous run. */
  rejectedPairs: Set<string>;
  /** Feedback events of the week before the run's date, by région and kind. */
  feedbackWeek: { region: string; kind: string; count: number }[];
  departments: readonly { code: string; name: string; region: string }[];
  regions: readonly { code: string; name: string }[];
  goodScore: number;
  limits?: Partial<Limits>;
}

export interface Limits { newMatches: number; gone: number; suggestions: number; perSuggestion: number; weakResources: number; unmetNeeds: number }
export const DEFAULT_LIMITS: Limits = { newMatches: 500, gone: 500, suggestions: 100, perSuggestion: 3, weakResources: 300, unmetNeeds: 300 };

export const FEEDBACK_LABELS: Record<string, string> = {
  viewed: 'consultées', shortlisted: 'retenues', contacted: 'contacts pris', partnership: 'partenariats signés', not_interested: 'pas intéressé',
};

const SEP = '|';
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const DAY_MS = 86_400_000;

/** Every pair of a run's results with its score (both directions give the same pair the same score). */
export function pairsOf(results: readonly ResultInput[]): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const r of results) {
    for (let i = 0; i < r.candidates.length; i++) {
      const key = r.kind === 'structure' ? `${r.queryId}${SEP}${r.candidates[i]}` : `${r.candidates[i]}${SEP}${r.queryId}`;
      const before = pairs.get(key);
      if (before === undefined || r.scores[i] > before) pairs.set(key, r.scores[i]);
    }
  }
  return pairs;
}

function goneReason(input: ReportInput, s: StructureInfo | undefined, r: ResourceInfo | undefined, key: string): GoneReason {
  if (!s || !r || s.archived || r.archived) return 'archived';
  const asOf = input.run.asOf;
  if ((r.availableUntil && r.availableUntil < asOf) || (r.availableFrom && r.availableFrom > asOf)) return 'availability_ended';
  if (input.rejectedPairs.has(key)) return 'feedback';
  if (input.previous && input.previous.modelVersion !== input.run.modelVersion) return 'model_changed';
  const since = input.previous?.startedAt.getTime() ?? 0;
  if (s.updatedAt.getTime() > since || r.updatedAt.getTime() > since) return 'record_changed';
  return 'outranked';
}

interface Bucket {
  matches: number;
  newMatches: PairLine[];
  gone: GoneLine[];
  byPillar: Map<Pillar, number>;
  byDepartment: Map<string, number>;
}

const emptyBucket = (): Bucket => ({ matches: 0, newMatches: [], gone: [], byPillar: new Map(), byDepartment: new Map() });

function line(sId: string, rId: string, s: StructureInfo | undefined, r: ResourceInfo | undefined) {
  return {
    structureId: sId, structureName: s?.name ?? sId, department: s?.department ?? '',
    resourceId: rId, resourceTitle: r?.title ?? rId, pillar: (r?.pillar ?? 'premises') as Pillar,
  };
}

const bestFirst = <T extends { structureId: string; resourceId: string }>(score: (x: T) => number) => (a: T, b: T) =>
  score(b) - score(a) || byId(a.resourceId, b.resourceId) || byId(a.structureId, b.structureId);

/** Reports of the country (`national`) and of every région, keyed by scope. */
export function buildReports(input: ReportInput): Map<string, ReportData> {
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const current = pairsOf(input.current);
  const previous = input.previous ? pairsOf(input.previousResults) : new Map<string, number>();
  const buckets = new Map<string, Bucket>([['national', emptyBucket()]]);
  const bucketsOf = (region: string | undefined) => {
    const list = [buckets.get('national')!];
    if (region !== undefined) {
      if (!buckets.has(region)) buckets.set(region, emptyBucket());
      list.push(buckets.get(region)!);
    }
    return list;
  };
  // A report for every région holding an active record, even when it has no match.
  for (const info of [...input.structures.values(), ...input.resources.values()]) if (!info.archived) bucketsOf(info.region);

  for (const [key, score] of current) {
    const [sId, rId] = key.split(SEP);
    const s = input.structures.get(sId), r = input.resources.get(rId);
    const isNew = input.previous !== null && !previous.has(key);
    for (const b of bucketsOf(s?.region)) {
      b.matches += 1;
      if (r) b.byPillar.set(r.pillar, (b.byPillar.get(r.pillar) ?? 0) + 1);
      if (s) b.byDepartment.set(s.department, (b.byDepartment.get(s.department) ?? 0) + 1);
      if (isNew) b.newMatches.push({ ...line(sId, rId, s, r), score });
    }
  }
  for (const [key, score] of previous) {
    if (current.has(key)) continue;
    const [sId, rId] = key.split(SEP);
    const s = input.structures.get(sId), r = input.resources.get(rId);
    const gone: GoneLine = { ...line(sId, rId, s, r), previousScore: score, reason: goneReason(input, s, r, key) };
    for (const b of bucketsOf(s?.region)) b.gone.push(gone);
  }

  const regionName = new Map(input.regions.map((r) => [r.code, r.name]));
  const out = new Map<string, ReportData>();
  for (const [scope, bucket] of [...buckets].sort(([a], [b]) => byId(a, b))) {
    out.set(scope, assemble(input, limits, scope, scope === 'national' ? 'France entière' : regionName.get(scope) ?? scope, bucket));
  }
  return out;
}

function suggestionsOf(newMatches: PairLine[], input: ReportInput, perSuggestion: number): Suggestion[] {
  const byResource = new Map<string, PairLine[]>();
  for (const m of newMatches) {
    const list = byResource.get(m.resourceId);
    if (list) list.push(m);
    else byResource.set(m.resourceId, [m]);
  }
  return [...byResource.entries()].map(([id, lines]) => {
    const r = input.resources.get(id);
    return {
      resourceId: id, resourceTitle: r?.title ?? id, pillar: lines[0].pillar, department: r?.department ?? '',
      structures: lines.slice(0, perSuggestion).map((l) => ({ id: l.structureId, name: l.structureName, department: l.department, score: l.score })),
    };
  }).sort((a, b) => b.structures[0].score - a.structures[0].score || byId(a.resourceId, b.resourceId));
}

function coverage(input: ReportInput, inScope: (region: string) => boolean) {
  const weak: WeakResource[] = [];
  const unmet: UnmetNeed[] = [];
  for (const row of input.current) {
    if (row.kind === 'resource') {
      const r = input.resources.get(row.queryId);
      if (!r || !inScope(r.region)) continue;
      const best = row.scores.length > 0 ? row.scores[0] : null;
      if (best === null || best < input.goodScore) weak.push({ id: row.queryId, title: r.title, pillar: r.pillar, department: r.department, best });
    } else {
      const s = input.structures.get(row.queryId);
      if (!s || !inScope(s.region)) continue;
      for (const need of s.needs) {
        let best: number | null = null;
        row.candidates.forEach((id, i) => {
          if (input.resources.get(id)?.pillar === need && (best === null || row.scores[i] > best)) best = row.scores[i];
        });
        if (best === null || best < input.goodScore) unmet.push({ id: row.queryId, name: s.name, department: s.department, pillar: need, best });
      }
    }
  }
  const weakFirst = (a: { best: number | null; id: string }, b: { best: number | null; id: string }) =>
    (a.best ?? -1) - (b.best ?? -1) || byId(a.id, b.id);
  return { weak: weak.sort(weakFirst), unmet: unmet.sort((a, b) => weakFirst(a, b) || byId(a.pillar, b.pillar)) };
}

function assemble(input: ReportInput, limits: Limits, scope: string, scopeName: string, b: Bucket): ReportData {
  const inScope = (region: string) => scope === 'national' || region === scope;
  const newMatches = b.newMatches.sort(bestFirst((x) => x.score));
  const gone = b.gone.sort(bestFirst((x) => x.previousScore));
  const suggestions = suggestionsOf(newMatches, input, limits.perSuggestion);
  const { weak, unmet } = coverage(input, inScope);
  let structures = 0, resources = 0;
  const structuresByDepartment = new Map<string, number>();
  const resourcesByPillar = new Map<Pillar, number>();
  for (const s of input.structures.values()) {
    if (s.archived || !inScope(s.region)) continue;
    structures += 1;
    structuresByDepartment.set(s.department, (structuresByDepartment.get(s.department) ?? 0) + 1);
  }
  for (const r of input.resources.values()) {
    if (r.archived || !inScope(r.region)) continue;
    resources += 1;
    resourcesByPillar.set(r.pillar, (resourcesByPillar.get(r.pillar) ?? 0) + 1);
  }
  const byPillar: CountLine[] = PILLARS.map((p) => ({ code: p, label: PILLAR_LABELS[p], matches: b.byPillar.get(p) ?? 0, records: resourcesByPillar.get(p) ?? 0 }));
  const byDepartment: CountLine[] = input.departments.filter((d) => inScope(d.region)).map((d) => ({
    code: d.code, label: d.name, matches: b.byDepartment.get(d.code) ?? 0, records: structuresByDepartment.get(d.code) ?? 0,
  }));
  const to = input.run.asOf;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS).toISOString().slice(0, 10);
  const kinds = new Map<string, number>();
  for (const f of input.feedbackWeek) if (inScope(f.region)) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + f.count);
  const byKind = Object.keys(FEEDBACK_LABELS).map((kind) => ({ kind, label: FEEDBACK_LABELS[kind], count: kinds.get(kind) ?? 0 }));
  const { run } = input;
  return {
    scope, scopeName,
    run: {
      id: run.id, asOf: run.asOf, k: run.k, modelVersion: run.modelVersion, startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null, durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    },
    previous: input.previous ? { id: input.previous.id, asOf: input.previous.asOf, modelVersion: input.previous.modelVersion } : null,
    goodScore: input.goodScore,
    totals: { structures, resources, matches: b.matches, newMatches: newMatches.length, goneMatches: gone.length },
    newMatches: newMatches.slice(0, limits.newMatches).map((m) => ({ ...m, score: round4(m.score) })),
    gone: gone.slice(0, limits.gone),
    suggestions: suggestions.slice(0, limits.suggestions),
    weakResources: weak.slice(0, limits.weakResources),
    unmetNeeds: unmet.slice(0, limits.unmetNeeds),
    byPillar,
    byDepartment,
    feedback: { from, to, total: byKind.reduce((n, k) => n + k.count, 0), byKind },
    omitted: {
      newMatches: Math.max(0, newMatches.length - limits.newMatches), gone: Math.max(0, gone.length - limits.gone),
      suggestions: Math.max(0, suggestions.length - limits.suggestions), weakResources: Math.max(0, weak.length - limits.weakResources),
      unmetNeeds: Math.max(0, unmet.length - limits.unmetNeeds),
    },
  };
}

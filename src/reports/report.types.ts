/**
 * What a report says, for one région or the whole country: plain data that the builders
 * (report.html.ts, report.csv.ts, report.json.ts) turn into files. Built by src/batch/batch.reports.ts
 * from a run's results, the previous run's, the records and the feedback events.
 */
import type { Pillar } from '../domain/types.ts';

/** `national` or a région's INSEE code. */
export type ReportScope = string;

export interface PairLine {
  structureId: string;
  structureName: string;
  department: string;
  resourceId: string;
  resourceTitle: string;
  pillar: Pillar;
  score: number;
}

export const GONE_REASONS = ['archived', 'availability_ended', 'feedback', 'model_changed', 'record_changed', 'outranked'] as const;
export type GoneReason = (typeof GONE_REASONS)[number];

export const GONE_REASON_LABELS: Record<GoneReason, string> = {
  archived: 'fiche archivée',
  availability_ended: 'disponibilité de la ressource terminée',
  feedback: 'retour « pas intéressé »',
  model_changed: 'modèle de classement changé',
  record_changed: 'fiche modifiée',
  outranked: 'dépassée par de meilleures correspondances',
};

export interface GoneLine extends Omit<PairLine, 'score'> { previousScore: number; reason: GoneReason }

export interface Suggestion {
  resourceId: string;
  resourceTitle: string;
  pillar: Pillar;
  department: string;
  /** The new structures in its top-k, best first. */
  structures: { id: string; name: string; department: string; score: number }[];
}

export interface WeakResource { id: string; title: string; pillar: Pillar; department: string; best: number | null }
export interface UnmetNeed { id: string; name: string; department: string; pillar: Pillar; best: number | null }

export interface CountLine { code: string; label: string; matches: number; records: number }

export interface ReportData {
  scope: ReportScope;
  scopeName: string;
  run: { id: number; asOf: string; k: number; modelVersion: string; startedAt: string; finishedAt: string | null; durationMs: number | null };
  /** The run compared with (absent for the first run: nothing is then "new"). */
  previous: { id: number; asOf: string; modelVersion: string } | null;
  goodScore: number;
  totals: { structures: number; resources: number; matches: number; newMatches: number; goneMatches: number };
  /** New matches, best first. */
  newMatches: PairLine[];
  gone: GoneLine[];
  suggestions: Suggestion[];
  weakResources: WeakResource[];
  unmetNeeds: UnmetNeed[];
  byPillar: CountLine[];
  /** Every département of the scope, with its match count (for the map). */
  byDepartment: CountLine[];
  feedback: { from: string; to: string; total: number; byKind: { kind: string; label: string; count: number }[] };
  /** Lines left out of each list by the size limits (the counts above are complete). */
  omitted: { newMatches: number; gone: number; suggestions: number; weakResources: number; unmetNeeds: number };
}

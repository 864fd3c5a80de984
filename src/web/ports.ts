/**
 * What the web pages need from parts of Passerelles built elsewhere (the feedback loop, the
 * nightly reports, the models registry), as small interfaces given to `createApp({ web })`.
 * Each is optional: without it, the page says in French what is not available yet.
 */
import type { Caller } from '../access/access.policy.ts';
import type { MatchList } from '../engine/types.ts';

/** The buttons of a match: intéressé, contacté, partenariat conclu, pas intéressé. */
export const WEB_FEEDBACK_KINDS = ['shortlisted', 'contacted', 'partnership', 'not_interested'] as const;
export type WebFeedbackKind = (typeof WEB_FEEDBACK_KINDS)[number];

/** Why « pas intéressé » (the reasons of the feedback_events table). */
export const NOT_INTERESTED_REASONS = ['location', 'eligibility', 'capacity', 'not_relevant', 'already_partner', 'other'] as const;
export type NotInterestedReason = (typeof NOT_INTERESTED_REASONS)[number];

export interface WebFeedbackEvent {
  /** Made by the page when the form is shown: sending the form twice records one event. */
  clientEventId: string;
  kind: WebFeedbackKind;
  reason?: NotInterestedReason;
  reasonText?: string;
  structureId: string;
  resourceId: string;
  /** Région of the structure (a delegate's scope). */
  region: string;
  /** The ranking the item was shown in (from `rank` or `served`), what it ranked, and the item's position, when known. */
  rankingId?: string;
  queryKind?: 'structure' | 'resource';
  position?: number;
  occurredAt: Date;
}

/** A pair a caller marked « pas intéressé » and has not restored. */
export interface HiddenPair { structureId: string; resourceId: string; reason?: string; at: Date }

export interface FeedbackPort {
  /** Records one event; takes effect at once (a « pas intéressé » pair is hidden for this caller). */
  record(caller: Caller, event: WebFeedbackEvent): Promise<void>;
  /** Pairs hidden for this caller (its per-requester exclusions). */
  hiddenFor(caller: Caller): Promise<HiddenPair[]>;
  /** Shows a hidden pair again (undo of « pas intéressé »). */
  restore(caller: Caller, pair: { structureId: string; resourceId: string }): Promise<void>;
  /** Logs a ranking as shown to this caller; its id is sent back with the feedback. */
  served?(caller: Caller, list: MatchList, source: 'web'): Promise<string | undefined>;
  /**
   * Ranks as the API serves it (logged, with this caller's exclusions and partnership flags);
   * when present the pages use it instead of ranking themselves and `served`.
   */
  rank?(caller: Caller, kind: 'structure' | 'resource', id: string, query: { limit: number; explain: boolean }): MatchList & { rankingId?: string | null };
}

export interface ReportFile { name: string; label: string }
export interface ReportSummary {
  id: string;
  region: string;
  /** Day of the nightly run, AAAA-MM-JJ. */
  day: string;
  title: string;
  /** One French line: « 12 nouvelles suggestions, 3 ressources sans bonne correspondance ». */
  summary?: string;
  files: ReportFile[];
}

export interface ReportsPort {
  /** The reports of the caller's régions (all for an admin), newest first. */
  list(caller: Caller): Promise<ReportSummary[]>;
  /** One file of a report (CSV, HTML with its map…), or undefined when absent or out of scope. */
  read(caller: Caller, id: string, name: string): Promise<{ contentType: string; body: string | Buffer } | undefined>;
}

export interface ModelVersionView {
  version: string;
  status: 'current' | 'candidate' | 'retired';
  createdAt: Date;
  promotedAt?: Date | null;
  parent?: string | null;
  /** Held-out figures (NDCG…) and the guard's verdict. */
  metrics?: Record<string, unknown> | null;
  reason?: string | null;
}

export interface ModelsPort {
  list(caller: Caller): Promise<ModelVersionView[]>;
  promote(caller: Caller, version: string): Promise<void>;
  /** Makes the previous current model current again. */
  rollback(caller: Caller): Promise<void>;
}

export interface WebPorts {
  feedback?: FeedbackPort;
  reports?: ReportsPort;
  models?: ModelsPort;
}

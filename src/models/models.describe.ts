/**
 * A model version as the API answers it and `passerelles models … --json` prints it (snake_case,
 * dates as ISO strings), and the same for its history and its online comparison.
 */
import { FEATURE_NAMES } from '../features/index.ts';
import type { TrainingReport } from './models.report.ts';
import type { ModelChange, ModelVersion } from './models.repository.ts';
import type { InterleavingReport, ModelDetails } from './models.usecases.ts';

function describeTraining(t: TrainingReport) {
  return {
    trained_at: t.trainedAt,
    window: t.window,
    trained_through_event: t.trainedThrough.lastEventId,
    events: t.events,
    ignored_events: t.ignoredEvents,
    rankings: t.rankings,
    requesters: t.requesters,
    pairs: t.pairs,
    held_out: t.heldOut,
    guard: {
      promote: t.guard.promote, mean_delta: t.guard.meanDelta, lower: t.guard.lower, upper: t.guard.upper,
      requesters: t.guard.requesters, margin: t.guard.margin, confidence: t.guard.confidence, reason: t.guard.reason,
    },
    propensities: t.propensities,
    seconds: t.seconds,
  };
}

/** Weights in the order of FEATURE_NAMES (jsonb keeps keys in its own order), unknown names last. */
export function orderedWeights(weights: Record<string, number>): Record<string, number> {
  const names = [...FEATURE_NAMES.filter((n) => n in weights), ...Object.keys(weights).filter((n) => !FEATURE_NAMES.includes(n))];
  return Object.fromEntries(names.map((n) => [n, weights[n]]));
}

export function describeModel(v: ModelVersion) {
  return {
    version: v.version,
    status: v.status,
    created_at: v.createdAt.toISOString(),
    promoted_at: v.promotedAt?.toISOString() ?? null,
    parent: v.parent,
    reason: v.reason,
    description: v.model.description ?? null,
    bias: v.model.bias,
    weights: orderedWeights(v.model.weights),
    training: v.metrics ? describeTraining(v.metrics) : null,
  };
}

export const describeChange = (c: ModelChange) => ({
  action: c.action, from_status: c.fromStatus, to_status: c.toStatus, reason: c.reason, actor: c.actor, at: c.at.toISOString(),
});

export const describeInterleaving = (i: InterleavingReport) => ({
  served: i.served, judged: i.judged, wins: i.wins, ties: i.ties, losses: i.losses, share: i.share, p_value: i.pValue,
});

export function describeDetails(d: ModelDetails) {
  return { ...describeModel(d), changes: d.changes.map(describeChange), interleaving: describeInterleaving(d.interleaving) };
}

export type ModelDescription = ReturnType<typeof describeModel>;

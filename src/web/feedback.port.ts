/**
 * The feedback port of the web pages over the real feedback loop (src/feedback): rankings served
 * as the API serves them (logged, with the caller's exclusions), events recorded by the same use
 * case as POST /api/v1/feedback, « pas intéressé » listed and withdrawn for its undo.
 */
import type { Caller } from '../access/access.policy.ts';
import { isPasserellesError } from '../domain/errors.ts';
import type { Feedback } from '../feedback/feedback.usecases.ts';
import type { FeedbackEventInput } from '../feedback/feedback.schemas.ts';
import type { Serving } from '../feedback/serving.ts';
import type { FeedbackPort, WebFeedbackEvent } from './ports.ts';

function inputOf(e: WebFeedbackEvent, inRanking: boolean): FeedbackEventInput {
  const common = {
    client_event_id: e.clientEventId, kind: e.kind, occurred_at: e.occurredAt.toISOString(),
    ...(e.reason ? { reason: e.reason } : {}), ...(e.reasonText ? { reason_text: e.reasonText } : {}),
  };
  if (inRanking && e.rankingId && e.queryKind) {
    return { ...common, ranking_id: e.rankingId, item_id: e.queryKind === 'structure' ? e.resourceId : e.structureId };
  }
  return { ...common, structure_id: e.structureId, resource_id: e.resourceId };
}

export function feedbackPortOf(deps: { feedback: Feedback; serving: Serving }): FeedbackPort {
  const { feedback, serving } = deps;
  return {
    rank: (caller: Caller, kind, id, query) =>
      (kind === 'structure' ? serving.forStructure(id, query, caller) : serving.forResource(id, query, caller)),
    async record(caller, event) {
      try {
        await feedback.record(caller, [inputOf(event, true)]);
      } catch (e) {
        // A ranking the log could not keep (full buffer): the pair itself still says what happened.
        if (!isPasserellesError(e) || e.code !== 'feedback.unknown_ranking') throw e;
        await feedback.record(caller, [inputOf(event, false)]);
      }
    },
    async hiddenFor(caller) {
      return (await feedback.hiddenFor(caller)).map((r) => ({
        structureId: r.structureId, resourceId: r.resourceId, reason: r.reason ?? undefined, at: r.occurredAt,
      }));
    },
    async restore(caller, pair) {
      await feedback.withdrawNotInterested(caller, pair);
    },
  };
}

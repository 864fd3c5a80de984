import type { Feature } from './feature.ts';
import type { PillarConcept, ResourceProfile, StructureProfile } from './profiles.ts';

/** Value when the resource's pillar is not ticked in `needs` but the need text names it. */
export const NAMED_IN_TEXT = 0.6;
/**
 * Value when the resource's pillar is neither ticked nor named, but the resource offers a precise
 * concept that the need text asks for in a pillar the structure ticks: the need is stated, only
 * filed elsewhere (a refrigerated van leased under the energy pillar answers a ticked cold-chain
 * delivery need; help to answer tenders, a skills offer, answers a ticked need for contracts).
 * Worth a pillar named in the text, no more.
 */
export const ANSWERED_ACROSS = NAMED_IN_TEXT;

/** A precise concept of a ticked pillar other than the resource's that the need asks and the resource offers. */
export function answerAcross(s: StructureProfile, r: ResourceProfile): PillarConcept | undefined {
  for (const c of s.needConcepts) {
    if (c.generic || (c.pillarMask & s.needsMask) === 0 || (c.pillarMask & r.pillarMask) !== 0) continue;
    for (const x of r.concepts) if (x.id === c.id) return c;
  }
  return undefined;
}

/** The resource's pillar against the structure's needs: ticked 1, named in its need text or answered across pillars 0.6, else 0. */
export const pillarFit: Feature = {
  name: 'pillar',
  label: 'pilier demandé',
  compute: (s, r) => ((s.needsMask & r.pillarMask) !== 0 ? 1
    : (s.textPillarsMask & r.pillarMask) !== 0 ? NAMED_IN_TEXT
      : answerAcross(s, r) ? ANSWERED_ACROSS : 0),
};

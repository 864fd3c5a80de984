import type { Feature } from './feature.ts';
import { HEADLINE_FIELDS, type PillarConcept, type ResourceProfile, type StructureProfile } from '../profiles/profiles.ts';

/** Value when the resource's pillar is not ticked in `needs` but the need text names it. */
export const NAMED_IN_TEXT = 0.6;
/**
 * Value when the resource's pillar is neither ticked nor named, but the resource is about a precise
 * concept that the need text asks for in a pillar the structure ticks: the need is stated, only
 * filed elsewhere (an offer filed under one pillar whose title names what another pillar's need
 * asks for). Worth a pillar named in the text, no more.
 */
export const ANSWERED_ACROSS = NAMED_IN_TEXT;

/**
 * A precise concept of a ticked pillar other than the resource's that the need text asks for and
 * the resource is about. Only the need text states a need (the tags say the structure's trade), and
 * only the resource's title, tags and skills say what it offers (its description mentions other
 * things in passing).
 */
export function answerAcross(s: StructureProfile, r: ResourceProfile): PillarConcept | undefined {
  for (const c of s.needConcepts) {
    if (c.field !== 'need_text' || c.generic || (c.pillarMask & s.needsMask) === 0 || (c.pillarMask & r.pillarMask) !== 0) continue;
    for (const x of r.concepts) if (x.id === c.id && HEADLINE_FIELDS.has(x.field)) return c;
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

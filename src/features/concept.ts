/**
 * The precise need: within a pillar, does the resource offer the very thing the structure's need
 * text asks for? Both sides are reduced to the pillar concepts of the thesaurus they evoke by a
 * synonym (« la subvention arrive en fin d’année » → banking.prefinancing; « préfinancement des
 * aides notifiées » → banking.prefinancing).
 *   - 1    the need text evokes a concept of the resource's pillar that the resource offers, or
 *          names a sum to finance that a banking offer's amount range covers (need-amount.ts);
 *   - 0.8  it shares a precise concept of another pillar with the resource (an offer filed
 *          under another pillar that names the very need), provided that pillar
 *          is ticked in `needs` or the text asks nothing else precise of the resource's pillar;
 *   - 0.6  they share only the pillar's umbrella concept (« mécénat de compétences »: `generic`
 *          in the thesaurus), which says the pillar, not the need;
 *   - 0.5  the need text says nothing precise about that pillar;
 *   - 0    the need text asks for something else precise in the resource's pillar (savings to
 *          place against an investment loan): the umbrella alone does not redeem it (« notre
 *          financement : la subvention arrive en fin d’année » is a prefinancing need, not a loan).
 */
import type { Feature } from './feature.ts';
import { needAmountOf } from './need-amount.ts';
import type { PillarConcept, ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

export const SHARED_OTHER_PILLAR = 0.8;
export const UNKNOWN = 0.5;
export const SHARED_GENERIC = 0.6;

/** The concepts of the structure's need that the resource offers, those of its pillar first. */
export function sharedConcepts(s: StructureProfile, r: ResourceProfile): PillarConcept[] {
  const shared: PillarConcept[] = [];
  for (const c of s.needConcepts) if (r.concepts.some((x) => x.id === c.id)) shared.push(c);
  return shared.sort((a, b) => Number((b.pillarMask & r.pillarMask) !== 0) - Number((a.pillarMask & r.pillarMask) !== 0));
}

export function conceptFit(s: StructureProfile, r: ResourceProfile): number {
  let askedInPillar = false;
  let sharedGeneric = false;
  let sharedOther = false;
  let sharedTicked = false;
  for (const c of s.needConcepts) {
    const inPillar = (c.pillarMask & r.pillarMask) !== 0;
    let offered = false;
    for (const x of r.concepts) if (x.id === c.id) { offered = true; break; }
    if (inPillar && offered && !c.generic) return 1;
    if (inPillar && offered) sharedGeneric = true;
    else if (inPillar && !c.generic) askedInPillar = true;
    else if (offered && !c.generic) {
      sharedOther = true;
      if ((c.pillarMask & s.needsMask) !== 0) sharedTicked = true;
    }
  }
  // A sum the need asks to finance, within the offer's range, is a precise need met as well.
  if (financesNamedSum(s, r)) return 1;
  if (sharedTicked || (sharedOther && !askedInPillar)) return SHARED_OTHER_PILLAR;
  // A precise need elsewhere in the pillar outweighs the pillar's umbrella word.
  if (askedInPillar) return 0;
  return sharedGeneric ? SHARED_GENERIC : UNKNOWN;
}

/** A banking offer whose amount range covers a sum the need text asks to finance (need_amount = 1). */
const financesNamedSum = (s: StructureProfile, r: ResourceProfile): boolean => needAmountOf(s, r) === 1;

export const conceptFitFeature: Feature = {
  name: 'need_concept',
  label: 'besoin précis',
  compute: (s, r) => conceptFit(s, r),
};

import type { Feature } from './feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

export const isEligible = (s: StructureProfile, r: ResourceProfile): boolean =>
  r.eligibleMask === 0 || (r.eligibleMask & s.legalFormMask) !== 0;

/** Legal form against `eligible_legal_forms`: 1 when eligible (reserved offers are the hard constraint). */
export const eligibilityFit: Feature = {
  name: 'eligibility',
  label: 'éligibilité',
  compute: (s, r) => (isEligible(s, r) ? 1 : 0),
};

/**
 * Step-free access of premises. Accessible: 1; unknown: 0.6; not accessible: 0.3, and a hard
 * constraint when the structure's text asks for access (constraints.ts). Not premises: 1.
 */
import type { Feature } from './feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

export const lacksRequiredAccess = (s: StructureProfile, r: ResourceProfile): boolean =>
  s.wantsAccessibility && r.entity.pillar === 'premises' && r.entity.accessible_pmr === false;

export const accessibilityFit: Feature = {
  name: 'accessibility',
  label: 'accessibilité PMR',
  compute(_s, r) {
    if (r.entity.pillar !== 'premises' && r.entity.accessible_pmr === undefined) return 1;
    if (r.entity.accessible_pmr === true) return 1;
    return r.entity.accessible_pmr === false ? 0.3 : 0.6;
  },
};

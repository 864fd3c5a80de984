/**
 * Step-free access of premises, against what the structure says of it (profiles/access-need.ts).
 *   - accessible premises, or not a premises question: 1;
 *   - the need text asks for access (soft): unknown 0.5, not accessible 0;
 *   - the contract field requires it: unknown 0.5, not accessible 0 and excluded (constraints.ts);
 *   - unstated: unknown 0.9, not accessible 0.8 (a slight preference: many publics need it);
 *   - waived (the field says false, or the text says it does not matter): 1.
 * Only the contract field excludes: a requirement read from text may be misread.
 */
import type { Feature } from './feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

export const lacksRequiredAccess = (s: StructureProfile, r: ResourceProfile): boolean =>
  s.stepFree === 'required' && r.entity.pillar === 'premises' && r.entity.accessible_pmr === false;

export function accessibilityOf(s: StructureProfile, r: ResourceProfile): number {
  const access = r.entity.accessible_pmr;
  if (access === true || (r.entity.pillar !== 'premises' && access === undefined)) return 1;
  switch (s.stepFree) {
    case 'required':
    case 'asked': return access === false ? 0 : 0.5;
    case 'waived': return 1;
    default: return access === false ? 0.8 : 0.9;
  }
}

export const accessibilityFit: Feature = {
  name: 'accessibility',
  label: 'accessibilité PMR',
  compute: (s, r) => accessibilityOf(s, r),
};

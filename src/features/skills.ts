/**
 * Skills a volunteering employee brings against what the structure writes: the share of the
 * listed skills with a word (stem) in the structure's texts. No skills listed: 0.5.
 */
import type { Feature } from './feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

export const matchedSkills = (s: StructureProfile, r: ResourceProfile): number[] =>
  r.skillStems.flatMap((stems, i) => (stems.some((st) => s.stems.has(st)) ? [i] : []));

/** How many listed skills have a word in the structure's texts (matchedSkills().length, allocating nothing: it runs for every candidate). */
function countMatchedSkills(s: StructureProfile, r: ResourceProfile): number {
  let n = 0;
  for (const stems of r.skillStems) {
    for (const stem of stems) {
      if (s.stems.has(stem)) { n++; break; }
    }
  }
  return n;
}

export const skillsFit: Feature = {
  name: 'skills',
  label: 'compétences',
  compute(s, r) {
    if (r.skillStems.length === 0) return 0.5;
    return countMatchedSkills(s, r) / r.skillStems.length;
  },
};

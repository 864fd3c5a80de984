/**
 * The seed vocabulary as data, gathered from seed/vocab/: legal-form profiles, activity families,
 * structure sentence templates, and La Poste resource kinds per pillar. To extend it, add entries to
 * the files of seed/vocab/ (see seed/README.md); nothing else needs to change.
 */
import type { Pillar, Scope } from '../src/domain/types.ts';
import { SOCIAL_ACTIVITIES } from './vocab/activities-social.ts';
import { WORK_ACTIVITIES } from './vocab/activities-work.ts';
import { PREMISES_KINDS, LOGISTICS_KINDS } from './vocab/resources-places.ts';
import { SKILLS_KINDS, BANKING_KINDS } from './vocab/resources-support.ts';
import { PURCHASING_KINDS, ENERGY_KINDS } from './vocab/resources-market.ts';
import type { Activity, ResourceKind } from './vocab/types.ts';

export type { Activity, LegalFormProfile, ResourceKind } from './vocab/types.ts';
export { LEGAL_FORM_PROFILES, FOUNDERS, EVOCATIVE_NAMES, PLACE_NAMES } from './vocab/legal-forms.ts';
export {
  BANKING_NEEDS, DESCRIPTION_OPENINGS, NEED_TEMPLATES, SPACE_PURPOSES, GOODS_VERBS, SKILLS_PLAIN, SKILLS_FORMAL, WHEN, GENERIC_INVEST,
} from './vocab/structure-texts.ts';
export { QUARTIERS, ETAGES } from './vocab/resources-places.ts';
export { deCommune, aCommune, departmentPhrase, displayName, regionPhrase, regionName } from './vocab/places.ts';

/** Every activity family. */
export const ACTIVITIES: readonly Activity[] = [...SOCIAL_ACTIVITIES, ...WORK_ACTIVITIES];

/** Resource kinds per pillar. */
export const RESOURCE_KINDS: Record<Pillar, readonly ResourceKind[]> = {
  premises: PREMISES_KINDS,
  logistics: LOGISTICS_KINDS,
  skills: SKILLS_KINDS,
  banking: BANKING_KINDS,
  purchasing: PURCHASING_KINDS,
  energy: ENERGY_KINDS,
};

/** Share of each pillar among generated resources. */
export const RESOURCE_PILLAR_WEIGHTS: Record<Pillar, number> = {
  premises: 25, logistics: 17, skills: 20, banking: 13, purchasing: 13, energy: 12,
};

/** Order of scope weight arrays. */
export const SCOPE_ORDER: readonly Scope[] = ['local', 'departmental', 'regional', 'national'];

/** Default scope weights per pillar (local, departmental, regional, national); premises are always local. */
export const PILLAR_SCOPES: Record<Pillar, [number, number, number, number]> = {
  premises: [1, 0, 0, 0],
  logistics: [6, 2, 1, 1],
  skills: [6, 1, 1, 2],
  banking: [1, 0.5, 1.5, 7],
  purchasing: [4, 2, 2, 2],
  energy: [3, 1, 2, 4],
};

/** Postal code given to national offers: the group's head office (Paris 15e). */
export const NATIONAL_POSTAL_CODE = '75015';

/**
 * Hard constraints: an ineligible legal form, an expired offer, a structure outside the area of
 * the offer, premises without the step-free access the structure requires in its record
 * (`requires_step_free_access`: never read from text, which may be misread). A pair that breaks
 * one is excluded by default; its explanation says why, in French.
 *
 * Every exclusion reads record fields only (legal form, dates, postal codes, scope and radius, the
 * v1.1 access field). Texts may only widen an area, never narrow it: a structure citing a
 * premises' commune (namesPlace), the delivery areas and named places of its need text
 * (geography.ts). What a text asks beyond that (access, period, sums) is a soft feature.
 */
import { LEGAL_FORM_LABELS } from '../domain/types.ts';
import { isExpired } from './availability.ts';
import { isEligible } from './eligibility.ts';
import { inArea } from './geography.ts';
import { lacksRequiredAccess } from './accessibility.ts';
import type { PairContext } from './feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

export type ExclusionCode = 'ineligible' | 'expired' | 'out_of_area' | 'not_accessible';

export interface Exclusion { code: ExclusionCode; message: string }

const formatDate = (iso: string) => iso.split('-').reverse().join('/');

export function exclusions(s: StructureProfile, r: ResourceProfile, pair: PairContext): Exclusion[] {
  const out: Exclusion[] = [];
  if (!isEligible(s, r)) {
    const allowed = (r.entity.eligible_legal_forms ?? []).map((f) => LEGAL_FORM_LABELS[f]).join(', ');
    out.push({ code: 'ineligible', message: `non éligible : ${LEGAL_FORM_LABELS[s.entity.legal_form]} (réservé à : ${allowed})` });
  }
  if (isExpired(r, pair.asOfDay)) {
    out.push({ code: 'expired', message: `offre terminée le ${formatDate(r.entity.available_until!)}` });
  }
  if (!inArea(s, r, pair.distanceKm)) out.push({ code: 'out_of_area', message: outOfAreaMessage(r, pair.distanceKm) });
  if (lacksRequiredAccess(s, r)) out.push({ code: 'not_accessible', message: 'locaux non accessibles aux personnes à mobilité réduite, alors que la structure exige un accès de plain-pied' });
  return out;
}

/** Whether the pair breaks a hard constraint: `exclusions(…).length > 0` without writing the messages. */
export function isExcluded(s: StructureProfile, r: ResourceProfile, pair: PairContext): boolean {
  return !isEligible(s, r) || isExpired(r, pair.asOfDay) || !inArea(s, r, pair.distanceKm) || lacksRequiredAccess(s, r);
}

function outOfAreaMessage(r: ResourceProfile, distanceKm: number): string {
  const km = Math.round(distanceKm);
  switch (r.entity.scope ?? 'local') {
    case 'regional': return 'hors de la région de l’offre';
    case 'departmental': return `hors du département de l’offre (${r.entity.place.department})`;
    default: return r.entity.radius_km !== undefined
      ? `à ${km} km, au-delà du rayon de ${r.entity.radius_km} km de l’offre`
      : `à ${km} km : trop loin pour une offre locale`;
  }
}

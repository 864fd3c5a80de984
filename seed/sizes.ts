/**
 * Plausible staff, volunteers and budget per legal form, and the French sentence that states them
 * ("Elle compte 12 salariés et 40 bénévoles.").
 */
import type { LegalForm } from '../src/domain/types.ts';
import type { Prng } from './prng.ts';
import { formatInt, plural, roundNice } from './template.ts';
import type { LegalFormProfile } from './vocabulary.ts';

export interface Size { employees?: number; volunteers?: number; budget?: number }

/** Draws staff (log-uniform: small structures dominate), volunteers and a budget consistent with them. */
export function drawSize(rng: Prng, profile: LegalFormProfile, employs = false): Size {
  const [e0, e1] = profile.employees;
  const employees = !employs && rng.chance(profile.noStaff) ? 0 : rng.logInt(Math.max(employs ? 3 : 1, e0), e1);
  let volunteers: number | undefined;
  if (profile.volunteers) {
    const [v0, v1] = profile.volunteers;
    volunteers = rng.logInt(employees === 0 ? Math.max(3, v0) : v0, v1);
  }
  const perEmployee = rng.int(profile.costPerEmployee[0], profile.costPerEmployee[1]);
  const budget = roundNice(rng.int(profile.baseBudget[0], profile.baseBudget[1]) + employees * perEmployee);
  return {
    employees: rng.chance(0.92) ? employees : undefined,
    // An all-volunteer structure always says how many volunteers it has.
    volunteers: volunteers !== undefined && (employees === 0 || rng.chance(0.85)) ? volunteers : undefined,
    budget: rng.chance(0.8) ? budget : undefined,
  };
}

/** A sentence stating the figures known for the structure, or '' when there are none. */
export function figuresSentence(rng: Prng, form: LegalForm, size: Size, pron: string): string {
  const { employees, volunteers } = size;
  if (employees === undefined) {
    return volunteers ? `${pron} s'appuie sur ${plural(volunteers, 'bénévole')}.` : '';
  }
  if (form === 'esat' && employees > 0) {
    const workers = employees * rng.int(3, 5);
    return `${pron} accueille ${formatInt(workers)} travailleurs en situation de handicap, encadrés par ${plural(employees, 'professionnel')}.`;
  }
  if (form === 'ea') return `${pron} emploie ${plural(employees, 'salarié')}, dont plus de 55 % reconnus travailleurs handicapés.`;
  if (form === 'siae' && employees >= 4) {
    const inPath = roundNice(employees * rng.float(0.6, 0.85));
    return `${pron} emploie ${plural(employees, 'salarié')}, dont ${formatInt(inPath)} en parcours d'insertion.`;
  }
  if (employees === 0) {
    return rng.chance(0.5)
      ? `${pron} n'a aucun salarié : tout repose sur ${plural(volunteers ?? 0, 'bénévole')}.`
      : `${pron} fonctionne uniquement grâce à ${plural(volunteers ?? 0, 'bénévole')}.`;
  }
  if (!volunteers) return `L'équipe compte ${plural(employees, 'salarié')}.`;
  return rng.chance(0.5)
    ? `${pron} compte ${plural(employees, 'salarié')} et ${plural(volunteers, 'bénévole')}.`
    : `L'équipe réunit ${plural(employees, 'salarié')}, ${employees > 1 ? 'épaulés' : 'épaulé'} par ${plural(volunteers, 'bénévole')}.`;
}

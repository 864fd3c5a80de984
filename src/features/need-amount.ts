/**
 * The sum a structure asks for in its need text (« un prêt d'environ 30 000 € », « placer 800 000 € »)
 * against the range of a financial offer (`amount_min_eur`…`amount_max_eur`). For a banking offer
 * that range is the money lent, advanced or placed, so it must contain the sum asked: a 30 000 €
 * investment is not a microcredit (300–5 000 €), 800 000 € to place exceed a 500 000 € loan.
 * Other pillars' amounts are contract values (what La Poste buys), not the structure's need.
 *
 * A need text names other sums too (a budget, a turnover, a monthly rent, a price): only a sum near
 * a financing word of its sentence (prêt, emprunt, financer, investir, placer, besoin de, manque…)
 * is asked, and never one given per month or per year, before tax, as a rent, or as a budget or a
 * turnover. The sum is a banking need only for a structure that ticks banking in `needs`.
 *   - 1    a sum asked falls in the range (or within AMOUNT_SLACK of it, for « environ »);
 *   - 0    sums are asked and none falls in or near it;
 *   - 0.5  no sum asked, no range, not a banking offer, or banking not ticked.
 */
import type { Feature } from './feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { PILLARS } from '../domain/types.ts';

/** Tolerance around the range: named sums are approximate (« environ », « autour de »). */
export const AMOUNT_SLACK = 0.1;
/** How a sum asked stands against a range: inside it, only within the slack, or outside. */
export type AmountStanding = 'within' | 'near' | 'outside';

export function amountStanding(amount: number, min: number | undefined, max: number | undefined): AmountStanding {
  if ((min === undefined || amount >= min) && (max === undefined || amount <= max)) return 'within';
  const low = (min ?? 0) * (1 - AMOUNT_SLACK);
  const high = max === undefined ? Infinity : max * (1 + AMOUNT_SLACK);
  return amount >= low && amount <= high ? 'near' : 'outside';
}

/** The sum asked that best fits the range (inside first, then within the slack), if any. */
export function fittingAmount(amounts: readonly number[], min: number | undefined, max: number | undefined): { amount: number; standing: AmountStanding } | undefined {
  let near: number | undefined;
  for (const a of amounts) {
    const standing = amountStanding(a, min, max);
    if (standing === 'within') return { amount: a, standing };
    if (standing === 'near' && near === undefined) near = a;
  }
  return near === undefined ? undefined : { amount: near, standing: 'near' };
}

export function needAmountFit(amounts: readonly number[], min: number | undefined, max: number | undefined): number {
  if (amounts.length === 0 || (min === undefined && max === undefined)) return 0.5;
  return fittingAmount(amounts, min, max) ? 1 : 0;
}

const BANKING = 1 << PILLARS.indexOf('banking');

/** Whether need_amount reads this pair at all: a banking offer and a structure that ticks banking. */
const readsNeedAmount = (s: { needsMask: number }, r: { pillarMask: number }): boolean =>
  (r.pillarMask & BANKING) !== 0 && (s.needsMask & BANKING) !== 0;

/** The feature's value for a pair (it reads no pair context). */
export function needAmountOf(s: StructureProfile, r: ResourceProfile): number {
  if (!readsNeedAmount(s, r)) return 0.5;
  return needAmountFit(s.needAmounts, r.entity.amount_min_eur, r.entity.amount_max_eur);
}

export const needAmountFeature: Feature = {
  name: 'need_amount',
  label: 'somme demandée',
  compute: (s, r) => needAmountOf(s, r),
};

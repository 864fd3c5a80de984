/**
 * Amounts of a banking or purchasing offer against the structure's yearly budget: a minimum
 * above the whole budget is out of proportion (0.2), a ceiling under 1 % of it is marginal
 * (0.6), otherwise 1. Unknown on either side: 0.5.
 */
import type { Feature } from './feature.ts';

export function amountFit(budget: number, min: number | undefined, max: number | undefined): number {
  if (min !== undefined && min > budget) return 0.2;
  if (max !== undefined && max < budget / 100) return 0.6;
  return 1;
}

export const amountFitFeature: Feature = {
  name: 'amount',
  label: 'montants et budget',
  compute(s, r) {
    const budget = s.entity.budget_eur;
    const { amount_min_eur: min, amount_max_eur: max } = r.entity;
    if (budget === undefined || (min === undefined && max === undefined)) return 0.5;
    return amountFit(budget, min, max);
  },
};

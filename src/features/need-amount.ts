/**
 * The sum a structure names in its need text (« un prêt d'environ 30 000 € », « placer 800 000 € »)
 * against the range of a financial offer (`amount_min_eur`…`amount_max_eur`). For a banking offer
 * that range is the money lent, advanced or placed, so it must contain the sum asked: a 30 000 €
 * investment is not a microcredit (300–5 000 €), 800 000 € to place exceed a 500 000 € loan.
 * Other pillars' amounts are contract values (what La Poste buys), not the structure's need.
 *   - 1    a named sum falls in the range (with AMOUNT_SLACK for « environ »);
 *   - 0    sums are named and none falls in it;
 *   - 0.5  no sum named, no range, or not a banking offer.
 */
import type { Feature } from './feature.ts';

/** Tolerance around the range: named sums are approximate (« environ », « autour de »). */
export const AMOUNT_SLACK = 0.1;
/** Below this, a sum is a price (« 3 € par repas »), not a financing need. */
export const MIN_NEED_EUR = 100;

const SPACE = '[\\s\\u00a0\\u202f.]';
/** « 30 000 € », « 30000 euros », « 1,5 million d'euros », « 40 k€ », « 2 M€ ». */
const AMOUNT = new RegExp(
  `(\\d{1,3}(?:${SPACE}\\d{3})+|\\d+(?:,\\d+)?)${SPACE}*(k€|m€|€|euros?|millions?${SPACE}+d['’]${SPACE}*euros|millions?${SPACE}*€)`,
  'giu',
);

/** The sums in euros a text names, in order. */
export function namedAmounts(text: string | undefined): number[] {
  if (!text) return [];
  const out: number[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const value = Number(m[1].replace(/[\s\u00a0\u202f.]/gu, '').replace(',', '.'));
    const unit = m[2].toLowerCase();
    const factor = unit === 'k€' ? 1e3 : unit === 'm€' || unit.startsWith('million') ? 1e6 : 1;
    if (value * factor >= MIN_NEED_EUR) out.push(value * factor);
  }
  return out;
}

export function needAmountFit(amounts: readonly number[], min: number | undefined, max: number | undefined): number {
  if (amounts.length === 0 || (min === undefined && max === undefined)) return 0.5;
  const low = (min ?? 0) * (1 - AMOUNT_SLACK);
  const high = max === undefined ? Infinity : max * (1 + AMOUNT_SLACK);
  return amounts.some((a) => a >= low && a <= high) ? 1 : 0;
}

export const needAmountFeature: Feature = {
  name: 'need_amount',
  label: 'somme demandée',
  compute(s, r) {
    if (r.entity.pillar !== 'banking') return 0.5;
    return needAmountFit(s.needAmounts, r.entity.amount_min_eur, r.entity.amount_max_eur);
  },
};

/**
 * Floor area offered against floor area sought. Ratio offer/need between 0.7 and 2: 1. Far too
 * small loses as (ratio/0.7)^1.5 (a third of the need ≈ 0.33); far too large as 2/ratio
 * (ten times the need ≈ 0.2). Unknown on one side: 0.7; not a premises question: 1. The surface
 * sought is the contract field, else the one the need text states (profiles/present-premises.ts).
 */
import type { Feature } from './feature.ts';

export const UNKNOWN_CAPACITY = 0.7;

export function surfaceFit(needed: number, offered: number): number {
  const ratio = offered / needed;
  if (ratio < 0.7) return (ratio / 0.7) ** 1.5;
  if (ratio > 2) return 2 / ratio;
  return 1;
}

export const capacityFit: Feature = {
  name: 'capacity',
  label: 'surface',
  compute(s, r) {
    const needed = s.surfaceSought, offered = r.entity.surface_m2;
    if (r.entity.pillar !== 'premises' && offered === undefined) return 1;
    if (needed === undefined || offered === undefined) return UNKNOWN_CAPACITY;
    return surfaceFit(needed, offered);
  },
};

/**
 * Geography of a pair: how well the place of a resource serves the structure, by scope.
 * national 0.6 everywhere (a local offer fits better); regional 0.8 in its région;
 * departmental 0.9 in its département; local with a radius: 1 at the door down to 0.7 at the
 * edge; local without radius (premises): decays with distance, 0.5 at 20 km. Outside the area the
 * pair is excluded (see constraints.ts); this value is then 0.
 */
import type { Feature } from './feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { localReachKm } from '../profiles/reach.ts';

/** Half-value distance of a local offer without radius. */
export const LOCAL_HALF_KM = 20;

/** Whether the resource's area covers the structure: the hard geographic constraint. */
export function inArea(s: StructureProfile, r: ResourceProfile, distanceKm: number): boolean {
  const scope = r.scope;
  if (scope === 'national') return true;
  if (scope === 'regional') return s.region === r.region;
  if (scope === 'departmental') return s.department === r.department;
  // The commune is looked up only when the distance calls for it (this runs for every candidate).
  const radius = r.entity.radius_km;
  if (distanceKm <= localReachKm(radius, false)) return true;
  return radius === undefined && distanceKm <= localReachKm(radius, true) && namesPlace(s, r);
}

/** The structure's texts name the resource's commune (« pays salonais » → Salon-de-Provence). */
export function namesPlace(s: StructureProfile, r: ResourceProfile): boolean {
  for (const stem of r.placeStems) if (s.stems.has(stem)) return true;
  return false;
}

export const geographyFit: Feature = {
  name: 'geography',
  label: 'zone desservie',
  compute(s, r, pair) {
    if (!inArea(s, r, pair.distanceKm)) return 0;
    switch (r.scope) {
      case 'national': return 0.6;
      case 'regional': return 0.8;
      case 'departmental': return 0.9;
      default: {
        if (r.entity.radius_km !== undefined) return 1 - 0.3 * Math.min(1, pair.distanceKm / r.entity.radius_km);
        const near = 1 / (1 + (pair.distanceKm / LOCAL_HALF_KM) ** 2);
        return namesPlace(s, r) ? Math.max(near, 0.8) : near;
      }
    }
  },
};

/**
 * Geography of a pair: how well the place of a resource serves the structure, by scope.
 * national 0.4 everywhere (NATIONAL_FIT: a generic offer, below a local one at the edge of its
 * radius, as the judging rubric grades « a generic national offer where a local one fits
 * better »); regional 0.8 in its région;
 * departmental 0.9 in its département; local with a radius: 1 at the door down to 0.7 at the
 * edge; local without radius (premises): decays with distance, 0.5 at 20 km. A logistics offer
 * serving the place where the structure wants goods delivered counts as if the structure sat
 * there. Outside the area the pair is excluded (see constraints.ts); this value is then 0.
 * An offer of a pillar the structure neither ticks nor names nor is answered across (pillar = 0)
 * is worth NATIONAL_FIT at most: being next door does not make an unasked offer more relevant, so
 * such offers do not climb above an asked one of wider scope just by being near (issue 16, class 3).
 */
import type { Feature } from './feature.ts';
import { LOGISTICS_BIT, type ResourceProfile, type StructureProfile } from '../profiles/profiles.ts';
import type { NamedPlace } from '../geo/places.ts';
import { haversineKm } from '../geo/distance.ts';
import { localReachKm } from '../profiles/reach.ts';
import { pillarFit } from './pillar.ts';

/**
 * Value of a national offer, anywhere. It was 0.6 (default-v4's figures), as much as premises 16 km
 * away: national offers are generic (« missions à distance », « prêt associatif ») and their broad
 * texts meet many needs, so they outranked the local offer that answers the same need. Lowered for
 * issue 16 (measured on the dev, tuning and held-out sets: README, « Benchmarks »).
 */
export const NATIONAL_FIT = 0.4;

/** Value of an offer of a wide scope in its area (a local offer's depends on the distance). */
export const SCOPE_FIT = { national: NATIONAL_FIT, regional: 0.8, departmental: 0.9 } as const;

/** Half-value distance of a local offer without radius. */
export const LOCAL_HALF_KM = 20;

/**
 * Whether the resource's area covers the structure: the hard geographic constraint. A logistics
 * offer also serves a structure outside its area that wants goods delivered into it, or collected
 * from it (servedDeliveryArea); premises serve a structure whose need text names their area
 * (servedNamedArea).
 */
export function inArea(s: StructureProfile, r: ResourceProfile, distanceKm: number): boolean {
  return inOwnArea(s, r, distanceKm) || servedDeliveryArea(s, r) !== undefined || servedNamedArea(s, r) !== undefined;
}

/** Premises (a local offer without radius) in an area the structure's need text names, however far it sits. */
export function servedNamedArea(s: StructureProfile, r: ResourceProfile): NamedPlace | undefined {
  if (s.namedPlaces.length === 0 || r.scope !== 'local' || r.entity.radius_km !== undefined) return undefined;
  return namedAreaHolding(s, r);
}

/** Whether the resource's area covers the structure's own site. */
export function inOwnArea(s: StructureProfile, r: ResourceProfile, distanceKm: number): boolean {
  const scope = r.scope;
  if (scope === 'national') return true;
  if (scope === 'regional') return s.region === r.region;
  if (scope === 'departmental') return s.department === r.department;
  // The commune is looked up only when the distance calls for it (this runs for every candidate).
  const radius = r.entity.radius_km;
  if (distanceKm <= localReachKm(radius, false)) return true;
  return radius === undefined && distanceKm <= localReachKm(radius, true) && namesPlace(s, r);
}

/** Distance from a logistics offer to the nearest point of a named place. */
function kmTo(place: NamedPlace, r: ResourceProfile): number {
  let km = Infinity;
  for (const p of place.points) km = Math.min(km, haversineKm(p.lat, p.lon, r.lat, r.lon));
  return km;
}

/** Concepts of picking goods up (collection, reverse logistics, recycling rounds), and of carrying them to someone. */
export const COLLECTION_CONCEPTS: ReadonlySet<string> = new Set(['logistics.collection', 'logistics.reverse', 'logistics.recycling']);
const CARRYING_CONCEPTS: ReadonlySet<string> = new Set(['logistics.delivery', 'logistics.last_mile', 'logistics.freight', 'logistics.parcel_shipping']);

/** An offer whose title picks goods up (« ramasse des invendus », « collecte des cartons »). */
export const collects = (r: ResourceProfile): boolean => r.concepts.some((c) => COLLECTION_CONCEPTS.has(c.id) && c.field === 'title');

/**
 * A collection offer that carries nothing to anyone serves a named place only for a structure
 * whose need text asks for a collection: a place named as where customers are (« nos clients de
 * Lyon commandent des colis ») is where goods go, not where they are picked up.
 */
function collectsOnlyUnasked(s: StructureProfile, r: ResourceProfile): boolean {
  if (!collects(r) || r.concepts.some((c) => CARRYING_CONCEPTS.has(c.id) && c.field === 'title')) return false;
  return !s.needConcepts.some((c) => COLLECTION_CONCEPTS.has(c.id));
}

/**
 * The place where the structure wants goods delivered or collected (named in its need text, see
 * profiles.ts) that a logistics offer's area covers: its radius for a local offer, its département
 * or région otherwise. « Livrer nos abonnés dans Paris » from Essonne meets a Paris last-mile offer;
 * collection rounds there meet a need text that asks for a collection.
 */
export function servedDeliveryArea(s: StructureProfile, r: ResourceProfile): NamedPlace | undefined {
  if (s.deliveryAreas.length === 0 || (r.pillarMask & LOGISTICS_BIT) === 0 || collectsOnlyUnasked(s, r)) return undefined;
  for (const place of s.deliveryAreas) {
    switch (r.scope) {
      case 'national': return undefined;
      case 'regional': if (place.region === r.region) return place; break;
      case 'departmental': if (place.department === r.department) return place; break;
      default: if (kmTo(place, r) <= localReachKm(r.entity.radius_km, false)) return place;
    }
  }
  return undefined;
}

/** The geography value of a pair served through a delivery area: as if the structure sat there. */
function deliveryFit(place: NamedPlace, r: ResourceProfile): number {
  switch (r.scope) {
    case 'regional':
    case 'departmental': return SCOPE_FIT[r.scope];
    default: return localFit(r, kmTo(place, r), false);
  }
}

function localFit(r: ResourceProfile, km: number, named: boolean): number {
  if (r.entity.radius_km !== undefined) return 1 - 0.3 * Math.min(1, km / r.entity.radius_km);
  const near = 1 / (1 + (km / LOCAL_HALF_KM) ** 2);
  return named ? Math.max(near, 0.8) : near;
}

/** How close to a commune its need text names an offer must sit to be in it. */
export const NAMED_PLACE_KM = 8;
/** An offer without radius in the area the need text names; one outside it keeps this share of its value. */
export const IN_NAMED_AREA = 0.95;
export const OUTSIDE_NAMED_AREA = 0.8;

/** A place the structure's need text names that holds the offer (its département, or within NAMED_PLACE_KM of its commune). */
export function namedAreaHolding(s: StructureProfile, r: ResourceProfile): NamedPlace | undefined {
  for (const place of s.namedPlaces) {
    if (place.kind === 'department' ? place.department === r.department : kmTo(place, r) <= NAMED_PLACE_KM) return place;
  }
  return undefined;
}

/**
 * A local offer without radius (premises) is judged against the area the structure names: in it,
 * nearly as good as at the door; elsewhere, when the need text names places, a little less.
 */
function placeFit(s: StructureProfile, r: ResourceProfile, km: number): number {
  const fit = localFit(r, km, namesPlace(s, r));
  if (s.namedPlaces.length === 0) return fit;
  return namedAreaHolding(s, r) ? Math.max(fit, IN_NAMED_AREA) : namesPlace(s, r) ? fit : fit * OUTSIDE_NAMED_AREA;
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
    const value = placeValue(s, r, pair.distanceKm);
    // Nearness serves a need: an offer of a pillar nobody asked for is worth no more here than anywhere.
    return value > NATIONAL_FIT && pillarFit.compute(s, r, pair) === 0 ? NATIONAL_FIT : value;
  },
};

/** How well the offer's place serves the structure, whatever it offers. */
function placeValue(s: StructureProfile, r: ResourceProfile, distanceKm: number): number {
  const delivered = servedDeliveryArea(s, r);
  const delivery = delivered ? deliveryFit(delivered, r) : 0;
  if (!inOwnArea(s, r, distanceKm)) return servedNamedArea(s, r) ? IN_NAMED_AREA : delivery;
  switch (r.scope) {
    case 'national':
    case 'regional':
    case 'departmental': return SCOPE_FIT[r.scope];
    default: return Math.max(delivery, r.entity.radius_km === undefined ? placeFit(s, r, distanceKm) : localFit(r, distanceKm, false));
  }
}

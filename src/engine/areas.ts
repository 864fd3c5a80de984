/**
 * Geographic blocking: each record is filed under area keys (its département, its région, the
 * grid cell of its commune; a national offer under one key), and a query names the keys where
 * the records that can be in its area are filed. Candidate generation then only scores those
 * (inverted index with a slot filter); the exact area check stays with the features.
 *
 * Keys: `d:<département>`, `r:<région>`, `c:<lat cell>:<lon cell>`, `n` (national offers), `w` (local
 * offers reaching farther than WIDE_REACH_KM: searched by every structure, like national ones,
 * rather than through thousands of cells), and `p:<pillar>` (offers of a wider scope than local, by
 * pillar; structures, by pillar ticked): the records of an asked pillar that words may not find
 * (see candidates.ts).
 */
import type { Pillar } from '../domain/types.ts';
import { localReachKm } from '../profiles/reach.ts';
import { NAMED_PLACE_KM } from '../features/geography.ts';
import { KM_PER_DEGREE } from '../geo/distance.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

/** Grid cell side in degrees (~28 km north-south): a 60 km reach covers about 6 × 8 cells in France. */
export const CELL_DEGREES = 0.25;
/** A local offer reaching farther than this is filed and searched like a national one (`w`). */
export const WIDE_REACH_KM = 300;

const cellOf = (degrees: number) => Math.floor(degrees / CELL_DEGREES);
const cellKey = (lat: number, lon: number) => `c:${cellOf(lat)}:${cellOf(lon)}`;
export const departmentKey = (code: string) => `d:${code}`;
export const pillarKey = (pillar: Pillar) => `p:${pillar}`;

/** Added to a reach for the rounding of degrees to kilometres. */
const MARGIN_KM = 1;

/**
 * Cells of the box around a point that holds every place within `reachKm` of it, nearest first
 * (in no particular order, and cheaper, when `nearestFirst` is false: for a filter).
 */
export function cellsWithin(lat: number, lon: number, reachKm: number, nearestFirst = true): string[] {
  const dLat = (reachKm + MARGIN_KM) / KM_PER_DEGREE;
  // The box's widest latitude has the shortest degrees of longitude: use it for the east-west span.
  const widest = Math.min(89, Math.max(Math.abs(lat - dLat), Math.abs(lat + dLat)));
  const dLon = Math.min(180, (reachKm + MARGIN_KM) / (KM_PER_DEGREE * Math.cos((widest * Math.PI) / 180)));
  if (!nearestFirst) {
    const keys: string[] = [];
    for (let i = cellOf(lat - dLat); i <= cellOf(lat + dLat); i++) for (let j = cellOf(lon - dLon); j <= cellOf(lon + dLon); j++) keys.push(`c:${i}:${j}`);
    return keys;
  }
  const cells: { key: string; far: number }[] = [];
  const kmPerLon = Math.cos((lat * Math.PI) / 180);
  for (let i = cellOf(lat - dLat); i <= cellOf(lat + dLat); i++) {
    for (let j = cellOf(lon - dLon); j <= cellOf(lon + dLon); j++) {
      // Squared distance in degrees (longitude shrunk) from the point to the cell's centre.
      const y = (i + 0.5) * CELL_DEGREES - lat, x = ((j + 0.5) * CELL_DEGREES - lon) * kmPerLon;
      cells.push({ key: `c:${i}:${j}`, far: x * x + y * y });
    }
  }
  return cells.sort((a, b) => a.far - b.far).map((c) => c.key);
}

/**
 * Where a structure is filed: its own place, and the places its need text names, so that an offer
 * there finds it: the cell of each named commune (or of a named département's main communes), the
 * département and région of a delivery area (departmental and regional logistics offers), and
 * `nd:<département>` for a named département (premises anywhere in it).
 */
export function structureKeys(s: StructureProfile): string[] {
  const own = [departmentKey(s.department), `r:${s.region}`, cellKey(s.lat, s.lon), ...s.entity.needs.map(pillarKey)];
  if (s.namedPlaces.length === 0) return own;
  const keys = new Set(own);
  for (const place of s.namedPlaces) {
    if (place.kind === 'department') keys.add(namedDepartmentKey(place.department));
    for (const p of place.points) keys.add(cellKey(p.lat, p.lon));
  }
  for (const place of s.deliveryAreas) keys.add(departmentKey(place.department)).add(`r:${place.region}`);
  return [...keys];
}

const namedDepartmentKey = (code: string) => `nd:${code}`;

/** Where a resource is filed: by the area it serves. */
export function resourceKeys(r: ResourceProfile): string[] {
  switch (r.scope) {
    case 'national': return ['n', pillarKey(r.entity.pillar)];
    case 'regional': return [`r:${r.region}`, pillarKey(r.entity.pillar)];
    case 'departmental': return [departmentKey(r.department), pillarKey(r.entity.pillar)];
    default: return isWide(r) ? [departmentKey(r.department), 'w'] : [departmentKey(r.department), cellKey(r.lat, r.lon)];
  }
}

export const isWide = (r: ResourceProfile): boolean => r.scope === 'local' && r.maxReachKm > WIDE_REACH_KM;

/**
 * Keys of the structures a resource's area can hold; undefined for a national offer (all of them).
 * For a local offer, the cells within its reach for any structure; the farther structures that
 * name its commune (a local offer without radius reaches them too) are found by name, not by cell.
 */
export function structuresServedBy(r: ResourceProfile): string[] | undefined {
  if (isWide(r)) return undefined;
  switch (r.scope) {
    case 'national': return undefined;
    case 'regional': return [`r:${r.region}`];
    case 'departmental': return [departmentKey(r.department)];
    default: {
      const cells = cellsWithin(r.lat, r.lon, localReachKm(r.entity.radius_km, false));
      // Premises also serve the structures that name their département, wherever they sit.
      return r.entity.radius_km === undefined ? [...cells, namedDepartmentKey(r.department)] : cells;
    }
  }
}

/**
 * Keys of the resources whose area can hold a structure: national and wide offers, the offers of
 * its région and département, and the local offers filed within `reach.local` (the farthest any
 * local offer of the collection that is not wide reaches); and for the places its need text names,
 * premises there (NAMED_PLACE_KM around a commune, a whole département) and, for its delivery
 * areas, the logistics offers that can reach them (`reach.logistics`).
 */
export function resourcesServing(s: StructureProfile, reach: { local: number; logistics: number }, nearestFirst = true): string[] {
  const own = ['n', 'w', `r:${s.region}`, departmentKey(s.department), ...cellsWithin(s.lat, s.lon, reach.local, nearestFirst)];
  if (s.namedPlaces.length === 0) return own;
  const keys = new Set(own);
  for (const place of s.namedPlaces) {
    if (place.kind === 'department') keys.add(departmentKey(place.department));
    else for (const key of cellsWithin(place.points[0].lat, place.points[0].lon, NAMED_PLACE_KM, nearestFirst)) keys.add(key);
  }
  for (const place of s.deliveryAreas) {
    keys.add(departmentKey(place.department)).add(`r:${place.region}`);
    for (const p of place.points) for (const key of cellsWithin(p.lat, p.lon, reach.logistics, nearestFirst)) keys.add(key);
  }
  return [...keys];
}

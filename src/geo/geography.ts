/**
 * French geography, offline: postal code → commune(s), département, région and coordinates.
 * The data file src/geo/data/communes.json is built by scripts/build-geo.ts (see src/geo/README.md).
 */
import { readFileSync } from 'node:fs';
import type { Place } from '../domain/types.ts';

/** How a commune's coordinates were obtained (see README: fallback rules). */
export type CoordSource = 'geonames' | 'postal-centroid' | 'department-centroid';
export const COORD_SOURCES: readonly CoordSource[] = ['geonames', 'postal-centroid', 'department-centroid'];

export interface Commune {
  insee: string;
  name: string;
  postalCodes: string[];
  department: string;
  region: string;
  population: number;
  lat: number;
  lon: number;
  coordSource: CoordSource;
}

export interface Department { code: string; name: string; region: string }
export interface Region { code: string; name: string }

export interface Resolution {
  place: Place;
  /** Every commune sharing the postal code, most populous first (the first one is used). */
  communes: Commune[];
  /** French sentence: which commune is used and why, e.g. « 2 communes partagent le code postal 20290 ; Borgo est retenue (la plus peuplée). » */
  reason: string;
}

export interface Geography {
  /** undefined when the 5-digit code matches no commune. */
  resolvePostalCode(postalCode: string): Resolution | undefined;
  /** Every commune, made anew at each call (the geography keeps them as columns): read it once and let it go. */
  communes(): readonly Commune[];
  /** How many communes there are, and the one at `index` (0 ≤ index < communeCount), as `communes()` would list it. */
  readonly communeCount: number;
  commune(index: number): Commune;
  department(code: string): Department | undefined;
  region(code: string): Region | undefined;
  departments(): readonly Department[];
  regions(): readonly Region[];
}

/** One commune as stored: [INSEE code, name, postal codes, département code, population, lat, lon, index in coordSources]. */
export type CommuneRow = [string, string, string[], string, number, number, number, number];

/** Shape of src/geo/data/communes.json (région of a commune = région of its département). */
export interface GeoData {
  attribution: string;
  /** Packages (name@version) the file was built from. */
  sources: string[];
  coordSources: CoordSource[];
  regions: [code: string, name: string][];
  departments: [code: string, name: string, region: string][];
  communes: CommuneRow[];
}

const COORD_NOTES: Record<CoordSource, string> = {
  geonames: '',
  'postal-centroid': ' Coordonnées approchées (centre des communes de même code postal).',
  'department-centroid': ' Coordonnées approchées (centre du département).',
};

/** Most populous first; equal populations by INSEE code, so the choice is stable. */
const byPopulation = (a: Commune, b: Commune): number =>
  b.population - a.population || (a.insee < b.insee ? -1 : a.insee > b.insee ? 1 : 0);

function explain(postalCode: string, candidates: readonly Commune[]): string {
  const [used, runnerUp] = candidates;
  const note = COORD_NOTES[used.coordSource];
  if (candidates.length === 1) return `Code postal ${postalCode} : ${used.name}.${note}`;
  const why = runnerUp.population === used.population ? 'population égale : premier code INSEE' : 'la plus peuplée';
  return `${candidates.length} communes partagent le code postal ${postalCode} ; ${used.name} est retenue (${why}).${note}`;
}

function resolution(postalCode: string, candidates: Commune[]): Resolution {
  const communes = [...candidates].sort(byPopulation);
  const used = communes[0];
  const place: Place = Object.freeze({
    postalCode, inseeCode: used.insee, commune: used.name, department: used.department,
    region: used.region, lat: used.lat, lon: used.lon,
  });
  return Object.freeze({ place, communes: Object.freeze(communes) as Commune[], reason: explain(postalCode, communes) });
}

/**
 * The communes as columns (commune i is the i-th of each), checked as they are read: 35,000 frozen
 * objects with their arrays of postal codes, and a resolution made in advance for each of the
 * 6,000 postal codes, were 260,000 objects that every full collection of every process marked
 * again. A commune's object is made when asked for, a postal code's resolution the first time it
 * is asked for and then kept.
 */
function readCommunes(data: GeoData, departments: Map<string, Department>) {
  const insee: string[] = [], name: string[] = [], codes: string[] = [], department: string[] = [];
  const n = data.communes.length;
  const population = new Float64Array(n), lat = new Float64Array(n), lon = new Float64Array(n), source = new Uint8Array(n);
  data.communes.forEach((row, i) => {
    const [code, communeName, postalCodes, departmentCode, people, y, x, sourceIndex] = row;
    if (!departments.has(departmentCode)) throw new Error(`Commune ${code}: unknown département ${departmentCode}`);
    const coordSource = COORD_SOURCES.indexOf(data.coordSources[sourceIndex]);
    if (coordSource < 0) throw new Error(`Commune ${code}: unknown coordinate source ${sourceIndex}`);
    insee.push(code); name.push(communeName); codes.push(postalCodes.join(' ')); department.push(departmentCode);
    population[i] = people; lat[i] = y; lon[i] = x; source[i] = coordSource;
  });
  return { insee, name, codes, department, population, lat, lon, source };
}

/**
 * Indexes grouped by key, a lone index kept as a number: most keys (postal codes, place names) have
 * one, and an array for each would be two more objects to mark. Adds `index` to `key`'s group.
 */
export function addToGroup(groups: Map<string, number | number[]>, key: string, index: number): void {
  const had = groups.get(key);
  if (had === undefined) groups.set(key, index);
  else if (typeof had === 'number') groups.set(key, [had, index]);
  else had.push(index);
}

/** Each postal code's communes, by index: one, or several. */
function indexByPostalCode(codes: readonly string[]): Map<string, number | number[]> {
  const groups = new Map<string, number | number[]>();
  codes.forEach((joined, index) => { for (const code of joined.split(' ')) addToGroup(groups, code, index); });
  return groups;
}

/** Regions and départements as frozen objects, and the communes' columns. */
function readGeoData(data: GeoData) {
  const regionList = Object.freeze(data.regions.map(([code, name]) => Object.freeze({ code, name })));
  const departmentList = Object.freeze(data.departments.map(([code, name, region]) => Object.freeze({ code, name, region })));
  const departments = new Map(departmentList.map((d) => [d.code, d]));
  return { regionList, departmentList, departments, columns: readCommunes(data, departments) };
}

/**
 * Builds a geography from already-loaded data (pure apart from freezing what it returns). The
 * parsed file is read in readGeoData, not here: a closure here that named `data` would keep the
 * whole file (220,000 objects) alive behind the functions returned.
 */
export function createGeography(data: GeoData): Geography {
  const { regionList, departmentList, departments, columns: c } = readGeoData(data);
  const regions = new Map(regionList.map((r) => [r.code, r]));
  const byPostalCode = indexByPostalCode(c.codes);
  const resolved = new Map<string, Resolution>();
  const commune = (i: number): Commune => Object.freeze({
    insee: c.insee[i], name: c.name[i], postalCodes: Object.freeze(c.codes[i].split(' ')) as string[], department: c.department[i],
    region: departments.get(c.department[i])!.region, population: c.population[i], lat: c.lat[i], lon: c.lon[i], coordSource: COORD_SOURCES[c.source[i]],
  });
  const resolve = (postalCode: string): Resolution | undefined => {
    const ids = byPostalCode.get(postalCode);
    if (ids === undefined) return undefined;
    let r = resolved.get(postalCode);
    if (!r) {
      r = resolution(postalCode, typeof ids === 'number' ? [commune(ids)] : ids.map(commune));
      resolved.set(postalCode, r);
    }
    return r;
  };
  return {
    resolvePostalCode: (postalCode) => resolve(postalCode) ?? resolve(postalCode.trim()),
    communes: () => Object.freeze(Array.from({ length: c.insee.length }, (_, i) => commune(i))),
    communeCount: c.insee.length,
    commune: (index) => {
      if (!(index >= 0 && index < c.insee.length && Number.isInteger(index))) throw new RangeError(`no commune at ${index} (0 to ${c.insee.length - 1})`);
      return commune(index);
    },
    department: (code) => departments.get(code),
    region: (code) => regions.get(code),
    departments: () => departmentList,
    regions: () => regionList,
  };
}

/** Location of the committed data file, relative to this module (not to the working directory). */
export const GEO_DATA_URL = new URL('./data/communes.json', import.meta.url);

let cached: Geography | undefined;

/** Reads src/geo/data/communes.json once (synchronously) and returns the shared geography. */
export function loadGeography(): Geography {
  cached ??= createGeography(JSON.parse(readFileSync(GEO_DATA_URL, 'utf8')) as GeoData);
  return cached;
}

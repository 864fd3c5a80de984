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
  communes(): readonly Commune[];
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

function toCommune(row: CommuneRow, data: GeoData, departments: Map<string, Department>): Commune {
  const [insee, name, postalCodes, department, population, lat, lon, sourceIndex] = row;
  const region = departments.get(department)?.region;
  const coordSource = data.coordSources[sourceIndex];
  if (region === undefined) throw new Error(`Commune ${insee}: unknown département ${department}`);
  if (!COORD_SOURCES.includes(coordSource)) throw new Error(`Commune ${insee}: unknown coordinate source ${sourceIndex}`);
  return Object.freeze({
    insee, name, postalCodes: Object.freeze([...postalCodes]) as string[], department, region, population, lat, lon, coordSource,
  });
}

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

function indexByPostalCode(communes: readonly Commune[]): Map<string, Resolution> {
  const groups = new Map<string, Commune[]>();
  for (const commune of communes) {
    for (const code of commune.postalCodes) {
      const group = groups.get(code);
      if (group) group.push(commune);
      else groups.set(code, [commune]);
    }
  }
  return new Map([...groups].map(([code, group]) => [code, resolution(code, group)]));
}

/** The data file's rows as frozen objects. */
function readGeoData(data: GeoData) {
  const regionList = Object.freeze(data.regions.map(([code, name]) => Object.freeze({ code, name })));
  const departmentList = Object.freeze(data.departments.map(([code, name, region]) => Object.freeze({ code, name, region })));
  const departments = new Map(departmentList.map((d) => [d.code, d]));
  const communeList = Object.freeze(data.communes.map((row) => toCommune(row, data, departments)));
  return { regionList, departmentList, departments, communeList };
}

/**
 * Builds a geography from already-loaded data (pure apart from freezing what it returns). The
 * parsed file is read in readGeoData, not here: a closure here that named `data` would keep the
 * whole file (220,000 objects) alive behind the functions returned.
 */
export function createGeography(data: GeoData): Geography {
  const { regionList, departmentList, departments, communeList } = readGeoData(data);
  const regions = new Map(regionList.map((r) => [r.code, r]));
  const byPostalCode = indexByPostalCode(communeList);
  return {
    resolvePostalCode: (postalCode) => byPostalCode.get(postalCode) ?? byPostalCode.get(postalCode.trim()),
    communes: () => communeList,
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

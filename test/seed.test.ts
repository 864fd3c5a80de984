import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LEGAL_FORMS, PILLARS, SCOPES, type ResourceRecord, type StructureRecord } from '../src/domain/types.ts';
import { generateResources, generateStructures, type SeedCommune } from '../seed/generator.ts';
import { Prng } from '../seed/prng.ts';
import { slotNames } from '../seed/template.ts';
import {
  ACTIVITIES, BANKING_NEEDS, DESCRIPTION_OPENINGS, NEED_TEMPLATES, RESOURCE_KINDS,
} from '../seed/vocabulary.ts';

/** ~30 real communes (code officiel géographique), including Corsica and overseas départements. */
const COMMUNES: SeedCommune[] = [
  { insee: '75056', name: 'Paris', postalCodes: ['75001', '75002', '75003', '75004', '75005', '75006', '75007', '75008', '75009', '75010', '75011', '75012', '75013', '75014', '75015', '75016', '75116', '75017', '75018', '75019', '75020'], department: '75', region: 'Île-de-France', population: 2103778 },
  { insee: '13055', name: 'Marseille', postalCodes: ['13001', '13002', '13003', '13004', '13005', '13006', '13007', '13008', '13009', '13010', '13011', '13012', '13013', '13014', '13015', '13016'], department: '13', region: "Provence-Alpes-Côte d'Azur", population: 886040 },
  { insee: '69123', name: 'Lyon', postalCodes: ['69001', '69002', '69003', '69004', '69005', '69006', '69007', '69008', '69009'], department: '69', region: 'Auvergne-Rhône-Alpes', population: 519127 },
  { insee: '31555', name: 'Toulouse', postalCodes: ['31000', '31100', '31200', '31300', '31400', '31500'], department: '31', region: 'Occitanie', population: 514819 },
  { insee: '59350', name: 'Lille', postalCodes: ['59000', '59160', '59260', '59777', '59800'], department: '59', region: 'Hauts-de-France', population: 238246 },
  { insee: '33063', name: 'Bordeaux', postalCodes: ['33000', '33100', '33200', '33300', '33800'], department: '33', region: 'Nouvelle-Aquitaine', population: 267991 },
  { insee: '44109', name: 'Nantes', postalCodes: ['44000', '44100', '44200', '44300'], department: '44', region: 'Pays de la Loire', population: 327734 },
  { insee: '67482', name: 'Strasbourg', postalCodes: ['67000', '67100', '67200'], department: '67', region: 'Grand Est', population: 293771 },
  { insee: '35238', name: 'Rennes', postalCodes: ['35000', '35200', '35700'], department: '35', region: 'Bretagne', population: 230890 },
  { insee: '76351', name: 'Le Havre', postalCodes: ['76600', '76610', '76620'], department: '76', region: 'Normandie', population: 166687 },
  { insee: '2A004', name: 'Ajaccio', postalCodes: ['20000', '20090', '20167'], department: '2A', region: 'Corse', population: 76320 },
  { insee: '2B033', name: 'Bastia', postalCodes: ['20200', '20600'], department: '2B', region: 'Corse', population: 46867 },
  { insee: '2B096', name: 'Corte', postalCodes: ['20250'], department: '2B', region: 'Corse', population: 7819 },
  { insee: '97209', name: 'Fort-de-France', postalCodes: ['97200', '97234'], department: '972', region: 'Martinique', population: 75506 },
  { insee: '97222', name: 'Le Robert', postalCodes: ['97231'], department: '972', region: 'Martinique', population: 21553 },
  { insee: '97411', name: 'Saint-Denis', postalCodes: ['97400', '97417', '97490'], department: '974', region: 'La Réunion', population: 155634 },
  { insee: '97302', name: 'Cayenne', postalCodes: ['97300'], department: '973', region: 'Guyane', population: 62675 },
  { insee: '97101', name: 'Les Abymes', postalCodes: ['97139', '97142'], department: '971', region: 'Guadeloupe', population: 51055 },
  { insee: '97611', name: 'Mamoudzou', postalCodes: ['97600', '97605'], department: '976', region: 'Mayotte', population: 71437 },
  { insee: '87085', name: 'Limoges', postalCodes: ['87000', '87100', '87280'], department: '87', region: 'Nouvelle-Aquitaine', population: 129937 },
  { insee: '63113', name: 'Clermont-Ferrand', postalCodes: ['63000', '63100'], department: '63', region: 'Auvergne-Rhône-Alpes', population: 146351 },
  { insee: '21231', name: 'Dijon', postalCodes: ['21000'], department: '21', region: 'Bourgogne-Franche-Comté', population: 161830 },
  { insee: '14118', name: 'Caen', postalCodes: ['14000'], department: '14', region: 'Normandie', population: 109400 },
  { insee: '81004', name: 'Albi', postalCodes: ['81000'], department: '81', region: 'Occitanie', population: 51290 },
  { insee: '48095', name: 'Mende', postalCodes: ['48000'], department: '48', region: 'Occitanie', population: 12464 },
  { insee: '23096', name: 'Guéret', postalCodes: ['23000'], department: '23', region: 'Nouvelle-Aquitaine', population: 12955 },
  { insee: '15187', name: 'Saint-Flour', postalCodes: ['15100'], department: '15', region: 'Auvergne-Rhône-Alpes', population: 6391 },
  { insee: '24322', name: 'Périgueux', postalCodes: ['24000'], department: '24', region: 'Nouvelle-Aquitaine', population: 29055 },
  { insee: '46102', name: 'Figeac', postalCodes: ['46100'], department: '46', region: 'Occitanie', population: 9793 },
  { insee: '05061', name: 'Gap', postalCodes: ['05000'], department: '05', region: "Provence-Alpes-Côte d'Azur", population: 41293 },
  { insee: '39300', name: 'Lons-le-Saunier', postalCodes: ['39000'], department: '39', region: 'Bourgogne-Franche-Comté', population: 16618 },
];

const FIXTURE_POSTAL_CODES = new Set([...COMMUNES.flatMap((c) => c.postalCodes), '75015']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const POSTAL_CODE = /^\d{5}$/;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isTextList = (v: unknown): boolean => Array.isArray(v) && v.every(isText);
const validDate = (v: string): boolean => ISO_DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** Text quality: no unfilled slot, no "undefined", no double space. */
function textProblems(field: string, v: unknown): string[] {
  if (typeof v !== 'string') return [];
  const out: string[] = [];
  if (/[{}]/.test(v)) out.push(`${field}: unfilled slot in "${v}"`);
  if (/undefined|NaN|null/.test(v)) out.push(`${field}: bad value in "${v}"`);
  if (/ {2}|^\s|\s$/.test(v)) out.push(`${field}: stray spaces in "${v}"`);
  return out;
}

/** Minimal local checker of data contract v1 for structures (the real validator lives in src/contract/). */
function checkStructure(r: StructureRecord): string[] {
  const e: string[] = [];
  for (const f of ['id', 'name', 'description'] as const) if (!isText(r[f])) e.push(`${f} missing`);
  if (!(LEGAL_FORMS as readonly string[]).includes(r.legal_form)) e.push(`legal_form ${r.legal_form}`);
  if (!Array.isArray(r.needs) || r.needs.length === 0 || !r.needs.every((p) => (PILLARS as readonly string[]).includes(p))) e.push('needs');
  if (new Set(r.needs).size !== r.needs.length) e.push('needs repeated');
  if (!POSTAL_CODE.test(r.postal_code)) e.push(`postal_code ${r.postal_code}`);
  if (r.need_text !== undefined && !isText(r.need_text)) e.push('need_text');
  for (const f of ['employees', 'volunteers'] as const) {
    if (r[f] !== undefined && !(Number.isInteger(r[f]) && (r[f] as number) >= 0)) e.push(`${f} ${r[f]}`);
  }
  if (r.surface_needed_m2 !== undefined && !(isNum(r.surface_needed_m2) && r.surface_needed_m2 > 0)) e.push('surface_needed_m2');
  if (r.budget_eur !== undefined && !(isNum(r.budget_eur) && r.budget_eur >= 0)) e.push('budget_eur');
  if (r.tags !== undefined && !isTextList(r.tags)) e.push('tags');
  for (const f of ['name', 'description', 'need_text'] as const) e.push(...textProblems(f, r[f]));
  return e;
}

/** Minimal local checker of data contract v1 for resources. */
function checkResource(r: ResourceRecord): string[] {
  const e: string[] = [];
  for (const f of ['id', 'title', 'description'] as const) if (!isText(r[f])) e.push(`${f} missing`);
  if (!(PILLARS as readonly string[]).includes(r.pillar)) e.push(`pillar ${r.pillar}`);
  if (!POSTAL_CODE.test(r.postal_code)) e.push(`postal_code ${r.postal_code}`);
  if (r.scope !== undefined && !(SCOPES as readonly string[]).includes(r.scope)) e.push(`scope ${r.scope}`);
  for (const f of ['radius_km', 'surface_m2', 'days_per_month'] as const) {
    if (r[f] !== undefined && !(isNum(r[f]) && (r[f] as number) > 0)) e.push(`${f} ${r[f]}`);
  }
  for (const f of ['amount_min_eur', 'amount_max_eur'] as const) {
    if (r[f] !== undefined && !(isNum(r[f]) && (r[f] as number) >= 0)) e.push(`${f} ${r[f]}`);
  }
  if (r.amount_min_eur !== undefined && r.amount_max_eur !== undefined && r.amount_min_eur > r.amount_max_eur) e.push('amount_min > amount_max');
  for (const f of ['available_from', 'available_until'] as const) {
    if (r[f] !== undefined && !validDate(r[f] as string)) e.push(`${f} ${r[f]}`);
  }
  if (r.available_from && r.available_until && r.available_until < r.available_from) e.push('available_until < available_from');
  if (r.eligible_legal_forms !== undefined && !r.eligible_legal_forms.every((f) => (LEGAL_FORMS as readonly string[]).includes(f))) e.push('eligible_legal_forms');
  if (r.accessible_pmr !== undefined && typeof r.accessible_pmr !== 'boolean') e.push('accessible_pmr');
  if (r.skills !== undefined && !isTextList(r.skills)) e.push('skills');
  if (r.tags !== undefined && !isTextList(r.tags)) e.push('tags');
  for (const f of ['title', 'description'] as const) e.push(...textProblems(f, r[f]));
  return e;
}

const opts = (n: number, seed?: number, communes: readonly SeedCommune[] = COMMUNES) => ({ structures: n, resources: n, seed, communes });
const structures = (n: number, seed?: number) => [...generateStructures(opts(n, seed))];
const resources = (n: number, seed?: number) => [...generateResources(opts(n, seed))];

describe('seed PRNG', () => {
  it('gives the same sequence for the same seed and stays within the requested bounds', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const draws = Array.from({ length: 1000 }, () => a.int(3, 9));
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.int(3, 9)));
    expect(Math.min(...draws)).toBe(3);
    expect(Math.max(...draws)).toBe(9);
  });

  it('samples distinct elements, shuffles into a permutation and never picks a zero weight', () => {
    const rng = new Prng(11);
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    const sample = rng.sample(items, 4);
    expect(new Set(sample).size).toBe(4);
    expect(rng.shuffle(items).sort()).toEqual(items);
    for (let i = 0; i < 500; i++) expect(rng.weightedPick(['x', 'y', 'z'], [1, 0, 3])).not.toBe('y');
  });
});

describe('seed contract checker (local to this test)', () => {
  it('rejects records that break the contract', () => {
    const structure = { id: 'x', name: 'X', legal_form: 'sarl', description: 'Texte {slot}', needs: [], postal_code: '7501', employees: -1 };
    expect(checkStructure(structure as unknown as StructureRecord).length).toBeGreaterThanOrEqual(5);
    const resource = { id: 'y', pillar: 'premises', title: 'Y', description: 'Z', postal_code: '75015', surface_m2: 0,
      available_from: '2027-01-01', available_until: '2026-01-01', eligible_legal_forms: ['sarl'] };
    expect(checkResource(resource as unknown as ResourceRecord)).toEqual(
      ['surface_m2 0', 'available_until < available_from', 'eligible_legal_forms']);
  });
});

describe('seed generator', () => {
  it('produces identical records for the same seed', () => {
    expect(JSON.stringify(structures(300, 42))).toBe(JSON.stringify(structures(300, 42)));
    expect(JSON.stringify(resources(300, 42))).toBe(JSON.stringify(resources(300, 42)));
  });

  it('produces different records for a different seed', () => {
    expect(JSON.stringify(structures(50, 1))).not.toBe(JSON.stringify(structures(50, 2)));
    expect(JSON.stringify(resources(50, 1))).not.toBe(JSON.stringify(resources(50, 2)));
  });

  it('uses seed 2014 by default and extends a smaller run without changing its first records', () => {
    expect(structures(20)).toEqual(structures(20, 2014));
    expect(structures(500).slice(0, 100)).toEqual(structures(100));
    expect(resources(500).slice(0, 100)).toEqual(resources(100));
  });

  it('numbers ids seed-s000001… and seed-r000001…, all distinct', () => {
    const s = structures(2000);
    const r = resources(2000);
    expect(s[0]?.id).toBe('seed-s000001');
    expect(r[1999]?.id).toBe('seed-r002000');
    expect(new Set(s.map((x) => x.id)).size).toBe(2000);
    expect(new Set(r.map((x) => x.id)).size).toBe(2000);
  });

  it('covers every legal form, every pillar and every scope in 2,000 records', () => {
    const s = structures(2000);
    const r = resources(2000);
    expect(new Set(s.map((x) => x.legal_form))).toEqual(new Set(LEGAL_FORMS));
    expect(new Set(s.flatMap((x) => x.needs))).toEqual(new Set(PILLARS));
    expect(new Set(r.map((x) => x.pillar))).toEqual(new Set(PILLARS));
    expect(new Set(r.map((x) => x.scope))).toEqual(new Set(SCOPES));
    const associations = s.filter((x) => x.legal_form === 'association').length;
    expect(associations).toBeGreaterThan(s.length * 0.4); // associations dominate
  });

  it('writes every structure within the data contract, with real postal codes and clean French text', () => {
    const s = structures(2000, 99);
    const problems = s.flatMap((r) => checkStructure(r).map((p) => `${r.id}: ${p}`));
    expect(problems).toEqual([]);
    expect(s.every((r) => FIXTURE_POSTAL_CODES.has(r.postal_code))).toBe(true);
    expect(s.filter((r) => r.need_text).length).toBeGreaterThan(s.length * 0.8);
    expect(s.every((r) => r.needs.length >= 1 && r.needs.length <= 3)).toBe(true);
    expect(s.filter((r) => r.needs.includes('premises') && r.surface_needed_m2).length).toBeGreaterThan(0);
    expect(s.some((r) => r.employees === 0 && (r.volunteers ?? 0) > 0)).toBe(true); // all-volunteer structures
  });

  it('writes every resource within the data contract, with the attributes its pillar calls for', () => {
    const r = resources(2000, 99);
    const problems = r.flatMap((x) => checkResource(x).map((p) => `${x.id}: ${p}`));
    expect(problems).toEqual([]);
    expect(r.every((x) => FIXTURE_POSTAL_CODES.has(x.postal_code))).toBe(true);
    expect(r.filter((x) => x.scope === 'national').every((x) => x.postal_code === '75015')).toBe(true);
    const premises = r.filter((x) => x.pillar === 'premises');
    expect(premises.every((x) => x.surface_m2 && x.accessible_pmr !== undefined && x.available_from && x.available_until)).toBe(true);
    expect(premises.some((x) => (x.available_until as string) < '2026-12-01')).toBe(true); // some expired
    expect(premises.some((x) => (x.available_from as string) > '2026-12-01')).toBe(true); // some to come
    const localOffers = r.filter((x) => x.scope === 'local' && x.pillar !== 'premises');
    expect(localOffers.every((x) => x.radius_km)).toBe(true);
    expect(r.filter((x) => x.pillar === 'skills').every((x) => x.skills?.length && x.days_per_month)).toBe(true);
    const reserved = r.filter((x) => x.pillar === 'purchasing' && x.eligible_legal_forms?.length);
    expect(reserved.length).toBeGreaterThan(0);
    expect(reserved.every((x) => x.eligible_legal_forms!.every((f) => ['siae', 'esat', 'ea'].includes(f)))).toBe(true);
    expect(r.filter((x) => x.pillar === 'banking' && x.eligible_legal_forms?.length).length).toBeGreaterThan(0);
  });

  it('streams 20,000 structures and 5,000 resources (speed is measured by benchmarks/speed.ts, not here)', () => {
    let n = 0;
    for (const s of generateStructures({ structures: 20000, resources: 5000, communes: COMMUNES })) n += s.needs.length;
    for (const r of generateResources({ structures: 20000, resources: 5000, communes: COMMUNES })) n += r.title.length > 0 ? 1 : 0;
    expect(n).toBeGreaterThan(25000);
  });

  it('draws communes roughly in proportion to population', () => {
    const communes: SeedCommune[] = [
      { insee: '69123', name: 'Lyon', postalCodes: ['69003'], department: '69', region: '84', population: 500000 },
      { insee: '81004', name: 'Albi', postalCodes: ['81000'], department: '81', region: '76', population: 50000 },
      { insee: '48095', name: 'Mende', postalCodes: ['48000'], department: '48', region: '76', population: 12000 },
    ];
    const counts = new Map<string, number>();
    for (const s of generateStructures({ structures: 6000, resources: 0, communes })) {
      counts.set(s.postal_code, (counts.get(s.postal_code) ?? 0) + 1);
    }
    const lyon = counts.get('69003') ?? 0;
    const albi = counts.get('81000') ?? 0;
    expect(albi).toBeGreaterThan(100);
    expect(lyon / albi).toBeGreaterThan(7);
    expect(lyon / albi).toBeLessThan(14);
  });

  it('skips communes without a valid postal code and rejects an empty commune list', () => {
    const communes: SeedCommune[] = [
      { insee: '00000', name: 'Nulle-Part', postalCodes: ['ABC'], department: '00', region: 'Nowhere', population: 9e9 },
      { insee: '2B096', name: 'Corte', postalCodes: ['20250'], department: '2B', region: 'Corse', population: 7819 },
    ];
    const s = [...generateStructures({ structures: 50, resources: 0, communes })];
    expect(s.every((x) => x.postal_code === '20250')).toBe(true);
    expect(() => [...generateStructures({ structures: 1, resources: 0, communes: [] })]).toThrow();
  });
});

describe('seed vocabulary', () => {
  const STRUCTURE_SLOTS = new Set(['Subject', 'subject', 'Name', 'name', 'Pron', 'pron', 'e', 'descriptor', 'does', 'public',
    'founders', 'year', 'commune', 'a_commune', 'de_commune', 'dept', 'people', 'tonnes', 'km', 'space', 'space_purpose',
    'surface', 'goods', 'de_goods', 'goods_verb', 'trade', 'invest', 'amount', 'skill_plain', 'skill_formal', 'when', 'n',
    'evoc', 'lieu']);
  const RESOURCE_SLOTS = new Set(['commune', 'a_commune', 'de_commune', 'quartier', 'etage', 'where', 'area', 'surface', 'n',
    'pmr_text', 'dispo', 'days', 'Days', 'skills_text', 'amount_min', 'amount_max', 'eligible_text']);

  it('uses only slots the generator fills', () => {
    const structureTemplates = [
      ...DESCRIPTION_OPENINGS, ...Object.values(NEED_TEMPLATES).flat(), ...BANKING_NEEDS.flatMap((g) => g.templates),
      ...ACTIVITIES.flatMap((a) => [...a.names, ...a.does, ...a.details, ...a.energy]),
    ];
    const resourceTemplates = Object.values(RESOURCE_KINDS).flat().flatMap((k) => [...k.titles, ...k.descriptions]);
    expect(structureTemplates.flatMap(slotNames).filter((s) => !STRUCTURE_SLOTS.has(s))).toEqual([]);
    expect(resourceTemplates.flatMap(slotNames).filter((s) => !RESOURCE_SLOTS.has(s))).toEqual([]);
  });

  it('gives every legal form an activity and every needed pillar the words it needs', () => {
    for (const form of LEGAL_FORMS) expect(ACTIVITIES.some((a) => (a.forms[form] ?? 0) > 0), form).toBe(true);
    for (const a of ACTIVITIES) {
      if (a.needs.logistics) expect(a.goods.length, a.key).toBeGreaterThan(0);
      if (a.needs.purchasing) expect(a.trades.length, a.key).toBeGreaterThan(0);
      if (a.needs.premises) expect(a.spaces.length, a.key).toBeGreaterThan(0);
    }
    for (const pillar of PILLARS) expect(RESOURCE_KINDS[pillar].length).toBeGreaterThan(0);
  });
});

describe('hand-written seed cases', () => {
  const dir = fileURLToPath(new URL('../seed/cases/', import.meta.url));
  const parse = <T>(file: string): T[] => readFileSync(dir + file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as T);
  const caseStructures = parse<StructureRecord>('structures.jsonl');
  const caseResources = parse<ResourceRecord>('resources.jsonl');
  const readme = readFileSync(dir + 'README.md', 'utf8');

  it('parse as JSON Lines and satisfy the data contract', () => {
    expect(caseStructures.length).toBeGreaterThanOrEqual(12);
    expect(caseResources.length).toBeGreaterThanOrEqual(20);
    expect(caseStructures.flatMap((r) => checkStructure(r).map((p) => `${r.id}: ${p}`))).toEqual([]);
    expect(caseResources.flatMap((r) => checkResource(r).map((p) => `${r.id}: ${p}`))).toEqual([]);
  });

  it('use distinct case- ids and cover every legal form and pillar', () => {
    expect(caseStructures.every((r, i) => r.id === `case-s${String(i + 1).padStart(2, '0')}`)).toBe(true);
    expect(caseResources.every((r, i) => r.id === `case-r${String(i + 1).padStart(2, '0')}`)).toBe(true);
    expect(new Set(caseStructures.map((r) => r.legal_form))).toEqual(new Set(LEGAL_FORMS));
    expect(new Set(caseResources.map((r) => r.pillar))).toEqual(new Set(PILLARS));
  });

  it('give every structure at least one expected match listed in the README', () => {
    const expected = readme.slice(readme.indexOf('## Expected matches'), readme.indexOf('## Traps'));
    const ids = new Set(caseResources.map((r) => r.id));
    for (const s of caseStructures) {
      const rows = expected.split('\n').filter((line) => line.startsWith(`| ${s.id} |`));
      expect(rows.length, s.id).toBeGreaterThan(0);
      for (const row of rows) expect(ids.has(row.split('|')[2]?.trim() ?? ''), row).toBe(true);
    }
  });

  it('place cases in Corsica and overseas', () => {
    const codes = caseStructures.map((r) => r.postal_code);
    expect(codes.some((c) => c.startsWith('20'))).toBe(true);
    expect(codes.some((c) => c.startsWith('97'))).toBe(true);
  });
});

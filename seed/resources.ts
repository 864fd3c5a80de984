/**
 * Builds one synthetic La Poste resource: pillar and kind by frequency, scope (local offers sit in a
 * commune drawn by population; national ones at the head office, 75015), attributes of the kind
 * (surface, access, availability window, eligibility, skills, amounts) and institutional French texts.
 */
import { PILLARS, type LegalForm, type Pillar, type ResourceRecord, type Scope } from '../src/domain/types.ts';
import type { CommuneSampler, SeedCommune } from './communes.ts';
import type { Prng } from './prng.ts';
import { capitalize, compact, deMonth, fill, formatEuros, formatInt, joinFr, monthDate, monthLabel, plural, roundNice, tidy, type Slots } from './template.ts';
import {
  ETAGES, NATIONAL_POSTAL_CODE, PILLAR_SCOPES, QUARTIERS, RESOURCE_KINDS, RESOURCE_PILLAR_WEIGHTS, SCOPE_ORDER,
  aCommune, deCommune, departmentPhrase, regionPhrase, type ResourceKind,
} from './vocabulary.ts';

export interface ResourceContext {
  sampler: CommuneSampler;
  pillarWeights: number[];
}

export const resourceContext = (sampler: CommuneSampler): ResourceContext => ({
  sampler, pillarWeights: PILLARS.map((p) => RESOURCE_PILLAR_WEIGHTS[p]),
});

const ELIGIBLE_LABELS: Record<LegalForm, string> = {
  association: 'associations', scop: 'SCOP', scic: 'SCIC', cooperative: 'coopératives', mutuelle: 'mutuelles',
  fondation: 'fondations', esus: 'entreprises agréées ESUS', siae: 'SIAE', esat: 'ESAT', ea: 'entreprises adaptées',
};

const PMR_YES = ['Accessible de plain-pied aux personnes à mobilité réduite.', 'Local accessible PMR, sanitaires adaptés.', 'Accès de plain-pied.'];
const PMR_NO = ['Accès par quelques marches, non accessible aux personnes à mobilité réduite.', "Local non accessible PMR en l'état."];
const COMMUNE_SLOTS = /\{(commune|a_commune|de_commune|quartier)\}/;

interface Window { from: number; until?: number }

/** Availability window as month indexes from January 2025 (2025–2029; some already over, some to come). */
function drawWindow(rng: Prng, closed: boolean): Window {
  const from = rng.int(0, 47);
  if (!closed && rng.chance(0.2)) return { from };
  return { from, until: Math.min(59, from + rng.int(6, 48) - 1) };
}

function drawAmounts(rng: Prng, [lo, hi]: [number, number]): [number, number] {
  const min = roundNice(rng.logInt(lo, Math.max(lo, Math.floor(hi / 4))));
  const max = Math.max(min, roundNice(rng.logInt(Math.min(hi, min * 2), hi)));
  return [min, max];
}

/** Radius of a local offer: wider in the countryside than in cities. */
function drawRadius(rng: Prng, commune: SeedCommune): number {
  if (commune.population < 5000) return rng.pick([20, 25, 30, 40, 50]);
  if (commune.population < 50000) return rng.pick([10, 15, 20, 25, 30]);
  return rng.pick([5, 8, 10, 15, 20]);
}

function areaText(scope: Scope, commune: SeedCommune | null, radius?: number): { area: string; where: string } {
  if (!commune) return { area: 'partout en France', where: '' };
  if (scope === 'departmental') return { area: departmentPhrase(commune.department), where: departmentPhrase(commune.department) };
  if (scope === 'regional') return { area: regionPhrase(commune.region), where: regionPhrase(commune.region) };
  const area = radius ? `dans un rayon de ${radius} km autour ${deCommune(commune.name)}` : aCommune(commune.name);
  return { area, where: aCommune(commune.name) };
}

function eligibleText(forms?: LegalForm[]): string {
  if (!forms?.length) return "Ouvert à toutes les structures de l'ESS.";
  return `Réservé ${joinFr(forms.map((f) => `aux ${ELIGIBLE_LABELS[f]}`))}.`;
}

function pickTemplate(rng: Prng, templates: readonly string[], national: boolean): string {
  const usable = national ? templates.filter((t) => !COMMUNE_SLOTS.test(t)) : templates;
  return rng.pick(usable.length ? usable : templates);
}

/** The resource number `index` (1-based) of a run. */
export function buildResource(rng: Prng, index: number, ctx: ResourceContext): ResourceRecord {
  const pillar: Pillar = rng.weightedPick(PILLARS, ctx.pillarWeights);
  const kinds = RESOURCE_KINDS[pillar];
  const kind: ResourceKind = rng.weightedPick(kinds, kinds.map((k) => k.weight));
  const scope = rng.weightedPick(SCOPE_ORDER, kind.scopes ?? PILLAR_SCOPES[pillar]);
  const commune = scope === 'national' ? null : ctx.sampler.draw(rng);
  const radius = commune && scope === 'local' && pillar !== 'premises' ? drawRadius(rng, commune) : undefined;
  const surface = kind.surface ? roundNice(rng.logInt(kind.surface[0], kind.surface[1])) : undefined;
  const pmr = pillar === 'premises' ? rng.chance(kind.pmr ?? 0.6) : undefined;
  const window = pillar === 'premises' || rng.chance(kind.window ?? 0.3) ? drawWindow(rng, pillar === 'premises') : undefined;
  const eligible = kind.eligible && rng.chance(kind.eligible.p) ? rng.pick(kind.eligible.options) : undefined;
  const skills = kind.skills ? rng.sample(kind.skills, rng.int(2, 4)) : undefined;
  const days = kind.days ? rng.int(kind.days[0], kind.days[1]) : undefined;
  const amounts = kind.amount ? drawAmounts(rng, kind.amount) : undefined;
  const place = commune?.name ?? 'Paris';
  const { area, where } = areaText(scope, commune, radius);
  // A plain literal: object spread is much slower once transpiled, and this runs per record.
  const slots: Slots = {
    area, where, commune: place, a_commune: aCommune(place), de_commune: deCommune(place),
    quartier: rng.pick(QUARTIERS), etage: rng.pick(ETAGES), n: String(rng.int(2, 8)),
    surface: surface ? formatInt(surface) : '', days: days ? plural(days, 'jour') : '', Days: days ? capitalize(plural(days, 'jour')) : '', skills_text: joinFr(skills ?? []),
    pmr_text: pmr === undefined ? '' : rng.pick(pmr ? PMR_YES : PMR_NO),
    dispo: !window ? '' : window.until === undefined ? `Disponible à partir de ${monthLabel(window.from)}.`
      : `Disponible ${deMonth(window.from)} à ${monthLabel(window.until)}.`,
    amount_min: amounts ? formatEuros(amounts[0]) : '', amount_max: amounts ? formatEuros(amounts[1]) : '',
    eligible_text: eligibleText(eligible),
  };
  return compact({
    id: `seed-r${String(index).padStart(6, '0')}`,
    pillar,
    title: tidy(fill(pickTemplate(rng, kind.titles, !commune), slots)),
    description: tidy(fill(pickTemplate(rng, kind.descriptions, !commune), slots)),
    postal_code: commune ? ctx.sampler.postalCode(rng, commune) : NATIONAL_POSTAL_CODE,
    scope,
    radius_km: radius,
    surface_m2: surface,
    available_from: window ? monthDate(window.from, false) : undefined,
    available_until: window?.until !== undefined ? monthDate(window.until, true) : undefined,
    eligible_legal_forms: eligible ? [...eligible] : undefined,
    accessible_pmr: pmr,
    skills,
    days_per_month: days,
    amount_min_eur: amounts?.[0],
    amount_max_eur: amounts?.[1],
    tags: rng.chance(0.85) ? rng.sample(kind.tags, rng.int(2, 3)) : undefined,
  });
}

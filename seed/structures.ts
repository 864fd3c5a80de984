/**
 * Builds one synthetic ESS structure: legal form by frequency, activity family compatible with it,
 * commune by population, plausible size and budget, 1–3 needs, and French texts from the vocabulary.
 */
import { LEGAL_FORMS, type LegalForm, type Pillar, type StructureRecord } from '../src/domain/types.ts';
import type { CommuneSampler, SeedCommune } from './communes.ts';
import type { Prng } from './prng.ts';
import { capitalize, compact, deArticle, decapitalize, fill, formatEuros, formatInt, roundNice, tidy, type Slots } from './template.ts';
import {
  ACTIVITIES, BANKING_NEEDS, DESCRIPTION_OPENINGS, EVOCATIVE_NAMES, FOUNDERS, GENERIC_INVEST, GOODS_VERBS, LEGAL_FORM_PROFILES,
  NEED_TEMPLATES, PLACE_NAMES, SKILLS_FORMAL, SKILLS_PLAIN, SPACE_PURPOSES, WHEN, aCommune, deCommune,
  departmentPhrase, type Activity, type LegalFormProfile,
} from './vocabulary.ts';
import { figuresSentence, drawSize, type Size } from './sizes.ts';

interface Weighted<T> { items: T[]; weights: number[] }

/** What is computed once per generation run. */
export interface StructureContext {
  sampler: CommuneSampler;
  formWeights: number[];
  activities: Record<LegalForm, Weighted<Activity>>;
}

export function structureContext(sampler: CommuneSampler): StructureContext {
  const activities = {} as Record<LegalForm, Weighted<Activity>>;
  for (const form of LEGAL_FORMS) {
    const items = ACTIVITIES.filter((a) => (a.forms[form] ?? 0) > 0);
    if (items.length === 0) throw new Error(`seed: no activity for legal form ${form}`);
    activities[form] = { items, weights: items.map((a) => a.forms[form] ?? 0) };
  }
  return { sampler, formWeights: LEGAL_FORMS.map((f) => LEGAL_FORM_PROFILES[f].weight), activities };
}

const PREFIX_ARTICLE: Record<string, string> = {
  ESAT: "L'ESAT", Scop: 'La Scop', SCIC: 'La SCIC', Coopérative: 'La coopérative', Mutuelle: 'La Mutuelle', Fondation: 'La Fondation',
};

function buildName(rng: Prng, profile: LegalFormProfile, activity: Activity, commune: SeedCommune): string {
  const base = fill(rng.pick(activity.names), {
    evoc: rng.pick(EVOCATIVE_NAMES), lieu: rng.pick(PLACE_NAMES), commune: commune.name, de_commune: deCommune(commune.name),
  });
  const prefix = profile.namePrefix;
  if (!prefix || !rng.chance(prefix.p) || base.toLowerCase().startsWith(prefix.text.toLowerCase())) return base;
  return `${prefix.text} ${base}`;
}

/** "L'association Le Relais", "La Scop X" when the name already carries the form. */
function buildSubject(profile: LegalFormProfile, name: string): string {
  const space = name.indexOf(' ');
  const first = space < 0 ? name : name.slice(0, space);
  const article = PREFIX_ARTICLE[first];
  return article ? `${article}${name.slice(first.length)}` : `${profile.subject} ${name}`;
}

/** 1–3 distinct pillars, weighted by what the activity usually needs. */
const NEED_COUNTS = [1, 2, 3];
const NEED_COUNT_WEIGHTS = [45, 40, 15];

function drawNeeds(rng: Prng, activity: Activity): Pillar[] {
  const pillars = Object.keys(activity.needs) as Pillar[];
  const weights = pillars.map((p) => activity.needs[p] ?? 0);
  const count = Math.min(pillars.length, rng.weightedPick(NEED_COUNTS, NEED_COUNT_WEIGHTS));
  const needs: Pillar[] = [];
  while (needs.length < count) {
    const pillar = rng.weightedPick(pillars, weights);
    needs.push(pillar);
    weights[pillars.indexOf(pillar)] = 0; // drawn without replacement
  }
  return needs;
}

function structureSlots(rng: Prng, profile: LegalFormProfile, activity: Activity, commune: SeedCommune, name: string, size: Size, surface?: number): Slots {
  const subject = buildSubject(profile, name);
  const publicText = rng.pick(activity.publics);
  const goods = activity.goods.length ? rng.pick(activity.goods) : 'nos colis';
  const amountBase = size.budget ?? 120000;
  return {
    Name: capitalize(name), name, Subject: subject, subject: decapitalize(subject),
    Pron: profile.gender === 'f' ? 'Elle' : 'Il', pron: profile.gender === 'f' ? 'elle' : 'il', e: profile.gender === 'f' ? 'e' : '',
    descriptor: rng.pick(profile.descriptors), public: publicText,
    does: fill(rng.pick(activity.does), { public: publicText }),
    founders: rng.pick(FOUNDERS), year: String(rng.int(1972, 2023)),
    commune: commune.name, a_commune: aCommune(commune.name), de_commune: deCommune(commune.name), dept: departmentPhrase(commune.department),
    people: formatInt(roundNice(rng.logInt(20, 900))), tonnes: formatInt(roundNice(rng.int(20, 600))), km: String(rng.int(2, 8) * 10),
    space: activity.spaces.length ? rng.pick(activity.spaces) : 'un local', space_purpose: rng.pick(SPACE_PURPOSES),
    surface: formatInt(surface ?? roundNice(rng.int(activity.surface[0], activity.surface[1]))),
    goods, de_goods: deArticle(goods), goods_verb: fill(rng.pick(GOODS_VERBS), { goods }),
    trade: activity.trades.length ? rng.pick(activity.trades) : 'nos prestations',
    invest: rng.pick(activity.invest.length ? activity.invest : GENERIC_INVEST),
    amount: formatEuros(Math.max(2000, roundNice(Math.min(1500000, amountBase * rng.float(0.05, 0.3))))),
    skill_plain: rng.pick(SKILLS_PLAIN), skill_formal: rng.pick(SKILLS_FORMAL), when: rng.pick(WHEN), n: String(rng.int(2, 8)),
  };
}

function buildDescription(rng: Prng, activity: Activity, form: LegalForm, slots: Slots, size: Size): string {
  const parts = [fill(rng.pick(DESCRIPTION_OPENINGS), slots)];
  if (rng.chance(0.75)) parts.push(fill(rng.pick(activity.details), slots));
  const figures = figuresSentence(rng, form, size, slots.Pron as string);
  if (figures && rng.chance(0.8)) parts.push(figures);
  return tidy(parts.join(' '));
}

function needTemplates(pillar: Pillar, form: LegalForm): readonly string[] {
  if (pillar !== 'banking') return NEED_TEMPLATES[pillar];
  return BANKING_NEEDS.find((g) => g.forms.includes(form))?.templates ?? NEED_TEMPLATES.banking;
}

function buildNeedText(rng: Prng, activity: Activity, form: LegalForm, needs: Pillar[], slots: Slots): string {
  const sentences = needs.slice(0, 2).map((pillar) => {
    if (pillar === 'energy' && activity.energy.length && rng.chance(0.5)) return rng.pick(activity.energy);
    return fill(rng.pick(needTemplates(pillar, form)), slots);
  });
  return tidy(sentences.join(' '));
}

/** The structure number `index` (1-based) of a run. */
export function buildStructure(rng: Prng, index: number, ctx: StructureContext): StructureRecord {
  const form = rng.weightedPick(LEGAL_FORMS, ctx.formWeights);
  const profile = LEGAL_FORM_PROFILES[form];
  const { items, weights } = ctx.activities[form];
  const activity = rng.weightedPick(items, weights);
  const commune = ctx.sampler.draw(rng);
  const postalCode = ctx.sampler.postalCode(rng, commune);
  const name = buildName(rng, profile, activity, commune);
  const size = drawSize(rng, profile, activity.employs);
  const needs = drawNeeds(rng, activity);
  const surface = needs.includes('premises') && rng.chance(0.9)
    ? Math.max(10, roundNice(rng.int(activity.surface[0], activity.surface[1]))) : undefined;
  const slots = structureSlots(rng, profile, activity, commune, name, size, surface);
  const description = buildDescription(rng, activity, form, slots, size);
  const needText = rng.chance(0.9) ? buildNeedText(rng, activity, form, needs, slots) : undefined;
  const tags = rng.chance(0.85) ? rng.sample(activity.tags, rng.int(2, 4)) : undefined;
  return compact({
    id: `seed-s${String(index).padStart(6, '0')}`,
    name,
    legal_form: form,
    description,
    needs,
    need_text: needText,
    postal_code: postalCode,
    employees: size.employees,
    volunteers: size.volunteers,
    surface_needed_m2: surface,
    budget_eur: size.budget,
    tags,
  });
}

/**
 * What the features read: a structure or a resource reduced once, at indexing time, to plain
 * numbers, bit masks and vectors, so that scoring a pair allocates nothing.
 */
import { LEGAL_FORMS, PILLARS, type LegalForm, type Pillar, type Resource, type Scope, type Structure } from '../domain/types.ts';
import type { AnalysedField, SparseVector } from '../retrieval/documents.ts';
import { analyze } from '../text/analyze.ts';
import { dayNumber } from '../domain/day.ts';
import type { StemLookup } from '../retrieval/stems.ts';
import { namedAmounts } from '../text/amounts.ts';
import { statedPeriod, type StatedPeriod } from '../text/periods.ts';
import { localReachKm } from './reach.ts';
import type { StepFreeNeed } from './access-need.ts';
import { soughtFloorArea } from './present-premises.ts';
import type { NamedPlace } from '../geo/places.ts';

export const pillarBit = (p: Pillar): number => 1 << PILLARS.indexOf(p);
export const legalFormBit = (f: LegalForm): number => 1 << LEGAL_FORMS.indexOf(f);

export interface StructureProfile {
  kind: 'structure';
  entity: Structure;
  /** The place, copied flat: the hot loops read these on records of many shapes. */
  lat: number;
  lon: number;
  department: string;
  region: string;
  /** Pillars ticked in `needs`. */
  needsMask: number;
  /** Pillars the free texts (need_text, tags) name through a thesaurus synonym. */
  textPillarsMask: number;
  /**
   * Where the structure wants goods delivered or collected, when it asks for logistics: the places
   * its need text names (« livrer nos abonnés dans Paris »). A logistics offer serving one of them
   * serves the structure, wherever it sits (features/geography.ts).
   */
  deliveryAreas: readonly NamedPlace[];
  /** Every place its need text names (« un local à Roubaix ou Tourcoing »): where it wants premises, too. */
  namedPlaces: readonly NamedPlace[];
  /** Step-free access: required by the contract field, asked in the need text, waived, or unstated (access-need.ts). */
  stepFree: StepFreeNeed;
  legalFormMask: number;
  /** Pillar concepts its need_text evokes by a synonym, and its tags in pillars the text leaves open: the precise need. */
  needConcepts: readonly PillarConcept[];
  /** When its need starts, by when it must be met, whether it is meant to last (text/periods.ts). */
  needPeriod: StatedPeriod;
  /** Sums in euros its need_text asks for (near a financing word; see need-amount.ts). */
  needAmounts: readonly number[];
  /** Floor area sought: the contract field, else the one its need text states (present-premises.ts). */
  surfaceSought: number | undefined;
  /** Every stem of the structure's texts, to look up place names and skills. */
  stems: StemLookup;
  vector: SparseVector;
  /** Pool id of the words as written behind each term of `vector` (see retrieval/surfaces.ts). */
  surfaces: Int32Array;
  /** need_text and tags alone: the specific need. */
  needVector: SparseVector;
  /**
   * The raw (pre-idf) weights of `vector`'s and `needVector`'s terms, in the order of their ids:
   * what the vectors are weighed again from when the idf changes (Index.withCurrentIdf).
   */
  bagWeights: Float32Array;
  needBagWeights: Float32Array;
}

export interface ResourceProfile {
  kind: 'resource';
  entity: Resource;
  pillarMask: number;
  /** Scope (local when unset) and place, copied flat for the hot loops. */
  scope: Scope;
  /** Farthest a local offer can reach, for any structure (bounding boxes before distances). */
  maxReachKm: number;
  lat: number;
  lon: number;
  department: string;
  region: string;
  /** 0 = open to every legal form. */
  eligibleMask: number;
  fromDay?: number;
  untilDay?: number;
  /**
   * Pillar concepts of the thesaurus its texts evoke by a synonym: what exactly it offers. Those of
   * the title, tags and skills come first and keep that field (see HEADLINE_FIELDS).
   */
  concepts: readonly PillarConcept[];
  /** Stems of each listed skill. */
  skillStems: string[][];
  /** Distinctive stems of the commune's name (« Salon-de-Provence » → salon, provenc). */
  placeStems: string[];
  vector: SparseVector;
  /** Pool id of the words as written behind each term of `vector` (see retrieval/surfaces.ts). */
  surfaces: Int32Array;
  /** The raw (pre-idf) weights of `vector`'s terms (see StructureProfile.bagWeights). */
  bagWeights: Float32Array;
}

/** A thesaurus concept that belongs to a pillar, with the words and the field that first evoked it. */
export interface PillarConcept { id: string; label: string; pillarMask: number; surface: string; generic: boolean; field: string }

/**
 * The fields where a resource says what it is: its title, tags and listed skills. Its description
 * also mentions in passing what it is not about (« grâce à la centrale d'achat du groupe »,
 * « entretien compris »).
 */
export const HEADLINE_FIELDS: ReadonlySet<string> = new Set(['title', 'tags', 'skills']);

/** Pillar concepts evoked by synonyms in the given fields, each once (first words that evoked it). */
export function pillarConcepts(fields: readonly AnalysedField[], keep: (field: string) => boolean = () => true): PillarConcept[] {
  const found = new Map<string, PillarConcept>();
  for (const field of fields) {
    if (!keep(field.name)) continue;
    for (const hit of field.concepts) {
      const { id, label, pillar, generic } = hit.concept;
      if (!pillar || hit.related || found.has(id)) continue;
      found.set(id, { id, label, pillarMask: pillarBit(pillar), surface: hit.surface, generic, field: field.name });
    }
  }
  return [...found.values()];
}

/** A resource's pillar concepts, those of its headline fields first and marked with them. */
export function resourceConcepts(fields: readonly AnalysedField[]): PillarConcept[] {
  const headline = (f: AnalysedField) => (HEADLINE_FIELDS.has(f.name) ? 0 : 1);
  return pillarConcepts([...fields].sort((a, b) => headline(a) - headline(b)));
}

export const LOGISTICS_BIT = pillarBit('logistics');

/** Whether the structure asks for logistics: ticked in `needs`, or named in its need text. */
export const asksLogistics = (entity: Structure, traits: { textPillarsMask: number }): boolean =>
  entity.needs.includes('logistics') || (traits.textPillarsMask & LOGISTICS_BIT) !== 0;



/** What a structure's profile needs from its analysed texts, computed once so the texts can go. */
export interface StructureTraits { textPillarsMask: number; stepFree: StepFreeNeed; needConcepts: PillarConcept[]; deliveryAreas: readonly NamedPlace[]; namedPlaces: readonly NamedPlace[] }

export function structureTraits(fields: readonly AnalysedField[], stepFree: StepFreeNeed = 'unstated', needsMask = 0): StructureTraits {
  let textPillarsMask = 0;
  for (const field of fields) {
    for (const hit of field.concepts) {
      // A related term (« machines », « trésorerie ») is only close to a pillar's need: not naming it.
      // Only the need text asks: tags say the structure's trade (« réemploi »), not a pillar it wants.
      if (hit.concept.pillar && !hit.related && field.name === 'need_text') textPillarsMask |= pillarBit(hit.concept.pillar);
    }
  }
  return { textPillarsMask, stepFree, needConcepts: needConcepts(fields, needsMask), deliveryAreas: [], namedPlaces: [] };
}

/**
 * The precise need: concepts the need_text evokes (field `need_text`). The tags (field `tags`) stand
 * for it only when the structure writes no need text, and then only in pillars it ticks (a tag never
 * asks for a pillar that is not ticked: « réemploi » says a joinery's trade, not that it wants bikes).
 * Tags describe the structure's trade (« blanchisserie », « réemploi », « recyclage »): a need text
 * that the vocabulary does not read (« notre hangar est glacial, par où commencer ? ») still says
 * what is asked, and the trade tag must not stand in for it (it made a recyclerie that asks about
 * its cold building « ask » for reuse offers, and every other offer of the pillar « miss » the need).
 */
export function needConcepts(fields: readonly AnalysedField[], needsMask = ALL_PILLARS): PillarConcept[] {
  if (fields.some((f) => f.name === 'need_text' && f.terms.length > 0)) return pillarConcepts(fields, (name) => name === 'need_text');
  return pillarConcepts(fields, (name) => name === 'tags').filter((c) => (c.pillarMask & needsMask) !== 0);
}

const ALL_PILLARS = (1 << PILLARS.length) - 1;

/** A profile's vectors, with the raw weights they were weighed from. */
interface StructureVectors {
  vector: SparseVector; needVector: SparseVector; stems: StemLookup; surfaces: Int32Array; bagWeights: Float32Array; needBagWeights: Float32Array;
}

export function structureProfile(entity: Structure, traits: StructureTraits, vectors: StructureVectors): StructureProfile {
  return {
    kind: 'structure', entity, ...traits, ...vectors,
    lat: entity.place.lat, lon: entity.place.lon, department: entity.place.department, region: entity.place.region,
    needsMask: entity.needs.reduce((m, p) => m | pillarBit(p), 0),
    needAmounts: namedAmounts(entity.need_text),
    surfaceSought: entity.surface_needed_m2 ?? soughtFloorArea(entity.need_text),
    needPeriod: statedPeriod(entity.need_text),
    legalFormMask: legalFormBit(entity.legal_form),
  };
}

const GENERIC_PLACE_WORDS = new Set(['saint', 'sainte', 'sur', 'sous', 'les', 'lès', 'mer', 'bain', 'ville', 'grand', 'petit', 'mont', 'val', 'pont', 'port', 'arrondissement']);

export function resourceProfile(
  entity: Resource, text: { vector: SparseVector; surfaces: Int32Array; bagWeights: Float32Array }, concepts: PillarConcept[] = [],
): ResourceProfile {
  const placeStems = analyze(entity.place.commune)
    .filter((t) => t.surface.length >= 4 && !GENERIC_PLACE_WORDS.has(t.surface.toLowerCase()))
    .map((t) => t.stem);
  return {
    kind: 'resource', entity, ...text, placeStems, concepts, scope: entity.scope ?? 'local',
    maxReachKm: localReachKm(entity.radius_km, true),
    lat: entity.place.lat, lon: entity.place.lon, department: entity.place.department, region: entity.place.region,
    pillarMask: pillarBit(entity.pillar),
    eligibleMask: (entity.eligible_legal_forms ?? []).reduce((m, f) => m | legalFormBit(f), 0),
    fromDay: entity.available_from ? dayNumber(entity.available_from) : undefined,
    untilDay: entity.available_until ? dayNumber(entity.available_until) : undefined,
    skillStems: (entity.skills ?? []).map((s) => analyze(s).map((t) => t.stem)).filter((s) => s.length > 0),
  };
}

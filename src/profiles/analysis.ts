/**
 * Indexing of one record: its text fields (weighted separately), their analysis, the term bag
 * over the shared vocabulary, and — once idf is known — its vectors and profile.
 */
import type { Resource, Structure } from '../domain/types.ts';
import {
  asksLogistics, pillarBit, resourceConcepts, resourceProfile, structureProfile, structureTraits,
  type PillarConcept, type ResourceProfile, type StructureProfile, type StructureTraits,
} from './profiles.ts';
import { analyseFields, bagOf, vectorOf, type TermBag, type TextField } from '../retrieval/documents.ts';
import { stemLookup, type StemLookup } from '../retrieval/stems.ts';
import { stepFreeNeed } from './access-need.ts';
import { withoutPresentPremises } from './present-premises.ts';
import { withoutDeclined } from './declined-need.ts';
import type { Gazetteer } from '../geo/places.ts';
import type { SurfaceIds } from '../retrieval/surfaces.ts';
import type { TermIds } from '../retrieval/vocabulary.ts';
import type { Thesaurus } from '../text/thesaurus.ts';

/** Field weights: what each part of a record counts for in text similarity. */
export const FIELD_WEIGHTS = {
  structure: { name: 1.0, description: 0.7, need_text: 1.6, tags: 1.0 },
  resource: { title: 1.6, description: 1.0, skills: 1.3, tags: 1.3 },
  /** Thesaurus concepts, relative to the words of the same field. */
  concepts: 1.0,
} as const;

const list = (values: string[] | undefined) => (values ?? []).join(' ; ');

export function structureFields(s: Structure): TextField[] {
  const w = FIELD_WEIGHTS.structure;
  return [
    { name: 'name', text: s.name, weight: w.name },
    { name: 'description', text: s.description, weight: w.description },
    { name: 'need_text', text: s.need_text, weight: w.need_text },
    { name: 'tags', text: list(s.tags), weight: w.tags },
  ];
}

export function resourceFields(r: Resource): TextField[] {
  const w = FIELD_WEIGHTS.resource;
  return [
    { name: 'title', text: r.title, weight: w.title },
    { name: 'description', text: r.description, weight: w.description },
    { name: 'skills', text: list(r.skills), weight: w.skills },
    { name: 'tags', text: list(r.tags), weight: w.tags },
  ];
}

/**
 * A record between the two passes: its term bags and what its profile needs from the analysed
 * texts, but not the analysed texts themselves (a national build holds 250,000 of these at once).
 */
export interface PendingStructure { entity: Structure; traits: StructureTraits; bag: TermBag; needBag: TermBag; surfaces: Int32Array }
export interface PendingResource { entity: Resource; concepts: PillarConcept[]; bag: TermBag; surfaces: Int32Array }

export interface Analyser {
  vocabulary: TermIds;
  thesaurus: Thesaurus;
  surfaces: SurfaceIds;
  /** Place names in need texts (delivery areas); none are read without it. */
  places?: Gazetteer;
}

/** First pass: analysis and term bag (interns terms; idf not needed yet). */
export function analyseStructure(a: Analyser, entity: Structure): PendingStructure {
  const fields = analyseFields(structureFields(entity), a.thesaurus);
  const { surfaces, ...bag } = bagOf(fields, a.vocabulary, FIELD_WEIGHTS.concepts);
  // What it asks: its need text; its tags only when it has none (they say its trade, not its need).
  const asked = fields.some((f) => f.name === 'need_text' && f.terms.length > 0) ? 'need_text' : 'tags';
  const { ids, weights } = bagOf(fields.filter((f) => f.name === asked), a.vocabulary, FIELD_WEIGHTS.concepts);
  // What it asks, not what it has: premises words of clauses about its present premises are set aside.
  // Nor what it declines (« pas besoin de local », « un camion, nous en avons déjà un »).
  const asking = fields.map((f) => (f.name === 'need_text' ? withoutDeclined(withoutPresentPremises(f, entity.need_text, a.thesaurus), entity.need_text, a.thesaurus) : f));
  const traits = structureTraits(asking, stepFreeNeed(entity, a.thesaurus), entity.needs.reduce((m, p) => m | pillarBit(p), 0));
  traits.namedPlaces = a.places ? a.places.find(entity.need_text, entity.place) : [];
  traits.deliveryAreas = asksLogistics(entity, traits) ? traits.namedPlaces : [];
  return { entity, traits, bag, needBag: { ids, weights }, surfaces: a.surfaces.internAll(surfaces) };
}

export function analyseResource(a: Analyser, entity: Resource): PendingResource {
  const fields = analyseFields(resourceFields(entity), a.thesaurus);
  const { surfaces, ...bag } = bagOf(fields, a.vocabulary, FIELD_WEIGHTS.concepts);
  return { entity, concepts: resourceConcepts(fields), bag, surfaces: a.surfaces.internAll(surfaces) };
}

/** Second pass: vectors with the vocabulary's current idf, and the profile the features read. */
export function finishStructure(a: Analyser, p: PendingStructure): StructureProfile {
  return structureProfile(p.entity, p.traits, {
    vector: vectorOf(p.bag, a.vocabulary),
    needVector: vectorOf(p.needBag, a.vocabulary),
    stems: stemLookup(a.vocabulary, p.bag.ids),
    surfaces: p.surfaces,
    bagWeights: p.bag.weights,
    needBagWeights: p.needBag.weights,
  });
}

export function finishResource(a: Analyser, p: PendingResource): ResourceProfile {
  return resourceProfile(p.entity, { vector: vectorOf(p.bag, a.vocabulary), surfaces: p.surfaces, bagWeights: p.bag.weights }, p.concepts);
}

/**
 * What a stored profile does not keep, because it is not data but a view over the vocabulary:
 * rebuilt when a snapshot is loaded (see engine/snapshot.ts). Every other field of a profile is
 * stored as it is, whatever it is: a new trait needs nothing here.
 */
export const DERIVED_FIELDS = {
  structure: { stems: (a: Analyser, p: StructureProfile): StemLookup => stemLookup(a.vocabulary, p.vector.ids) },
  resource: {},
} satisfies Record<'structure' | 'resource', Record<string, (a: Analyser, p: never) => unknown>>;

/**
 * Generated data for the tests that compare a search with its reference on many queries: the seed
 * generator's records placed by the real geography, indexed with the committed thesaurus, and a
 * model of weights no hand would pick.
 */
import type { Resource, Structure } from '../../src/domain/types.ts';
import { Index } from '../../src/engine/index.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { parseModel } from '../../src/ranking/model.ts';
import { generateResources, generateStructures } from '../../seed/generator.ts';

/** Weights no hand would pick: negative text, heavy geography, a bias. */
export const odd = parseModel({
  version: 'odd', kind: 'linear', bias: -0.5,
  weights: { text: -1, need_text: 4, need_concept: 0.3, pillar: 3, geography: 2.5, eligibility: -0.2, availability: 1, capacity: -0.4, accessibility: 0.1, skills: 1.5, amount: 0.2, need_amount: -0.5, need_period: 2 },
});

type Sizes = { structures: number; resources: number; seed?: number };

/** `structures` and `resources` generated records (generator seed `seed`, its default when absent), placed. */
export function generatedRecords(sizes: Sizes): { structures: Structure[]; resources: Resource[] } {
  const geography = loadGeography();
  const place = (pc: string) => geography.resolvePostalCode(pc)!.place;
  const options = { ...sizes, communes: geography.communes() };
  return {
    structures: [...generateStructures(options)].map((s) => ({ ...s, place: place(s.postal_code) })),
    resources: [...generateResources(options)].map((r) => ({ ...r, place: place(r.postal_code) })),
  };
}

/** The index of generatedRecords(sizes). */
export function generatedIndex(sizes: Sizes): Index {
  return Index.build(loadMatchingFiles().thesaurus, generatedRecords(sizes));
}

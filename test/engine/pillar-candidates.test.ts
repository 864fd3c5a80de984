/**
 * Candidates are found by words, but an offer of the pillar a structure asks for may share no
 * word with it: a national overdraft offer and a caterer whose clients pay late. In a catalogue
 * small enough to read through, such offers are scored all the same (candidates.ts), in both
 * directions. Invented records, the vocabulary and the default model.
 */
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/day.ts';
import { matchResource, matchStructure } from '../../src/engine/engine.ts';
import { Index } from '../../src/engine/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { PLACES, resource, structure } from './fixtures.ts';

const { thesaurus, model } = loadMatchingFiles();
const national = { scope: 'national' as const, postal_code: '75015', place: PLACES.paris15 };

const caterer = structure({
  id: 's-traiteur', name: 'Les Marmites du Blosne', legal_form: 'scic', needs: ['banking'],
  description: 'Traiteur d’insertion : repas pour les cantines et les fêtes de quartier.',
  need_text: 'Les mairies nous règlent avec trois mois de décalage et nous avançons tout, courses comme paies.',
  tags: ['cuisine', 'insertion'],
});
// No word in common, thesaurus concepts included: only the pillar links the two.
const overdraft = resource({
  id: 'r-decouvert', pillar: 'banking', ...national, title: 'Découvert autorisé sur compte professionnel',
  description: 'Autorisation renouvelée chaque année pour passer les creux de caisse.',
});
const kitchen = resource({
  id: 'r-cuisine', pillar: 'premises', title: 'Cuisine du restaurant d’entreprise du centre de tri',
  description: 'Une cuisine équipée pour des repas de cantine, libre les après-midis.', surface_m2: 80,
});
const request = { limit: 10, asOf: '2026-12-01', asOfDay: dayNumber('2026-12-01'), model, explain: false, includeExcluded: false };
const ids = (list: { results: { id: string }[] }) => list.results.map((x) => x.id);

describe('offers of the asked pillar that share no word with the need', () => {
  const index = Index.build(thesaurus, { structures: [caterer], resources: [overdraft, kitchen] });

  it('lists a national offer of the pillar the structure ticks though no word is shared', () => {
    expect(ids(matchStructure(index, 's-traiteur', request))).toContain('r-decouvert');
  });

  it('lists the structure for that offer, the other way round', () => {
    expect(ids(matchResource(index, 'r-decouvert', request))).toEqual(['s-traiteur']);
  });

  it('puts the offer of the asked pillar above a nearby kitchen of a pillar nobody asked for', () => {
    expect(ids(matchStructure(index, 's-traiteur', request))[0]).toBe('r-decouvert');
  });
});

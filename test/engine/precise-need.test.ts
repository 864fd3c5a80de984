/**
 * The precise need is what the structure asks (needs, need_text); its description and tags only
 * say who asks. Invented records, the field vocabulary and the default model.
 */
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/day.ts';
import { matchResource, matchStructure } from '../../src/engine/engine.ts';
import { Index } from '../../src/engine/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { PLACES, resource, structure } from './fixtures.ts';

const { thesaurus, model } = loadMatchingFiles();
const national = { scope: 'national' as const, postal_code: '75015', place: PLACES.paris15 };

const joinery = structure({
  id: 's-menuiserie', name: 'Scop Copeaux Solidaires', legal_form: 'scop',
  description: 'Menuiserie coopérative qui fabrique du mobilier à partir de bois de réemploi et de palettes récupérées : économie circulaire, réemploi et recyclage des matériaux.',
  tags: ['réemploi', 'menuiserie', 'économie circulaire'], needs: ['banking'],
  need_text: 'Nos machines (scie à panneaux, raboteuse) sont usées : nous cherchons un prêt d’environ 40 000 € pour les remplacer.',
});
const bikes = resource({
  id: 'r-vae', pillar: 'energy', ...national, title: 'Cession de vélos à assistance électrique reconditionnés',
  description: 'Les vélos électriques réformés des facteurs sont reconditionnés et cédés aux structures de l’ESS : réemploi, recyclage des matériaux et économie circulaire.',
});
const loan = resource({
  id: 'r-pret', pillar: 'banking', ...national, title: 'Prêt d’équipement pour les entreprises de l’ESS',
  description: 'Financement des investissements matériels : machines, outillage, véhicules.', amount_min_eur: 10000, amount_max_eur: 300000,
});
const request = { limit: 10, asOf: '2026-12-01', asOfDay: dayNumber('2026-12-01'), model, explain: false, includeExcluded: false };
const ids = (list: { results: { id: string }[] }) => list.results.map((x) => x.id);

describe('the need that is asked', () => {
  it('puts the loan the need text asks for above an e-bike offer that shares the joinery’s trade words', () => {
    const index = Index.build(thesaurus, { structures: [joinery], resources: [bikes, loan] });
    expect(ids(matchStructure(index, 's-menuiserie', request))).toEqual(['r-pret', 'r-vae']);
  });

  it('does not read a pillar that is neither ticked nor asked from the tags', () => {
    const index = Index.build(thesaurus, { structures: [joinery], resources: [bikes, loan] });
    const e = matchStructure(index, 's-menuiserie', request).results.find((x) => x.id === 'r-vae')!;
    expect(e.features.pillar).toBe(0);
    expect(e.features.need_concept).toBe(0.5);
    expect(e.features.need_text).toBe(0);
  });

  it('still ranks an offer of another pillar first when nothing asked fits', () => {
    const index = Index.build(thesaurus, { structures: [joinery], resources: [bikes] });
    expect(ids(matchStructure(index, 's-menuiserie', request))).toEqual(['r-vae']);
  });

  it('ranks, for the loan, the structure that asks for a loan above one that only shares its words', () => {
    const talker = structure({
      id: 's-bavard', name: 'Les Machines Partagées', legal_form: 'association', needs: ['premises'],
      description: 'Atelier partagé : machines, outillage et financement participatif des investissements des artisans.',
      need_text: 'Un local de 120 m² pour installer nos établis.',
    });
    const index = Index.build(thesaurus, { structures: [joinery, talker], resources: [loan] });
    expect(ids(matchResource(index, 'r-pret', request))[0]).toBe('s-menuiserie');
  });
});

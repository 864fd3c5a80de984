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

  it('reads a trade tag as the need only when the structure writes no need text', () => {
    const base = {
      name: 'Ressourcerie des Trois Vallées', legal_form: 'siae' as const, needs: ['energy' as const],
      description: 'Collecte, tri et revente d’objets, ateliers de réparation.', tags: ['réemploi', 'collecte'],
    };
    const writes = structure({ ...base, id: 's-ecrit', need_text: 'Nos murs ne gardent pas la chaleur et nous ne savons pas par où commencer.' });
    const silent = structure({ ...base, id: 's-muet' });
    const reuse = resource({
      id: 'r-reemploi', pillar: 'energy', ...national, title: 'Réemploi du mobilier de bureau réformé',
      description: 'Bureaux et armoires cédés aux ateliers et aux ressourceries.',
    });
    const audit = resource({
      id: 'r-audit', pillar: 'energy', ...national, title: 'Audit thermique des bâtiments associatifs',
      description: 'Visite d’un thermicien et plan de travaux chiffré pour les ateliers et les ressourceries.',
    });
    const index = Index.build(thesaurus, { structures: [writes, silent], resources: [reuse, audit] });
    const concept = (s: string, r: string) => matchStructure(index, s, request).results.find((x) => x.id === r)!.features.need_concept;
    // the text asks something the vocabulary does not name: the trade tag « réemploi » does not stand in for it
    expect(concept('s-ecrit', 'r-reemploi')).toBe(0.5);
    expect(concept('s-ecrit', 'r-audit')).toBe(0.5);
    // no text at all: the tags are all the structure says
    expect(concept('s-muet', 'r-reemploi')).toBe(1);
    expect(concept('s-muet', 'r-audit')).toBe(0);
  });
});

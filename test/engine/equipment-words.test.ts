/**
 * A boiler, heating or a fuel oil generator named alone is a thing a structure works with, not the
 * energy renovation of its building: a heating engineers' cooperative that asks for a van, a heat
 * network that needs a second boiler. Only phrases about the building (« changer la chaudière »,
 * « chauffage au fioul », « isolation des locaux ») ask for renovation. Invented records, the
 * vocabulary (models/thesaurus.json) and the default model.
 */
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/day.ts';
import { matchStructure } from '../../src/engine/engine.ts';
import { Index } from '../../src/engine/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { PLACES, resource, structure } from './fixtures.ts';

const { thesaurus, model } = loadMatchingFiles();
const national = { scope: 'national' as const, postal_code: '75015', place: PLACES.paris15 };

const renovationLoan = resource({
  id: 'r-renovation', pillar: 'banking', ...national, title: 'Prêt pour la rénovation énergétique des bâtiments associatifs',
  description: 'Isolation, remplacement du système de chauffage et ventilation des locaux occupés par des structures de l’ESS.',
});
const vanLoan = resource({
  id: 'r-utilitaire', pillar: 'banking', ...national, title: 'Crédit pour les véhicules utilitaires des entreprises de l’ESS',
  description: 'Achat ou remplacement de camionnettes et de fourgons de chantier.',
});
const request = { limit: 10, asOf: '2026-12-01', asOfDay: dayNumber('2026-12-01'), model, explain: false, includeExcluded: false };
const ranked = (s: ReturnType<typeof structure>) =>
  matchStructure(Index.build(thesaurus, { structures: [s], resources: [renovationLoan, vanLoan] }), s.id, request).results;

const hall = structure({
  id: 's-salle', name: 'Foyer rural', needs: ['banking'],
  description: 'Foyer rural qui gère la salle des fêtes du village.',
  need_text: 'Il faut changer la chaudière de la salle, qui a quarante ans.',
});
const needConcept = (s: ReturnType<typeof structure>) => ranked(s).find((x) => x.id === 'r-renovation')!.features.need_concept;

describe('equipment named alone is not a building to renovate', () => {
  it('reads no renovation need in the boilers heating engineers repair, and still reads it in « changer la chaudière » of a hall', () => {
    const fitters = structure({
      id: 's-chauffagistes', name: 'Scop Chaud Devant', legal_form: 'scop', needs: ['banking'],
      description: 'Coopérative d’artisans du Pays de Rennes.',
      need_text: 'Nos techniciens dépannent chaudières et chauffage chez les particuliers tout l’hiver ; il nous faut un fourgon de plus.',
    });
    expect(needConcept(fitters)).toBe(0.5);
    expect(needConcept(hall)).toBe(0.8);
    expect(ranked(hall).map((x) => x.id)[0]).toBe('r-renovation');
  });

  it('reads no renovation need in a fuel oil generator', () => {
    const stage = structure({
      id: 's-scene', name: 'Scène Mobile', needs: ['banking'],
      description: 'Compagnie de théâtre itinérante.',
      need_text: 'Notre groupe électrogène au fioul fait un bruit d’enfer pendant les spectacles : il faut le remplacer.',
    });
    expect(needConcept(stage)).toBe(0.5);
  });
});

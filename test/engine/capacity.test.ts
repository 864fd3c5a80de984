/**
 * The surface sought weighs against a far too small offer whose words are closer to the need
 * (the judging rubric grades a third of the surface « 2 » at best, far too small « 0 or 1 »).
 * Invented records, the field vocabulary and the default model.
 */
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/day.ts';
import { matchStructure } from '../../src/engine/engine.ts';
import { Index } from '../../src/engine/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { resource, structure } from './fixtures.ts';

const { thesaurus, model } = loadMatchingFiles();
const request = { limit: 5, asOf: '2026-12-01', asOfDay: dayNumber('2026-12-01'), model, explain: false, includeExcluded: false };

describe('the surface sought', () => {
  const shelter = structure({
    id: 's-accueil', name: 'Accueil de jour du Vieux Port', needs: ['premises'], surface_needed_m2: 150,
    description: 'Accueil de jour : petits-déjeuners, douches, bagagerie.',
    need_text: 'Notre accueil de jour déborde : il nous faut environ 150 m² en centre-ville, avec de quoi installer des douches.',
  });
  const small = resource({
    id: 'r-petit', title: 'Petit local en centre-ville', surface_m2: 50, accessible_pmr: true,
    description: 'Local de plain-pied avec un point d’eau, pour une permanence ou un accueil de jour.',
  });
  const right = resource({
    id: 'r-plateau', title: 'Plateau de l’ancien bureau de poste du centre', surface_m2: 160, accessible_pmr: true,
    description: 'Plateau de 160 m² avec sanitaires, pour un accueil de jour ou des bureaux.',
  });

  it('puts the offer of the surface sought above one three times too small whose words are closer to the need', () => {
    const index = Index.build(thesaurus, { structures: [shelter], resources: [small, right] });
    expect(matchStructure(index, 's-accueil', request).results.map((r) => r.id)).toEqual(['r-plateau', 'r-petit']);
  });
});

/**
 * The floor area sought, read from the need text when the contract field is absent. Phrasings
 * invented for these tests.
 */
import { describe, expect, it } from 'vitest';
import { soughtFloorArea } from '../../src/profiles/present-premises.ts';
import { floorAreas } from '../../src/text/floor-area.ts';
import { engineOf, resource, structure } from './fixtures.ts';

describe('floor areas in a French text', () => {
  it.each([
    ['un local de 80 m² en rez-de-chaussée', [80]],
    ['il nous faut 300 à 400 m² avec un quai', [350]],
    ['entre 250 et 400 mètres carrés', [325]],
    ['un bâtiment de 1 200 m2', [1200]],
    ['une soixantaine de m² nous suffirait', [60]],
    ['compter 1,5 m² par enfant', []],
  ])('reads « %s » as %j', (text, areas) => {
    expect(floorAreas(text)).toEqual(areas);
  });
});

describe('the surface a need text asks for', () => {
  it('takes the area of the search, not that of the premises the structure has', () => {
    expect(soughtFloorArea('Notre local actuel fait 40 m². Il nous faut au moins 120 m² pour les ateliers.')).toBe(120);
    expect(soughtFloorArea('Notre salle de 40 m² déborde ; nous cherchons environ 120 m².')).toBe(120);
    expect(soughtFloorArea('Une quarantaine de m² en ville, les après-midis seulement.')).toBe(40);
    expect(soughtFloorArea('Nous cherchons un local en ville.')).toBeUndefined();
  });

  it('lets the capacity feature weigh a surface given only in the need text, the contract field first', () => {
    const offer = resource({ id: 'r', surface_m2: 35 });
    const capacity = (over: Parameters<typeof structure>[0]) =>
      engineOf([structure(over)], [offer]).matchStructure(over.id, { includeExcluded: true, asOf: '2026-12-01' }).results[0].features.capacity;
    expect(capacity({ id: 's1', need_text: 'Une trentaine de m² au sec pour nos cartons nous suffirait.' })).toBe(1);
    expect(capacity({ id: 's2', need_text: 'Il nous faut environ 150 m² pour nos ateliers.' })).toBeLessThan(0.5);
    expect(capacity({ id: 's3', need_text: 'Il nous faut environ 150 m² pour nos ateliers.', surface_needed_m2: 40 })).toBe(1);
    expect(capacity({ id: 's4', need_text: 'Un local pour nos ateliers.' })).toBe(0.7);
  });
});

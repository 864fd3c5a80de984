/**
 * What a structure has is not what it asks for: the premises words of a clause about its present
 * premises do not make the precise need. Phrasings invented for these tests, read with the field
 * vocabulary of models/thesaurus.json and the default model.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THESAURUS } from '../../scripts/check-thesaurus.ts';
import { dayNumber } from '../../src/domain/day.ts';
import { matchStructure } from '../../src/engine/engine.ts';
import { Index } from '../../src/engine/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { describesPresent, withoutPresentPremises } from '../../src/profiles/present-premises.ts';
import { analyseFields } from '../../src/retrieval/documents.ts';
import { fold } from '../../src/text/normalize.ts';
import { loadThesaurus } from '../../src/text/thesaurus.ts';
import { PLACES, resource, structure } from './fixtures.ts';

const thesaurus = loadThesaurus(DEFAULT_THESAURUS);
const words = (clause: string) => fold(clause).split(/[^a-z0-9]+/).filter(Boolean);
const asked = (text: string) => {
  const [field] = analyseFields([{ name: 'need_text', text, weight: 1 }], thesaurus);
  return new Set(withoutPresentPremises(field, text, thesaurus).concepts.map((h) => h.concept.id));
};

describe('the premises a structure has now', () => {
  it('tells a clause about the present premises from one about the premises sought', () => {
    expect(describesPresent(words('nous occupons aujourd’hui un petit local rue des Tanneurs'))).toBe(true);
    expect(describesPresent(words('le stock dort dans deux garages loués'))).toBe(true);
    expect(describesPresent(words('notre local actuel est trop petit, nous cherchons plus grand'))).toBe(false);
    expect(describesPresent(words('il nous faut un entrepôt de 300 m²'))).toBe(false);
    // « fauteuil » and « faute » are not « il faut »
    expect(describesPresent(words('les personnes en fauteuil resteront accueillies dans le local actuel'))).toBe(true);
  });

  it('sets aside the premises words of the present, and keeps those of the search', () => {
    const ids = asked('Le stock dort dans deux garages loués. Il nous faut une salle de réunion en ville.');
    expect(ids.has('premises.workshop_warehouse')).toBe(false);
    expect(ids.has('premises.room')).toBe(true);
  });

  it('keeps the present building when it is what the need is about (an energy need)', () => {
    expect(asked('Le bâtiment que nous occupons aujourd’hui est une passoire thermique.').has('energy.renovation')).toBe(true);
  });

  it('does not give full marks to a garage for rent because the structure says it keeps its tools in garages today', () => {
    const { thesaurus: t, model } = loadMatchingFiles();
    const s = structure({
      id: 's-chantier', name: 'Chantier Bâtir Ensemble', legal_form: 'siae', needs: ['premises'],
      description: 'Chantier d’insertion de rénovation.',
      need_text: 'Nos outils dorment dans deux garages loués. Il nous faut une salle de formation pour nos salariés.',
    });
    const garage = resource({ id: 'r-garage', pillar: 'premises', title: 'Garage fermé à louer près de la gare', description: 'Garage de 40 m².', postal_code: '75015', place: PLACES.paris15 });
    const index = Index.build(t, { structures: [s], resources: [garage] });
    const request = { limit: 5, asOf: '2026-12-01', asOfDay: dayNumber('2026-12-01'), model, explain: false, includeExcluded: true };
    expect(matchStructure(index, 's-chantier', request).results[0].features.need_concept).toBeLessThan(1);
  });
});

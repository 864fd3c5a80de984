/**
 * What a need text declines is not asked: « pas besoin de local », « pas question d'emprunter »,
 * « nous avons déjà un camion ». A lack is still a need (« nous ne trouvons pas de local »).
 * Phrasings invented for these tests, read with the field vocabulary of models/thesaurus.json and
 * the default model.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THESAURUS } from '../../scripts/check-thesaurus.ts';
import { dayNumber } from '../../src/domain/day.ts';
import { matchStructure } from '../../src/engine/engine.ts';
import { Index } from '../../src/engine/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { declines, withoutDeclined } from '../../src/profiles/declined-need.ts';
import { analyseFields } from '../../src/retrieval/documents.ts';
import { fold } from '../../src/text/normalize.ts';
import { loadThesaurus } from '../../src/text/thesaurus.ts';
import { PLACES, resource, structure } from './fixtures.ts';

const thesaurus = loadThesaurus(DEFAULT_THESAURUS);
const words = (part: string) => fold(part).split(/[^a-z0-9]+/).filter(Boolean);
const pillarsAsked = (text: string) => {
  const [field] = analyseFields([{ name: 'need_text', text, weight: 1 }], thesaurus);
  return new Set(withoutDeclined(field, text, thesaurus).concepts.flatMap((h) => (h.concept.pillar ? [h.concept.pillar] : [])));
};

describe('what a need text declines', () => {
  it('tells a declined need from a lack, which is a need', () => {
    expect(declines(words('nous n’avons plus besoin de local'))).toBe(true);
    expect(declines(words('pas question de nous endetter'))).toBe(true);
    expect(declines(words('nous ne cherchons pas de bureaux'))).toBe(true);
    expect(declines(words('nous ne cherchons plus de bureaux'))).toBe(true);
    expect(declines(words('inutile de nous proposer une salle'))).toBe(true);
    expect(declines(words('un utilitaire, nous en avons déjà un'))).toBe(true);
    expect(declines(words('nous ne trouvons pas de local'))).toBe(false);
    expect(declines(words('aucune banque ne veut nous prêter'))).toBe(false);
    expect(declines(words('nous cherchons plus grand'))).toBe(false);
    expect(declines(words('nous avons déjà un local mais il nous en faut un second'))).toBe(false);
    expect(declines(words('un lieu déjà connu des habitants plutôt qu’un local à nous'))).toBe(false);
  });

  it('keeps out of the precise need the pillar a part declines, and keeps the one asked beside it', () => {
    const asked = pillarsAsked('Nous n’avons pas besoin de local, la mairie nous loge ; il nous faudrait un emprunt pour acheter un four.');
    expect(asked.has('premises')).toBe(false);
    expect(asked.has('banking')).toBe(true);
  });

  it('neither names nor asks the pillar of premises the need text turns down, and ranks the loan it asks for first', () => {
    const national = { scope: 'national' as const, postal_code: '75015', place: PLACES.paris15 };
    const bakery = structure({
      id: 's-fournil', name: 'Le Fournil Partagé', needs: ['banking'],
      description: 'Boulangerie d’insertion du quartier de Maurepas.',
      need_text: 'Pas besoin de local commercial, la ville nous en prête un ; il nous manque un emprunt pour le four à pain.',
    });
    const shop = resource({ id: 'r-local', title: 'Local commercial vacant', description: 'Ancien bureau de poste en rez-de-chaussée, quartier de Maurepas.', surface_m2: 90 });
    const loan = resource({
      id: 'r-pret', pillar: 'banking', ...national, title: 'Emprunt pour les équipements des structures de l’ESS',
      description: 'Crédit amortissable pour l’achat d’équipements professionnels.',
    });
    const index = Index.build(thesaurus, { structures: [bakery], resources: [shop, loan] });
    const { model } = loadMatchingFiles();
    const list = matchStructure(index, 's-fournil', { limit: 10, asOf: '2026-12-01', asOfDay: dayNumber('2026-12-01'), model, explain: false, includeExcluded: false });
    const local = list.results.find((x) => x.id === 'r-local')!;
    expect([local.features.pillar, local.features.need_concept]).toEqual([0, 0.5]);
    expect(list.results.map((x) => x.id)[0]).toBe('r-pret');
  });
});

import { describe, expect, it } from 'vitest';
import { analyze } from '../src/text/analyze.ts';
import { fold } from '../src/text/normalize.ts';
import { FIELD_STOPWORDS, FRENCH_STOPWORDS } from '../src/text/stopwords.ts';
import { tokenize } from '../src/text/tokenize.ts';

const words = (text: string) => tokenize(text).filter((t) => t.type === 'word').map((t) => t.surface);
const stems = (text: string) => analyze(text).map((t) => t.stem);

describe('French text analysis', () => {
  it('removes elided articles written with a straight or a typographic apostrophe', () => {
    expect(words("l'économie d'un quartier qu'il aime")).toEqual(['économie', 'un', 'quartier', 'il', 'aime']);
    expect(words('l’économie d’un quartier qu’il aime, j’ai n’est s’engage')).toEqual(
      ['économie', 'un', 'quartier', 'il', 'aime', 'ai', 'est', 'engage']);
  });

  it('keeps the original spelling for display and folds case and accents for matching', () => {
    const [token] = tokenize('Économie');
    expect(token.surface).toBe('Économie');
    expect(token.folded).toBe('economie');
    expect(stems('Bénévoles')).toEqual(stems('benevoles'));
    expect(fold('Œuvre')).toBe('oeuvre');
  });

  it('normalises decomposed Unicode before anything else', () => {
    expect(stems('e\u0301conomie')).toEqual(stems('économie'));
  });

  it('splits hyphenated compounds into their words', () => {
    expect(words('un vélo-cargo à Salon-de-Provence')).toEqual(['un', 'vélo', 'cargo', 'à', 'Salon', 'de', 'Provence']);
  });

  it('reads a number with its unit as one quantity, whatever the spelling of the unit', () => {
    const quantities = tokenize('un local de 300 m² ou 300 m2, à 12 km, pour 5 000 €').filter((t) => t.type === 'quantity');
    expect(quantities.map((q) => q.folded)).toEqual(['300m2', '300m2', '12km', '5000eur']);
    expect(quantities[0].surface).toBe('300 m²');
  });

  it('leaves quantities out of the terms used for text similarity', () => {
    expect(stems('300 m² de bureaux')).toEqual(stems('bureaux'));
  });

  it('drops the 168 common French stopwords but keeps meaningful words such as « personnes »', () => {
    expect(FRENCH_STOPWORDS.size).toBeGreaterThan(150);
    expect(FRENCH_STOPWORDS.size).toBeLessThan(168 + FIELD_STOPWORDS.length + 1);
    expect(analyze('les personnes âgées et leurs familles').map((t) => t.surface)).toEqual(['personnes', 'âgées', 'familles']);
    for (const kept of ['personnes', 'emploi', 'local', 'jours', 'zero', 'service']) expect(FRENCH_STOPWORDS.has(kept)).toBe(false);
  });

  it('drops numbers written out and fillers, which no match should rest on', () => {
    expect(analyze('deux salariés viennent aussi trois fois').map((t) => t.surface)).toEqual(['salariés', 'viennent', 'fois']);
  });

  it('stems French inflections to the same term', () => {
    expect(stems('facteurs')).toEqual(stems('facteur'));
    expect(stems('subventions')).toEqual(stems('subvention'));
    expect(stems('tournées')).toEqual(stems('tournee'));
  });

  it('numbers content terms in order for phrase matching', () => {
    expect(analyze('tournées des facteurs').map((t) => t.position)).toEqual([0, 1]);
  });

  it('returns no terms for an empty or missing text', () => {
    expect(analyze('')).toEqual([]);
    expect(analyze(undefined)).toEqual([]);
  });
});

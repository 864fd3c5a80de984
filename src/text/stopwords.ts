/**
 * French stopwords: natural's 168-word list (not the 691-word one, which drops meaningful words
 * such as « personnes »), folded like the tokens so that « été » and « ete » both go; plus a short
 * list of words that carry no topic in this field: numbers written out and fillers. Articles and
 * verbs stay: thesaurus phrases such as « cherchons un local » need them.
 */
import { createRequire } from 'node:module';
import { fold } from './normalize.ts';

const require = createRequire(import.meta.url);
const { words } = require('natural/lib/natural/util/stopwords_fr.js') as { words: string[] };

/** Words without topic in Passerelles texts (kept short on purpose: every entry is a word nobody matches on). */
export const FIELD_STOPWORDS = [
  // numbers written out
  'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze',
  'quinze', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante', 'cent', 'cents', 'mille', 'demi', 'moitie',
  // fillers
  'aussi', 'tres', 'autre', 'autres', 'possible', 'grace', 'ainsi', 'encore', 'environ', 'dont', 'via', 'selon',
].map(fold);

export const FRENCH_STOPWORDS: ReadonlySet<string> = new Set([...words.map(fold), ...FIELD_STOPWORDS]);

export const isStopword = (folded: string): boolean => FRENCH_STOPWORDS.has(folded);

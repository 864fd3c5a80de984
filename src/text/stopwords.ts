/**
 * French stopwords: natural's 168-word list (not the 691-word one, which drops meaningful words
 * such as « personnes »), folded like the tokens so that « été » and « ete » both go.
 */
import { createRequire } from 'node:module';
import { fold } from './normalize.ts';

const require = createRequire(import.meta.url);
const { words } = require('natural/lib/natural/util/stopwords_fr.js') as { words: string[] };

export const FRENCH_STOPWORDS: ReadonlySet<string> = new Set(words.map(fold));

export const isStopword = (folded: string): boolean => FRENCH_STOPWORDS.has(folded);

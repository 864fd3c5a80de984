/**
 * The one place that loads `natural`'s French stemmer. Only its file, not the package: the
 * package's entry point loads every part of natural (English, Dutch and Spanish lexicons, sentiment
 * lists, WordNet and its MongoDB storage through mongoose, dotenv), about 60 MB and 420,000
 * objects of heap that every process kept alive and each full garbage collection marked again,
 * for one function. The file requires only natural's French stopwords and tokenizer.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { stem } = require('natural/lib/natural/stemmers/porter_stemmer_fr.js') as { stem(word: string): string };

export const stemFrench: (word: string) => string = (word) => stem(word);

/**
 * The one place that loads `natural`. Importing it runs dotenv, which prints to stdout unless
 * told to be quiet; the setting must be in place before the import is evaluated.
 */
import './quiet-dotenv.ts';
import natural from 'natural';

export const stemFrench: (word: string) => string = (word) => natural.PorterStemmerFr.stem(word);

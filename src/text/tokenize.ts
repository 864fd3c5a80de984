/**
 * French tokenizer. Keeps each token's original spelling for display beside its folded form.
 * - elisions with either apostrophe: l', d', qu', j', n', s', c', m', t', jusqu', lorsqu', puisqu'
 * - hyphenated compounds give their parts (« vélo-cargo » → vélo, cargo)
 * - a number followed by a unit is one token: « 300 m² », « 300 m2 », « 12 km », « 5 000 € »
 */
import { fold, normalizeText } from './normalize.ts';

export interface Token {
  /** As written (after NFC), for display. */
  surface: string;
  /** Lower case, no accents. */
  folded: string;
  /** 'word', or 'quantity' for a number with or without unit (kept out of text similarity). */
  type: 'word' | 'quantity';
  /** Position among the tokens of the text. */
  position: number;
}

const ELISIONS = new Set(['l', 'd', 'qu', 'j', 'n', 's', 'c', 'm', 't', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu']);
const UNITS: Record<string, string> = {
  'm²': 'm2', m2: 'm2', m: 'm', km: 'km', '€': 'eur', eur: 'eur', euros: 'eur', 'k€': 'keur', '%': 'pct', ha: 'ha',
};
// A number (with French thousands spaces or decimals) and an optional unit, or a word with
// inner apostrophes and hyphens.
const TOKEN = /(\d{1,3}(?:[  ]\d{3})+|\d+)(?:[.,]\d+)?(?:\s?(m²|m2|km|k€|€|eur|euros|%|ha|m)(?![\p{L}\p{N}]))?|[\p{L}\p{M}\p{N}]+(?:['-][\p{L}\p{M}\p{N}]+)*/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const push = (surface: string, folded: string, type: Token['type']) =>
    tokens.push({ surface, folded, type, position: tokens.length });
  for (const m of normalizeText(text).matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const unit = m[2] ? UNITS[m[2].toLowerCase()] ?? m[2].toLowerCase() : '';
      push(m[0], m[0].replace(/[  ]/g, '').replace(/\s?(m²|m2|km|k€|€|eur|euros|%|ha|m)$/i, '') + unit, 'quantity');
      continue;
    }
    for (const part of splitWord(m[0])) push(part, fold(part), 'word');
  }
  return tokens;
}

/** Removes an elided article and splits a hyphenated compound. */
function splitWord(word: string): string[] {
  let rest = word;
  const apostrophe = rest.indexOf("'");
  if (apostrophe > 0 && ELISIONS.has(fold(rest.slice(0, apostrophe)))) rest = rest.slice(apostrophe + 1);
  return rest.split(/['-]/).filter((p) => p.length > 0);
}

/**
 * Sums in euros read from a French text (« 30 000 € », « 1,5 million d'euros », « 40 k€ »), and
 * the sums a need text asks for: near a financing word of its sentence (prêt, prêter, emprunt,
 * financer, investir, placer, besoin de, manque, coûte, subvention accordée…), never a sum given per month or per year, before tax, as
 * a rent, a budget or a turnover. Text analysis only: the need_amount feature compares them with
 * an offer's range.
 */

/** Below this, a sum is a price (« 3 € par repas »), not a financing need. */
export const MIN_NEED_EUR = 100;

const SP = '[\\s\\u00a0\\u202f]';
const WORD_NUMBERS: Record<string, number> = { un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10 };
/**
 * « 30 000 € », « 30.000 euros », « 1 000,50 € », « 150 000 EUR », « 1,5 million d'euros »,
 * « 1.5 M€ », « 40 k€ », « un million d'euros ». No digit, comma or dot just before (« en 2026
 * 500 000 € » is 500 000), no letter just after (« 30 000 européens » is no sum).
 */
const AMOUNT = new RegExp(
  `(?<![\\d,.\\p{L}])(\\d{1,3}(?:(?:${SP}|\\.)\\d{3})+(?:,\\d+)?|\\d+(?:[.,]\\d+)?|${Object.keys(WORD_NUMBERS).join('|')})${SP}*`
  + `(k${SP}*€|k${SP}*euros?|m€|€|eur|euros?|millions?${SP}+d['’]${SP}*(?:euros?|€)|millions?${SP}*(?:€|eur|euros?))(?![\\p{L}\\d])`,
  'giu',
);

/**
 * A financing word: the sum beside it is money asked for, lent or placed. Verbs count as much as
 * nouns (« nous prêter 12 000 € », « emprunter »), and so do what a thing costs (« le four coûte
 * 25 000 € ») and a grant awarded but not yet paid (« accordé », « promis », « notifié »,
 * « subvention »): the sum to finance, or to advance until it is paid.
 */
const FINANCING_CUE = /\b(?:pr[eê]t(?:s|e[rz]?|ons|ent|er[ao]\p{L}*)?\b|emprunt|financ|invest|plac(?:er|ement)|besoin\s+d|manqu|cr[eé]dit\b|co[uû]t|subvention|accord[ée]|promis\b|promett|notifi)/iu;
/** After the sum: a periodic, pre-tax or rent figure, not a financing need. */
const NOT_ASKED_AFTER = new RegExp(`^${SP}*(?:\\)${SP}*)?(?:par${SP}+(?:mois|an|année|semaine|jour)|/${SP}*(?:mois|an)|mensuel|annuel|hors${SP}+tax|ht\\b|de${SP}+loyer|de${SP}+chiffre|de${SP}+budget|de${SP}+ca\\b)`, 'iu');
/** Before the sum, in its clause: a budget, a turnover or a rent. */
const NOT_ASKED_BEFORE = /(?:budget|chiffre\s+d['’]affaires|\bca\b|loyer)[^,;:()]*$/iu;
/** How far (characters, within the sentence) a financing word may stand before or after the sum. */
const CUE_BEFORE = 70;
const CUE_AFTER = 40;

/** Ends a sentence: ! ? ; a line break, or a dot followed by a space (not the dot of « 30.000 »). */
const SENTENCE_END = /[!?;\n]|\.(?=\s|$)/gu;

/** The sentence holding text[index, end): its start and end indices. */
function sentenceAround(text: string, index: number, end: number): [number, number] {
  let from = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    if (m.index < index) from = m.index + 1;
    else if (m.index >= end) return [from, m.index];
  }
  return [from, text.length];
}

function valueOf(number: string, unit: string): number {
  const lower = number.toLowerCase();
  let value: number;
  if (lower in WORD_NUMBERS) value = WORD_NUMBERS[lower];
  else if (/^\d{1,3}(?:[\s\u00a0\u202f.]\d{3})+(?:,\d+)?$/u.test(number)) value = Number(number.replace(/[\s\u00a0\u202f.]/gu, '').replace(',', '.'));
  else value = Number(number.replace(',', '.'));
  const u = unit.toLowerCase();
  const factor = u.startsWith('k') ? 1e3 : u === 'm€' || u.startsWith('million') ? 1e6 : 1;
  // A word number is a sum only with « million(s) » (« un euro » is no need).
  if (lower in WORD_NUMBERS && factor !== 1e6) return 0;
  return value * factor;
}

/** Every sum in euros a text names, in order, with where it stands. */
export function sumsIn(text: string | undefined): { value: number; index: number; end: number }[] {
  if (!text) return [];
  const out: { value: number; index: number; end: number }[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const value = valueOf(m[1], m[2]);
    if (value >= MIN_NEED_EUR) out.push({ value, index: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The sums in euros a need text asks for (near a financing word, not a budget, rent or monthly figure), in order. */
export function namedAmounts(text: string | undefined): number[] {
  if (!text) return [];
  const out: number[] = [];
  let previousEnd = 0;
  for (const { value, index, end } of sumsIn(text)) {
    const [from, to] = sentenceAround(text, index, end);
    const before = text.slice(Math.max(from, index - CUE_BEFORE), index);
    const after = text.slice(end, Math.min(to, end + CUE_AFTER));
    // What qualifies this sum as a budget or a rent stands after the previous sum.
    const qualifier = text.slice(Math.max(from, previousEnd, index - CUE_BEFORE), index);
    previousEnd = end;
    if (NOT_ASKED_AFTER.test(after) || NOT_ASKED_BEFORE.test(qualifier)) continue;
    if (FINANCING_CUE.test(before) || FINANCING_CUE.test(after)) out.push(value);
  }
  return out;
}

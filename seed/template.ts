/**
 * Filling of the French sentence templates of the vocabulary, and small French formatting helpers
 * (numbers, amounts, months, plurals).
 *
 * Slots used by the templates:
 * - structures: Subject, subject, Name, name, Pron, pron, e, descriptor, does, public, founders, year,
 *   commune, a_commune, de_commune, dept, people, tonnes, km, space, space_purpose, surface, goods,
 *   de_goods, goods_verb, trade, invest, amount, skill_plain, skill_formal, when, n, evoc, lieu
 * - resources: commune, a_commune, de_commune, quartier, etage, where, area, surface, n, pmr_text, dispo,
 *   days, Days, skills_text, amount_min, amount_max, eligible_text
 */

export type Slots = Record<string, string>;

const SLOT = /\{(\w+)\}/g;

/** Templates split once into [text, slot, text, slot, …, text] (fill is called millions of times). */
const compiled = new Map<string, string[]>();

function compile(template: string): string[] {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(SLOT);
    compiled.set(template, parts);
  }
  return parts;
}

/** Replaces every {slot} of the template; an unknown slot is left as is (tests catch it). */
export function fill(template: string, slots: Slots): string {
  const parts = compile(template);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string;
    out += (slots[key] ?? `{${key}}`) + (parts[i + 1] as string);
  }
  return out;
}

/** Slot names used by a template. */
export function slotNames(template: string): string[] {
  return [...template.matchAll(SLOT)].map((m) => m[1] as string);
}

/** Collapses the blanks left by empty slots and fixes spaces before punctuation. */
export function tidy(text: string): string {
  let out = text;
  if (out.includes('  ')) out = out.replace(/ {2,}/g, ' ');
  if (out.includes(' ,') || out.includes(' .')) out = out.replace(/ ([,.])/g, '$1');
  return out.trim();
}

/** Upper-cases the first letter. */
export const capitalize = (s: string): string => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** Lower-cases the first letter (designations inside a sentence: "l'association X"). */
export const decapitalize = (s: string): string => (s ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** French thousands separator: 15000 → "15 000". */
export function formatInt(n: number): string {
  const s = String(Math.round(n));
  if (s.length <= 3) return s;
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** 15000 → "15 000 €". */
export const formatEuros = (n: number): string => `${formatInt(n)} €`;

/** "1 salarié", "12 salariés" (regular plurals only). */
export const plural = (n: number, word: string): string => `${formatInt(n)} ${word}${n > 1 ? 's' : ''}`;

/** Rounds to a "human" figure: 2 significant digits (1 234 → 1 200, 87 → 85 when step 5). */
export function roundNice(n: number): number {
  if (n < 20) return Math.round(n);
  if (n < 200) return Math.round(n / 5) * 5;
  const magnitude = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / magnitude) * magnitude;
}

const MONTHS = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
];

/** Month index counted from January 2025 → "mars 2026". */
export function monthLabel(index: number): string {
  return `${MONTHS[index % 12]} ${2025 + Math.floor(index / 12)}`;
}

/** Month index counted from January 2025 → ISO date of its first or last day. */
export function monthDate(index: number, end: boolean): string {
  const year = 2025 + Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = end ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "de" before a noun phrase: "les paniers" → "des paniers", "le linge" → "du linge", "la salle" → "de la salle". */
export function deArticle(phrase: string): string {
  if (phrase.startsWith('les ')) return `des ${phrase.slice(4)}`;
  if (phrase.startsWith('le ')) return `du ${phrase.slice(3)}`;
  return /^[aeiouyéèêàâîôh]/i.test(phrase) ? `d'${phrase}` : `de ${phrase}`;
}

/** "de mars 2026", "d'avril 2026", "d'août 2027". */
export function deMonth(index: number): string {
  const label = monthLabel(index);
  return /^[aeiouyéèêàâîôh]/i.test(label) ? `d'${label}` : `de ${label}`;
}

/** Joins a list in French: "a, b et c". */
export function joinFr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}

/** A copy of the record without its undefined properties (optional fields stay absent, not undefined). */
export function compact<T extends object>(record: T): T {
  // Copying (rather than deleting) keeps the result a fast-properties object, quicker to serialise.
  const out: Record<string, unknown> = {};
  for (const key in record) {
    const value = record[key];
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

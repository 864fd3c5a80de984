/**
 * Floor areas a French text states: « 150 m² », « environ 80 m2 », « 300 à 400 m² », « entre 250 et
 * 400 mètres carrés », « une trentaine de m² ». A range counts for its middle, « une trentaine »
 * for 30. Text analysis only: the profile decides which of them is the surface sought.
 */

const SP = '[\\s\\u00a0\\u202f]';
const NUMBER = `\\d{1,3}(?:${SP}\\d{3})+|\\d+`;
const UNIT = `(?:m²|m2|m${SP}*²|mètres?${SP}+carrés|metres?${SP}+carres)(?![\\p{L}\\d])`;
const RANGE = new RegExp(`(?<![\\d,.])(${NUMBER})(?:[.,]\\d+)?${SP}*(?:m²|m2)?${SP}*(?:à|a|et|-|–)${SP}*(${NUMBER})(?:[.,]\\d+)?${SP}*${UNIT}`, 'giu');
const SINGLE = new RegExp(`(?<![\\d,.])(${NUMBER})(?:[.,]\\d+)?${SP}*${UNIT}`, 'giu');
const ROUGHLY: Record<string, number> = {
  dizaine: 10, douzaine: 12, quinzaine: 15, vingtaine: 20, trentaine: 30, quarantaine: 40,
  cinquantaine: 50, soixantaine: 60, centaine: 100,
};
const ROUGH = new RegExp(`\\b(${Object.keys(ROUGHLY).join('|')})${SP}+de${SP}+${UNIT}`, 'giu');

/** Below this, an area is a ratio (« 1,5 m² par personne »), not premises. */
export const MIN_FLOOR_M2 = 5;

const num = (s: string) => Number(s.replace(/[\s\u00a0\u202f]/g, ''));

/** The floor areas of the text in m², in order of appearance. */
export function floorAreas(text: string | undefined): number[] {
  if (!text) return [];
  const found: { at: number; end: number; m2: number }[] = [];
  for (const m of text.matchAll(RANGE)) found.push({ at: m.index, end: m.index + m[0].length, m2: (num(m[1]) + num(m[2])) / 2 });
  for (const m of text.matchAll(SINGLE)) {
    if (!found.some((f) => m.index >= f.at && m.index < f.end)) found.push({ at: m.index, end: m.index + m[0].length, m2: num(m[1]) });
  }
  for (const m of text.matchAll(ROUGH)) found.push({ at: m.index, end: m.index + m[0].length, m2: ROUGHLY[m[1].toLowerCase()] });
  return found.filter((f) => f.m2 >= MIN_FLOOR_M2).sort((a, b) => a.at - b.at).map((f) => f.m2);
}

/**
 * The premises a structure has now are not the premises it asks for. A need text often says where
 * the structure works today before saying what it seeks: « le matériel est éparpillé dans trois
 * garages loués ; il nous faut un dépôt de 300 m² », « un étage ne nous fait pas peur, les personnes
 * en fauteuil resteront accueillies dans le local actuel ». The premises words of such a clause
 * (garages, local) describe what is there, and read as the precise need they gave full marks to
 * the garage for rent and none to the warehouse sought. A clause speaks of the present premises
 * when it has a word of the present (« actuel », « aujourd'hui », « occupons », « loués ») and no
 * word of a search or an obligation (« cherchons », « il faut », « nouveau »: access-need.ts).
 * Only premises concepts are set aside: a present building is the very object of an energy need
 * (« le lieu actuel est une passoire thermique »).
 */
import type { AnalysedField } from '../retrieval/documents.ts';
import { analyze } from '../text/analyze.ts';
import { floorAreas } from '../text/floor-area.ts';
import { tokenize } from '../text/tokenize.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import { CLAUSE_BREAK, clauses, hasAny, SEEKING } from './access-need.ts';

/** Words of the present: prefixes of folded words, « $ » ending a whole word. */
const PRESENT = ['actuel', 'aujourd', 'occupons', 'louons', 'loues$', 'louees$'];

const whole = (word: string, prefixes: readonly string[]) =>
  prefixes.some((p) => (p.endsWith('$') ? word === p.slice(0, -1) : word.startsWith(p)));

/** Whether a clause (its folded words) speaks of the premises the structure has now. */
export const describesPresent = (words: readonly string[]): boolean =>
  words.some((w) => whole(w, PRESENT)) && !hasAny(words, SEEKING);

/**
 * The need text's field with the premises concepts that only clauses about the present premises
 * evoke left out (the field itself when there are none). Its terms stay: only what it asks changes.
 */
export function withoutPresentPremises(field: AnalysedField, text: string | undefined, thesaurus: Thesaurus): AnalysedField {
  if (!text || !field.concepts.some((h) => h.concept.pillar === 'premises')) return field;
  const parts = clauses(text);
  if (!parts.some((c) => describesPresent(c.words))) return field;
  const asked = parts.filter((c) => !describesPresent(c.words)).map((c) => c.tokens.map((t) => t.surface).join(' ')).join(' . ');
  const kept = new Set(thesaurus.find(analyze(asked)).filter((h) => h.concept.pillar === 'premises').map((h) => h.concept.id));
  return { ...field, concepts: field.concepts.filter((h) => h.concept.pillar !== 'premises' || kept.has(h.concept.id)) };
}

/**
 * The floor area a need text asks for when the contract field `surface_needed_m2` is absent
 * (« une trentaine de m² suffirait », « il nous faut 300 à 400 m² »): the first one stated in a
 * clause that searches or obliges (« il nous faut », « nous cherchons »), else the first one in a
 * clause that is not about the present premises (« notre local actuel de 40 m² » is what it has).
 */
export function soughtFloorArea(text: string | undefined): number | undefined {
  if (!text || !/m²|m2|mètres? carrés|metres? carres/iu.test(text)) return undefined;
  let fallback: number | undefined;
  for (const clause of text.split(CLAUSE_BREAK)) {
    if (!clause) continue;
    const [area] = floorAreas(clause);
    if (area === undefined) continue;
    const words = tokenize(clause).filter((t) => t.type === 'word').map((t) => t.folded);
    if (describesPresent(words)) continue;
    if (hasAny(words, SEEKING)) return area;
    fallback ??= area;
  }
  return fallback;
}

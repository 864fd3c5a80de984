/**
 * What a need text declines is not asked. A structure often says what it does not need, or already
 * has, beside what it asks: « nous n'avons pas besoin de local, il nous faut un prêt », « pas
 * question d'emprunter », « un camion, nous en avons déjà un », « inutile de nous proposer un
 * local ». The pillar concepts evoked only in such a part of a clause (a part: between commas)
 * do not make the precise need, nor name a pillar.
 *
 * A lack is a need, though, and most negations in a need text say one: « nous ne trouvons pas de
 * local », « aucune banque ne veut nous prêter », « personne ne sait tenir les comptes ». So only a
 * negated need or search declines (« pas besoin », « plus besoin », « ne cherchons pas », « pas
 * question »), or a word saying it is useless, or « déjà » with a verb of having and no word of a
 * search (« nous avons déjà un local » but not « nous avons déjà un local, il nous en faut un
 * second »: access-need.ts, SEEKING).
 */
import type { AnalysedField } from '../retrieval/documents.ts';
import { analyze } from '../text/analyze.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import { clauses, hasAny, SEEKING, type Clause } from './access-need.ts';

/** Negations that bear on what follows (« ne » is elided or left out in speech: « pas » carries it). */
const NOT = new Set(['pas', 'plus', 'non', 'jamais']);
/** A need or a search, when negated right after (« pas besoin ») or right before (« ne cherchons pas »). */
const WANTING = ['besoin', 'cherch', 'recherch', 'souhait', 'voul', 'voudr', 'question$', 'necessaire', 'indispensable', 'demand', 'interess'];
/** Words that call a thing useless. */
const USELESS = ['inutile', 'superflu'];
/** Having: « nous avons déjà », « nous disposons déjà », « nous en possédons déjà » (« à » folds to « a »: not a verb here). */
const HAVING = ['avons', 'disposons', 'possedons', 'possede', 'dispose$'];

/** Whether a part of a clause (its folded words) declines what it names. */
export function declines(words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    if (!NOT.has(words[i])) continue;
    if (hasAny(words.slice(i + 1, i + 3), WANTING)) return true;
    // « ne cherchons pas », « ne voulons plus »; not « cherchons plus grand », « un besoin non couvert ».
    const before = words.slice(Math.max(0, i - 2), i);
    if (hasAny(before, WANTING) && (words[i] === 'pas' || (words[i] !== 'non' && before[0] === 'ne'))) return true;
  }
  if (hasAny(words, USELESS)) return true;
  return words.includes('deja') && hasAny(words, HAVING) && !hasAny(words, SEEKING);
}

/** The parts of a clause, as lists of its surface words, with whether each declines. */
function parts(c: Clause): { text: string; declined: boolean }[] {
  const byPart = new Map<number, { surfaces: string[]; words: string[] }>();
  c.tokens.forEach((t, i) => {
    const part = byPart.get(c.part[i]) ?? { surfaces: [], words: [] };
    part.surfaces.push(t.surface);
    part.words.push(c.words[i]);
    byPart.set(c.part[i], part);
  });
  return [...byPart.values()].map((p) => ({ text: p.surfaces.join(' '), declined: declines(p.words) }));
}

/**
 * The need text's field without the pillar concepts that only declining parts evoke (the field
 * itself when none declines). Its terms stay: only what it asks changes.
 */
export function withoutDeclined(field: AnalysedField, text: string | undefined, thesaurus: Thesaurus): AnalysedField {
  if (!text || !field.concepts.some((h) => h.concept.pillar)) return field;
  const all = clauses(text).flatMap(parts);
  if (!all.some((p) => p.declined)) return field;
  const asked = all.filter((p) => !p.declined).map((p) => p.text).join(' . ');
  const kept = new Set(thesaurus.find(analyze(asked)).map((h) => h.concept.id));
  return { ...field, concepts: field.concepts.filter((h) => !h.concept.pillar || kept.has(h.concept.id)) };
}

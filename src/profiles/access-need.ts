/**
 * Step-free access as a structure asks for it. Only the contract field `requires_step_free_access`
 * is certain: `true` is a requirement (premises without access are excluded), `false` says access
 * does not matter. Without the field, the need text is read, clause by clause, for a mention of
 * access (the thesaurus concept `need.accessibility`) that the structure asks for — a soft signal
 * the `accessibility` feature weighs, never an exclusion. A mention does not ask when it is
 *   - negated or conceded: « l'accès de plain-pied n'est pas indispensable », « peu importe l'étage »,
 *     « nous nous contenterons de locaux sans ascenseur », « pas besoin d'ascenseur »;
 *   - a description of the structure's own premises: « nos locaux actuels ont un ascenseur ».
 * A negation of a barrier is still an ask (« il ne faut pas de marches », « sans escalier »).
 * The description and tags are not read: they say who the structure is, not what it asks for.
 */
import type { Structure } from '../domain/types.ts';
import { isContentToken, stem, type Term } from '../text/analyze.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import { tokenize, type Token } from '../text/tokenize.ts';

export const ACCESSIBILITY_CONCEPT = 'need.accessibility';

/**
 * - required: the contract field says so (hard constraint);
 * - asked: the need text asks for it (soft);
 * - waived: the field says false, or the text says it does not matter;
 * - unstated: nothing said.
 */
export type StepFreeNeed = 'required' | 'asked' | 'waived' | 'unstated';

/** Clause boundaries: sentence punctuation and contrastive links (« …, mais il nous faut… »). */
export const CLAUSE_BREAK = /[.;:!?\n()]+|\s(?:mais|cependant|toutefois|néanmoins|neanmoins|en revanche|par contre|en outre)\s/iu;

/** Words that negate what follows them closely. (« n' » / « ne » are elided or optional in speech: « pas » carries it.) */
const NEGATIONS = new Set(['pas', 'sans', 'ni', 'aucun', 'aucune', 'jamais', 'guere', 'non']);
/** Barriers: negating them asks for access (« pas de marches », « sans escalier »). */
const BARRIERS = ['marche', 'escalier', 'etage', 'seuil', 'obstacle', 'ressaut', 'monter', 'gravir'];
/** Words of obligation (prefixes of folded words): right after a « pas », access is not required. */
const OBLIGATIONS = [
  'indispensable', 'necessaire', 'obligatoire', 'essentiel', 'imperati', 'prioritaire', 'priorite', 'critere', 'exig',
  'besoin', 'forcement', 'vital', 'important', 'requis', 'primordial', 'impose', 'bloquant',
];
/** Words that turn a lack into a deal-breaker: « sans ascenseur, impossible ». */
const IMPOSSIBLE = ['impossible', 'exclu', 'inenvisageable', 'inaccessible', 'bloquant', 'redhibitoire'];
/** Concessions anywhere in the clause: « peu importe », « nous nous contenterons », « cela nous est égal », « nous accepterons ». */
const CONCESSIONS = ['importe', 'content', 'egal$', 'egale$', 'accept', 'toler', 'facultati', 'optionnel', 'accommod'];
/** The structure speaking of the premises it already has. */
const OWN_PREMISES = ['actuel', 'aujourd', 'deja', 'avons', 'disposons', 'occupons', 'possedons', 'louons'];
/** A search or an obligation, which makes a clause about the premises sought even beside « actuels ». */
export const SEEKING = ['cherch', 'recherch', 'faut$', 'faudr', 'doit', 'doivent', 'devr', 'besoin', 'souhait', 'voudr', 'voulons', 'indispensable', 'imperati', 'obligatoire', 'necessaire', 'exig', 'nouveau', 'nouvel', 'futur', 'prochain'];

/** Prefixes of folded words; one ending with « $ » is a whole word (« égal », not « également »). */
const startsWithAny = (word: string, prefixes: readonly string[]) =>
  prefixes.some((p) => (p.endsWith('$') ? word === p.slice(0, -1) : word.startsWith(p)));
export const hasAny = (words: readonly string[], prefixes: readonly string[]) => words.some((w) => startsWithAny(w, prefixes));

/** A clause's words, and for each the comma-separated part it sits in. */
export interface Clause { tokens: Token[]; words: string[]; part: number[] }

export function clauses(text: string): Clause[] {
  return text.split(CLAUSE_BREAK).filter((c) => c && c.trim() !== '').map((c) => {
    const tokens: Token[] = [];
    const part: number[] = [];
    c.split(',').forEach((piece, k) => {
      for (const t of tokenize(piece)) if (t.type === 'word') { tokens.push(t); part.push(k); }
    });
    return { tokens, words: tokens.map((t) => t.folded), part };
  });
}

/** Token index of the first word of each mention of access in a clause. */
function mentions(clause: Clause, thesaurus: Thesaurus): number[] {
  const terms: Term[] = [];
  const at: number[] = [];
  clause.tokens.forEach((t, i) => {
    if (!isContentToken(t)) return;
    terms.push({ stem: stem(t.folded), surface: t.surface, position: terms.length });
    at.push(i);
  });
  return thesaurus.find(terms).filter((hit) => hit.concept.id === ACCESSIBILITY_CONCEPT).map((hit) => at[hit.position]);
}

/** A negation at `i` that bears on a barrier just after it is an ask, not a waiver. */
const negatesBarrier = (c: Clause, i: number) => hasAny(c.words.slice(i + 1, i + 4), BARRIERS);

/** Whether the clause says access does not matter for the mention starting at `from`. */
function waives(c: Clause, from: number): boolean {
  const { words } = c;
  // « sans ascenseur », « pas d'accès PMR », « ni plain-pied »: a negation just before the mention,
  // unless the clause rules that out (« sans ascenseur, impossible pour nos adhérents »).
  const ruledOut = hasAny(words, IMPOSSIBLE);
  for (let i = Math.max(0, from - 3); i < from; i++) if (NEGATIONS.has(words[i]) && !negatesBarrier(c, i) && !ruledOut) return true;
  // « … n'est pas indispensable », « pas besoin de plain-pied », « pas forcément accessible »: a negated
  // obligation in the mention's part of the clause, or anywhere in it when that part states no obligation
  // of its own (« l'accès de plain-pied, pour nous, n'est pas indispensable » but not « il faut un
  // plain-pied, pas besoin de parking »).
  const own = c.part[from];
  const ownWords = words.filter((_, i) => c.part[i] === own);
  const scope = hasAny(ownWords, [...OBLIGATIONS, ...SEEKING]) ? (i: number) => c.part[i] === own : () => true;
  for (let i = 0; i < words.length; i++) {
    if (scope(i) && (words[i] === 'pas' || words[i] === 'non') && hasAny(words.slice(i + 1, i + 4), OBLIGATIONS)) return true;
  }
  // « peu importe l'étage », « nous nous contenterons de… », « cela nous est égal » (same scope).
  return words.some((w, i) => scope(i) && startsWithAny(w, CONCESSIONS));
}

/** Whether the clause describes the structure's present premises rather than those it seeks. */
const describesOwnPremises = (c: Clause) => hasAny(c.words, OWN_PREMISES) && !hasAny(c.words, SEEKING);

/** What the need text says of step-free access (see the module's header). */
/** Words without which a text says nothing of access (a quick test before reading clause by clause). */
const ACCESS_WORDS = /pmr|plain|ascenseur|fauteuil|mobilit|accessib|adapt|rampe|étage|etage|marche|escalier|handicap|sanitaire|toilette|erp/iu;

export function readStepFreeNeed(needText: string | undefined, thesaurus: Thesaurus): Exclude<StepFreeNeed, 'required'> {
  if (!needText || !ACCESS_WORDS.test(needText)) return 'unstated';
  let waived = false;
  for (const c of clauses(needText)) {
    const found = mentions(c, thesaurus);
    if (found.length === 0) {
      // « peu importe l'étage »: a concession about floors, with no word of the concept.
      if (hasAny(c.words, [...BARRIERS, 'ascenseur']) && hasAny(c.words, CONCESSIONS)) waived = true;
      continue;
    }
    if (describesOwnPremises(c)) continue;
    if (found.every((from) => waives(c, from))) waived = true;
    else return 'asked';
  }
  return waived ? 'waived' : 'unstated';
}

/** The contract field first; the need text only when the field is absent. */
export function stepFreeNeed(s: Structure, thesaurus: Thesaurus): StepFreeNeed {
  if (s.requires_step_free_access === true) return 'required';
  if (s.requires_step_free_access === false) return 'waived';
  return readStepFreeNeed(s.need_text, thesaurus);
}

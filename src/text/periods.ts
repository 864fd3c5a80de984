/**
 * The period a French need text states: when the need starts (« notre bail prend fin en juin
 * 2027 », « ouverture visée au premier semestre 2027 », « à partir de septembre 2027 »), by when it
 * must be met (« disponible avant l'été 2027 », « d'ici la rentrée 2027 »), and whether it is
 * meant to last (« à long terme », « pour vingt ans », « un bail de neuf ans »). Text analysis
 * only: the need_period feature compares it with an offer's availability window, and leaves out
 * dates already past on the reference day (« depuis 2019 »).
 */
import { dayNumber } from '../domain/day.ts';
import { fold } from './normalize.ts';

export interface StatedPeriod {
  /** First day of the earliest date the need starts at (day number), if stated. */
  from?: number;
  /** Day by which the need must be met, if stated (« avant », « d'ici », « au plus tard »). */
  by?: number;
  /** The need is meant to last years (a lease, « long terme », « pour dix ans »). */
  lasting: boolean;
}

const MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre'];
/** Month (1–12) a named part of the year starts in. */
const PARTS: Record<string, number> = {
  printemps: 3, ete: 6, automne: 9, hiver: 12, rentree: 9, debut: 1, mi: 6, milieu: 6, fin: 10,
  'premier semestre': 1, '1er semestre': 1, 'second semestre': 7, 'deuxieme semestre': 7, '2e semestre': 7,
  'premier trimestre': 1, '1er trimestre': 1, 'deuxieme trimestre': 4, '2e trimestre': 4, 'troisieme trimestre': 7,
  '3e trimestre': 7, 'quatrieme trimestre': 10, '4e trimestre': 10, 'dernier trimestre': 10,
};
const PART_NAMES = Object.keys(PARTS).sort((a, b) => b.length - a.length).join('|');
/** « juin 2027 », « l'été 2027 », « premier semestre 2027 », « mi-2027 », « 2027 ». */
const DATE = new RegExp(`(?:\\b(${MONTHS.join('|')}|${PART_NAMES})(?:\\s+|-)(?:de\\s+l'?\\s*|de\\s+|d'\\s*)?(?:annee\\s+)?)?\\b(20[2-9]\\d)\\b`, 'g');
/** A deadline just before the date: « avant l'été 2027 », « d'ici juin 2027 », « au plus tard en 2027 ». */
const DEADLINE = /(?:avant|d'ici|au plus tard|au plus tot|jusqu'a)\s*(?:la|le|l'|les|en|a|au|fin|debut)?\s*$/;
const LASTING = /\b(?:long terme|longue duree|durable(?:ment)?|perenne|definiti\w*|plusieurs annees|bail commercial|3[\s/-]6[\s/-]9|(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente)\s+ans\b)/;
const TRANSIENT = /\b(?:temporaire|provisoire|transitoire|ephemere|quelques (?:mois|semaines))\b/;

/** A year, or a word of duration: without one the text states no period (a quick test first). */
const MAY_STATE = /20[2-9]\d|\bans\b|terme|durée|duree|durabl|pérenn|perenn|définiti|definiti|années|annees|bail|3.6.9/iu;

const foldText = (text: string) => text.split(/(\s+)/).map((w) => fold(w)).join('').replace(/[’']/g, "'");

/** What the text says of the period of its need. */
export function statedPeriod(text: string | undefined): StatedPeriod {
  if (!text || !MAY_STATE.test(text)) return { lasting: false };
  const t = foldText(text);
  let from: number | undefined, by: number | undefined;
  for (const m of t.matchAll(DATE)) {
    const part = m[1];
    const month = part === undefined ? 1 : MONTHS.includes(part) ? MONTHS.indexOf(part) + 1 : PARTS[part];
    const day = dayNumber(`${m[2]}-${String(month).padStart(2, '0')}-01`);
    if (DEADLINE.test(t.slice(Math.max(0, m.index - 20), m.index))) by = by === undefined ? day : Math.min(by, day);
    else from = from === undefined ? day : Math.min(from, day);
  }
  return { from, by, lasting: LASTING.test(t) && !TRANSIENT.test(t) };
}

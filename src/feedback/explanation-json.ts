/**
 * An explanation as the API writes it: its body (snake_case), and that body's JSON written by
 * hand for the ranking threads, the same text as JSON.stringify(explanationBody(e)) character for
 * character, at about half its cost. Under load the ranking thread is the service's busiest, and
 * writing its lists' explanations was 14.5 % of its time (CPU profile at 50 connections): 13
 * features of five members each, whose names, labels and weights are the same in every
 * explanation of a model.
 *
 * What repeats is written once and kept: each feature's `{"name":…,"label":…,"value":` (checked
 * against the feature's name and label at each use) and its `,"weight":…,"contribution":` (checked
 * against the weight), in the order explain.ts gives a feature's members. The numbers are written
 * as JSON.stringify writes them (String(x) for a finite number, -0 as 0, `null` otherwise:
 * jsonNumber); strings always by JSON.stringify (escapes).
 */
import type { Explanation } from '../engine/types.ts';

/** An explanation as the API writes it (snake_case): the same shape from the service's thread and from a ranking thread. */
export const explanationBody = (e: Explanation) => ({
  features: e.features, matched_words: e.matchedWords, distance_km: e.distanceKm, reasons: e.reasons, exclusions: e.exclusions,
});

/**
 * The decimals of 0 to 9,999 ten-thousandths as JSON writes them after the point: '', '.0001' …
 * '.9999', trailing zeros left out. Made at the first explanation written (7 ms), not at start-up.
 */
let fractions: readonly string[] | undefined;
const fractionsTable = (): readonly string[] =>
  (fractions ??= Array.from({ length: 10_000 }, (_, f) => (f === 0 ? '' : `.${String(f).padStart(4, '0')}`.replace(/0+$/, ''))));

/**
 * A number as JSON.stringify writes it. The explanations' numbers are rounded to ten-thousandths
 * (explain.ts): such a number, k / 10,000 for an integer k with |k| under 10^15, is written from k
 * (its shortest decimal has at most 4 places, and is the only one of at most 15 digits that reads back
 * as the same double), which costs a table lookup instead of V8's shortest-decimal search.
 */
export function jsonNumber(x: number): string {
  const k = Math.round(x * 10_000);
  if (k / 10_000 === x && Math.abs(k) < 1e15) {
    if (k === 0) return '0'; // -0 too
    const a = Math.abs(k), whole = Math.floor(a / 10_000);
    return `${k < 0 ? '-' : ''}${whole}${fractionsTable()[a - whole * 10_000]}`;
  }
  return Number.isFinite(x) ? String(x) : 'null';
}

interface Written { name: string; label: string; head: string; weight?: { value: number; text: string } }

/** What was written for each position in the feature list. */
const written: Written[] = [];

function headOf(i: number, name: string, label: string): Written {
  let w = written[i];
  if (w === undefined || w.name !== name || w.label !== label) {
    w = { name, label, head: `{"name":${JSON.stringify(name)},"label":${JSON.stringify(label)},"value":` };
    written[i] = w;
  }
  return w;
}

function weightOf(w: Written, weight: number): string {
  if (w.weight === undefined || !Object.is(w.weight.value, weight)) {
    w.weight = { value: weight, text: `,"weight":${jsonNumber(weight)},"contribution":` };
  }
  return w.weight.text;
}

/** JSON.stringify(explanationBody(e)), the same text. */
export function explanationJson(e: Explanation): string {
  let out = '{"features":[';
  const features = e.features;
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const w = headOf(i, f.name, f.label);
    out += `${i === 0 ? '' : ','}${w.head}${jsonNumber(f.value)}${weightOf(w, f.weight)}${jsonNumber(f.contribution)}}`;
  }
  return `${out}],"matched_words":${JSON.stringify(e.matchedWords)},"distance_km":${jsonNumber(e.distanceKm)}`
    + `,"reasons":${JSON.stringify(e.reasons)},"exclusions":${JSON.stringify(e.exclusions)}}`;
}

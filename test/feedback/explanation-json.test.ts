/**
 * The explanations' JSON written by hand for the ranking threads (src/feedback/explanation-json.ts)
 * is JSON.stringify's text, character for character: for every explanation of the dev set, for
 * numbers of every kind, for strings that need escaping, and when a weight or a label changes.
 */
import { describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { Index } from '../../src/engine/index.ts';
import type { Explanation } from '../../src/engine/types.ts';
import { explanationBody, explanationJson, jsonNumber } from '../../src/feedback/explanation-json.ts';
import { rankForServing } from '../../src/feedback/serving.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { parseMatchQuery } from '../../src/matching/matching.request.ts';
import { createMatching } from '../../src/matching/matching.usecases.ts';
import { devSet } from '../support/golden.ts';

const stringified = (e: Explanation) => JSON.stringify(explanationBody(e));

function explanation(
  weights: number[], over: Partial<Explanation> = {}, label = (i: number) => `Caractéristique ${i}`, name = (i: number) => `f${i}`,
): Explanation {
  return {
    features: weights.map((weight, i) => ({
      name: name(i), label: label(i), value: Math.round(((i + 1) / 7) * 1e4) / 1e4, weight,
      contribution: Math.round(((i + 1) / 7) * weight * 1e4) / 1e4,
    })),
    matchedWords: [{ query: 'bénévolat', candidate: 'bénévoles', link: 'spelling' }],
    distanceKm: 12.3,
    reasons: ['à 12 km', 'éligible : association'],
    exclusions: [],
    ...over,
  };
}

describe('an explanation’s JSON written by hand', () => {
  it('is JSON.stringify’s text for every explanation of the dev set, for structures and for resources', () => {
    const { thesaurus, model } = loadMatchingFiles();
    const data = devSet(loadGeography());
    const matching = createMatching({ index: Index.build(thesaurus, data), model });
    const query = parseMatchQuery({ limit: '20', explain: 'true', include_excluded: 'true', as_of: '2026-12-01' });
    const targets = [
      ...data.structures.map((s) => ({ kind: 'structure' as const, id: s.id })),
      ...data.resources.map((r) => ({ kind: 'resource' as const, id: r.id })),
    ];
    let checked = 0;
    for (const target of targets) {
      for (const result of rankForServing(matching, target, query, OPERATOR, undefined).list.results) {
        expect(explanationJson(result.explanation!)).toBe(stringified(result.explanation!));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('writes numbers as JSON does: ten-thousandths from its table, any other double, -0, NaN and the infinities', () => {
    // 600000000000.0030517578125 is k / 10,000 for k = 6,000,000,000,000,031 (over 10^15): its shortest decimal has 3 places.
    const numbers = [0, -0, NaN, Infinity, -Infinity, 1e-7, 5e-324, 0.1 + 0.2, 1e15, -1e15, 1e21, 123456789012.3456, Number.MAX_VALUE, 600000000000.0030517578125];
    for (let k = -30_000; k <= 30_000; k += 7) numbers.push(k / 1e4, k / 10, k);
    for (let i = 0; i < 20_000; i++) {
      const x = (Math.sin(i) * 10) ** (i % 9) * (i % 2 ? -1 : 1);
      numbers.push(x, Math.round(x * 1e4) / 1e4);
    }
    const wrong = numbers.filter((x) => jsonNumber(x) !== JSON.stringify(x));
    expect(wrong).toEqual([]);
  });

  it('escapes quotes, backslashes and control characters in names, labels, words and reasons', () => {
    const odd = 'a "cité" \\ l’atelier\n\t\u0001 — ≈ 😀';
    const e = explanation([0.5, -1.25], {
      matchedWords: [{ query: odd, candidate: `${odd}!`, link: 'same' }], reasons: [odd], exclusions: [odd],
    }, () => odd);
    expect(explanationJson(e)).toBe(stringified(e));
  });

  it('follows a weight or a label that changes from one explanation to the next', () => {
    const sequence = [
      explanation([0.5, -1.25, 2]),
      explanation([0.75, -1.25, 2]),
      explanation([0.5, -1.25, 2], {}, (i) => `Autre ${i}`),
      explanation([0.5, -1.25, 2], {}, (i) => `Autre ${i}`, (i) => `g${i}`),
      explanation([NaN, -0, 1 / 3]),
      explanation([0.5, -1.25]),
      explanation([0.5, -1.25, 2]),
    ];
    for (const e of sequence) expect(explanationJson(e)).toBe(stringified(e));
  });
});

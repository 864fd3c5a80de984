/**
 * Shared fast-check settings of the fuzz tests: a bounded number of runs (the whole fuzz set stays
 * under a minute on two cores) and a seed that can be fixed to replay a failure:
 *
 *   FUZZ_SEED=123456 npx vitest run test/fuzz          # replays the runs of that seed
 *   FUZZ_RUNS=2000 npx vitest run test/fuzz            # a longer hunt (each property × its scale)
 *
 * fast-check prints the seed and the shrunk counterexample of a failing property.
 */
import fc from 'fast-check';

const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const runs = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);

/** Parameters of one property: `numRuns` scaled by FUZZ_RUNS (default runs given per property). */
export function fuzz(defaultRuns: number): fc.Parameters<unknown> {
  return { numRuns: runs ?? defaultRuns, ...(seed === undefined || Number.isNaN(seed) ? {} : { seed }) };
}

/** Any string, lone surrogates, NUL and control characters included (full UTF-16 code units). */
export const anyString = (maxLength = 200): fc.Arbitrary<string> => fc.oneof(
  fc.string({ unit: 'binary', maxLength }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength }),
  fc.string({ unit: fc.constantFrom(...'aéÉœŒæ’\'- 0123456789m²€%ℌℍﬁﬀİẞß\u0301\u0000\ud800\udc00\t\n\r'.split('')), maxLength }),
);

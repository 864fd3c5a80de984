import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGeography } from '../src/geo/geography.ts';
import { buildGolden, GOLDEN_DIR } from './support/golden.ts';

const stored = (name: string) => gunzipSync(readFileSync(new URL(`${name}.jsonl.gz`, GOLDEN_DIR))).toString('utf8').trimEnd().split('\n');

describe('the golden rankings', () => {
  let golden: ReturnType<typeof buildGolden>;
  beforeAll(() => { golden = buildGolden(loadGeography()); });

  for (const name of ['dev', 'demo'] as const) {
    it(`gives every ranking, score and explanation of the ${name} set byte for byte as recorded`, () => {
      const expected = stored(name);
      expect(golden[name].length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        // One query at a time, so a failure names the first ranking that changed.
        if (golden[name][i] !== expected[i]) expect(JSON.parse(golden[name][i])).toEqual(JSON.parse(expected[i]));
        expect(golden[name][i]).toBe(expected[i]);
      }
    });
  }
});

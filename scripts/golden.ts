/** Writes test/fixtures/golden/{dev,demo}.jsonl.gz (see test/support/golden.ts). */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadGeography } from '../src/geo/geography.ts';
import { buildGolden, GOLDEN_DIR } from '../test/support/golden.ts';

const golden = buildGolden(loadGeography());
for (const [name, lines] of Object.entries(golden)) {
  writeFileSync(new URL(`${name}.jsonl.gz`, GOLDEN_DIR), gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
  console.error(`${name}: ${lines.length} rankings`);
}

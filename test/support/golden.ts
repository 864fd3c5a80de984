/**
 * The golden rankings: every ranking, score and explanation the engine gives on the dev set and on
 * the demo data (cases plus the generated 3,000 × 1,500), computed in process. The files in
 * test/fixtures/golden were written by this code before a refactoring; test/golden.test.ts checks
 * that the engine still gives them byte for byte. Regenerate only for an intended change of
 * behaviour: `node bin/run-ts.mjs scripts/golden.ts`.
 */
import { readFileSync } from 'node:fs';
import { validateRecord } from '../../src/contract/validate.ts';
import type { EntityKind, Resource, Structure } from '../../src/domain/types.ts';
import { Index } from '../../src/engine/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { createMatching, type Matching } from '../../src/matching/matching.usecases.ts';
import type { Geography } from '../../src/geo/geography.ts';
import { generateResources, generateStructures } from '../../seed/generator.ts';
import { DEMO_SIZE } from '../../seed/demo.ts';

export const GOLDEN_DIR = new URL('../fixtures/golden/', import.meta.url);
export const GOLDEN_AS_OF = '2026-12-01';

const lines = (url: URL) => readFileSync(url, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');

function place<R extends { postal_code: string }>(kind: EntityKind, raw: unknown, geo: Geography, where: string): R & { place: Structure['place'] } {
  const v = validateRecord(kind, raw);
  if (!v.ok) throw new Error(`${where}: rejected ${JSON.stringify(v.errors)}`);
  const at = geo.resolvePostalCode(v.record.postal_code);
  if (!at) throw new Error(`${where}: unknown postal code`);
  return { ...(v.record as unknown as R), place: at.place };
}

function readSet(dir: URL, geo: Geography) {
  const structures = lines(new URL('structures.jsonl', dir)).map((l, i) => place<Structure>('structure', JSON.parse(l), geo, `structures:${i + 1}`));
  const resources = lines(new URL('resources.jsonl', dir)).map((l, i) => place<Resource>('resource', JSON.parse(l), geo, `resources:${i + 1}`));
  return { structures, resources };
}

export function devSet(geo: Geography) {
  return readSet(new URL('../fixtures/dev/', import.meta.url), geo);
}

export function demoSet(geo: Geography) {
  const cases = readSet(new URL('../../seed/cases/', import.meta.url), geo);
  const communes = geo.communes();
  const structures = [...cases.structures];
  const resources = [...cases.resources];
  for (const s of generateStructures({ ...DEMO_SIZE, communes })) structures.push(place<Structure>('structure', s, geo, s.id));
  for (const r of generateResources({ ...DEMO_SIZE, communes })) resources.push(place<Resource>('resource', r, geo, r.id));
  return { structures, resources };
}

export interface GoldenQuery { kind: EntityKind; id: string; includeExcluded: boolean }

/** Every query of the dev set; on the demo data, the cases, every 20th structure and every 10th resource. */
export function goldenQueries(set: { structures: Structure[]; resources: Resource[] }, every: { structure: number; resource: number }): GoldenQuery[] {
  const out: GoldenQuery[] = [];
  set.structures.forEach((s, i) => {
    if (!s.id.startsWith('seed-') || i % every.structure === 0) out.push({ kind: 'structure', id: s.id, includeExcluded: i % 3 === 0 });
  });
  set.resources.forEach((r, i) => {
    if (!r.id.startsWith('seed-') || i % every.resource === 0) out.push({ kind: 'resource', id: r.id, includeExcluded: i % 3 === 0 });
  });
  return out;
}

/** The engine's answers to the queries, one JSON line each. */
export function goldenLines(matching: Matching, queries: GoldenQuery[]): string[] {
  return queries.map((q) => {
    const query = { limit: 20, as_of: GOLDEN_AS_OF, explain: true, include_excluded: q.includeExcluded };
    const list = q.kind === 'structure' ? matching.forStructure(q.id, query) : matching.forResource(q.id, query);
    return JSON.stringify(list);
  });
}

/** Previews of a few records taken out of the set (their ids changed), one JSON line each. */
export function previewLines(matching: Matching, set: { structures: Structure[]; resources: Resource[] }): string[] {
  const query = { limit: 10, as_of: GOLDEN_AS_OF, explain: true };
  return [
    ...set.structures.slice(0, 5).map((s) => JSON.stringify(matching.preview('structure', { ...s, id: 'apercu' }, query))),
    ...set.resources.slice(0, 5).map((r) => JSON.stringify(matching.preview('resource', { ...r, id: 'apercu' }, query))),
  ];
}

export function buildGolden(geo: Geography) {
  const { thesaurus, model } = loadMatchingFiles();
  const dev = devSet(geo);
  const demo = demoSet(geo);
  const devEngine = createMatching({ index: Index.build(thesaurus, dev), model });
  const demoEngine = createMatching({ index: Index.build(thesaurus, demo), model });
  return {
    dev: [...goldenLines(devEngine, goldenQueries(dev, { structure: 1, resource: 1 })), ...previewLines(devEngine, dev)],
    demo: [...goldenLines(demoEngine, goldenQueries(demo, { structure: 20, resource: 10 })), ...previewLines(demoEngine, demo)],
  };
}

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
import { createEngine } from '../../src/engine/engine.ts';
import { loadDefaults } from '../../src/engine/load.ts';
import type { Engine } from '../../src/engine/types.ts';
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
export function goldenLines(engine: Engine, queries: GoldenQuery[]): string[] {
  return queries.map((q) => {
    const options = { limit: 20, asOf: GOLDEN_AS_OF, explain: true, includeExcluded: q.includeExcluded };
    const list = q.kind === 'structure' ? engine.matchStructure(q.id, options) : engine.matchResource(q.id, options);
    return JSON.stringify(list);
  });
}

/** Previews of a few records taken out of the set (their ids changed), one JSON line each. */
export function previewLines(engine: Engine, set: { structures: Structure[]; resources: Resource[] }): string[] {
  const options = { limit: 10, asOf: GOLDEN_AS_OF, explain: true };
  return [
    ...set.structures.slice(0, 5).map((s) => JSON.stringify(engine.previewStructure({ ...s, id: 'apercu' }, options))),
    ...set.resources.slice(0, 5).map((r) => JSON.stringify(engine.previewResource({ ...r, id: 'apercu' }, options))),
  ];
}

export function buildGolden(geo: Geography) {
  const deps = loadDefaults();
  const dev = devSet(geo);
  const demo = demoSet(geo);
  const devEngine = createEngine({ ...deps, today: () => GOLDEN_AS_OF }, dev);
  const demoEngine = createEngine({ ...deps, today: () => GOLDEN_AS_OF }, demo);
  return {
    dev: [...goldenLines(devEngine, goldenQueries(dev, { structure: 1, resource: 1 })), ...previewLines(devEngine, dev)],
    demo: [...goldenLines(demoEngine, goldenQueries(demo, { structure: 20, resource: 10 })), ...previewLines(demoEngine, demo)],
  };
}

/**
 * Demo data: the hand-written cases (seed/cases) and a generated set of the given size, imported
 * through the same importer as any file, so that the demo exercises the real path.
 */
import { createReadStream, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { AuditActor } from '../src/audit/audit.repository.ts';
import type { Logger } from '../src/config/logger.ts';
import type { Store } from '../src/db/open.ts';
import type { EntityKind } from '../src/domain/types.ts';
import type { Geography } from '../src/geo/geography.ts';
import { importRecords, type ImportSummary } from '../src/importer/index.ts';
import { generateResources, generateStructures, type GenerateOptions } from './generator.ts';

export const DEMO_SIZE = { structures: 3000, resources: 1500 } as const;
export const CASES_DIR = new URL('./cases/', import.meta.url);

/** `actor`: who loads the data, for the audit trail (the operator with `passerelles seed`, the service at its first start). */
export interface SeedDeps { store: Store; geography: Geography; logger?: Logger; actor: AuditActor }

/** Records of a generator as JSON Lines bytes, produced as the importer reads them. */
function jsonLines(records: Iterable<object>): Readable {
  return Readable.from((function* () { for (const r of records) yield `${JSON.stringify(r)}\n`; })());
}

async function importStream(deps: SeedDeps, kind: EntityKind, source: Readable, sourceName: string): Promise<ImportSummary> {
  const rejects: string[] = [];
  const summary = await importRecords(deps, {
    kind, format: 'jsonl', source, sourceName, actor: deps.actor,
    onReject: (r) => { if (rejects.length < 5) rejects.push(`${r.source}:${r.line} ${r.field ?? ""} ${r.reason}`); },
  });
  if (summary.rejected > 0) deps.logger?.warn({ kind, sourceName, rejected: summary.rejected, examples: rejects }, 'données de démonstration rejetées');
  return summary;
}

/** Imports generated structures and resources (deterministic for a seed). */
export async function seedGenerated(deps: SeedDeps, options: Omit<GenerateOptions, 'communes'>) {
  const opts = { ...options, communes: deps.geography.communes() };
  return {
    structures: await importStream(deps, 'structure', jsonLines(generateStructures(opts)), 'seed:structures'),
    resources: await importStream(deps, 'resource', jsonLines(generateResources(opts)), 'seed:resources'),
  };
}

/** Imports the hand-written cases modelled on the partnership's history. */
export async function seedCases(deps: SeedDeps) {
  const file = (name: string) => new URL(name, CASES_DIR).pathname;
  const out: Partial<Record<EntityKind, ImportSummary>> = {};
  for (const [kind, name] of [['structure', 'structures.jsonl'], ['resource', 'resources.jsonl']] as const) {
    if (existsSync(file(name))) out[kind] = await importStream(deps, kind, createReadStream(file(name)), `seed/cases/${name}`);
  }
  return out;
}

/** The demo dataset: cases plus about 3,000 structures and 1,500 resources. */
export async function seedDemo(deps: SeedDeps) {
  const cases = await seedCases(deps);
  const generated = await seedGenerated(deps, DEMO_SIZE);
  return { cases, generated };
}

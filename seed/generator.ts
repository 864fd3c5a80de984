/**
 * Deterministic generator of realistic demo data: ESS structures and La Poste resources, streamed one
 * record at a time so that very large sets can be written without holding them in memory.
 *
 * Determinism: a run depends only on (seed, communes). Structures and resources use two independent
 * PRNG streams derived from the seed, and record i depends only on records 1..i of its stream, so
 * asking for more records extends a smaller run without changing its first records.
 */
import type { ResourceRecord, StructureRecord } from '../src/domain/types.ts';
import { CommuneSampler, type SeedCommune } from './communes.ts';
import { Prng } from './prng.ts';
import { buildResource, resourceContext } from './resources.ts';
import { buildStructure, structureContext } from './structures.ts';

export type { SeedCommune } from './communes.ts';

export interface GenerateOptions {
  structures: number;
  resources: number;
  /** PRNG seed; default 2014. */
  seed?: number;
  /** Communes to draw from, in proportion to population (e.g. `loadGeography().communes()`). */
  communes: readonly SeedCommune[];
}

export const DEFAULT_SEED = 2014;

/** Distinct stream constants so structures and resources do not share random numbers. */
const STRUCTURE_STREAM = 0x5eed_0001;
const RESOURCE_STREAM = 0x5eed_0002;

function count(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`seed: ${what} must be a non-negative integer, got ${n}`);
  return n;
}

/** `opts.structures` ESS structures, ids seed-s000001, seed-s000002, … */
export function* generateStructures(opts: GenerateOptions): Generator<StructureRecord> {
  const n = count(opts.structures, 'structures');
  if (n === 0) return;
  const rng = new Prng((opts.seed ?? DEFAULT_SEED) ^ STRUCTURE_STREAM);
  const ctx = structureContext(new CommuneSampler(opts.communes));
  for (let i = 1; i <= n; i++) yield buildStructure(rng, i, ctx);
}

/** `opts.resources` La Poste resources, ids seed-r000001, seed-r000002, … */
export function* generateResources(opts: GenerateOptions): Generator<ResourceRecord> {
  const n = count(opts.resources, 'resources');
  if (n === 0) return;
  const rng = new Prng((opts.seed ?? DEFAULT_SEED) ^ RESOURCE_STREAM);
  const ctx = resourceContext(new CommuneSampler(opts.communes));
  for (let i = 1; i <= n; i++) yield buildResource(rng, i, ctx);
}

/**
 * One side of the matching (structures or resources): profiles by slot, an id → slot map, the
 * inverted index of their text vectors and a département block for geographic candidates
 * (national and regional offers stay out of it: they are no closer to their own département).
 * A replaced record gets a new slot; the old one is marked dead.
 */
import type { Place } from '../domain/types.ts';
import { InvertedIndex } from './inverted-index.ts';
import type { SparseVector } from './documents.ts';

export interface Indexed { entity: { id: string; place: Place; scope?: string }; vector: SparseVector }

/** Records bound to their place (structures, local and departmental offers) go in the département block. */
const boundToPlace = (p: Indexed) => p.entity.scope === undefined || p.entity.scope === 'local' || p.entity.scope === 'departmental';

export class Collection<P extends Indexed> {
  readonly profiles: P[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly byDepartment = new Map<string, number[]>();
  index = new InvertedIndex();

  get size(): number { return this.slotById.size; }

  slotOf(id: string): number | undefined { return this.slotById.get(id); }

  get(id: string): P | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.profiles[slot];
  }

  /** Bulk load: profiles take slots in order, then the index is built in one pass. */
  build(profiles: P[], termCount: number): void {
    for (const p of profiles) this.place(p, this.profiles.length);
    this.index = InvertedIndex.build(this.profiles.map((p) => p.vector), termCount);
  }

  /** Adds or replaces a record; returns the profile it replaced, if any. */
  upsert(profile: P): P | undefined {
    const previous = this.remove(profile.entity.id);
    const slot = this.index.add(profile.vector);
    this.place(profile, slot);
    return previous;
  }

  remove(id: string): P | undefined {
    const slot = this.slotById.get(id);
    if (slot === undefined) return undefined;
    this.index.remove(slot);
    this.slotById.delete(id);
    return this.profiles[slot];
  }

  isAlive(slot: number): boolean { return this.index.isAlive(slot); }

  /** How many slots (live or dead) a département holds: an upper bound of its live records, in O(1). */
  departmentSize(code: string): number { return this.byDepartment.get(code)?.length ?? 0; }

  /** Live slots located in a département. */
  inDepartment(code: string): number[] {
    return (this.byDepartment.get(code) ?? []).filter((s) => this.index.isAlive(s));
  }

  live(): P[] { return [...this.slotById.values()].map((s) => this.profiles[s]); }

  private place(profile: P, slot: number): void {
    this.profiles[slot] = profile;
    this.slotById.set(profile.entity.id, slot);
    if (!boundToPlace(profile)) return;
    const dept = profile.entity.place.department;
    const list = this.byDepartment.get(dept);
    if (list) list.push(slot); else this.byDepartment.set(dept, [slot]);
  }
}

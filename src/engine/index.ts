/**
 * The index the matching stages read: the structures and resources as profiles, in two
 * collections over one vocabulary (tf-idf terms, thesaurus concepts, spelling variants) and one
 * pool of the words as written. Built in two passes (document frequencies, then vectors with the
 * final idf), then kept up to date record by record (upsert, remove); `compact()` folds the
 * changes into fresh postings (the nightly run calls it).
 */
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import {
  analyseResource, analyseStructure, finishResource, finishStructure, type Analyser,
} from '../profiles/analysis.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { Collection } from '../retrieval/collection.ts';
import { SurfacePool } from '../retrieval/surfaces.ts';
import { Vocabulary } from '../retrieval/vocabulary.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import { isWide, resourceKeys, structureKeys } from './areas.ts';

export interface IndexStats { structures: number; resources: number; terms: number; builtInMs: number }

/** What a snapshot restores an index from (see snapshot.ts): the shared tables and the profiles in slot order. */
export interface IndexParts {
  vocabulary: Vocabulary;
  pool: SurfacePool;
  structures: StructureProfile[];
  resources: ResourceProfile[];
}

export class Index {
  readonly vocabulary: Vocabulary;
  readonly pool: SurfacePool;
  readonly analyser: Analyser;
  readonly structures = new Collection<StructureProfile>(structureKeys);
  readonly resources = new Collection<ResourceProfile>(resourceKeys);
  /** The farthest a local offer reaches: how far around a structure to look for local offers. */
  localReachKm = 0;
  builtInMs = 0;

  private constructor(readonly thesaurus: Thesaurus, vocabulary = new Vocabulary(), pool = new SurfacePool()) {
    this.vocabulary = vocabulary;
    this.pool = pool;
    this.analyser = { vocabulary, thesaurus, surfaces: pool };
  }

  /** Indexes every record in two passes: document frequencies first, then vectors with the final idf. */
  static build(thesaurus: Thesaurus, data: { structures: Iterable<Structure>; resources: Iterable<Resource> }): Index {
    const started = performance.now();
    const index = new Index(thesaurus);
    const a = index.analyser;
    const pendingS = [...data.structures].map((s) => analyseStructure(a, s));
    const pendingR = [...data.resources].map((r) => analyseResource(a, r));
    for (const p of pendingS) index.vocabulary.addDocument(p.bag.ids);
    for (const p of pendingR) index.vocabulary.addDocument(p.bag.ids);
    index.structures.build(pendingS.map((p) => finishStructure(a, p)), index.vocabulary.size);
    index.resources.build(pendingR.map((p) => finishResource(a, p)), index.vocabulary.size);
    index.resources.profiles.forEach((r) => index.noteReach(r));
    index.builtInMs = performance.now() - started;
    return index;
  }

  /** An index from the parts a snapshot kept, without analysing any text: the same as the one that was saved. */
  static restore(thesaurus: Thesaurus, parts: IndexParts): Index {
    const started = performance.now();
    const index = new Index(thesaurus, parts.vocabulary, parts.pool);
    index.structures.build(parts.structures, index.vocabulary.size);
    index.resources.build(parts.resources, index.vocabulary.size);
    index.resources.profiles.forEach((r) => index.noteReach(r));
    index.builtInMs = performance.now() - started;
    return index;
  }

  /**
   * An analyser for a record outside the collections (a preview), with the current idf, through
   * scratch views of the vocabulary and the surface pool: its new words are forgotten after the answer.
   */
  scratch(): Analyser {
    return { vocabulary: this.vocabulary.scratch(), thesaurus: this.thesaurus, surfaces: this.pool.scratch() };
  }

  /** Makes a new or changed structure matchable at once. */
  upsertStructure(s: Structure): void {
    const pending = analyseStructure(this.analyser, s);
    const previous = this.structures.get(s.id);
    if (previous) this.vocabulary.removeDocument(previous.vector.ids);
    this.vocabulary.addDocument(pending.bag.ids);
    this.structures.upsert(finishStructure(this.analyser, pending));
  }

  upsertResource(r: Resource): void {
    const pending = analyseResource(this.analyser, r);
    const previous = this.resources.get(r.id);
    if (previous) this.vocabulary.removeDocument(previous.vector.ids);
    this.vocabulary.addDocument(pending.bag.ids);
    const profile = finishResource(this.analyser, pending);
    this.noteReach(profile);
    this.resources.upsert(profile);
  }

  /** Removes a record (archived or deleted) from matching. */
  remove(kind: EntityKind, id: string): void {
    const removed = kind === 'structure' ? this.structures.remove(id) : this.resources.remove(id);
    if (removed) this.vocabulary.removeDocument(removed.vector.ids);
  }

  /** Folds upserts and removals into fresh postings and slots: queries stop paying for dead slots. */
  compact(): void {
    this.structures.compact(this.vocabulary.size);
    this.resources.compact(this.vocabulary.size);
  }

  getStructure(id: string): Structure | undefined { return this.structures.get(id)?.entity; }
  getResource(id: string): Resource | undefined { return this.resources.get(id)?.entity; }

  stats(): IndexStats {
    return { structures: this.structures.size, resources: this.resources.size, terms: this.vocabulary.size, builtInMs: this.builtInMs };
  }

  private noteReach(r: ResourceProfile): void {
    if (r.scope === 'local' && !isWide(r)) this.localReachKm = Math.max(this.localReachKm, r.maxReachKm);
  }
}

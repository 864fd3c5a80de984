/**
 * A snapshot caught up record by record weighs the records it applies with the idf of the moment,
 * and leaves the others with the idf of its day. Index.withCurrentIdf weighs every vector again
 * from its raw weights: the nightly run then ranks as a build of the same records would, without
 * analysing every text again (matching.sync.ts, loadIndex's `exact`). On these changes no spelling
 * variant changes hands (one that does keeps, caught up, the stem it was first read as: see
 * Index.withCurrentIdf), so the vectors are a build's to the last bit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource, Structure } from '../../src/domain/types.ts';
import { Index } from '../../src/engine/index.ts';
import { rankQuery } from '../../src/batch/batch.shard.ts';
import { dayNumber } from '../../src/domain/day.ts';
import type { RankRequest } from '../../src/engine/request.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { byTerm } from '../support/vectors.ts';
import { generatedRecords } from './generated.ts';

const thesaurus = loadMatchingFiles().thesaurus;
let caughtUp: Index, fresh: Index;
let archived: Set<string>;


beforeAll(() => {
  const before = generatedRecords({ structures: 400, resources: 150, seed: 11 });
  const more = generatedRecords({ structures: 20, resources: 10, seed: 12 });
  caughtUp = Index.build(thesaurus, before);
  // A day of changes: need texts rewritten (new words among them), records added, records archived.
  const rewritten = new Map<string, Structure>(before.structures.slice(0, 40).map((s, i) => [s.id, {
    ...s, need_text: `${s.need_text ?? ''} Il nous faut aussi un vélo-cargo électrique${i % 3 === 0 ? ' et une chambre froide' : ''}.`,
  }]));
  const added = {
    structures: more.structures.map((s) => ({ ...s, id: `nouvelle-${s.id}` })),
    resources: more.resources.map((r) => ({ ...r, id: `nouvelle-${r.id}` })),
  };
  archived = new Set([...before.structures.slice(100, 130), ...before.resources.slice(20, 35)].map((x) => x.id));
  const isStructure = (id: string) => before.structures.some((s) => s.id === id);
  for (const s of rewritten.values()) caughtUp.upsertStructure(s);
  for (const s of added.structures) caughtUp.upsertStructure(s);
  for (const r of added.resources) caughtUp.upsertResource(r);
  for (const id of archived) caughtUp.remove(isStructure(id) ? 'structure' : 'resource', id);
  const now = {
    structures: [...before.structures.filter((s) => !archived.has(s.id)).map((s) => rewritten.get(s.id) ?? s), ...added.structures],
    resources: [...before.resources.filter((r) => !archived.has(r.id)), ...added.resources] as Resource[],
  };
  fresh = Index.build(thesaurus, now);
});

describe('an index caught up record by record, weighed again with the idf of now', () => {
  it('has the records of a build of the same records in the same slots, with the same vectors to the last bit', () => {
    expect(fresh.structures.size + fresh.resources.size).toBe(400 + 150 + 20 + 10 - archived.size);
    const exact = caughtUp.withCurrentIdf();
    for (const kind of ['structures', 'resources'] as const) {
      const got = exact[kind].liveInSlotOrder(), want = fresh[kind].liveInSlotOrder();
      expect(got.map((p) => p.entity.id)).toEqual(want.map((p) => p.entity.id));
      got.forEach((p, i) => expect(byTerm(exact, p.vector)).toEqual(byTerm(fresh, want[i].vector)));
    }
    exact.structures.liveInSlotOrder().forEach((p, i) =>
      expect(byTerm(exact, p.needVector)).toEqual(byTerm(fresh, fresh.structures.liveInSlotOrder()[i].needVector)));
    expect(exact.vocabulary.documents).toBe(fresh.vocabulary.documents);
  });

  it('ranks every structure and every resource as that build does in the nightly run', () => {
    const exact = caughtUp.withCurrentIdf();
    const request: RankRequest = {
      limit: 10, asOf: '2026-12-01', asOfDay: dayNumber('2026-12-01'), model: loadMatchingFiles().model, explain: false, includeExcluded: false,
    };
    const rows = (index: Index) => [
      ...index.structures.liveInSlotOrder().map((s) => rankQuery(index, 'structure', s, request).row),
      ...index.resources.liveInSlotOrder().map((r) => rankQuery(index, 'resource', r, request).row),
    ];
    const got = rows(exact), want = rows(fresh);
    expect(got.map((r) => [r.queryId, r.candidates])).toEqual(want.map((r) => [r.queryId, r.candidates]));
    got.forEach((r, i) => r.scores.forEach((score, j) => expect(score).toBeCloseTo(want[i].scores[j], 12)));
  });

  it('is needed: without it, records the catch-up did not touch keep the idf of the day before', () => {
    const unchanged = caughtUp.structures.liveInSlotOrder().filter((p) => !p.entity.id.startsWith('nouvelle-'));
    const differing = unchanged.filter((p) => {
      const twin = fresh.structures.get(p.entity.id)!;
      const a = byTerm(caughtUp, p.vector), b = byTerm(fresh, twin.vector);
      return [...a].some(([term, w]) => b.get(term) !== w);
    });
    expect(differing.length).toBeGreaterThan(unchanged.length / 2);
  });
});

/** Immediate effects of feedback, in memory: exclusions per requester, partnerships, the weekly cap of delegates. */
import { describe, expect, it } from 'vitest';
import { createFeedbackEffects, WEEK_MS } from '../../src/feedback/effects.ts';

const DAY = 24 * 3600 * 1000;

describe('feedback effects', () => {
  const make = (over: Partial<Parameters<typeof createFeedbackEffects>[0]> = {}) => {
    let t = Date.parse('2026-12-01T12:00:00Z');
    const effects = createFeedbackEffects({ enabled: true, maxDelegatesPerWeek: 2, now: () => new Date(t), ...over });
    return { effects, advance: (ms: number) => { t += ms; }, at: () => new Date(t) };
  };
  const alice = { requester: 'alice', role: 'delegate' };
  const bob = { requester: 'bob', role: 'delegate' };

  it('hides from a requester, in both directions, the pair it marked not interested, and from nobody else', () => {
    const { effects } = make();
    effects.addEvent({ requester: 'alice', kind: 'not_interested', structureId: 's1', resourceId: 'r1' });
    expect(effects.hiddenReason(alice, { kind: 'structure', id: 's1' }, 'r1')).toBe('not_interested');
    expect(effects.hiddenReason(alice, { kind: 'resource', id: 'r1' }, 's1')).toBe('not_interested');
    expect(effects.hiddenReason(alice, { kind: 'structure', id: 's1' }, 'r2')).toBeUndefined();
    expect(effects.hiddenReason(bob, { kind: 'structure', id: 's1' }, 'r1')).toBeUndefined();
  });

  it('flags a pair in partnership for everyone and hides it from the requester who signed it', () => {
    const { effects } = make();
    effects.addEvent({ requester: 'alice', kind: 'partnership', structureId: 's1', resourceId: 'r1' });
    expect(effects.isPartnership('s1', 'r1')).toBe(true);
    expect(effects.hiddenReason(alice, { kind: 'structure', id: 's1' }, 'r1')).toBe('partnership');
    expect(effects.hiddenReason(bob, { kind: 'structure', id: 's1' }, 'r1')).toBeUndefined();
  });

  it('ignores the kinds without an immediate effect', () => {
    const { effects } = make();
    for (const kind of ['viewed', 'shortlisted', 'contacted'] as const) effects.addEvent({ requester: 'alice', kind, structureId: 's1', resourceId: 'r1' });
    expect(effects.hiddenReason(alice, { kind: 'structure', id: 's1' }, 'r1')).toBeUndefined();
    expect(effects.stats().exclusions).toBe(0);
  });

  it('does nothing for requesters when the effects are turned off', () => {
    const { effects } = make({ enabled: false });
    effects.addEvent({ requester: 'alice', kind: 'partnership', structureId: 's1', resourceId: 'r1' });
    expect(effects.hiddenReason(alice, { kind: 'structure', id: 's1' }, 'r1')).toBeUndefined();
    expect(effects.isPartnership('s1', 'r1')).toBe(false);
  });

  it('proposes a structure to at most N delegates a week, still to those who already saw it, and again after a week', () => {
    const { effects, advance, at } = make();
    const query = { kind: 'resource' as const, id: 'r1' };
    effects.noteShown('alice', ['s1'], at());
    effects.noteShown('bob', ['s1'], at());
    expect(effects.hiddenReason({ requester: 'carol', role: 'delegate' }, query, 's1')).toBe('weekly_limit');
    expect(effects.hiddenReason(alice, query, 's1')).toBeUndefined();
    expect(effects.hiddenReason({ requester: 'admin', role: 'admin' }, query, 's1')).toBeUndefined();
    expect(effects.hiddenReason({ requester: 'carol', role: 'delegate' }, query, 's2')).toBeUndefined();
    advance(WEEK_MS + DAY);
    expect(effects.hiddenReason({ requester: 'carol', role: 'delegate' }, query, 's1')).toBeUndefined();
  });

  it('gives one request the same reasons as asking candidate by candidate, reading the clock once', () => {
    let reads = 0;
    const { effects, at } = make();
    const counted = createFeedbackEffects({ enabled: true, maxDelegatesPerWeek: 2, now: () => { reads++; return at(); } });
    for (const e of [effects, counted]) {
      e.addEvent({ requester: 'carol', kind: 'not_interested', structureId: 's3', resourceId: 'r1' });
      e.noteShown('alice', ['s1', 's2'], at());
      e.noteShown('bob', ['s1'], at());
    }
    const carol = { requester: 'carol', role: 'delegate' }, query = { kind: 'resource' as const, id: 'r1' };
    const reasons = counted.hiddenReasons(carol, query)!;
    const candidates = ['s1', 's2', 's3', 's4'];
    expect(candidates.map(reasons)).toEqual(candidates.map((id) => effects.hiddenReason(carol, query, id)));
    expect(candidates.map(reasons)).toEqual(['weekly_limit', undefined, 'not_interested', undefined]);
    expect(reads).toBe(1);
    // nothing to ask for a requester without exclusions and no cap: an admin, or a delegate's structure query
    expect(effects.hiddenReasons({ requester: 'dave', role: 'admin' }, query)).toBeUndefined();
    expect(effects.hiddenReasons({ requester: 'dave', role: 'delegate' }, { kind: 'structure', id: 's1' })).toBeUndefined();
    expect(effects.hiddenReasons({ requester: 'dave', role: 'delegate' }, query)).toBeDefined();
  });

  it('has no weekly cap when N is 0', () => {
    const { effects, at } = make({ maxDelegatesPerWeek: 0 });
    for (const who of ['a', 'b', 'c']) effects.noteShown(who, ['s1'], at());
    expect(effects.hiddenReason({ requester: 'd', role: 'delegate' }, { kind: 'resource', id: 'r1' }, 's1')).toBeUndefined();
  });
});

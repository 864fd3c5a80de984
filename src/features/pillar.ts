import type { Feature } from './feature.ts';

/** Value when the resource's pillar is not ticked in `needs` but the need text names it. */
export const NAMED_IN_TEXT = 0.6;

/** The resource's pillar against the structure's needs: ticked 1, named in its need text 0.6, else 0. */
export const pillarFit: Feature = {
  name: 'pillar',
  label: 'pilier demandé',
  compute: (s, r) => ((s.needsMask & r.pillarMask) !== 0 ? 1 : (s.textPillarsMask & r.pillarMask) !== 0 ? NAMED_IN_TEXT : 0),
};

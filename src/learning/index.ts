/**
 * The learning core of the feedback loop (issue 15), pure: events → training examples, position-bias
 * propensities from random adjacent swaps, pairwise training of the linear model with inverse
 * propensity weights, held-out NDCG and the promotion guard, team-draft interleaving.
 */
export * from './events.ts';
export * from './propensity.ts';
export * from './train.ts';
export * from './evaluate.ts';
export * from './interleave.ts';

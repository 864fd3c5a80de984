/**
 * Text features. Cosines of tf-idf vectors between a short need and a long offer are small
 * (0.01–0.4) and bunched near 0; their square root spreads the low end, where most pairs lie,
 * so that a linear model can weigh « a few words in common » against « nothing in common ».
 */
import { clamp01, type Feature } from './feature.ts';

/** Cosine of the two whole texts (all fields, thesaurus concepts included), square-rooted. */
export const textSimilarity: Feature = {
  name: 'text',
  label: 'proximité des textes',
  compute: (_s, _r, pair) => Math.sqrt(clamp01(pair.textCosine)),
};

/** Cosine of what the structure says it needs (need_text, tags) with the resource's text, square-rooted. */
export const needSimilarity: Feature = {
  name: 'need_text',
  label: 'réponse au besoin exprimé',
  compute: (_s, _r, pair) => Math.sqrt(clamp01(pair.needCosine)),
};

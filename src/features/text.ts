import { clamp01, type Feature } from './feature.ts';

/** Cosine of the two whole texts (all fields, thesaurus concepts included). */
export const textSimilarity: Feature = {
  name: 'text',
  label: 'proximité des textes',
  compute: (_s, _r, pair) => clamp01(pair.textCosine),
};

/** Cosine of what the structure says it needs (need_text, tags) with the resource's text. */
export const needSimilarity: Feature = {
  name: 'need_text',
  label: 'réponse au besoin exprimé',
  compute: (_s, _r, pair) => clamp01(pair.needCosine),
};

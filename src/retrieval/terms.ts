/** Terms of the vocabulary: word stems, and thesaurus concepts written `§id`. */
export const conceptTerm = (id: string) => `§${id}`;
export const isConceptTerm = (term: string) => term.startsWith('§');

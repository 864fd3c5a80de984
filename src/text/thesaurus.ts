/**
 * The field vocabulary (models/thesaurus.json): concepts of ESS and La Poste language, each with
 * synonyms (full weight) and related terms (half weight). A text that contains any phrase of a
 * concept gets that concept as an extra term, so « un local pour nos ateliers » and « surface
 * commerciale vacante » meet on `premises.local` even without a word in common.
 * Phrases are analysed like any text and matched as consecutive content terms (stems).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PILLARS, type Pillar } from '../domain/types.ts';
import { PasserellesError } from '../domain/errors.ts';
import { analyze, type Term } from './analyze.ts';

const conceptSchema = z.object({
  id: z.string().regex(/^[a-z_]+\.[a-z0-9_]+$/),
  pillar: z.enum(PILLARS).optional(),
  label: z.string().min(1),
  weight: z.number().positive().max(3).default(1),
  /** The pillar's umbrella mechanism (« mécénat de compétences », « financement »), not a precise need. */
  generic: z.boolean().default(false),
  synonyms: z.array(z.string().min(1)).min(1),
  related: z.array(z.string().min(1)).default([]),
});
const thesaurusSchema = z.object({
  version: z.string(),
  description: z.string().optional(),
  concepts: z.array(conceptSchema),
});
export type ThesaurusFile = z.input<typeof thesaurusSchema>;

export const RELATED_FACTOR = 0.5;

interface Phrase { stems: string[]; concept: number; factor: number }

export interface Concept { id: string; pillar?: Pillar; label: string; weight: number; generic: boolean }

export interface ConceptHit {
  concept: Concept;
  /** Synonym: the concept's weight; related term: half of it. */
  weight: number;
  /** The words of the text that evoked it, as written. */
  surface: string;
  position: number;
  /** Evoked through a related term (half weight), not a synonym. */
  related: boolean;
}

export interface Thesaurus {
  version: string;
  concepts: readonly Concept[];
  /** Concepts evoked by the content terms of one text, in order of appearance. */
  find(terms: readonly Term[]): ConceptHit[];
}

export function createThesaurus(file: ThesaurusFile, source = 'thésaurus'): Thesaurus {
  const parsed = thesaurusSchema.safeParse(file);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PasserellesError('thesaurus.invalid',
      `${source} invalide : ${issue.path.join('.')} — ${issue.message}`, 500);
  }
  const concepts: Concept[] = parsed.data.concepts.map(({ id, pillar, label, weight, generic }) => ({ id, pillar, label, weight, generic }));
  const byFirstStem = new Map<string, Phrase[]>();
  parsed.data.concepts.forEach((c, index) => {
    const add = (text: string, factor: number) => {
      const stems = analyze(text).map((t) => t.stem);
      if (stems.length === 0) return;
      const list = byFirstStem.get(stems[0]) ?? [];
      list.push({ stems, concept: index, factor });
      byFirstStem.set(stems[0], list);
    };
    c.synonyms.forEach((s) => add(s, 1));
    c.related.forEach((s) => add(s, RELATED_FACTOR));
  });
  // Longest phrases first, so that « bureau de poste » wins over « bureau ».
  for (const list of byFirstStem.values()) list.sort((a, b) => b.stems.length - a.stems.length);

  return {
    version: parsed.data.version,
    concepts,
    find(terms) {
      const hits: ConceptHit[] = [];
      for (let i = 0; i < terms.length; i++) {
        const candidates = byFirstStem.get(terms[i].stem);
        if (!candidates) continue;
        const seen = new Set<number>();
        for (const p of candidates) {
          if (seen.has(p.concept) || !matchesAt(terms, i, p.stems)) continue;
          seen.add(p.concept);
          const concept = concepts[p.concept];
          const surface = terms.slice(i, i + p.stems.length).map((t) => t.surface).join(' ');
          hits.push({ concept, weight: concept.weight * p.factor, surface, position: i, related: p.factor !== 1 });
        }
      }
      return hits;
    },
  };
}

function matchesAt(terms: readonly Term[], start: number, stems: string[]): boolean {
  if (start + stems.length > terms.length) return false;
  for (let k = 0; k < stems.length; k++) if (terms[start + k].stem !== stems[k]) return false;
  return true;
}

export function loadThesaurus(path: string): Thesaurus {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PasserellesError('thesaurus.unreadable', `Thésaurus illisible (${path}) : ${(e as Error).message}`, 500);
  }
  return createThesaurus(raw as ThesaurusFile, path);
}

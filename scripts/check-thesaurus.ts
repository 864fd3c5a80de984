/**
 * Checks the field vocabulary (models/thesaurus.json) and shows what a text evokes.
 *
 *   node bin/run-ts.mjs scripts/check-thesaurus.ts                      # audit only
 *   node bin/run-ts.mjs scripts/check-thesaurus.ts "un petit local pour nos ateliers" "…"
 *   node bin/run-ts.mjs scripts/check-thesaurus.ts --file other.json "texte"
 *   node bin/run-ts.mjs scripts/check-thesaurus.ts --verbose            # also list redundant spellings
 *
 * The audit loads the file through loadThesaurus (schema validation included), then analyses every
 * phrase the way the engine does (folding, stopwords, stems) and reports:
 * - errors: duplicate concept ids, phrases that collapse to zero content terms, and the same stem
 *   sequence in two different concepts (one phrase, two meanings: pick one, or move it to related);
 * - errors: the same stem sequence given as a synonym and as a related term of one concept (the
 *   synonym wins, so the « related » reading the file states is never applied: decide which it is);
 * - notes: phrases of one concept that give the same stems (harmless, redundant spellings).
 * Exit code 1 when there is an error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/text/analyze.ts';
import { loadThesaurus, type ThesaurusFile } from '../src/text/thesaurus.ts';

export const DEFAULT_THESAURUS = fileURLToPath(new URL('../models/thesaurus.json', import.meta.url));

export interface PhraseRef { concept: string; kind: 'synonym' | 'related'; phrase: string }

export interface ThesaurusAudit {
  concepts: number;
  phrases: number;
  duplicateIds: string[];
  /** Phrases with no content term left after stopword removal: they can never match. */
  empty: PhraseRef[];
  /** One stem sequence used by several concepts. */
  duplicates: { stems: string; uses: PhraseRef[] }[];
  /** One stem sequence given both as a synonym and as a related term of the same concept. */
  mixed: { stems: string; uses: PhraseRef[] }[];
  /** One stem sequence given twice inside the same concept. */
  redundant: { stems: string; uses: PhraseRef[] }[];
  /** Concepts per family (the id's prefix: a pillar, 'public' or 'need'). */
  families: Record<string, number>;
}

export function auditThesaurus(file: ThesaurusFile): ThesaurusAudit {
  const seenIds = new Set<string>();
  const duplicateIds: string[] = [];
  const empty: PhraseRef[] = [];
  const byStems = new Map<string, PhraseRef[]>();
  const families: Record<string, number> = {};
  let phrases = 0;
  for (const c of file.concepts) {
    if (seenIds.has(c.id)) duplicateIds.push(c.id);
    seenIds.add(c.id);
    const family = c.id.split('.')[0];
    families[family] = (families[family] ?? 0) + 1;
    const refs: PhraseRef[] = [
      ...c.synonyms.map((phrase) => ({ concept: c.id, kind: 'synonym' as const, phrase })),
      ...(c.related ?? []).map((phrase) => ({ concept: c.id, kind: 'related' as const, phrase })),
    ];
    for (const ref of refs) {
      phrases++;
      const stems = analyze(ref.phrase).map((t) => t.stem).join(' ');
      if (stems === '') { empty.push(ref); continue; }
      const list = byStems.get(stems) ?? [];
      list.push(ref);
      byStems.set(stems, list);
    }
  }
  const duplicates: ThesaurusAudit['duplicates'] = [];
  const mixed: ThesaurusAudit['mixed'] = [];
  const redundant: ThesaurusAudit['redundant'] = [];
  for (const [stems, uses] of byStems) {
    if (uses.length < 2) continue;
    if (new Set(uses.map((u) => u.concept)).size > 1) duplicates.push({ stems, uses });
    else if (new Set(uses.map((u) => u.kind)).size > 1) mixed.push({ stems, uses });
    else redundant.push({ stems, uses });
  }
  return { concepts: file.concepts.length, phrases, duplicateIds, empty, duplicates, mixed, redundant, families };
}

const fmt = (r: PhraseRef) => `${r.concept} (${r.kind}) « ${r.phrase} »`;

function main(argv: string[]): number {
  let path = DEFAULT_THESAURUS;
  let verbose = false;
  const texts: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--file') path = resolve(argv[++i] ?? '');
    else if (argv[i] === '--verbose') verbose = true;
    else texts.push(argv[i]);
  }

  const thesaurus = loadThesaurus(path); // validates the schema, throws with the field at fault
  const file = JSON.parse(readFileSync(path, 'utf8')) as ThesaurusFile;
  const audit = auditThesaurus(file);

  console.log(`${path}: version ${thesaurus.version}, ${audit.concepts} concepts, ${audit.phrases} phrases`);
  console.log('families: ' + Object.entries(audit.families).map(([f, n]) => `${f} ${n}`).join(', '));
  for (const id of audit.duplicateIds) console.log(`ERROR duplicate concept id ${id}`);
  for (const ref of audit.empty) console.log(`ERROR no content term left: ${fmt(ref)}`);
  for (const d of audit.duplicates) console.log(`ERROR [${d.stems}] in several concepts: ${d.uses.map(fmt).join(' · ')}`);
  for (const d of audit.mixed) console.log(`ERROR [${d.stems}] both synonym and related: ${d.uses.map(fmt).join(' · ')}`);
  if (verbose) {
    for (const d of audit.redundant) console.log(`note  [${d.stems}] twice in ${d.uses[0].concept}: ${d.uses.map((u) => `« ${u.phrase} »`).join(', ')}`);
  } else if (audit.redundant.length > 0) {
    console.log(`note  ${audit.redundant.length} stem sequences given twice inside one concept (spelling variants; --verbose lists them)`);
  }
  const errors = audit.duplicateIds.length + audit.empty.length + audit.duplicates.length + audit.mixed.length;
  console.log(errors === 0 ? 'audit: no error' : `audit: ${errors} error(s)`);

  for (const text of texts) {
    const terms = analyze(text);
    console.log(`\n« ${text} »\n  terms: [${terms.map((t) => t.stem).join(', ')}]`);
    const hits = thesaurus.find(terms);
    if (hits.length === 0) console.log('  no concept');
    for (const h of hits) {
      const kind = h.weight < h.concept.weight ? 'related' : 'synonym';
      console.log(`  ${h.concept.id.padEnd(36)} ${kind.padEnd(7)} ${h.weight.toFixed(2)}  « ${h.surface} »` +
        (h.concept.pillar ? `  [${h.concept.pillar}]` : ''));
    }
  }
  return errors === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}

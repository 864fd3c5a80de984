/**
 * The free text of a record that list filters (`q`) search, folded once when the record is
 * written (stored in `search_text`): a list no longer folds every row's texts at each request,
 * which cost the embedded database 0.1 ms per row scanned.
 */
import type { ResourceRecord, StructureRecord } from '../domain/types.ts';

/** Lower case without accents (the words of `q` are folded the same way). */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const joined = (parts: (string | readonly string[] | undefined)[]) =>
  parts.map((p) => (Array.isArray(p) ? p.join(' ') : p ?? '')).filter(Boolean).join(' ');

/** Name, description, need text, tags and commune of a structure, folded. */
export const structureSearchText = (r: StructureRecord, commune: string) =>
  fold(joined([r.name, r.description, r.need_text, r.tags, commune]));

/** Title, description, skills, tags and commune of a resource, folded. */
export const resourceSearchText = (r: ResourceRecord, commune: string) =>
  fold(joined([r.title, r.description, r.skills, r.tags, commune]));

/**
 * Characters no stored text may hold: the NUL character (PostgreSQL refuses it in text and jsonb)
 * and lone UTF-16 surrogates (not Unicode: they cannot be written as UTF-8). Every edge checks its
 * input with these before it reaches the store, and names the field at fault.
 */

const NUL = '\u0000';
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with a string, in French, or undefined when it can be stored. */
export function badCharacter(text: string): string | undefined {
  if (text.includes(NUL)) return 'caractère nul (\\u0000) interdit dans un texte';
  if (LONE_SURROGATE.test(text)) return 'caractère Unicode invalide (demi-paire de substitution isolée, comme \\ud800)';
  return undefined;
}

/** A key shown in a path: its bad characters as « ? ». */
const printable = (key: string) => [...key].map((c) => (badCharacter(c) ? '?' : c)).join('');

export interface BadText { path: string; reason: string }

/**
 * Every string (values and object keys) of a JSON-like value that holds a bad character, with its
 * dotted path from `prefix` (the root is `''`).
 */
export function findBadText(value: unknown, prefix = ''): BadText[] {
  const join = (key: string | number) => (prefix === '' ? String(key) : `${prefix}.${key}`);
  if (typeof value === 'string') {
    const reason = badCharacter(value);
    return reason ? [{ path: prefix, reason }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findBadText(item, join(i)));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => {
      const reason = badCharacter(key);
      return reason ? [{ path: join(printable(key)), reason: `nom de champ : ${reason}` }] : findBadText(item, join(key));
    });
  }
  return [];
}

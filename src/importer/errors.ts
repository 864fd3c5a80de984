/**
 * Fatal errors of an import: the file as a whole cannot be read, so nothing of it is imported.
 * Each names the file (and the line when there is one); the CLI prints them, the API returns them.
 */
import { PasserellesError } from '../domain/errors.ts';

const at = (source: string, line?: number) => (line === undefined ? `« ${source} »` : `« ${source} », ligne ${line}`);

/** Control bytes no text file holds (tab, line feed, carriage return and form feed aside). */
const isControl = (b: number) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c;
/** Bytes Windows-1252 leaves undefined. */
const CP1252_HOLES = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** A guess at what the bytes are, for the hint of a non-UTF-8 error. */
export function encodingHint(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return 'il semble encodé en UTF-16';
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return 'ce n’est pas du texte mais une archive zip (un classeur Excel .xlsx ? enregistrez-le en « CSV UTF-8 »)';
  }
  const sample = bytes.subarray(0, 4096);
  const odd = sample.reduce((n, b) => n + (isControl(b) || CP1252_HOLES.has(b) ? 1 : 0), 0);
  if (odd > 0 && odd * 100 >= sample.length) {
    return 'il ne semble pas être du texte (fichier binaire : image, archive, tableur non exporté ?)';
  }
  return 'il semble encodé en Windows-1252 / ISO-8859-1 (export Excel « CSV (séparateur : point-virgule) »)';
}

export const importErrors = {
  notUtf8: (source: string, line: number, bytes: Uint8Array) => new PasserellesError('import.not_utf8',
    `${at(source, line)} : contenu qui n’est pas de l’UTF-8 valide ; ${encodingHint(bytes)}. `
    + 'Réenregistrez le fichier en UTF-8 (Excel : « CSV UTF-8 »).', 400, { source, line }),

  badHeader: (source: string, detail: string) => new PasserellesError('import.bad_header',
    `${at(source, 1)} : en-tête CSV incorrect : ${detail}. La première ligne doit nommer les colonnes `
    + 'avec les noms de champs du contrat de données.', 400, { source, line: 1 }),

  jsonArray: (source: string, line: number) => new PasserellesError('import.json_array',
    `${at(source, line)} : le fichier contient un tableau JSON ; le format attendu est JSON Lines `
    + '(un objet JSON par ligne, sans crochets ni virgules entre les lignes).', 400, { source, line }),

  unreadable: (source: string, cause: Error) => new PasserellesError('import.unreadable',
    `Lecture impossible de ${at(source)} : ${cause.message}`, 400, { source }),

  aborted: (source: string) => new PasserellesError('import.aborted',
    `Import de ${at(source)} interrompu ; la base n’a pas été modifiée.`, 499, { source }),
};

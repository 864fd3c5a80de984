/**
 * Fatal errors of an import: the file as a whole cannot be read, so nothing of it is imported.
 * Each names the file (and the line when there is one); the CLI prints them, the API returns them.
 */
import { PasserellesError } from '../domain/errors.ts';

const at = (source: string, line?: number) => (line === undefined ? `« ${source} »` : `« ${source} », ligne ${line}`);

/** A guess at the encoding, for the hint of a non-UTF-8 error. */
function encodingHint(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return 'il semble encodé en UTF-16';
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

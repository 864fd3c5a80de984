/**
 * Every reason a record can be rejected, as a dotted code with a short French description.
 * Field errors come from the contract (validate.ts); record-level ones from the importer.
 */
export const REJECT_CODES = {
  'import.invalid_json': 'ligne JSON illisible',
  'import.not_an_object': 'la ligne n’est pas un objet JSON',
  'import.bad_csv': 'ligne CSV mal formée (nombre de cellules, guillemets)',
  'import.missing_field': 'champ obligatoire absent ou vide',
  'import.bad_type': 'type de valeur incorrect',
  'import.bad_enum': 'valeur hors de la liste permise',
  'import.bad_postal_code': 'code postal qui n’a pas 5 chiffres',
  'import.unknown_postal_code': 'code postal sans commune connue',
  'import.negative_number': 'nombre négatif',
  'import.not_positive': 'nombre nul là où il doit être strictement positif',
  'import.not_integer': 'nombre décimal là où un entier est attendu',
  'import.bad_date': 'date inexistante ou pas au format AAAA-MM-JJ',
  'import.bad_date_range': 'fin de disponibilité avant son début',
  'import.bad_range': 'montant maximal inférieur au minimum',
  'import.line_too_long': 'ligne de plus de 4 Mio (limite par ligne) : enregistrement rejeté, le fichier continue',
  'import.bad_text': 'caractère interdit dans un texte (caractère nul, demi-paire Unicode isolée)',
  'import.duplicate_id': 'identifiant déjà présent plus haut dans le fichier',
} as const;

export type RejectCode = keyof typeof REJECT_CODES;

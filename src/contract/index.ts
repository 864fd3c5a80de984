/**
 * The data contract v1.1: schemas, validation with French field errors, CSV row conversion,
 * canonical hashing and JSON Schema export. Pure functions, no I/O.
 */
export { REJECT_CODES, type RejectCode } from './codes.ts';
export { canonicalJson, contentHash } from './canonical.ts';
export {
  csvRowToObject, parseBooleanCell, parseListCell, parseNumberCell, requiredColumns, type CsvRowObject,
} from './csv-row.ts';
export { type FieldError, describeValue, quote, toFieldError } from './issues.ts';
export { recordJsonSchema } from './json-schema.ts';
export {
  contractFields, resourceFields, resourceSchema, schemas, structureFields, structureSchema,
  type CellKind, type FieldSpec,
} from './schemas.ts';
export {
  normalise, validateRecord, validateResource, validateStructure,
  type Normalised, type RecordOfKind, type Validation,
} from './validate.ts';

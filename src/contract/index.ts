/**
 * The data contract v1.1: schemas, validation with French field errors, CSV row conversion,
 * canonical hashing and JSON Schema export. Pure functions, no I/O. What other modules use.
 */
export { type RejectCode } from './codes.ts';
export { canonicalJson, contentHash } from './canonical.ts';
export { csvRowToObject, requiredColumns } from './csv-row.ts';
export { type FieldError } from './issues.ts';
export { recordJsonSchema } from './json-schema.ts';
export {
  contractFields, resourceFields, resourceSchema, structureFields, structureSchema,
} from './schemas.ts';
export {
  validateRecord, validateResource, validateStructure, type RecordOfKind,
} from './validate.ts';

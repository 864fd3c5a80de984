/**
 * The data contract v1.1 (../shared/data-contract.md) as zod schemas: one schema per record kind,
 * fields exactly as the contract lists them. Cross-field rules (availability window, amount range)
 * are part of the schemas and run even when another field is wrong, so one pass reports everything.
 *
 * These schemas describe a record once normalised (see validate.ts: strings trimmed, empty values
 * and nulls removed, unknown fields moved to `extra`); call `validateStructure` / `validateResource`
 * rather than parsing with them directly.
 */
import { z } from 'zod';
import {
  LEGAL_FORMS, PILLARS, SCOPES, type EntityKind, type ResourceRecord, type StructureRecord,
} from '../domain/types.ts';
import type { RejectCode } from './codes.ts';


const text = z.string().trim().min(1);
const postalCode = z.string().trim().regex(/^\d{5}$/);
const isoDate = z.iso.date();
const count = z.number().int().min(0);
const positive = z.number().positive();
const amount = z.number().min(0);
const legalForm = z.enum(LEGAL_FORMS);
const pillar = z.enum(PILLARS);

/** The contract fields of an ESS structure. */
export const structureFields = {
  id: text,
  name: text,
  legal_form: legalForm,
  description: text,
  needs: z.array(pillar).min(1),
  need_text: text.optional(),
  postal_code: postalCode,
  employees: count.optional(),
  volunteers: count.optional(),
  surface_needed_m2: positive.optional(),
  /** v1.1: the premises sought must be step-free (true) or need not be (false); absent = not stated. */
  requires_step_free_access: z.boolean().optional(),
  budget_eur: amount.optional(),
  tags: z.array(text).optional(),
};

/** The contract fields of a La Poste resource. */
export const resourceFields = {
  id: text,
  pillar,
  title: text,
  description: text,
  postal_code: postalCode,
  scope: z.enum(SCOPES).default('local'),
  radius_km: positive.optional(),
  surface_m2: positive.optional(),
  available_from: isoDate.optional(),
  available_until: isoDate.optional(),
  eligible_legal_forms: z.array(legalForm).optional(),
  accessible_pmr: z.boolean().optional(),
  skills: z.array(text).optional(),
  days_per_month: positive.optional(),
  amount_min_eur: amount.optional(),
  amount_max_eur: amount.optional(),
  tags: z.array(text).optional(),
};

type Loose = Record<string, unknown>;

/** Adds an issue on `upper` when both bounds are present, well-typed and upper < lower. */
function orderedPair(lower: string, upper: string, isType: (v: unknown) => boolean, code: RejectCode) {
  return z.superRefine((value: Loose, ctx) => {
    const lo = value[lower];
    const hi = value[upper];
    if (!isType(lo) || !isType(hi) || !((hi as number | string) < (lo as number | string))) return;
    ctx.addIssue({ code: 'custom', path: [upper], input: hi, params: { code, lower, lowerValue: lo } });
  }, { when: () => true });
}

const isDate = (v: unknown) => isoDate.safeParse(v).success;
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** An ESS structure. Unknown keys are allowed here (the contract keeps them) and moved to `extra` by validate. */
export const structureSchema = z.looseObject(structureFields);

/** A La Poste resource, with its two cross-field rules. */
export const resourceSchema = z.looseObject(resourceFields)
  .check(orderedPair('available_from', 'available_until', isDate, 'import.bad_date_range'))
  .check(orderedPair('amount_min_eur', 'amount_max_eur', isNumber, 'import.bad_range'));

export const schemas = { structure: structureSchema, resource: resourceSchema } as const;

// The schemas and the domain types must agree: these lines stop compiling if they drift apart.
const structureMatchesDomain = (r: z.output<typeof structureSchema>): StructureRecord => r;
const resourceMatchesDomain = (r: z.output<typeof resourceSchema>): ResourceRecord => r;
void structureMatchesDomain;
void resourceMatchesDomain;

/** How a CSV cell of a field is read: the contract has texts, numbers, booleans and `|`-lists. */
export type CellKind = 'string' | 'number' | 'boolean' | 'list';

export interface FieldSpec {
  name: string;
  required: boolean;
  cell: CellKind;
}

/** The contract fields of a kind, in contract order, read from the schemas themselves. */
export function contractFields(kind: EntityKind): FieldSpec[] {
  const shape: Record<string, z.ZodType> = kind === 'structure' ? structureFields : resourceFields;
  return Object.entries(shape).map(([name, schema]) => describeField(name, schema));
}

function describeField(name: string, schema: z.ZodType): FieldSpec {
  let inner = schema;
  let required = true;
  while (inner.def.type === 'optional' || inner.def.type === 'default') {
    required = false;
    inner = (inner.def as unknown as { innerType: z.ZodType }).innerType;
  }
  const type = inner.def.type;
  const cell: CellKind = type === 'array' ? 'list' : type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'string';
  return { name, required, cell };
}

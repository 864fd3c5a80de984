/**
 * Form fields with their label, hint and error beside them (aria-describedby, aria-invalid), and
 * the reading of submitted forms: field errors of a 400 `request.invalid` are grouped by field.
 */
import type { FieldIssue } from '../domain/validation.ts';
import { html, type Html } from './html.ts';

export type Errors = Record<string, string[]>;

/** Issues by their first path segment (`needs.0` → `needs`), minus a prefix such as `structure.`. */
export function errorsByField(issues: FieldIssue[] | undefined, prefix = ''): Errors {
  const out: Errors = {};
  for (const issue of issues ?? []) {
    const path = prefix && issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path;
    const field = path.split('.')[0] || '_';
    (out[field] ??= []).push(issue.message);
  }
  return out;
}

interface FieldSpec {
  name: string;
  label: string;
  value?: string;
  errors?: Errors;
  hint?: string;
  required?: boolean;
  type?: string;
  autocomplete?: string;
  inputmode?: string;
  pattern?: string;
}

const describedBy = (spec: FieldSpec, hasError: boolean) =>
  [spec.hint ? `${spec.name}-aide` : '', hasError ? `${spec.name}-erreur` : ''].filter(Boolean).join(' ');

function around(spec: FieldSpec, control: Html): Html {
  const errors = spec.errors?.[spec.name] ?? [];
  return html`<div class="field${errors.length ? ' field-error' : ''}">
    <label for="${spec.name}">${spec.label}${spec.required ? html` <span class="required">(obligatoire)</span>` : ''}</label>
    ${spec.hint && html`<p class="hint" id="${spec.name}-aide">${spec.hint}</p>`}
    ${errors.length > 0 && html`<p class="error" id="${spec.name}-erreur"><span class="visually-hidden">Erreur : </span>${errors.join(' ; ')}</p>`}
    ${control}
  </div>`;
}

function aria(spec: FieldSpec): Html {
  const invalid = (spec.errors?.[spec.name]?.length ?? 0) > 0;
  const by = describedBy(spec, invalid);
  return html`${by ? html` aria-describedby="${by}"` : ''}${invalid ? html` aria-invalid="true"` : ''}${spec.required ? html` required` : ''}`;
}

export const input = (spec: FieldSpec) => around(spec, html`<input id="${spec.name}" name="${spec.name}" type="${spec.type ?? 'text'}" value="${spec.value ?? ''}"${
  spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''}${spec.inputmode ? html` inputmode="${spec.inputmode}"` : ''}${
  spec.pattern ? html` pattern="${spec.pattern}"` : ''}${aria(spec)}>`);

export const textarea = (spec: FieldSpec & { rows?: number }) =>
  around(spec, html`<textarea id="${spec.name}" name="${spec.name}" rows="${spec.rows ?? 4}"${aria(spec)}>${spec.value ?? ''}</textarea>`);

export const select = (spec: FieldSpec & { options: { value: string; label: string }[]; empty?: string }) =>
  around(spec, html`<select id="${spec.name}" name="${spec.name}"${aria(spec)}>
    ${spec.empty !== undefined && html`<option value="">${spec.empty}</option>`}
    ${spec.options.map((o) => html`<option value="${o.value}"${o.value === spec.value ? html` selected` : ''}>${o.label}</option>`)}
  </select>`);

/** Checkboxes in a fieldset whose legend names the group. */
export function checkboxes(spec: { name: string; legend: string; options: { value: string; label: string }[]; values: string[]; errors?: Errors; hint?: string; required?: boolean }): Html {
  const errors = spec.errors?.[spec.name] ?? [];
  const by = [spec.hint ? `${spec.name}-aide` : '', errors.length ? `${spec.name}-erreur` : ''].filter(Boolean).join(' ');
  return html`<fieldset id="${spec.name}" class="field${errors.length ? ' field-error' : ''}"${by ? html` aria-describedby="${by}"` : ''}>
    <legend>${spec.legend}${spec.required ? html` <span class="required">(obligatoire)</span>` : ''}</legend>
    ${spec.hint && html`<p class="hint" id="${spec.name}-aide">${spec.hint}</p>`}
    ${errors.length > 0 && html`<p class="error" id="${spec.name}-erreur"><span class="visually-hidden">Erreur : </span>${errors.join(' ; ')}</p>`}
    <div class="checkboxes">
    ${spec.options.map((o) => html`<div class="checkbox"><input type="checkbox" id="${spec.name}-${o.value}" name="${spec.name}" value="${o.value}"${
      spec.values.includes(o.value) ? html` checked` : ''}><label for="${spec.name}-${o.value}">${o.label}</label></div>`)}
    </div>
  </fieldset>`;
}

/** A summary of the errors at the top of a form, each linking to its field. */
export function errorSummary(errors: Errors, labels: Record<string, string>): Html | '' {
  const entries = Object.entries(errors);
  if (entries.length === 0) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1" id="erreurs">
    <h2>${entries.length} champ${entries.length > 1 ? 's' : ''} à corriger</h2>
    <ul>${entries.map(([field, messages]) => html`<li><a href="#${field === '_' ? 'contenu' : field}">${labels[field] ?? field} : ${messages.join(' ; ')}</a></li>`)}</ul>
  </div>`;
}

/** A form value as one trimmed string. */
export function one(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim() : '';
}

/** A form value as a list (checkboxes). */
export function many(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string' && x !== '');
}

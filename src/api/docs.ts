/**
 * A readable rendering of the OpenAPI document as one French HTML page, served by the app itself
 * (no CDN, no script): operations by tag with who may call them, parameters, bodies, answers and
 * error codes, then every schema as a table of fields. Built from the document, so it cannot drift.
 */
type Json = Record<string, unknown>;

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Escaped text with `code` spans. */
const prose = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');
const refName = (ref: string) => ref.split('/').pop() ?? ref;
const anchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A short French description of a JSON Schema type, with links to named schemas. */
export function typeLabel(schema: Json | undefined): string {
  if (!schema) return 'quelconque';
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    return `<a href="#${anchor(name)}">${escape(name)}</a>`;
  }
  if (Array.isArray(schema.enum)) return `un de : ${schema.enum.map((v) => `<code>${escape(v)}</code>`).join(', ')}`;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeLabel).join(' ou ');
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as Json[]).map(typeLabel).join(' ou ');
  const type = Array.isArray(schema.type) ? schema.type.join(' ou ') : schema.type;
  if (type === 'array') return `liste de ${typeLabel(schema.items as Json)}`;
  const names: Record<string, string> = {
    string: 'texte', number: 'nombre', integer: 'entier', boolean: 'booléen', object: 'objet', null: 'null',
  };
  const base = typeof type === 'string' ? type.split(' ou ').map((t) => names[t] ?? t).join(' ou ') : 'quelconque';
  return schema.format ? `${base} (${escape(schema.format)})` : base;
}

function constraints(schema: Json): string {
  const parts: string[] = [];
  if (schema.default !== undefined) parts.push(`défaut ${escape(JSON.stringify(schema.default))}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${escape(schema.minimum)}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${escape(schema.exclusiveMinimum)}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${escape(schema.maximum)}`);
  if (schema.minLength !== undefined) parts.push(`au moins ${escape(schema.minLength)} caractère(s)`);
  if (schema.maxLength !== undefined) parts.push(`au plus ${escape(schema.maxLength)} caractères`);
  if (schema.minItems !== undefined) parts.push(`au moins ${escape(schema.minItems)} élément(s)`);
  if (schema.pattern !== undefined) parts.push(`motif <code>${escape(schema.pattern)}</code>`);
  return parts.join(', ');
}

function parametersTable(parameters: Json[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters.map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${p.in === 'path' ? 'chemin' : 'requête'}</td>`
    + `<td>${typeLabel(p.schema as Json)}</td><td>${p.required ? 'oui' : 'non'}</td>`
    + `<td>${escape(p.description)} ${constraints(p.schema as Json)}</td></tr>`).join('');
  return `<h4>Paramètres</h4><table><tr><th>nom</th><th>où</th><th>type</th><th>requis</th><th>sens</th></tr>${rows}</table>`;
}

function bodySection(body: Json | undefined): string {
  if (!body) return '';
  const content = (body.content ?? {}) as Record<string, Json>;
  const items = Object.entries(content).map(([type, c]) => `<li><code>${escape(type)}</code> : ${typeLabel(c.schema as Json)}</li>`);
  return `<h4>Corps</h4>${body.description ? `<p>${escape(body.description)}</p>` : ''}<ul>${items.join('')}</ul>`;
}

function responsesTable(responses: Record<string, Json>): string {
  const rows = Object.entries(responses).map(([status, r]) => {
    const content = Object.values((r.content ?? {}) as Record<string, Json>)[0];
    return `<tr><td>${escape(status)}</td><td>${escape(r.description)}</td><td>${content ? typeLabel(content.schema as Json) : '—'}</td></tr>`;
  }).join('');
  return `<h4>Réponses</h4><table><tr><th>statut</th><th>sens</th><th>corps</th></tr>${rows}</table>`;
}

function operation(path: string, method: string, op: Json): string {
  const id = escape(op.operationId);
  return `<section class="op" id="op-${id}"><h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>`
    + `<p><strong>${escape(op.summary)}</strong></p>`
    + String(op.description ?? '').split('\n\n').map((p) => `<p${p.startsWith('Accès') ? ' class="access"' : ''}>${prose(p)}</p>`).join('')
    + parametersTable((op.parameters ?? []) as Json[])
    + bodySection(op.requestBody as Json | undefined)
    + responsesTable((op.responses ?? {}) as Record<string, Json>)
    + '</section>';
}

function schemaSection(name: string, schema: Json): string {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows = Object.entries(properties).map(([field, s]) => `<tr><td><code>${escape(field)}</code></td>`
    + `<td>${typeLabel(s)}</td><td>${required.has(field) ? 'oui' : 'non'}</td>`
    + `<td>${escape(s.description)} ${constraints(s)}</td></tr>`).join('');
  const body = rows
    ? `<table><tr><th>champ</th><th>type</th><th>requis</th><th>sens</th></tr>${rows}</table>`
    : `<p>${typeLabel(schema)}</p>`;
  return `<section id="${anchor(name)}"><h3>${escape(name)}</h3>${schema.description ? `<p>${escape(schema.description)}</p>` : ''}${body}</section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1d1d1b;line-height:1.45}
h1{color:#003da5}h2{border-bottom:2px solid #ffc72c;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}code{background:#f6f6f6;padding:0 .2rem}.op{border-left:4px solid #003da5;padding-left:1rem;margin:1.5rem 0}
.method{display:inline-block;min-width:4.5rem;font-size:.9rem;color:#fff;background:#555;text-align:center;border-radius:3px}
.get{background:#2e7d32}.post{background:#1565c0}.put{background:#ef6c00}.patch{background:#6a1b9a}.delete{background:#c62828}
.access{color:#444;font-style:italic}nav ul{columns:2}`;

/** The whole page, from an OpenAPI document built by `buildOpenApi`. */
export function renderDocs(doc: Json): string {
  const info = doc.info as Json;
  const byTag = new Map<string, string[]>();
  const index: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = String((op.tags as string[])?.[0] ?? 'autres');
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(path, method, op)]);
      index.push(`<li><a href="#op-${escape(op.operationId)}">${escape(method.toUpperCase())} ${escape(path)}</a> — ${escape(op.summary)}</li>`);
    }
  }
  const schemas = Object.entries(((doc.components as Json).schemas ?? {}) as Record<string, Json>)
    .sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => schemaSection(name, s)).join('');
  const sections = [...byTag].map(([tag, ops]) => `<h2>${escape(tag)}</h2>${ops.join('')}`).join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)}</title><style>${STYLE}</style></head><body>
<h1>${escape(info.title)} <small>v${escape(info.version)}</small></h1>
<p>${escape(info.description)}</p>
<p>Document OpenAPI 3.1 lisible par machine : <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<nav><h2>Opérations</h2><ul>${index.join('')}</ul></nav>
${sections}
<h2>Schémas</h2>${schemas}
</body></html>`;
}

/**
 * The HTML report: one self-contained page in French (styles and map inline, no script, nothing
 * fetched), readable on a phone (one column, tables that scroll sideways), printable.
 */
import { PILLAR_LABELS } from '../domain/types.ts';
import { frenchNumber } from './report.csv.ts';
import { escapeHtml as e } from './report.escape.ts';
import { franceMapSvg, MAP_CREDIT } from './report.map.ts';
import { GONE_REASON_LABELS, type ReportData } from './report.types.ts';

/** Rows of a list shown in the page; the CSV and JSON carry the rest. */
export const HTML_ROWS = 100;

const fr = (n: number) => n.toLocaleString('fr-FR');
const score = (x: number | null) => (x === null ? '—' : frenchNumber(x, 2));
const date = (iso: string) => new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });
/** « 1er décembre 2026 », « 2 décembre 2026 ». */
const day = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' }).replace(/^1 /, '1er ');

const STYLE = `
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1b;background:#fafaf7;line-height:1.4}
header{background:#003da5;color:#fff;padding:16px}header h1{margin:0;font-size:1.35rem}header p{margin:4px 0 0;opacity:.9}
main{max-width:980px;margin:0 auto;padding:12px}section{background:#fff;border:1px solid #e3e3de;border-radius:8px;padding:12px;margin:12px 0}
h2{font-size:1.1rem;margin:0 0 8px;color:#003da5}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:8px}
.card{background:#f3f6fb;border-radius:6px;padding:8px}.card b{display:block;font-size:1.4rem}.card span{font-size:.85rem}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f6f6f2}td.n,th.n{text-align:right;white-space:nowrap}.map svg{width:100%;max-width:560px;height:auto;display:block;margin:0 auto}
.note{font-size:.85rem;color:#555}.empty{color:#666;font-style:italic}footer{font-size:.8rem;color:#555;padding:12px;text-align:center}
@media print{header{background:none;color:#000}section{break-inside:avoid}}`;

function table(headers: string[], rows: string[][], numeric: number[] = []): string {
  if (rows.length === 0) return '<p class="empty">Rien à signaler.</p>';
  const cell = (tag: string, i: number, v: string) => `<${tag}${numeric.includes(i) ? ' class="n"' : ''}>${v}</${tag}>`;
  return `<div class="scroll"><table><thead><tr>${headers.map((h, i) => cell('th', i, e(h))).join('')}</tr></thead><tbody>`
    + rows.map((r) => `<tr>${r.map((v, i) => cell('td', i, v)).join('')}</tr>`).join('') + '</tbody></table></div>';
}

function more(shown: number, total: number): string {
  return total > shown ? `<p class="note">… et ${fr(total - shown)} autres lignes dans le fichier CSV ou JSON de ce rapport.</p>` : '';
}

const pair = (id: string, label: string) => `${e(label)}<br><small>${e(id)}</small>`;

export function reportHtml(data: ReportData): string {
  const t = data.totals;
  const newRows = data.newMatches.slice(0, HTML_ROWS);
  const goneRows = data.gone.slice(0, HTML_ROWS);
  const departments = new Map(data.byDepartment.map((d) => [d.code, d.matches]));
  const mapSvg = franceMapSvg({ counts: departments, scope: data.scope === 'national' ? undefined : new Set(departments.keys()) });
  const comparison = data.previous
    ? `comparé au calcul n° ${data.previous.id} du ${e(day(data.previous.asOf))}${data.previous.modelVersion === data.run.modelVersion ? '' : ` (modèle ${e(data.previous.modelVersion)})`}`
    : 'premier calcul : pas encore de comparaison, aucune correspondance n’est donc marquée « nouvelle »';
  const sections = [
    `<section><h2>En bref</h2><div class="cards">
      <div class="card"><b>${fr(t.matches)}</b><span>correspondances</span></div>
      <div class="card"><b>${fr(t.newMatches)}</b><span>nouvelles</span></div>
      <div class="card"><b>${fr(t.goneMatches)}</b><span>disparues</span></div>
      <div class="card"><b>${fr(t.structures)}</b><span>structures actives</span></div>
      <div class="card"><b>${fr(t.resources)}</b><span>ressources actives</span></div>
      <div class="card"><b>${fr(data.feedback.total)}</b><span>retours cette semaine</span></div>
    </div><p class="note">Calcul n° ${data.run.id} au ${e(day(data.run.asOf))}, ${data.run.k} meilleures correspondances par fiche, modèle ${e(data.run.modelVersion)} ; ${comparison}.</p></section>`,
    `<section class="map"><h2>Correspondances par département</h2>${mapSvg}<p class="note">Plus la couleur est foncée, plus il y a de correspondances (structures du département)${data.scope === 'national' ? '' : ' ; en blanc, les départements hors de la région'}. ${e(MAP_CREDIT)}</p></section>`,
    `<section><h2>Nouvelles correspondances</h2>${table(['Structure', 'Dép.', 'Ressource', 'Pilier', 'Score'],
      newRows.map((m) => [pair(m.structureId, m.structureName), e(m.department), pair(m.resourceId, m.resourceTitle), e(PILLAR_LABELS[m.pillar]), score(m.score)]), [4])}
      ${more(newRows.length, t.newMatches)}</section>`,
    `<section><h2>Correspondances disparues, et pourquoi</h2>${table(['Structure', 'Ressource', 'Score d’avant', 'Motif'],
      goneRows.map((g) => [pair(g.structureId, g.structureName), pair(g.resourceId, g.resourceTitle), score(g.previousScore), e(GONE_REASON_LABELS[g.reason])]), [2])}
      ${more(goneRows.length, t.goneMatches)}</section>`,
    `<section><h2>Meilleures nouvelles suggestions par ressource</h2>${table(['Ressource', 'Pilier', 'Structures suggérées'],
      data.suggestions.slice(0, HTML_ROWS).map((s) => [pair(s.resourceId, s.resourceTitle), e(PILLAR_LABELS[s.pillar]),
        s.structures.map((x) => `${e(x.name)} (${e(x.department)}) — ${score(x.score)}`).join('<br>')]))}
      ${more(Math.min(HTML_ROWS, data.suggestions.length), data.suggestions.length + data.omitted.suggestions)}</section>`,
    `<section><h2>Couverture : ressources sans bonne correspondance</h2><p class="note">Meilleur score inférieur à ${score(data.goodScore)}, ou aucune structure dans leur zone.</p>
      ${table(['Ressource', 'Pilier', 'Dép.', 'Meilleur score'], data.weakResources.slice(0, HTML_ROWS).map((r) =>
        [pair(r.id, r.title), e(PILLAR_LABELS[r.pillar]), e(r.department), score(r.best)]), [3])}
      ${more(Math.min(HTML_ROWS, data.weakResources.length), data.weakResources.length + data.omitted.weakResources)}</section>`,
    `<section><h2>Couverture : besoins des structures non couverts</h2><p class="note">Besoin déclaré sans ressource de ce pilier au score d’au moins ${score(data.goodScore)} parmi ses ${data.run.k} meilleures correspondances.</p>
      ${table(['Structure', 'Dép.', 'Besoin', 'Meilleur score'], data.unmetNeeds.slice(0, HTML_ROWS).map((u) =>
        [pair(u.id, u.name), e(u.department), e(PILLAR_LABELS[u.pillar]), score(u.best)]), [3])}
      ${more(Math.min(HTML_ROWS, data.unmetNeeds.length), data.unmetNeeds.length + data.omitted.unmetNeeds)}</section>`,
    `<section><h2>Par pilier</h2>${table(['Pilier', 'Correspondances', 'Ressources actives'],
      data.byPillar.map((p) => [e(p.label), fr(p.matches), fr(p.records)]), [1, 2])}</section>`,
    `<section><h2>Par département</h2>${table(['Département', 'Correspondances', 'Structures actives'],
      data.byDepartment.map((d) => [`${e(d.label)} (${e(d.code)})`, fr(d.matches), fr(d.records)]), [1, 2])}</section>`,
    `<section><h2>Retours de la semaine</h2><p class="note">Du ${e(day(data.feedback.from))} au ${e(day(data.feedback.to))}.</p>${table(['Retour', 'Nombre'],
      data.feedback.byKind.map((k) => [e(k.label), fr(k.count)]), [1])}</section>`,
  ];
  return `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Passerelles — ${e(data.scopeName)} — ${e(day(data.run.asOf))}</title><style>${STYLE}</style></head>
<body><header><h1>Passerelles — ${e(data.scopeName)}</h1><p>Rapport du ${e(day(data.run.asOf))}${data.run.finishedAt ? `, calculé le ${e(date(data.run.finishedAt))}` : ''}</p></header>
<main>${sections.join('\n')}</main>
<footer>Passerelles — mise en relation des structures de l’ESS et des ressources du groupe La Poste. ${e(MAP_CREDIT)}</footer>
</body></html>
`;
}

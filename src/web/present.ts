/**
 * How records and matches are shown: the score as a bar with its percentage, the French
 * reasons, the matched words highlighted in a text, places and labels.
 */
import { LEGAL_FORM_LABELS, PILLAR_LABELS, type LegalForm, type Pillar, type Place } from '../domain/types.ts';
import type { MatchedWord } from '../engine/types.ts';
import type { RankingModel } from '../ranking/model.ts';
import { escapeHtml, html, raw, type Html } from './html.ts';

export const pillarLabel = (p: string) => PILLAR_LABELS[p as Pillar] ?? p;
export const legalFormLabel = (f: string) => LEGAL_FORM_LABELS[f as LegalForm] ?? f;
export const placeLabel = (p: Pick<Place, 'commune' | 'postalCode' | 'department'>) => `${p.commune} (${p.postalCode})`;

/**
 * The score on the scale of the model: 0 % is the lowest score its weights allow (every negative
 * feature at 1, every positive at 0), 100 % the highest.
 */
export function scorePercent(score: number, model: Pick<RankingModel, 'bias' | 'weights'>): number {
  let low = model.bias, high = model.bias;
  for (const w of model.weights) { if (w > 0) high += w; else low += w; }
  if (high <= low) return 0;
  return Math.max(0, Math.min(100, Math.round(((score - low) / (high - low)) * 100)));
}

export function scoreBar(score: number, model: Pick<RankingModel, 'bias' | 'weights'>): Html {
  const pct = scorePercent(score, model);
  return html`<div class="score">
    <span class="score-text">Pertinence : <strong>${pct} %</strong></span>
    <span class="score-track" aria-hidden="true"><span class="score-fill" style="width:${pct}%"></span></span>
  </div>`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text, escaped, with each of `words` (whole words, case ignored) inside <mark>. */
export function highlight(text: string, words: string[]): Html {
  const wanted = [...new Set(words.map((w) => w.trim()).filter((w) => w.length > 1))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return raw(escapeHtml(text));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${wanted.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  let out = '', last = 0;
  for (const m of text.matchAll(pattern)) {
    out += escapeHtml(text.slice(last, m.index)) + `<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index! + m[0].length;
  }
  return raw(out + escapeHtml(text.slice(last)));
}

/** Matched words as « structure → ressource » pairs, for a screen reader as for the eye. */
export function matchedWordsList(words: MatchedWord[]): Html | '' {
  if (words.length === 0) return '';
  const linkLabel = { same: '', thesaurus: ' (vocabulaire proche)', spelling: ' (orthographe voisine)' };
  return html`<p class="words"><span class="words-label">Mots en commun :</span>
    ${words.map((w, i) => html`${i > 0 ? ', ' : ''}<mark>${w.query}</mark>${w.candidate.toLowerCase() !== w.query.toLowerCase()
      ? html` ↔ <mark>${w.candidate}</mark>` : ''}${linkLabel[w.link]}`)}</p>`;
}

export const reasonsList = (reasons: string[]) =>
  reasons.length ? html`<ul class="reasons">${reasons.map((r) => html`<li>${r}</li>`)}</ul>` : '';

export const dateFr = (d: Date | string | null | undefined) =>
  d ? new Date(d).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : '—';

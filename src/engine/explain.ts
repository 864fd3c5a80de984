/**
 * Explanations: every feature's value and contribution, the words both sides share as each side
 * wrote them (thesaurus links and spelling variants included), the distance, the hard
 * constraints broken, and short French reasons a delegate can read.
 */
import { dayNumber } from '../domain/day.ts';
import { LEGAL_FORM_LABELS, PILLAR_LABELS, type EntityKind } from '../domain/types.ts';
import { FEATURES } from '../features/index.ts';
import { conceptFit, SHARED_OTHER_PILLAR, sharedConcepts } from '../features/concept.ts';
import { exclusions } from '../features/constraints.ts';
import { collects, inOwnArea, namesPlace, servedDeliveryArea, servedNamedArea } from '../features/geography.ts';
import { answerAcross } from '../features/pillar.ts';
import type { PairContext } from '../features/feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { fittingAmount, needAmountOf } from '../features/need-amount.ts';
import { matchedSkills } from '../features/skills.ts';
import { periodMismatch, type PeriodMismatch } from '../features/period.ts';
import type { RankingModel } from '../ranking/model.ts';
import { sharedTerms } from '../retrieval/documents.ts';
import { isConceptTerm } from '../retrieval/terms.ts';
import { stem } from '../text/analyze.ts';
import { fold } from '../text/normalize.ts';
import type { Analyser } from '../profiles/analysis.ts';
import type { Explanation, MatchedWord } from './types.ts';

const MAX_WORDS = 10;

export function explainPair(
  a: Analyser, queryKind: EntityKind, s: StructureProfile, r: ResourceProfile,
  pair: PairContext, features: Float64Array, model: RankingModel,
): Explanation {
  // Members in this order: the ranking threads write them so (feedback/explanation-json.ts).
  const contributions = FEATURES.map((f, i) => ({
    name: f.name, label: f.label, value: round(features[i]), weight: model.weights[i],
    contribution: round(features[i] * model.weights[i]),
  }));
  const words = matchedWords(a, s, r);
  const shown = queryKind === 'structure' ? words : words.map((w) => ({ ...w, query: w.candidate, candidate: w.query }));
  return {
    features: contributions,
    matchedWords: shown,
    distanceKm: Math.round(pair.distanceKm * 10) / 10,
    reasons: reasons(s, r, pair, shown),
    exclusions: exclusions(s, r, pair).map((e) => e.message),
  };
}

/** A collection offer (rounds that pick up) rather than a delivery one, by what its headline offers. */

const PERIOD_REASONS: Record<PeriodMismatch, string> = {
  ends_before: 'l’offre prend fin avant le début du besoin',
  opens_after_deadline: 'l’offre n’est disponible qu’après la date voulue',
  opens_late: 'l’offre ouvre longtemps après le début du besoin',
  too_short: 'offre trop courte pour un besoin durable',
};

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const euros = (x: number) => `${x.toLocaleString('fr-FR')} €`;

/** Shared terms, heaviest first, as the structure and the resource wrote them (see retrieval/surfaces.ts). */
function matchedWords(a: Analyser, s: StructureProfile, r: ResourceProfile): MatchedWord[] {
  const out: MatchedWord[] = [];
  const seen = new Set<string>();
  for (const { id, i, j } of sharedTerms(s.vector, r.vector)) {
    const q = a.surfaces.text(s.surfaces[i]), c = a.surfaces.text(r.surfaces[j]);
    if (!q || !c) continue;
    const concept = isConceptTerm(a.vocabulary.term(id));
    const ql = q.toLowerCase(), cl = c.toLowerCase();
    const sameWord = concept ? ql === cl : stem(fold(q)) === stem(fold(c));
    if (concept && sameWord) continue; // same word, already listed as such
    const key = `${ql}|${cl}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ query: q, candidate: c, link: concept ? 'thesaurus' : sameWord ? 'same' : 'spelling' });
    if (out.length >= MAX_WORDS) break;
  }
  return out;
}

function reasons(s: StructureProfile, r: ResourceProfile, pair: PairContext, words: MatchedWord[]): string[] {
  const out: string[] = [];
  const res = r.entity, st = s.entity;
  if (s.needsMask & r.pillarMask) out.push(`répond au besoin : ${PILLAR_LABELS[res.pillar]}`);
  else if (s.textPillarsMask & r.pillarMask) out.push(`besoin exprimé dans le texte : ${PILLAR_LABELS[res.pillar]}`);
  else {
    const across = answerAcross(s, r);
    out.push(across
      ? `répond depuis le pilier ${PILLAR_LABELS[res.pillar]} à un besoin coché : ${across.label}`
      : `pilier non demandé : ${PILLAR_LABELS[res.pillar]}`);
  }
  // Only when need_concept says the precise need is met (1 in the pillar, 0.8 across pillars).
  const precise = conceptFit(s, r) >= SHARED_OTHER_PILLAR ? sharedConcepts(s, r).filter((c) => !c.generic) : [];
  if (precise.length > 0) out.push(`besoin précis : ${precise.map((c) => c.label).join(', ')}`);
  const scope = res.scope ?? 'local';
  if (scope === 'national') out.push('offre nationale');
  else if (scope === 'regional') out.push('offre régionale, même région');
  else if (scope === 'departmental') out.push(`offre départementale (${res.place.department})`);
  if (scope === 'local' || pair.distanceKm >= 1) out.push(`à ${Math.round(pair.distanceKm)} km`);
  if (namesPlace(s, r)) out.push(`la structure cite ${res.place.commune}`);
  const delivered = inOwnArea(s, r, pair.distanceKm) ? undefined : servedDeliveryArea(s, r);
  const named = servedNamedArea(s, r);
  if (named && !namesPlace(s, r)) out.push(`dans la zone que la structure nomme : ${named.name}`);
  if (delivered) out.push(`${collects(r) ? 'collecte' : 'livraison'} dans la zone de l’offre : ${delivered.name}`);
  if ((res.eligible_legal_forms ?? []).length > 0) out.push(`éligible : ${LEGAL_FORM_LABELS[st.legal_form]}`);
  if (res.surface_m2 !== undefined) {
    out.push(s.surfaceSought !== undefined
      ? `${res.surface_m2} m² proposés pour ${Math.round(s.surfaceSought)} m² recherchés`
      : `${res.surface_m2} m² proposés`);
  }
  if (res.accessible_pmr === true) out.push('accessible PMR');
  if (res.pillar === 'premises' && s.stepFree === 'asked' && res.accessible_pmr !== true) {
    out.push(res.accessible_pmr === false
      ? 'non accessible PMR, alors que le besoin demande un accès de plain-pied'
      : 'accessibilité PMR inconnue, alors que le besoin la demande');
  }
  const period = periodMismatch(s, r, pair.asOfDay);
  if (period) out.push(PERIOD_REASONS[period]);
  if (res.available_from && pair.asOfDay < dayNumber(res.available_from)) {
    out.push(`disponible à partir du ${res.available_from.split('-').reverse().join('/')}`);
  }
  if (needAmountOf(s, r) !== 0.5) { // the feature reads this pair: a sum asked, a range
    const range = `${res.amount_min_eur !== undefined ? euros(res.amount_min_eur) : '…'} – ${res.amount_max_eur !== undefined ? euros(res.amount_max_eur) : '…'}`;
    const fit = fittingAmount(s.needAmounts, res.amount_min_eur, res.amount_max_eur);
    if (fit) {
      out.push(`somme demandée (${euros(fit.amount)}) ${fit.standing === 'within' ? 'dans la fourchette' : 'proche de la fourchette'} de l’offre (${range})`);
    } else {
      const many = s.needAmounts.length > 1;
      out.push(`${many ? 'sommes demandées' : 'somme demandée'} (${s.needAmounts.map(euros).join(', ')}) hors de la fourchette de l’offre (${range})`);
    }
  }
  const skills = matchedSkills(s, r).map((i) => res.skills![i]);
  if (skills.length > 0) out.push(`compétences utiles : ${skills.join(', ')}`);
  const links = words.slice(0, 4).map((w) => (w.link === 'same' ? w.query : `${w.query} ≈ ${w.candidate}`));
  if (links.length > 0) out.push(`mots en commun : ${links.join(', ')}`);
  return out;
}

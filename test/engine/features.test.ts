import { describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/features/index.ts';
import { surfaceFit } from '../../src/features/capacity.ts';
import { NATIONAL_FIT } from '../../src/features/geography.ts';
import { amountFit } from '../../src/features/amount.ts';
import { needAmountFit } from '../../src/features/need-amount.ts';
import { namedAmounts } from '../../src/text/amounts.ts';
import { engineOf, PLACES, resource, structure } from './fixtures.ts';
import type { Resource, Structure } from '../../src/domain/types.ts';

/** Features and exclusions of one pair, as the engine computes them. */
function pair(s: Structure, r: Resource, asOf = '2026-12-01') {
  const engine = engineOf([s], [r]);
  const [result] = engine.matchStructure(s.id, { includeExcluded: true, explain: true, asOf }).results;
  return { features: result.features, excluded: result.excluded, exclusions: result.explanation!.exclusions, reasons: result.explanation!.reasons };
}

describe('each feature', () => {
  it('has a name, a French label, and values in [0, 1]', () => {
    for (const f of FEATURES) {
      expect(f.name).toMatch(/^[a-z_]+$/);
      expect(f.label.length).toBeGreaterThan(3);
    }
  });
});

describe('precise need (need_concept)', () => {
  const bank = (over: Partial<Resource>) => resource({ id: 'r', pillar: 'banking', scope: 'national', postal_code: '75015', place: PLACES.paris15, ...over });
  const asking = (need_text: string) => structure({ id: 's', needs: ['banking', 'logistics'], need_text });

  it('gives 1 when the resource offers the very concept the need text asks for in its pillar', () => {
    expect(pair(asking('notre subvention arrive en retard'), bank({ title: 'Préfinancement des aides' })).features.need_concept).toBe(1);
  });
  it('gives 0 when the need text asks for something else of the same pillar', () => {
    expect(pair(asking('nous voulons placer nos réserves'), bank({ title: 'Préfinancement des aides' })).features.need_concept).toBe(0);
  });
  it('gives 0.8 for a concept of another pillar that the resource offers', () => {
    const van = resource({ id: 'r', pillar: 'energy', title: 'Fourgons électriques frigorifiques pour les associations', scope: 'national', postal_code: '75015', place: PLACES.paris15 });
    expect(pair(asking('livrer des produits frais en respectant la chaîne du froid'), van).features.need_concept).toBe(0.8);
  });
  it('gives 0.6 when only the umbrella concept of the pillar is shared, 0.5 when the need says nothing precise', () => {
    expect(pair(asking('nous devons financer une chambre froide'), bank({ title: 'Financement des investissements' })).features.need_concept).toBe(0.6);
    expect(pair(asking('des bénévoles motivés'), bank({ title: 'Préfinancement des aides' })).features.need_concept).toBe(0.5);
  });
  it('gives 0 when another precise need of the pillar is asked, even with the umbrella concept in common', () => {
    const s = asking('côté financement, notre subvention arrive en retard');
    expect(pair(s, bank({ title: 'Financement des investissements' })).features.need_concept).toBe(0);
  });
  it('keeps 0.8 for a shared concept of another pillar only when it is ticked or nothing else of the pillar is asked', () => {
    const loan = bank({ title: 'Prêt pour un camion frigorifique' });
    const text = 'Nous voulons placer nos réserves et livrer en respectant la chaîne du froid.';
    expect(pair(structure({ id: 's', needs: ['banking', 'logistics'], need_text: text }), loan).features.need_concept).toBe(0.8);
    expect(pair(structure({ id: 's', needs: ['banking'], need_text: text }), loan).features.need_concept).toBe(0);
  });
  it('reads a tag as the need only when there is no need text', () => {
    const savings = bank({ title: 'Épargne solidaire' });
    const tagged = (need_text?: string) => structure({ id: 's', needs: ['banking'], need_text, tags: ['épargne solidaire'] });
    expect(pair(tagged(undefined), savings).features.need_concept).toBe(1);
    expect(pair(tagged('des bénévoles motivés'), savings).features.need_concept).toBe(0.5);
    expect(pair(tagged('notre subvention arrive en retard'), savings).features.need_concept).toBe(0);
  });
  it('reads the need from need_text and tags, not from the description', () => {
    const s = structure({ id: 's', needs: ['banking'], description: 'Nous voulons placer nos réserves.', need_text: 'des aides pour nos bénévoles' });
    expect(pair(s, bank({ title: 'Préfinancement des aides' })).features.need_concept).toBe(0.5);
  });
  it('gives 1 to a banking offer whose range covers the sum the need asks to finance, even beside another precise need', () => {
    const s = asking('notre subvention arrive en retard, et nous voulons emprunter environ 40 000 € pour équiper la cuisine');
    expect(pair(s, bank({ title: 'Prêt aux associations', amount_min_eur: 10_000, amount_max_eur: 100_000 })).features.need_concept).toBe(1);
    expect(pair(s, bank({ title: 'Prêt aux associations', amount_min_eur: 100_000, amount_max_eur: 500_000 })).features.need_concept).toBe(0);
  });
  it('names the shared concept among the reasons', () => {
    expect(pair(asking('notre subvention arrive en retard'), bank({ title: 'Préfinancement des aides' })).reasons).toContain('besoin précis : préfinancement');
  });
});

describe('capacity', () => {
  it('gives 1 when the surface is close to the need', () => {
    expect(surfaceFit(100, 100)).toBe(1);
    expect(surfaceFit(100, 190)).toBe(1);
  });
  it('loses value when the surface is far too small or far too large', () => {
    expect(surfaceFit(300, 100)).toBeCloseTo(0.33, 1);
    expect(surfaceFit(40, 400)).toBeCloseTo(0.2, 5);
    expect(surfaceFit(100, 30)).toBeLessThan(surfaceFit(100, 60));
  });
  it('is neutral for premises when the need is unknown, and 1 for offers that are not premises', () => {
    expect(pair(structure({ id: 's' }), resource({ id: 'r', surface_m2: 80 })).features.capacity).toBe(0.7);
    expect(pair(structure({ id: 's' }), resource({ id: 'r', pillar: 'banking' })).features.capacity).toBe(1);
  });
});

describe('geography', () => {
  it('values a national offer the same everywhere, below a local one at the door', () => {
    const national = resource({ id: 'r', scope: 'national', place: PLACES.paris15, postal_code: '75015' });
    expect(pair(structure({ id: 's', place: PLACES.ajaccio }), national).features.geography).toBe(NATIONAL_FIT);
    expect(pair(structure({ id: 's' }), resource({ id: 'r', radius_km: 20 })).features.geography).toBe(1);
  });
  it('values a generic national offer below a local offer that reaches the structure, even at the edge of its radius', () => {
    const national = pair(structure({ id: 's', place: PLACES.cessonSevigne }), resource({ id: 'r', scope: 'national', place: PLACES.paris15, postal_code: '75015' }));
    const edge = pair(structure({ id: 's', place: PLACES.cessonSevigne }), resource({ id: 'r', radius_km: 5 }));
    expect(edge.excluded).toBe(false);
    expect(national.features.geography).toBeLessThan(edge.features.geography);
    expect(edge.features.geography).toBeCloseTo(0.7, 2);
  });
  it('does not let an offer of a pillar nobody asked for gain from being near', () => {
    const asksRooms = structure({ id: 's', needs: ['premises'], need_text: 'Nous cherchons un local pour nos ateliers.' });
    const nearbyContract = resource({ id: 'r', pillar: 'purchasing', title: 'Entretien des abords du site', description: 'Tonte et taille autour des ateliers.', radius_km: 20 });
    const nearbyRoom = resource({ id: 'r', radius_km: 20 });
    const regionalContract = resource({ id: 'r', pillar: 'purchasing', scope: 'regional', title: 'Entretien des abords des sites', description: 'Tonte et taille autour des ateliers.' });
    expect(pair(asksRooms, nearbyContract).features.geography).toBe(NATIONAL_FIT);
    expect(pair(asksRooms, regionalContract).features.geography).toBe(NATIONAL_FIT);
    expect(pair(asksRooms, nearbyRoom).features.geography).toBe(1);
    // A pillar named in the need text, though not ticked, keeps the value of its place.
    const namesContracts = structure({ id: 's', needs: ['premises'], need_text: 'Un local, et le financement de nos travaux.' });
    expect(pair(namesContracts, resource({ id: 'r', pillar: 'banking', scope: 'regional', title: 'Prêt' })).features.geography).toBe(0.8);
  });
  it('decays with distance inside a radius and excludes beyond it', () => {
    const near = pair(structure({ id: 's', place: PLACES.cessonSevigne }), resource({ id: 'r', radius_km: 20 }));
    expect(near.features.geography).toBeGreaterThan(0.7);
    expect(near.features.geography).toBeLessThan(1);
    const far = pair(structure({ id: 's', place: PLACES.brest }), resource({ id: 'r', radius_km: 20 }));
    expect(far.excluded).toBe(true);
    expect(far.exclusions[0]).toMatch(/au-delà du rayon de 20 km/);
  });
  it('tells Corse-du-Sud (2A) from Haute-Corse (2B) for a departmental offer', () => {
    const offer = resource({ id: 'r', pillar: 'logistics', scope: 'departmental', place: PLACES.ajaccio, postal_code: '20000' });
    expect(pair(structure({ id: 's', place: PLACES.ajaccio }), offer).excluded).toBe(false);
    const bastia = pair(structure({ id: 's', place: PLACES.bastia }), offer);
    expect(bastia.excluded).toBe(true);
    expect(bastia.exclusions[0]).toMatch(/département de l’offre \(2A\)/);
  });
  it('keeps a regional offer inside its région', () => {
    const offer = resource({ id: 'r', scope: 'regional', place: PLACES.brest, postal_code: '29200' });
    expect(pair(structure({ id: 's' }), offer).features.geography).toBe(0.8);
    expect(pair(structure({ id: 's', place: PLACES.toulouse }), offer).excluded).toBe(true);
  });
  it('widens the reach of premises without radius when the structure names their commune', () => {
    const salon = resource({ id: 'r', place: PLACES.salon, postal_code: '13300' });
    const plain = pair(structure({ id: 's', place: PLACES.aix }), salon);
    const named = pair(structure({ id: 's', place: PLACES.aix, need_text: 'Un lieu dans le pays salonais.' }), salon);
    expect(named.features.geography).toBeGreaterThan(plain.features.geography);
    expect(named.reasons).toContain('la structure cite Salon-de-Provence');
  });
});

describe('eligibility, availability and accessibility', () => {
  it('excludes a legal form the offer is not reserved to, and says who it is for', () => {
    const reserved = resource({ id: 'r', pillar: 'purchasing', eligible_legal_forms: ['esat', 'ea'] });
    const out = pair(structure({ id: 's', legal_form: 'scop' }), reserved);
    expect(out.excluded).toBe(true);
    expect(out.exclusions[0]).toBe('non éligible : SCOP (réservé à : ESAT, entreprise adaptée)');
    const ok = pair(structure({ id: 's', legal_form: 'esat' }), reserved);
    expect(ok.features.eligibility).toBe(1);
    expect(ok.reasons).toContain('éligible : ESAT');
  });
  it('excludes an expired offer and values a future one less the later it opens', () => {
    expect(pair(structure({ id: 's' }), resource({ id: 'r', available_until: '2026-06-30' })).exclusions[0]).toBe('offre terminée le 30/06/2026');
    const soon = pair(structure({ id: 's' }), resource({ id: 'r', available_from: '2027-01-01' })).features.availability;
    const late = pair(structure({ id: 's' }), resource({ id: 'r', available_from: '2028-06-01' })).features.availability;
    expect(soon).toBeGreaterThan(late);
    expect(pair(structure({ id: 's' }), resource({ id: 'r', available_from: '2025-01-01' })).features.availability).toBe(1);
  });
  it('reads the as-of date to decide what is expired', () => {
    const r = resource({ id: 'r', available_until: '2026-06-30' });
    expect(pair(structure({ id: 's' }), r, '2026-06-01').excluded).toBe(false);
    expect(pair(structure({ id: 's' }), r, '2026-07-01').excluded).toBe(true);
  });
  it('excludes premises without step-free access only when the structure’s record requires it; an ask in the text lowers them', () => {
    const upstairs = resource({ id: 'r', accessible_pmr: false });
    expect(pair(structure({ id: 's' }), upstairs).excluded).toBe(false);
    const asks = pair(structure({ id: 's', need_text: 'Des locaux de plain-pied pour nos adhérents en fauteuil.' }), upstairs);
    expect(asks.excluded).toBe(false);
    expect(asks.features.accessibility).toBe(0);
    const requires = pair(structure({ id: 's', requires_step_free_access: true }), upstairs);
    expect(requires.excluded).toBe(true);
    expect(requires.exclusions[0]).toMatch(/non accessibles/);
  });
});

describe('pillar, skills and amounts', () => {
  it('gives 1 to a ticked pillar, 0.6 to one named only in the need text, 0 otherwise', () => {
    const bank = resource({ id: 'r', pillar: 'banking', scope: 'national', title: 'Préfinancement de subventions' });
    expect(pair(structure({ id: 's', needs: ['banking'] }), bank).features.pillar).toBe(1);
    expect(pair(structure({ id: 's', needs: ['premises'], need_text: 'Notre subvention arrive en retard.' }), bank).features.pillar).toBe(0.6);
    expect(pair(structure({ id: 's', needs: ['premises'] }), bank).features.pillar).toBe(0);
  });
  it('gives 0.6 to an offer of another pillar that offers a precise need of a ticked pillar, and says so', () => {
    const van = resource({ id: 'r', pillar: 'energy', scope: 'national', title: 'Fourgons électriques frigorifiques pour les associations' });
    const cold = pair(structure({ id: 's', needs: ['logistics'], need_text: 'Livrer des produits frais en respectant la chaîne du froid.' }), van);
    expect(cold.features.pillar).toBe(0.6);
    expect(cold.reasons).toContain('répond depuis le pilier transition énergétique à un besoin coché : chaîne du froid');
    expect(pair(structure({ id: 's', needs: ['premises'], need_text: 'Livrer des produits frais en respectant la chaîne du froid.' }), van).features.pillar).toBe(0);
  });
  it('does not answer across pillars from a concept the offer only mentions in its description', () => {
    const lease = resource({
      id: 'r', pillar: 'energy', scope: 'national', title: 'Location de véhicules électriques pour les associations',
      description: 'Véhicules électriques, dont des modèles frigorifiques, entretien compris.',
    });
    const s = structure({ id: 's', needs: ['logistics'], need_text: 'Livrer des produits frais en respectant la chaîne du froid.' });
    expect(pair(s, lease).features.pillar).toBe(0);
    expect(pair(s, lease).reasons).toContain('pilier non demandé : transition énergétique');
    expect(pair(s, { ...lease, tags: ['véhicules frigorifiques'] }).features.pillar).toBe(0.6);
  });
  it('does not answer across pillars from the structure\'s tags, which say its trade, not its need', () => {
    const van = resource({ id: 'r', pillar: 'energy', scope: 'national', title: 'Fourgons électriques frigorifiques pour les associations' });
    const s = structure({ id: 's', needs: ['logistics'], need_text: 'Trouver des bénévoles pour nos tournées.', tags: ['chaîne du froid'] });
    expect(pair(s, van).features.pillar).toBe(0);
  });
  it('lists « besoin précis » among the reasons only when the precise need is met', () => {
    const loan = resource({ id: 'r', pillar: 'banking', scope: 'national', title: 'Prêt pour un camion frigorifique' });
    const text = 'Nous voulons placer nos réserves et livrer en respectant la chaîne du froid.';
    const savingsOnly = pair(structure({ id: 's', needs: ['banking'], need_text: text }), loan);
    expect(savingsOnly.features.need_concept).toBe(0);
    expect(savingsOnly.reasons.some((x) => x.startsWith('besoin précis'))).toBe(false);
    const ticked = pair(structure({ id: 's', needs: ['banking', 'logistics'], need_text: text }), loan);
    expect(ticked.features.need_concept).toBe(0.8);
    expect(ticked.reasons).toContain('besoin précis : chaîne du froid');
  });
  it('does not take a term merely related to a pillar (« trésorerie ») for a need of that pillar', () => {
    const bank = resource({ id: 'r', pillar: 'banking', scope: 'national', title: 'Préfinancement de subventions' });
    expect(pair(structure({ id: 's', needs: ['premises'], need_text: 'Notre trésorerie nous inquiète.' }), bank).features.pillar).toBe(0);
  });
  it('counts the listed skills the structure writes about', () => {
    const r = resource({ id: 'r', pillar: 'skills', skills: ['comptabilité', 'contrôle de gestion', 'droit social'] });
    const s = structure({ id: 's', needs: ['skills'], need_text: 'Aide en comptabilité et en gestion.' });
    expect(pair(s, r).features.skills).toBeCloseTo(2 / 3, 3);
  });
  it('judges amounts against the yearly budget', () => {
    expect(amountFit(50_000, 100_000, 500_000)).toBe(0.2);
    expect(amountFit(1_000_000, 500, 3_000)).toBe(0.6);
    expect(amountFit(100_000, 5_000, 50_000)).toBe(1);
    expect(pair(structure({ id: 's' }), resource({ id: 'r', pillar: 'banking' })).features.amount).toBe(0.5);
  });
});

describe('sum named in the need text (need_amount)', () => {
  const loan = resource({ id: 'r', pillar: 'banking', scope: 'national', title: 'Prêt associatif', amount_min_eur: 10_000, amount_max_eur: 500_000 });
  const asking = (need_text: string) => structure({ id: 's', needs: ['banking'], need_text });

  it('reads the sums in euros a need text asks for, in the ways people write them', () => {
    expect(namedAmounts("il faut financer l'achat d'un four à pain (autour de 30 000 €)")).toEqual([30_000]);
    expect(namedAmounts('un prêt de 80\u202f000 euros, puis 1,5 million d’euros, 40 k€ et 2 M€ à emprunter')).toEqual([80_000, 1_500_000, 40_000, 2_000_000]);
    expect(namedAmounts('un besoin de 1 000,50 € et un prêt de 150 000 EUR ou de 30.000 euros')).toEqual([1_000.5, 150_000, 30_000]);
    expect(namedAmounts("il nous manque un million d'euros")).toEqual([1_000_000]);
    expect(namedAmounts('douze salariés, des repas à 3 € et 500 m² en 2027')).toEqual([]);
  });
  it('does not glue a sum to the number before it nor read a word that starts with « euro » as a unit', () => {
    expect(namedAmounts('nous voulons emprunter en 2026 500 000 €')).toEqual([500_000]);
    expect(namedAmounts('un emprunt de 1.5 M€')).toEqual([1_500_000]);
    expect(namedAmounts('un prêt pour 30 000 européens')).toEqual([]);
  });
  it('keeps only sums asked near a financing word, not a budget, a turnover, a rent or a yearly figure', () => {
    expect(namedAmounts('Notre budget annuel est de 300 000 € et nous cherchons un prêt de 50 000 €.')).toEqual([50_000]);
    expect(namedAmounts("Notre chiffre d'affaires atteint 1,2 M€. Nous voulons financer une camionnette de 35 000 €.")).toEqual([35_000]);
    expect(namedAmounts('Un local à 800 € par mois, et un prêt de 20 000 € pour l\'aménager.')).toEqual([20_000]);
    expect(namedAmounts('un emprunt pour un loyer de 1 200 € HT')).toEqual([]);
    expect(namedAmounts('Un marché de 50 000 € par an nous aiderait.')).toEqual([]);
    expect(namedAmounts('Nous avons vendu 12 000 € de paniers.')).toEqual([]);
  });
  it('reads a sum asked with a verb of lending, borrowing or costing, not only with the noun', () => {
    expect(namedAmounts("aucun établissement ne veut nous prêter 12 000 €")).toEqual([12_000]);
    expect(namedAmounts('il faudrait emprunter 40 000 euros')).toEqual([40_000]);
    expect(namedAmounts('le nouveau four coûte près de 25 000 € que nous n’avons pas')).toEqual([25_000]);
    expect(namedAmounts('la rénovation coûterait 60 000 €')).toEqual([60_000]);
    expect(namedAmounts('le département nous a accordé 18 000 € mais le versement tarde')).toEqual([18_000]);
    expect(namedAmounts('une subvention de 9 000 € attend d’être versée')).toEqual([9_000]);
  });
  it('still leaves out what a structure earns, pays each month or budgets', () => {
    expect(namedAmounts('nous coûtons 300 € par mois à la commune')).toEqual([]);
    expect(namedAmounts('notre budget de subventions est de 80 000 €')).toEqual([]);
  });
  it('gives 1 when a named sum falls in the range of a banking offer, with some slack for « environ »', () => {
    expect(pair(asking('nous aimerions un prêt de 80 000 €'), loan).features.need_amount).toBe(1);
    expect(needAmountFit([520_000], 10_000, 500_000)).toBe(1);
    expect(needAmountFit([800_000], 5_000, undefined)).toBe(1);
  });
  it('gives 0 when the named sums are out of the range', () => {
    expect(pair(asking('nous souhaitons placer près de 900 000 € de réserves'), loan).features.need_amount).toBe(0);
    expect(needAmountFit([30_000], 300, 5_000)).toBe(0);
  });
  it('is neutral without a named sum, without a range, for an offer that is not banking, or when banking is not ticked', () => {
    expect(pair(structure({ id: 's', needs: ['premises'], need_text: 'un prêt de 900 000 €' }), loan).features.need_amount).toBe(0.5);
    expect(pair(asking('un prêt pour nos travaux'), loan).features.need_amount).toBe(0.5);
    expect(pair(asking('un prêt de 80 000 €'), { ...loan, amount_min_eur: undefined, amount_max_eur: undefined }).features.need_amount).toBe(0.5);
    const contract = resource({ id: 'r', pillar: 'purchasing', scope: 'national', title: 'Marché', amount_min_eur: 100_000, amount_max_eur: 200_000 });
    expect(pair(asking('un prêt de 80 000 €'), contract).features.need_amount).toBe(0.5);
  });
  it('says whether the sum asked fits the offer among the reasons', () => {
    expect(pair(asking('un prêt de 80 000 €'), loan).reasons.join(' | ')).toMatch(/somme demandée \(80\s000 €\) dans la fourchette/u);
    expect(pair(asking('placer 800 000 €'), loan).reasons.join(' | ')).toMatch(/hors de la fourchette/);
  });
  it('names only the sum that fits, and says « proche » when only the tolerance lets it fit', () => {
    const both = pair(asking('un prêt de 5 000 € ou de 80 000 €'), loan).reasons.join(' | ');
    expect(both).toMatch(/somme demandée \(80\s000 €\) dans la fourchette/u);
    expect(both).not.toMatch(/5\s000 €, /u);
    expect(pair(asking('un prêt de 530 000 €'), loan).reasons.join(' | ')).toMatch(/somme demandée \(530\s000 €\) proche de la fourchette/u);
  });
});

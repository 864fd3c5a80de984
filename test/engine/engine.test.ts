import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/ranking/model.ts';
import { engineOf, PLACES, resource, structure } from './fixtures.ts';

const ids = (list: { results: { id: string }[] }) => list.results.map((r) => r.id);

describe('matching in both directions', () => {
  const structures = [
    structure({ id: 's-atelier', name: 'Atelier Vélo Rennais', description: 'Réparation de vélos et ateliers d’insertion.', need_text: 'Un local pour nos ateliers de réparation de vélos, 100 m².', surface_needed_m2: 100 }),
    structure({ id: 's-epicerie', name: 'Épicerie solidaire', description: 'Aide alimentaire et épicerie solidaire.', needs: ['logistics'], need_text: 'Livrer des colis dans les villages.' }),
  ];
  const resources = [
    resource({ id: 'r-surface', title: 'Surface commerciale vacante à Rennes', description: 'Ancien bureau de poste, 120 m² en rez-de-chaussée, atelier possible.', surface_m2: 120, accessible_pmr: true }),
    resource({ id: 'r-colis', pillar: 'logistics', title: 'Portage de colis par les tournées des facteurs', description: 'Livraison de colis dans les villages du département.', scope: 'departmental' }),
    resource({ id: 'r-loin', title: 'Local vacant à Toulouse', description: 'Local pour ateliers de réparation de vélos.', place: PLACES.toulouse, postal_code: '31000', surface_m2: 100 }),
  ];
  const engine = engineOf(structures, resources);

  it('ranks for a structure the resource that answers its need first', () => {
    expect(ids(engine.matchStructure('s-atelier', { limit: 5 }))[0]).toBe('r-surface');
    expect(ids(engine.matchStructure('s-epicerie', { limit: 5 }))[0]).toBe('r-colis');
  });

  it('ranks for a resource the structure that needs it first', () => {
    expect(ids(engine.matchResource('r-surface', { limit: 5 }))[0]).toBe('s-atelier');
    expect(ids(engine.matchResource('r-colis', { limit: 5 }))[0]).toBe('s-epicerie');
  });

  it('gives a pair the same score whichever side asks', () => {
    const fromStructure = engine.matchStructure('s-atelier').results.find((r) => r.id === 'r-surface')!;
    const fromResource = engine.matchResource('r-surface').results.find((r) => r.id === 's-atelier')!;
    expect(fromResource.score).toBe(fromStructure.score);
    expect(fromResource.features).toEqual(fromStructure.features);
  });

  it('excludes a local offer outside its area even when the words match best', () => {
    expect(ids(engine.matchStructure('s-atelier'))).not.toContain('r-loin');
  });

  it('shows an excluded pair after the admitted ones when asked, with the reason in French', () => {
    const list = engine.matchStructure('s-atelier', { includeExcluded: true, explain: true });
    const far = list.results.find((r) => r.id === 'r-loin')!;
    expect(far.excluded).toBe(true);
    expect(far.explanation!.exclusions[0]).toMatch(/trop loin pour une offre locale/);
    expect(list.results.findIndex((r) => r.excluded)).toBeGreaterThan(list.results.findIndex((r) => !r.excluded));
  });

  it('answers every match with its feature vector and the model version', () => {
    const list = engine.matchStructure('s-atelier');
    expect(list.modelVersion).toBe('test-v1');
    for (const r of list.results) {
      expect(Object.keys(r.features)).toEqual(['text', 'need_text', 'need_concept', 'pillar', 'geography', 'eligibility', 'availability', 'capacity', 'accessibility', 'skills', 'amount', 'need_amount', 'need_period']);
      for (const v of Object.values(r.features)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });

  it('explains a match with contributions, the words as written, the distance and French reasons', () => {
    const [best] = engine.matchStructure('s-atelier', { explain: true }).results;
    const e = best.explanation!;
    const total = e.features.reduce((sum, f) => sum + f.contribution, 0);
    expect(total).toBeCloseTo(best.score, 3);
    expect(e.matchedWords).toContainEqual({ query: 'local', candidate: 'Surface commerciale', link: 'thesaurus' });
    expect(e.matchedWords.some((w) => w.link === 'same' && w.query === 'Atelier' && w.candidate === 'atelier')).toBe(true);
    expect(e.distanceKm).toBe(0);
    expect(e.reasons).toContain('répond au besoin : lieux partagés');
    expect(e.reasons).toContain('à 0 km');
    expect(e.reasons).toContain('120 m² proposés pour 100 m² recherchés');
  });

  it('says clearly when an id is unknown, in either direction', () => {
    expect(() => engine.matchStructure('nope')).toThrow(expect.objectContaining({ code: 'matches.structure_not_found', status: 404 }));
    expect(() => engine.matchResource('nope')).toThrow(expect.objectContaining({ code: 'matches.resource_not_found' }));
  });

  it('scores one request with two models side by side, each list naming its model', () => {
    const textOnly = parseModel({ version: 'text-only', kind: 'linear', weights: { text: 1 } });
    const current = engine.matchStructure('s-atelier');
    const other = engine.matchStructure('s-atelier', { model: textOnly });
    expect(current.modelVersion).toBe('test-v1');
    expect(other.modelVersion).toBe('text-only');
    expect(other.results[0].score).toBeCloseTo(other.results[0].features.text, 3);
    expect(engine.matchStructure('s-atelier')).toEqual(current);
  });

  it('filters candidates by pillar and by what the caller may see', () => {
    expect(ids(engine.matchStructure('s-epicerie', { pillar: 'premises' })).every((id) => id !== 'r-colis')).toBe(true);
    expect(ids(engine.matchResource('r-surface', { allow: (id) => id !== 's-atelier' }))).not.toContain('s-atelier');
  });

  it('hands the caller\'s filter each candidate\'s record with its id, so that it need not look it up', () => {
    const asked: [string, string | undefined][] = [];
    const allow = (id: string, candidate?: { id: string }) => { asked.push([id, candidate?.id]); return true; };
    engine.matchStructure('s-atelier', { allow });
    engine.matchResource('r-surface', { allow });
    expect(asked.length).toBeGreaterThan(0);
    for (const [id, candidate] of asked) expect(candidate).toBe(id);
  });
});

describe('geographic reach of a local offer', () => {
  const draguignan = { postalCode: '83300', inseeCode: '83050', commune: 'Draguignan', department: '83', region: '93', lat: 43.5366, lon: 6.4647 };
  const engine = engineOf([
    structure({ id: 's-cite', place: draguignan, postal_code: '83300', need_text: 'Un local dans le pays salonais pour nos ateliers.' }),
    structure({ id: 's-muette', place: draguignan, postal_code: '83300', need_text: 'Un local pour nos ateliers.' }),
  ], [resource({ id: 'r-salon', place: PLACES.salon, postal_code: '13300', title: 'Local vacant pour des ateliers' })]);

  it('proposes, for a local offer, a structure within reach across the département border even when no word is shared', () => {
    const avignon = { postalCode: '84000', inseeCode: '84007', commune: 'Avignon', department: '84', region: '93', lat: 43.9493, lon: 4.8055 };
    const near = engineOf(
      [structure({ id: 's-avignon', place: avignon, postal_code: '84000', name: 'Chorale', description: 'Chants.', need_text: 'Répétitions.' })],
      [resource({ id: 'r-salon', place: PLACES.salon, postal_code: '13300', title: 'Local vacant pour des ateliers' })],
    );
    expect(ids(near.matchResource('r-salon'))).toEqual(['s-avignon']);
  });

  it('serves a local offer with a very wide radius everywhere within it, in both directions', () => {
    const lyon = { postalCode: '69001', inseeCode: '69381', commune: 'Lyon 1er Arrondissement', department: '69', region: '84', lat: 45.7676, lon: 4.8344 };
    const wide = engineOf(
      [structure({ id: 's-lyon', place: lyon, postal_code: '69001' }), structure({ id: 's-ajaccio', place: PLACES.ajaccio, postal_code: '20000' })],
      [resource({ id: 'r-wide', place: PLACES.paris15, postal_code: '75015', radius_km: 450 })],
    );
    expect(ids(wide.matchResource('r-wide'))).toEqual(['s-lyon']);
    expect(ids(wide.matchStructure('s-lyon'))).toEqual(['r-wide']);
    expect(ids(wide.matchStructure('s-ajaccio'))).toEqual([]);
  });

  it('reaches, about 110 km away in another département, the structure that names its commune and not the one that does not', () => {
    expect(ids(engine.matchResource('r-salon'))).toEqual(['s-cite']);
    expect(ids(engine.matchStructure('s-cite'))).toEqual(['r-salon']);
    expect(ids(engine.matchStructure('s-muette'))).toEqual([]);
  });
});

describe('incremental updates', () => {
  it('makes a new resource matchable at once and forgets a removed one', () => {
    const engine = engineOf([structure({ id: 's1', need_text: 'Un local pour nos ateliers.' })], []);
    expect(engine.matchStructure('s1').results).toEqual([]);
    engine.upsertResource(resource({ id: 'r-new', title: 'Local pour ateliers', description: 'Local disponible pour des ateliers.' }));
    expect(ids(engine.matchStructure('s1'))).toEqual(['r-new']);
    engine.upsertResource(resource({ id: 'r-new', title: 'Local pour ateliers', description: 'Local disponible.', available_until: '2020-01-01' }));
    expect(ids(engine.matchStructure('s1'))).toEqual([]);
    engine.remove('resource', 'r-new');
    expect(engine.getResource('r-new')).toBeUndefined();
    expect(engine.stats().resources).toBe(0);
  });

  it('previews an unsaved structure without adding it to the index', () => {
    const engine = engineOf([], [resource({ id: 'r1', title: 'Local pour ateliers' })]);
    const preview = engine.previewStructure(structure({ id: 'draft', need_text: 'Un local pour nos ateliers.' }));
    expect(ids(preview)).toEqual(['r1']);
    expect(engine.getStructure('draft')).toBeUndefined();
  });

  it('forgets the new words of a preview, which answers the same when asked again', () => {
    const engine = engineOf([], [resource({ id: 'r1', title: 'Local pour ateliers' })]);
    const terms = engine.stats().terms;
    expect(terms).toBeGreaterThan(0);
    const draft = structure({ id: 'draft', need_text: 'Un local pour nos ateliers de zorglubification et de farfouillage.' });
    const first = engine.previewStructure(draft, { explain: true });
    expect(engine.stats().terms).toBe(terms);
    expect(engine.previewStructure(draft, { explain: true })).toEqual(first);
    expect(first.results[0].explanation!.matchedWords.map((w) => w.query)).toContain('local');
  });

  it('answers the same after compaction as before, with the changes folded in', () => {
    const engine = engineOf([structure({ id: 's1', need_text: 'Un local pour nos ateliers.' })],
      [resource({ id: 'r1', title: 'Local pour ateliers' }), resource({ id: 'r2', title: 'Local vacant' })]);
    engine.upsertResource(resource({ id: 'r1', title: 'Local pour ateliers de réparation' }));
    engine.remove('resource', 'r2');
    engine.upsertResource(resource({ id: 'r3', title: 'Surface commerciale pour ateliers' }));
    const before = engine.matchStructure('s1', { explain: true });
    engine.index.compact();
    expect(engine.matchStructure('s1', { explain: true })).toEqual(before);
    expect(ids(before)).toEqual(['r1', 'r3']);
  });

  it('breaks ties by id so that rankings are deterministic', () => {
    const twins = ['r-b', 'r-a', 'r-c'].map((id) => resource({ id, title: 'Local vacant', description: 'Local vacant.' }));
    const engine = engineOf([structure({ id: 's1', need_text: 'Un local.' })], twins);
    expect(ids(engine.matchStructure('s1'))).toEqual(['r-a', 'r-b', 'r-c']);
  });
});

/**
 * A delivery offer serves where goods go: the radius of a local logistics offer bounds where it
 * delivers or collects, and a structure outside it that wants goods delivered into it (or
 * collected from it) is a match. Invented records.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THESAURUS } from '../../scripts/check-thesaurus.ts';
import { matchResource, matchStructure } from '../../src/engine/engine.ts';
import { Index } from '../../src/engine/index.ts';
import { defaultGazetteer } from '../../src/geo/places.ts';
import { loadThesaurus } from '../../src/text/thesaurus.ts';
import { PLACES, request, resource, structure } from './fixtures.ts';

const thesaurus = loadThesaurus(DEFAULT_THESAURUS);
const EVRY = { postalCode: '91000', inseeCode: '91228', commune: 'Évry-Courcouronnes', department: '91', region: '11', lat: 48.6291, lon: 2.4407 };
const LANDERNEAU = { postalCode: '29800', inseeCode: '29103', commune: 'Landerneau', department: '29', region: '53', lat: 48.4508, lon: -4.2494 };

const garden = structure({
  id: 's-jardin', name: 'Jardin de Cocagne des Coteaux', legal_form: 'siae', postal_code: '91000', place: EVRY,
  description: 'Chantier d’insertion maraîcher et horticole : nous cultivons des fleurs de saison et des légumes bio.',
  needs: ['logistics'], need_text: 'Nous voulons livrer chaque semaine nos bouquets à nos abonnés dans Paris, sans camionnette diesel.',
});
const neighbour = structure({
  id: 's-voisin', name: 'Atelier des Coteaux', legal_form: 'association', postal_code: '91000', place: EVRY,
  description: 'Atelier de réparation de meubles.', needs: ['logistics'], need_text: 'Nous voulons livrer nos meubles réparés à nos clients de l’Essonne.',
});
const sorter = structure({
  id: 's-tri', name: 'Carton Vert', legal_form: 'association', postal_code: '29800', place: LANDERNEAU,
  description: 'Recyclerie du Léon qui trie et revend les cartons et papiers.', needs: ['logistics'],
  need_text: 'Nous cherchons qui pourrait collecter les cartons usagés des commerçants à Brest et nous les rapporter.',
});
const lastMile = resource({
  id: 'r-dernier-km', pillar: 'logistics', title: 'Livraison du dernier kilomètre bas carbone', postal_code: '75015', place: PLACES.paris15,
  description: 'Livraison de colis et de paniers en vélo-cargo et véhicules électriques aux particuliers.', radius_km: 8,
});
const rooms = resource({
  id: 'r-salle', pillar: 'premises', title: 'Salle de réunion partagée', postal_code: '75015', place: PLACES.paris15,
  description: 'Une salle de réunion pour les associations, livraison des clés à l’accueil.', radius_km: 8,
});
const collection = resource({
  id: 'r-collecte', pillar: 'logistics', title: 'Collecte de papiers et cartons de bureau', postal_code: '29200', place: PLACES.brest,
  description: 'Les facteurs collectent les papiers et cartons des commerces et des entreprises lors de leur tournée.', radius_km: 10,
});

const index = Index.build(thesaurus, { structures: [garden, neighbour, sorter], resources: [lastMile, rooms, collection] });
const forStructure = (id: string) => matchStructure(index, id, request({ explain: true }));
const forResource = (id: string) => matchResource(index, id, request({ explain: true }));

describe('delivery areas', () => {
  it('reads the places a need text names from the geography, not from a list of phrases', () => {
    const names = (text: string) => defaultGazetteer().find(text, EVRY).map((p) => p.name);
    expect(names('livrer nos abonnés dans Paris et à Montreuil')).toEqual(['Paris', 'Montreuil']);
    expect(names('des clients en Seine-Saint-Denis et jusqu’à Lorient')).toEqual(['Seine-Saint-Denis', 'Lorient']);
    expect(names('La Poste nous aide. Paris est loin.')).toEqual([]);
  });

  it('gives a structure outside a last-mile offer’s radius that delivers into it that offer, and says why', () => {
    const match = forStructure('s-jardin').results.find((x) => x.id === 'r-dernier-km');
    expect(match?.excluded).toBe(false);
    expect(match!.explanation!.reasons).toContain('livraison dans la zone de l’offre : Paris');
    expect(match!.features.geography).toBeGreaterThan(0.7);
  });

  it('finds that structure from the offer too, with the same score', () => {
    const fromOffer = forResource('r-dernier-km').results.find((x) => x.id === 's-jardin');
    const fromGarden = forStructure('s-jardin').results.find((x) => x.id === 'r-dernier-km');
    expect(fromOffer?.score).toBe(fromGarden!.score);
  });

  it('does not stretch the area of an offer that is not logistics, nor serve a structure that delivers elsewhere', () => {
    expect(forStructure('s-jardin').results.map((x) => x.id)).not.toContain('r-salle');
    expect(forResource('r-dernier-km').results.map((x) => x.id)).not.toContain('s-voisin');
  });

  it('gives collection rounds that pick up where the structure names, and calls it a collection', () => {
    const match = forStructure('s-tri').results.find((x) => x.id === 'r-collecte');
    expect(match?.excluded).toBe(false);
    expect(match!.explanation!.reasons).toContain('collecte dans la zone de l’offre : Brest');
    expect(forResource('r-collecte').results.map((x) => x.id)).toContain('s-tri');
  });

  it('does not stretch collection rounds to the town where a structure’s customers are, which is where its goods go', () => {
    const soaps = structure({
      id: 's-savons', name: 'Savonnerie du Léon', legal_form: 'scop', postal_code: '29800', place: LANDERNEAU,
      description: 'Savonnerie artisanale coopérative.', needs: ['logistics'],
      need_text: 'Nos revendeurs de Brest passent commande chaque semaine ; nous aimerions que quelqu’un emporte nos cartons de savons jusqu’à eux.',
    });
    const far = { ...collection, id: 'r-collecte-loin', radius_km: 5 };
    const idx = Index.build(thesaurus, { structures: [soaps, sorter], resources: [far] });
    expect(matchStructure(idx, 's-savons', request()).results.map((x) => x.id)).not.toContain('r-collecte-loin');
    expect(matchStructure(idx, 's-tri', request()).results.map((x) => x.id)).toContain('r-collecte-loin');
  });
});

describe('premises in the area the need text names', () => {
  const movers = structure({
    id: 's-brest', name: 'Compagnie du Large', postal_code: '35000', place: PLACES.rennes,
    description: 'Compagnie de théâtre itinérante.', needs: ['premises'], need_text: 'Nous voulons ouvrir une salle de répétition dans le Finistère, où vit la moitié de notre troupe.',
  });
  const atBrest = resource({ id: 'r-brest', title: 'Salle vacante', description: 'Ancienne salle de tri du bureau de poste.', postal_code: '29200', place: PLACES.brest });
  const atRennes = resource({ id: 'r-rennes', title: 'Salle vacante', description: 'Ancienne salle de tri du bureau de poste.' });
  const idx = Index.build(thesaurus, { structures: [movers], resources: [atBrest, atRennes] });

  it('admits premises in a département the need text names however far, ranks them first and says why', () => {
    const list = matchStructure(idx, 's-brest', request({ explain: true }));
    expect(list.results.map((x) => x.id)).toEqual(['r-brest', 'r-rennes']);
    expect(list.results[0].explanation!.reasons).toContain('dans la zone que la structure nomme : Finistère');
    expect(matchResource(idx, 'r-brest', request()).results.map((x) => x.id)).toEqual(['s-brest']);
  });
});

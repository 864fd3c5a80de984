/**
 * The exact search (engine/exact.ts) leaves out, before any bound, a local offer whose box leaves
 * out a structure it can reach only at its site (outsideBox). A structure whose need names a place
 * (premises there, however far) or a delivery area (a last-mile offer there) is reached beyond the
 * box: such pairs must still be found, in both directions. And the box never leaves out a site
 * within the reach, however large the reach.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THESAURUS } from '../../scripts/check-thesaurus.ts';
import { dayNumber } from '../../src/domain/day.ts';
import { BOX_MAX_REACH_KM, outsideBox } from '../../src/engine/candidates.ts';
import { exactResourceCandidates, exactStructureCandidates, SEED_CANDIDATES } from '../../src/engine/exact.ts';
import { Index } from '../../src/engine/index.ts';
import { EARTH_RADIUS_KM, haversineKm } from '../../src/geo/distance.ts';
import { loadThesaurus } from '../../src/text/thesaurus.ts';
import { model, PLACES, resource, structure } from './fixtures.ts';

const EVRY = { postalCode: '91000', inseeCode: '91228', commune: 'Évry-Courcouronnes', department: '91', region: '11', lat: 48.6291, lon: 2.4407 };

const troupe = structure({
  id: 's-troupe', name: 'Compagnie du Large', description: 'Compagnie de théâtre itinérante.', needs: ['premises'],
  need_text: 'Nous voulons ouvrir une salle de répétition dans le Finistère, où vit la moitié de notre troupe.',
});
const garden = structure({
  id: 's-jardin', name: 'Jardin de Cocagne des Coteaux', legal_form: 'siae', postal_code: '91000', place: EVRY,
  description: 'Chantier d’insertion maraîcher et horticole : nous cultivons des fleurs de saison.', needs: ['logistics'],
  need_text: 'Nous voulons livrer chaque semaine nos bouquets à nos abonnés dans Paris, sans camionnette diesel.',
});
const plain = structure({ id: 's-rennes', name: 'Atelier vélo', description: 'Atelier de réparation de vélos.', needs: ['premises'], need_text: 'Un local pour notre atelier.' });
const atBrest = resource({ id: 'r-brest', title: 'Salle vacante', description: 'Ancienne salle de tri du bureau de poste.', postal_code: '29200', place: PLACES.brest });
const lastMile = resource({
  id: 'r-dernier-km', pillar: 'logistics', title: 'Livraison du dernier kilomètre bas carbone', postal_code: '75015', place: PLACES.paris15,
  description: 'Livraison de colis et de paniers en vélo-cargo et véhicules électriques aux particuliers.', radius_km: 8,
});
// Records closer by their texts than the pairs above, so many that those pairs are not among the
// few the search scores first (SEED_CANDIDATES, which no bound filters) and must come through the bounds.
const seeds = Array.from({ length: SEED_CANDIDATES + 5 }, (_, i) => i);
const rehearsalRooms = seeds.map((i) => resource({
  id: `r-rep-${i}`, scope: 'national', title: 'Salle de répétition pour compagnie de théâtre itinérante',
  description: 'Une salle de répétition pour une troupe de théâtre, la moitié de la compagnie.',
}));
const bouquetRounds = seeds.map((i) => resource({
  id: `r-bouquets-${i}`, pillar: 'logistics', scope: 'national', title: 'Livraison de bouquets aux abonnés',
  description: 'Nous livrons chaque semaine les bouquets des jardins à leurs abonnés, sans camionnette diesel.',
}));
const brestTenants = seeds.map((i) => structure({
  id: `s-brest-${i}`, postal_code: '29200', place: PLACES.brest, description: 'Ancienne salle de tri du bureau de poste.',
  need_text: 'Une salle vacante, comme l’ancienne salle de tri du bureau de poste.',
}));
const parisSenders = seeds.map((i) => structure({
  id: `s-paris-${i}`, postal_code: '75015', place: PLACES.paris15, needs: ['logistics'], description: 'Épicerie solidaire.',
  need_text: 'Livraison de colis et de paniers en vélo-cargo et véhicules électriques aux particuliers du dernier kilomètre.',
}));
const index = Index.build(loadThesaurus(DEFAULT_THESAURUS), {
  structures: [troupe, garden, plain, ...brestTenants, ...parisSenders], resources: [atBrest, lastMile, ...rehearsalRooms, ...bouquetRounds],
});
// Every admitted pair is in the top-k: a pair left out is one the search excluded.
const exact = { limit: 1000, asOfDay: dayNumber('2026-12-01'), model };
const profile = (id: string) => index.structures.get(id)!;
const offer = (id: string) => index.resources.get(id)!;
const resourcesOf = (id: string) => Array.from(exactResourceCandidates(index, profile(id), exact).slots, (slot) => index.resources.profiles[slot].entity.id);
const structuresOf = (id: string) => Array.from(exactStructureCandidates(index, offer(id), exact).slots, (slot) => index.structures.profiles[slot].entity.id);

describe('the exact search beyond a local offer\'s box', () => {
  it('finds premises in a département the need names, far outside their box, in both directions', () => {
    expect(outsideBox(profile('s-troupe').lat, profile('s-troupe').lon, offer('r-brest').lat, offer('r-brest').lon, offer('r-brest').maxReachKm)).toBe(true);
    expect(resourcesOf('s-troupe')).toContain('r-brest');
    expect(structuresOf('r-brest')).toContain('s-troupe');
  });

  it('finds a last-mile offer for a structure that delivers into its area from outside its box, in both directions', () => {
    expect(outsideBox(profile('s-jardin').lat, profile('s-jardin').lon, offer('r-dernier-km').lat, offer('r-dernier-km').lon, offer('r-dernier-km').maxReachKm)).toBe(true);
    expect(resourcesOf('s-jardin')).toContain('r-dernier-km');
    expect(structuresOf('r-dernier-km')).toContain('s-jardin');
  });

  it('leaves out the same premises for a structure that names no place (reached at its site alone)', () => {
    expect(resourcesOf('s-rennes')).not.toContain('r-brest');
    expect(structuresOf('r-brest')).not.toContain('s-rennes');
  });
});

/** The site `km` away from (lat, lon) on the bearing `deg` (great circle, the sphere of haversineKm). */
function destination(lat: number, lon: number, km: number, deg: number): [number, number] {
  const rad = Math.PI / 180, d = km / EARTH_RADIUS_KM, b = deg * rad, p = lat * rad;
  const p2 = Math.asin(Math.sin(p) * Math.cos(d) + Math.cos(p) * Math.sin(d) * Math.cos(b));
  const l2 = lon * rad + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p), Math.cos(d) - Math.sin(p) * Math.sin(p2));
  return [p2 / rad, l2 / rad];
}

describe('the box of a local offer', () => {
  it('never leaves out a site within the reach, from 1 km to beyond BOX_MAX_REACH_KM, at the latitudes of France and its overseas', () => {
    let checked = 0;
    for (const lat of [-21, 4, 14.6, 16, 41.9, 46, 48.1, 51, 55]) {
      for (const reach of [1, 12, 50, 200, 600, 870, 950, BOX_MAX_REACH_KM, 1500]) {
        for (let deg = 0; deg < 360; deg += 7.5) {
          for (const share of [0.5, 0.98, 0.999]) {
            const [lat2, lon2] = destination(lat, 2, reach * share, deg);
            if (haversineKm(lat, 2, lat2, lon2) > reach) continue;
            expect(outsideBox(lat, 2, lat2, lon2, reach), `${lat}° ${reach} km ${deg}°`).toBe(false);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('leaves out a site well beyond the reach', () => {
    expect(outsideBox(48.1, -1.7, ...destination(48.1, -1.7, 300, 90), 100)).toBe(true);
    expect(outsideBox(48.1, -1.7, ...destination(48.1, -1.7, 300, 0), 100)).toBe(true);
  });
});

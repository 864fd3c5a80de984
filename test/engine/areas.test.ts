import { describe, expect, it } from 'vitest';
import type { Place, Scope } from '../../src/domain/types.ts';
import { resourceKeys, resourcesServing, structureKeys, structuresServedBy } from '../../src/engine/areas.ts';
import { inArea } from '../../src/features/geography.ts';
import { resourceProfile, structureProfile, type StructureTraits } from '../../src/profiles/profiles.ts';
import { haversineKm } from '../../src/geo/distance.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { defaultGazetteer } from '../../src/geo/places.ts';
import { EMPTY_VECTOR } from '../../src/retrieval/documents.ts';
import { resource, structure } from './fixtures.ts';

const communes = loadGeography().communes();
/** Deterministic pseudo-random picks. */
let x = 12345;
const next = () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const somewhere = (): Place => {
  const c = communes[Math.floor(next() * communes.length)];
  return { postalCode: c.postalCodes[0], inseeCode: c.insee, commune: c.name, department: c.department, region: c.region, lat: c.lat, lon: c.lon };
};
/** Communes within `km` of a place (nearby places are where the edge cases are). */
const near = (p: Place, km: number): Place[] => communes
  .filter((c) => haversineKm(p.lat, p.lon, c.lat, c.lon) <= km)
  .map((c) => ({ postalCode: c.postalCodes[0], inseeCode: c.insee, commune: c.name, department: c.department, region: c.region, lat: c.lat, lon: c.lon }));
const traits: StructureTraits = { textPillarsMask: 0, stepFree: 'unstated', deliveryAreas: [], namedPlaces: [], needConcepts: [] };
const none = new Float32Array(0);
const noText = { vector: EMPTY_VECTOR, needVector: EMPTY_VECTOR, stems: { has: () => false }, surfaces: new Int32Array(0), bagWeights: none, needBagWeights: none };
const noOffer = { vector: EMPTY_VECTOR, surfaces: new Int32Array(0), bagWeights: none };

describe('geographic blocking', () => {
  it('files every structure in the area of an offer under a key the offer searches, and the other way round', () => {
    const scopes: Scope[] = ['local', 'local', 'departmental', 'regional', 'national'];
    let inside = 0;
    for (let k = 0; k < 150; k++) {
      const rPlace = somewhere();
      const scope = scopes[k % scopes.length];
      const radius = k % 3 === 0 ? undefined : k % 10 === 1 ? 300 + Math.floor(next() * 400) : 5 + Math.floor(next() * 60);
      const r = resourceProfile(resource({ id: `r${k}`, scope, radius_km: radius, place: rPlace }), noOffer);
      const close = near(rPlace, Math.min(radius ?? 60, 150) + 5);
      for (let j = 0; j < 20; j++) {
        const place = j % 2 === 0 ? close[Math.floor(next() * close.length)] : somewhere();
        const s = structureProfile(structure({ id: `s${j}`, place }), traits, noText);
        if (!inArea(s, r, haversineKm(s.lat, s.lon, r.lat, r.lon))) continue;
        inside++;
        const searched = structuresServedBy(r);
        if (searched) expect(structureKeys(s).some((key) => searched.includes(key)), `${r.entity.id} → ${place.commune}`).toBe(true);
        expect(resourceKeys(r).some((key) => resourcesServing(s, { local: r.maxReachKm, logistics: r.maxReachKm }).includes(key)), `${place.commune} → ${r.entity.id}`).toBe(true);
      }
    }
    expect(inside).toBeGreaterThan(500);
  });

  it('files a structure under the places its need text names, so that the offers serving them find it both ways', () => {
    const gazetteer = defaultGazetteer();
    const departments = loadGeography().departments();
    let served = 0;
    for (let k = 0; k < 120; k++) {
      const home = somewhere();
      const named = k % 2 === 0 ? somewhere() : undefined;
      const text = named ? `Nous voulons livrer nos clients à ${named.commune}.` : `Nous cherchons un local dans le ${departments[k % departments.length].name}.`;
      const namedPlaces = gazetteer.find(text, home);
      const logistics = k % 3 !== 0;
      const s = structureProfile(structure({ id: `s${k}`, place: home, needs: [logistics ? 'logistics' : 'premises'] }),
        { ...traits, namedPlaces, deliveryAreas: logistics ? namedPlaces : [] }, noText);
      const target = namedPlaces[0]?.points[0];
      if (!target) continue;
      for (const rPlace of near({ ...home, lat: target.lat, lon: target.lon }, 70).filter(() => next() < 0.05)) {
        const scope: Scope = k % 5 === 0 ? 'departmental' : 'local';
        const radius = logistics ? 5 + Math.floor(next() * 60) : undefined;
        const r = resourceProfile(resource({ id: 'r', pillar: logistics ? 'logistics' : 'premises', scope, radius_km: radius, place: rPlace }), noOffer);
        if (!inArea(s, r, haversineKm(s.lat, s.lon, r.lat, r.lon))) continue;
        served++;
        const searched = structuresServedBy(r);
        if (searched) expect(structureKeys(s).some((key) => searched.includes(key)), `${r.entity.id} → ${text}`).toBe(true);
        expect(resourceKeys(r).some((key) => resourcesServing(s, { local: r.maxReachKm, logistics: r.maxReachKm }).includes(key)), `${text} → ${rPlace.commune}`).toBe(true);
      }
    }
    expect(served).toBeGreaterThan(50);
  });

  it('files a local offer reaching farther than 300 km apart, searched by every structure, not through its cells', () => {
    const wide = resourceProfile(resource({ id: 'r', radius_km: 2000 }), noOffer);
    const s = structureProfile(structure({ id: 's' }), traits, noText);
    expect(resourceKeys(wide)).toContain('w');
    expect(resourceKeys(wide).some((key) => key.startsWith('c:'))).toBe(false);
    expect(structuresServedBy(wide)).toBeUndefined();
    expect(resourcesServing(s, { local: 62, logistics: 62 })).toContain('w');
  });

  it('leaves a far local offer out of what a structure searches', () => {
    const paris = structureProfile(structure({ id: 's', place: { postalCode: '75015', inseeCode: '75115', commune: 'Paris', department: '75', region: '11', lat: 48.84, lon: 2.30 } }), traits, noText);
    const brest = resourceProfile(resource({ id: 'r', place: { postalCode: '29200', inseeCode: '29019', commune: 'Brest', department: '29', region: '53', lat: 48.39, lon: -4.49 } }), noOffer);
    expect(resourceKeys(brest).some((key) => resourcesServing(paris, { local: 122, logistics: 122 }).includes(key))).toBe(false);
  });
});

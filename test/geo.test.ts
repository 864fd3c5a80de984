import { describe, expect, it } from 'vitest';
import { haversineKm } from '../src/geo/distance.ts';
import { createGeography, loadGeography, type GeoData } from '../src/geo/geography.ts';
import { createGazetteer } from '../src/geo/places.ts';

const geo = loadGeography();
const resolve = (postalCode: string) => {
  const resolution = geo.resolvePostalCode(postalCode);
  if (!resolution) throw new Error(`${postalCode} did not resolve`);
  return resolution;
};

describe('postal code resolution', () => {
  it('resolves 20000 to Ajaccio in Corse-du-Sud (2A), région Corse', () => {
    const { place } = resolve('20000');
    expect(place).toMatchObject({ postalCode: '20000', inseeCode: '2A004', commune: 'Ajaccio', department: '2A', region: '94' });
  });

  it('resolves 20200 to Bastia in Haute-Corse (2B), région Corse', () => {
    const { place } = resolve('20200');
    expect(place).toMatchObject({ inseeCode: '2B033', commune: 'Bastia', department: '2B', region: '94' });
  });

  it.each([
    ['97231', '97222', 'Le Robert', '972', '02'],
    ['97320', '97311', 'Saint-Laurent-du-Maroni', '973', '03'],
    ['97600', '97611', 'Mamoudzou', '976', '06'],
    ['97400', '97411', 'Saint-Denis', '974', '04'],
    ['97100', '97105', 'Basse-Terre', '971', '01'],
  ])('resolves overseas postal code %s to %s %s (département %s, région %s)', (code, insee, name, department, region) => {
    expect(resolve(code).place).toMatchObject({ inseeCode: insee, commune: name, department, region });
  });

  it('resolves 75015 to the Paris 15e arrondissement, département 75, région Île-de-France', () => {
    const { place, communes } = resolve('75015');
    expect(place).toMatchObject({ inseeCode: '75115', commune: 'Paris 15e Arrondissement', department: '75', region: '11' });
    expect(communes[0].population).toBeGreaterThan(150_000);
    expect(communes[0].population).toBeLessThan(400_000);
    expect(haversineKm(place.lat, place.lon, 48.8566, 2.3522)).toBeLessThan(6);
  });

  it('gives each Lyon arrondissement its own GeoNames coordinates', () => {
    const places = ['69001', '69003', '69008'].map((code) => resolve(code));
    expect(places.map((r) => r.communes[0].coordSource)).toEqual(['geonames', 'geonames', 'geonames']);
    expect(new Set(places.map((r) => `${r.place.lat},${r.place.lon}`)).size).toBe(3);
  });

  it('uses the most populous commune when several share a postal code and says so', () => {
    const { place, communes, reason } = resolve('20290');
    expect(communes.length).toBeGreaterThan(1);
    expect(place.commune).toBe('Borgo');
    expect(communes[0].population).toBe(Math.max(...communes.map((c) => c.population)));
    expect(reason).toBe(`${communes.length} communes partagent le code postal 20290 ; Borgo est retenue (la plus peuplée).`);
  });

  it('names the single commune when a postal code has only one', () => {
    expect(resolve('35000').reason).toBe('Code postal 35000 : Rennes.');
  });

  it('returns undefined for postal codes that match no commune (99999, 00000, empty)', () => {
    expect(geo.resolvePostalCode('99999')).toBeUndefined();
    expect(geo.resolvePostalCode('00000')).toBeUndefined();
    expect(geo.resolvePostalCode('')).toBeUndefined();
  });

  it('ignores surrounding spaces', () => {
    expect(geo.resolvePostalCode(' 35000 ')?.place.commune).toBe('Rennes');
  });
});

describe('reference data', () => {
  it('names région 94 Corse, 11 Île-de-France, 53 Bretagne and 02 Martinique', () => {
    expect(geo.region('94')?.name).toBe('Corse');
    expect(geo.region('11')?.name).toBe('Île-de-France');
    expect(geo.region('53')?.name).toBe('Bretagne');
    expect(geo.region('02')?.name).toBe('Martinique');
  });

  it('attaches Corse-du-Sud and Haute-Corse to région 94', () => {
    expect(geo.department('2A')).toEqual({ code: '2A', name: 'Corse-du-Sud', region: '94' });
    expect(geo.department('2B')).toMatchObject({ name: 'Haute-Corse', region: '94' });
  });

  it('lists every département and région used by a commune', () => {
    const departments = new Set(geo.departments().map((d) => d.code));
    const regions = new Set(geo.regions().map((r) => r.code));
    const inconsistent = geo.communes().filter((c) =>
      !departments.has(c.department) || !regions.has(c.region) || geo.department(c.department)?.region !== c.region);
    expect(inconsistent).toEqual([]);
  });

  it('covers about 35,000 communes and most of the population with GeoNames coordinates', () => {
    const communes = geo.communes();
    expect(communes.length).toBeGreaterThan(34_000);
    const population = (list: readonly { population: number }[]) => list.reduce((sum, c) => sum + c.population, 0);
    const placed = communes.filter((c) => c.coordSource === 'geonames');
    expect(population(placed) / population(communes)).toBeGreaterThan(0.8);
  });

  /** [lat min, lat max, lon min, lon max] per overseas département / collectivity; metropole otherwise. */
  const BOUNDS: Record<string, [number, number, number, number]> = {
    metropole: [41, 51.5, -5.5, 10],
    '971': [15.8, 16.6, -61.9, -61.0],
    '972': [14.3, 14.95, -61.3, -60.7],
    '973': [2, 6, -55, -51.5],
    '974': [-21.5, -20.8, 55.1, 55.9],
    '975': [46.7, 47.2, -56.5, -56.1],
    '976': [-13.1, -12.6, 44.9, 45.4],
    '977': [17.8, 18, -63, -62.7],
    '978': [18, 18.2, -63.2, -62.9],
  };

  it('places every commune at finite coordinates inside the bounds of its département family', () => {
    const outside = geo.communes().filter((c) => {
      const [latMin, latMax, lonMin, lonMax] = BOUNDS[c.department.length === 2 ? 'metropole' : c.department] ?? [0, 0, 0, 0];
      const ok = Number.isFinite(c.lat) && Number.isFinite(c.lon);
      return !ok || c.lat < latMin || c.lat > latMax || c.lon < lonMin || c.lon > lonMax;
    });
    expect(outside.map((c) => `${c.insee} ${c.name} ${c.lat},${c.lon}`)).toEqual([]);
  });
});

describe('haversineKm', () => {
  it('measures Paris–Marseille at about 660 km', () => {
    expect(haversineKm(48.8566, 2.3522, 43.2965, 5.3698)).toBeCloseTo(661, -1);
  });

  it('is zero for the same point and symmetric', () => {
    expect(haversineKm(45, 5, 45, 5)).toBe(0);
    expect(haversineKm(14.6, -61, -12.8, 45.2)).toBeCloseTo(haversineKm(-12.8, 45.2, 14.6, -61), 9);
  });
});

describe('createGeography (pure, on a small data set)', () => {
  const data: GeoData = {
    attribution: 'test',
    sources: [],
    coordSources: ['geonames', 'postal-centroid', 'department-centroid'],
    regions: [['53', 'Bretagne']],
    departments: [['35', 'Ille-et-Vilaine', '53']],
    communes: [
      ['35001', 'Alpha', ['35100'], '35', 500, 48.1, -1.6, 0],
      ['35002', 'Bêta', ['35100', '35200'], '35', 500, 48.2, -1.7, 1],
      ['35003', 'Gamma', ['35200'], '35', 100, 48.3, -1.8, 2],
    ],
  };
  const small = createGeography(data);

  it('picks the first INSEE code when populations are equal and says so', () => {
    const resolution = small.resolvePostalCode('35100');
    expect(resolution?.place.inseeCode).toBe('35001');
    expect(resolution?.reason).toBe('2 communes partagent le code postal 35100 ; Alpha est retenue (population égale : premier code INSEE).');
  });

  it('mentions approximate coordinates when the commune used is not placed by GeoNames', () => {
    const resolution = small.resolvePostalCode('35200');
    expect(resolution?.place).toMatchObject({ inseeCode: '35002', commune: 'Bêta', department: '35', region: '53', lat: 48.2 });
    expect(resolution?.reason).toContain('Coordonnées approchées (centre des communes de même code postal)');
  });

  it('lists communes with their région and coordinate source', () => {
    expect(small.communes().map((c) => [c.insee, c.region, c.coordSource])).toEqual([
      ['35001', '53', 'geonames'], ['35002', '53', 'postal-centroid'], ['35003', '53', 'department-centroid'],
    ]);
  });

  it('gives each commune by its index as the list does, with all its postal codes, and refuses an index out of range', () => {
    expect(small.communeCount).toBe(3);
    expect(small.commune(1)).toEqual(small.communes()[1]);
    expect(small.commune(1)).toMatchObject({ insee: '35002', name: 'Bêta', postalCodes: ['35100', '35200'], population: 500, lat: 48.2, lon: -1.7 });
    expect(Object.isFrozen(small.commune(1)) && Object.isFrozen(small.commune(1).postalCodes)).toBe(true);
    expect(() => small.commune(3)).toThrow(RangeError);
    expect(() => small.commune(-1)).toThrow(RangeError);
    expect(() => small.commune(0.5)).toThrow(RangeError);
  });

  it('resolves a postal code once and gives the same resolution again, a padded code included', () => {
    const first = small.resolvePostalCode('35200');
    expect(small.resolvePostalCode('35200')).toBe(first);
    expect(small.resolvePostalCode(' 35200 ')).toBe(first);
    expect(first?.communes.map((c) => c.insee)).toEqual(['35002', '35003']);
    expect(small.resolvePostalCode('35300')).toBeUndefined();
  });

  it('refuses a commune of an unknown département or coordinate source, naming it', () => {
    expect(() => createGeography({ ...data, communes: [['99001', 'Nulle part', ['99100'], '99', 1, 0, 0, 0]] }))
      .toThrow('Commune 99001: unknown département 99');
    expect(() => createGeography({ ...data, communes: [['35009', 'Delta', ['35100'], '35', 1, 0, 0, 7]] }))
      .toThrow('Commune 35009: unknown coordinate source 7');
  });

  it('returns the same cached instance from loadGeography', () => {
    expect(loadGeography()).toBe(geo);
  });
});

describe('the gazetteer of places a text names', () => {
  const gazetteer = createGazetteer(geo);
  const PARIS = { lat: 48.85, lon: 2.35 }, REUNION = { lat: -21.1, lon: 55.5 };
  const named = (text: string, near = PARIS) => gazetteer.find(text, near).map((p) => `${p.kind} ${p.name} ${p.department}`);

  it('resolves a homonym commune to the weightiest near the writer', () => {
    expect(named('Nous livrons à Saint-Denis.')).toEqual(['commune Saint-Denis 93']);
    expect(named('Nous livrons à Saint-Denis.', REUNION)).toEqual(['commune Saint-Denis 974']);
  });

  it('reads « au Mans » as Le Mans and a département before a commune of the same name', () => {
    expect(named('Une tournée au Mans et en Essonne.')).toEqual(['commune Le Mans 72', 'department Essonne 91']);
    expect(named('Des locaux à Paris.')).toEqual(['department Paris 75']);
  });

  it('gives the same place each time a text names it, with its coordinates as points', () => {
    const [first] = gazetteer.find('à Rennes', PARIS);
    const [again] = gazetteer.find('vers Rennes', REUNION);
    expect(first).toBe(again);
    expect(first).toMatchObject({ kind: 'commune', name: 'Rennes', department: '35', region: '53' });
    expect(first.points).toHaveLength(1);
  });
});

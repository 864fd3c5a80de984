/**
 * Places a French text names: communes (« à Lyon », « dans Paris », « jusqu'à Lorient ») and
 * départements (« en Essonne », « dans le Val-de-Marne »), read from the geography rather than from
 * a list of phrases. A name counts when it is written with a capital after a word that places it
 * (à, dans, en, vers, sur, jusqu'à, de, et…): « la Poste », « Noël » or a name opening a sentence
 * do not. Paris, Lyon and Marseille are named as whole cities (the geography holds their
 * arrondissements). Homonym communes resolve to the most populous near the writer.
 */
import { haversineKm } from './distance.ts';
import { addToGroup, loadGeography, type Geography } from './geography.ts';
import { fold, normalizeText } from '../text/normalize.ts';

export interface Point { lat: number; lon: number }

/** A named place: a commune (one point) or a département (its most populous communes). */
export interface NamedPlace {
  name: string;
  kind: 'commune' | 'department';
  department: string;
  region: string;
  population: number;
  points: readonly Point[];
}

export interface Gazetteer {
  /** Places the text names, each once, in order; homonyms resolved nearest `near`. */
  find(text: string | undefined, near: Point): NamedPlace[];
}

/** Points kept for a département: its most populous communes. */
const DEPARTMENT_POINTS = 25;
const MAX_NAME_WORDS = 6;
/** More homonyms than this, and the likeliest farther than VAGUE_KM: the name is left unresolved. */
const VAGUE_HOMONYMS = 3;
const VAGUE_KM = 200;
/** Words that place a following name. */
const PLACING = /(?:^|[\s(])(?:à|a|au|aux|dans|sur|vers|en|de|du|des|jusqu'à|pour|entre|et|ou|le|la|les|d'|l'|depuis|autour de|près de|hors de)\s*$/iu;
/** A run of capitalised words and the small words inside compound names (« Saint-Denis », « Aix-en-Provence »). */
const NAME_RUN = /\p{Lu}[\p{L}\p{M}]*(?:(?:[\s-]|')(?:\p{Lu}[\p{L}\p{M}]*|sur|sous|en|de|du|des|la|le|les|lès|et|aux|au|d|l)(?=[\s\-',.;:!?)]|$))*/gu;
const ARRONDISSEMENT = /^(Paris|Lyon|Marseille) \d+(?:er|e) Arrondissement$/;

const keyOf = (words: readonly string[]) => words.map(fold).join(' ');
const wordsOf = (name: string) => name.split(/[\s'-]+/).filter((w) => w !== '');

/**
 * A place the gazetteer holds: a commune by its index in the geography's list (0 and up), or
 * `-(k + 1)` for the k-th of the other places (départements, Paris, Lyon and Marseille as whole
 * cities). A commune's NamedPlace is made the first time a text names it, then kept: the 35,000
 * communes as objects (each with its points and its homonyms' list) were 210,000 objects that
 * every full collection of every process marked again, for the few hundred that texts name.
 */
type PlaceId = number;

/**
 * The names the gazetteer knows, each with its places' ids, and the places other than communes.
 * Read in a function of its own: what it reads on the way (every commune, by département) would
 * otherwise stay alive behind the gazetteer's functions, as a closure keeps the variables of the
 * function it is made in.
 */
function readPlaces(geography: Geography): { byKey: Map<string, PlaceId | PlaceId[]>; others: NamedPlace[] } {
  const others: NamedPlace[] = [];
  /** Places by their folded name: one id, or the homonyms' ids. */
  const byKey = new Map<string, PlaceId | PlaceId[]>();
  const add = (words: string[], id: PlaceId) => addToGroup(byKey, keyOf(words), id);
  const addOther = (words: string[], place: NamedPlace) => { others.push(place); add(words, -others.length); };
  const cities = new Map<string, { department: string; region: string; lat: number; lon: number; n: number; population: number }>();
  const byDepartment = new Map<string, { population: number; lat: number; lon: number }[]>();
  geography.communes().forEach((c, id) => {
    (byDepartment.get(c.department) ?? byDepartment.set(c.department, []).get(c.department)!).push(c);
    const city = ARRONDISSEMENT.exec(c.name)?.[1];
    if (city) {
      const sum = cities.get(city) ?? { department: c.department, region: c.region, lat: 0, lon: 0, n: 0, population: 0 };
      sum.lat += c.lat; sum.lon += c.lon; sum.n++; sum.population += c.population;
      cities.set(city, sum);
      return;
    }
    const words = wordsOf(c.name);
    add(words, id);
    // « Le Mans », « La Rochelle », « Les Mureaux » are also written « au Mans », « à La Rochelle ».
    if (words.length > 1 && /^(le|la|les)$/i.test(words[0])) add(words.slice(1), id);
  });
  for (const [name, s] of cities) {
    addOther([name], { name, kind: 'commune', department: s.department, region: s.region, population: s.population, points: [{ lat: s.lat / s.n, lon: s.lon / s.n }] });
  }
  for (const d of geography.departments()) {
    const top = [...(byDepartment.get(d.code) ?? [])].sort((a, b) => b.population - a.population).slice(0, DEPARTMENT_POINTS);
    if (top.length === 0) continue;
    addOther(wordsOf(d.name), { name: d.name, kind: 'department', department: d.code, region: d.region, population: top.reduce((n, c) => n + c.population, 0), points: top.map((c) => ({ lat: c.lat, lon: c.lon })) });
  }
  return { byKey, others };
}

export function createGazetteer(geography: Geography): Gazetteer {
  const { byKey, others } = readPlaces(geography);
  const isDepartment = (id: PlaceId) => id < 0 && others[-id - 1].kind === 'department';
  // A département named like a commune (« Paris », « Nord » is not one, « Mayotte »): the département wins, it holds the commune.
  for (const ids of byKey.values()) if (typeof ids !== 'number') ids.sort((a, b) => Number(isDepartment(b)) - Number(isDepartment(a)));

  const made = new Map<PlaceId, NamedPlace>();
  const placeOf = (id: PlaceId): NamedPlace => {
    if (id < 0) return others[-id - 1];
    let place = made.get(id);
    if (!place) {
      const c = geography.commune(id);
      place = { name: c.name, kind: 'commune', department: c.department, region: c.region, population: c.population, points: [{ lat: c.lat, lon: c.lon }] };
      made.set(id, place);
    }
    return place;
  };
  /** Where a homonym is weighed from, and its weight: a commune made once for both. */
  const anchorOf = (id: PlaceId): Point & { population: number } => {
    if (id >= 0) return geography.commune(id);
    const { points: [point], population } = others[-id - 1];
    return { lat: point.lat, lon: point.lon, population };
  };

  // Homonyms: the weightiest by population over squared distance (« La Rochelle » is the port, « Saint-Denis » the nearest big one).
  // A name many communes share (« Saint-Laurent », « Sainte-Marie ») is too vague far from the writer:
  // it is most likely short for a longer name nearby.
  const nearest = (ids: PlaceId | PlaceId[], near: Point): NamedPlace | undefined => {
    if (typeof ids === 'number') return placeOf(ids);
    if (isDepartment(ids[0])) return placeOf(ids[0]);
    let best = ids[0], bestPull = -1, bestKm = 0;
    for (const id of ids) {
      const p = anchorOf(id);
      const km = haversineKm(near.lat, near.lon, p.lat, p.lon);
      const pull = (p.population + 1) / (1 + km / 30) ** 2;
      if (pull > bestPull) { best = id; bestPull = pull; bestKm = km; }
    }
    return ids.length > VAGUE_HOMONYMS && bestKm > VAGUE_KM ? undefined : placeOf(best);
  };

  return {
    find(text, near) {
      if (!text) return [];
      const normal = normalizeText(text);
      const found = new Map<string, NamedPlace>();
      for (const m of normal.matchAll(NAME_RUN)) {
        const words = wordsOf(m[0]);
        const starts = wordStarts(m[0], m.index);
        let i = 0;
        while (i < words.length) {
          const placed = /^\p{Lu}/u.test(words[i]) && PLACING.test(normal.slice(Math.max(0, starts[i] - 12), starts[i]));
          let taken = 0;
          if (placed && !isAcronym(words[i])) {
            for (let k = Math.min(MAX_NAME_WORDS, words.length - i); k > 0; k--) {
              const ids = byKey.get(keyOf(words.slice(i, i + k)));
              if (ids === undefined) continue;
              const place = nearest(ids, near);
              taken = k;
              if (!place) break;
              found.set(`${place.kind}:${place.name}:${place.department}`, place);
              break;
            }
          }
          i += Math.max(1, taken);
        }
      }
      return [...found.values()];
    },
  };
}

/** Where each word of a run starts in the text. */
function wordStarts(run: string, offset: number): number[] {
  const starts: number[] = [];
  for (const m of run.matchAll(/[^\s'-]+/g)) starts.push(offset + m.index);
  return starts;
}

const isAcronym = (word: string) => word.length > 1 && word === word.toUpperCase();

let cached: Gazetteer | undefined;

/** The gazetteer of the committed geography, built once. */
export function defaultGazetteer(): Gazetteer {
  cached ??= createGazetteer(loadGeography());
  return cached;
}

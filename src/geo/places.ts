/**
 * Places a French text names: communes (« à Lyon », « dans Paris », « jusqu'à Lorient ») and
 * départements (« en Essonne », « dans le Val-de-Marne »), read from the geography rather than from
 * a list of phrases. A name counts when it is written with a capital after a word that places it
 * (à, dans, en, vers, sur, jusqu'à, de, et…): « la Poste », « Noël » or a name opening a sentence
 * do not. Paris, Lyon and Marseille are named as whole cities (the geography holds their
 * arrondissements). Homonym communes resolve to the most populous near the writer.
 */
import { haversineKm } from './distance.ts';
import { loadGeography, type Geography } from './geography.ts';
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

export function createGazetteer(geography: Geography): Gazetteer {
  const byKey = new Map<string, NamedPlace[]>();
  const add = (words: string[], place: NamedPlace) => {
    const key = keyOf(words);
    const list = byKey.get(key) ?? [];
    list.push(place);
    byKey.set(key, list);
  };
  const cities = new Map<string, { department: string; region: string; lat: number; lon: number; n: number; population: number }>();
  const byDepartment = new Map<string, { population: number; lat: number; lon: number }[]>();
  for (const c of geography.communes()) {
    (byDepartment.get(c.department) ?? byDepartment.set(c.department, []).get(c.department)!).push(c);
    const city = ARRONDISSEMENT.exec(c.name)?.[1];
    if (city) {
      const sum = cities.get(city) ?? { department: c.department, region: c.region, lat: 0, lon: 0, n: 0, population: 0 };
      sum.lat += c.lat; sum.lon += c.lon; sum.n++; sum.population += c.population;
      cities.set(city, sum);
      continue;
    }
    const place: NamedPlace = { name: c.name, kind: 'commune', department: c.department, region: c.region, population: c.population, points: [{ lat: c.lat, lon: c.lon }] };
    const words = wordsOf(c.name);
    add(words, place);
    // « Le Mans », « La Rochelle », « Les Mureaux » are also written « au Mans », « à La Rochelle ».
    if (words.length > 1 && /^(le|la|les)$/i.test(words[0])) add(words.slice(1), place);
  }
  for (const [name, s] of cities) {
    add([name], { name, kind: 'commune', department: s.department, region: s.region, population: s.population, points: [{ lat: s.lat / s.n, lon: s.lon / s.n }] });
  }
  for (const d of geography.departments()) {
    const communes = [...(byDepartment.get(d.code) ?? [])].sort((a, b) => b.population - a.population).slice(0, DEPARTMENT_POINTS);
    if (communes.length === 0) continue;
    add(wordsOf(d.name), { name: d.name, kind: 'department', department: d.code, region: d.region, population: communes.reduce((n, c) => n + c.population, 0), points: communes.map((c) => ({ lat: c.lat, lon: c.lon })) });
  }
  // A département named like a commune (« Paris », « Nord » is not one, « Mayotte »): the département wins, it holds the commune.
  for (const list of byKey.values()) list.sort((a, b) => Number(b.kind === 'department') - Number(a.kind === 'department'));

  // Homonyms: the weightiest by population over squared distance (« La Rochelle » is the port, « Saint-Denis » the nearest big one).
  // A name many communes share (« Saint-Laurent », « Sainte-Marie ») is too vague far from the writer:
  // it is most likely short for a longer name nearby.
  const nearest = (list: NamedPlace[], near: Point): NamedPlace | undefined => {
    if (list[0].kind === 'department' || list.length === 1) return list[0];
    let best = list[0], bestPull = -1, bestKm = 0;
    for (const p of list) {
      const km = haversineKm(near.lat, near.lon, p.points[0].lat, p.points[0].lon);
      const pull = (p.population + 1) / (1 + km / 30) ** 2;
      if (pull > bestPull) { best = p; bestPull = pull; bestKm = km; }
    }
    return list.length > VAGUE_HOMONYMS && bestKm > VAGUE_KM ? undefined : best;
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
              const list = byKey.get(keyOf(words.slice(i, i + k)));
              if (!list) continue;
              const place = nearest(list, near);
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

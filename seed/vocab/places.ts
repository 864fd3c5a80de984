/**
 * Place phrases: French prepositions and elisions for communes, départements and régions
 * ("au Havre", "d'Ajaccio", "dans le Finistère", "en Haute-Corse", "à La Réunion").
 * Département and région names come from the official geography (code officiel géographique).
 */

/** Locative phrase of each département, by INSEE code. */
const DEPARTMENTS: Record<string, string> = {
  '01': "dans l'Ain",
  '02': "dans l'Aisne",
  '03': "dans l'Allier",
  '04': "dans les Alpes-de-Haute-Provence",
  '05': "dans les Hautes-Alpes",
  '06': "dans les Alpes-Maritimes",
  '07': "dans l'Ardèche",
  '08': "dans les Ardennes",
  '09': "dans l'Ariège",
  '10': "dans l'Aube",
  '11': "dans l'Aude",
  '12': "dans l'Aveyron",
  '13': "dans les Bouches-du-Rhône",
  '14': "dans le Calvados",
  '15': "dans le Cantal",
  '16': "dans la Charente",
  '17': "dans la Charente-Maritime",
  '18': "dans le Cher",
  '19': "dans la Corrèze",
  '21': "dans la Côte-d'Or",
  '22': "dans les Côtes-d'Armor",
  '23': "dans la Creuse",
  '24': "en Dordogne",
  '25': "dans le Doubs",
  '26': "dans la Drôme",
  '27': "dans l'Eure",
  '28': "en Eure-et-Loir",
  '29': "dans le Finistère",
  '2A': "en Corse-du-Sud",
  '2B': "en Haute-Corse",
  '30': "dans le Gard",
  '31': "en Haute-Garonne",
  '32': "dans le Gers",
  '33': "en Gironde",
  '34': "dans l'Hérault",
  '35': "en Ille-et-Vilaine",
  '36': "dans l'Indre",
  '37': "en Indre-et-Loire",
  '38': "dans l'Isère",
  '39': "dans le Jura",
  '40': "dans les Landes",
  '41': "dans le Loir-et-Cher",
  '42': "dans la Loire",
  '43': "dans la Haute-Loire",
  '44': "dans la Loire-Atlantique",
  '45': "dans le Loiret",
  '46': "dans le Lot",
  '47': "dans le Lot-et-Garonne",
  '48': "dans la Lozère",
  '49': "en Maine-et-Loire",
  '50': "dans la Manche",
  '51': "dans la Marne",
  '52': "dans la Haute-Marne",
  '53': "dans la Mayenne",
  '54': "en Meurthe-et-Moselle",
  '55': "dans la Meuse",
  '56': "dans le Morbihan",
  '57': "dans la Moselle",
  '58': "dans la Nièvre",
  '59': "dans le Nord",
  '60': "dans l'Oise",
  '61': "dans l'Orne",
  '62': "dans le Pas-de-Calais",
  '63': "dans le Puy-de-Dôme",
  '64': "dans les Pyrénées-Atlantiques",
  '65': "dans les Hautes-Pyrénées",
  '66': "dans les Pyrénées-Orientales",
  '67': "dans le Bas-Rhin",
  '68': "dans le Haut-Rhin",
  '69': "dans le Rhône",
  '70': "dans la Haute-Saône",
  '71': "en Saône-et-Loire",
  '72': "dans la Sarthe",
  '73': "dans la Savoie",
  '74': "dans la Haute-Savoie",
  '75': "à Paris",
  '76': "dans la Seine-Maritime",
  '77': "en Seine-et-Marne",
  '78': "dans les Yvelines",
  '79': "dans les Deux-Sèvres",
  '80': "dans la Somme",
  '81': "dans le Tarn",
  '82': "dans le Tarn-et-Garonne",
  '83': "dans le Var",
  '84': "dans le Vaucluse",
  '85': "dans la Vendée",
  '86': "dans la Vienne",
  '87': "dans la Haute-Vienne",
  '88': "dans les Vosges",
  '89': "dans l'Yonne",
  '90': "dans le Territoire de Belfort",
  '91': "dans l'Essonne",
  '92': "dans les Hauts-de-Seine",
  '93': "en Seine-Saint-Denis",
  '94': "dans le Val-de-Marne",
  '95': "dans le Val-d'Oise",
  '971': "en Guadeloupe",
  '972': "en Martinique",
  '973': "en Guyane",
  '974': "à La Réunion",
  '976': "à Mayotte",
};

/** Régions: code → [name, locative phrase]. */
const REGIONS: Record<string, [string, string]> = {
  '01': ['Guadeloupe', 'en Guadeloupe'],
  '02': ['Martinique', 'en Martinique'],
  '03': ['Guyane', 'en Guyane'],
  '04': ['La Réunion', 'à La Réunion'],
  '06': ['Mayotte', 'à Mayotte'],
  '11': ['Île-de-France', 'en Île-de-France'],
  '24': ['Centre-Val de Loire', 'en Centre-Val de Loire'],
  '27': ['Bourgogne-Franche-Comté', 'en Bourgogne-Franche-Comté'],
  '28': ['Normandie', 'en Normandie'],
  '32': ['Hauts-de-France', 'dans les Hauts-de-France'],
  '44': ['Grand Est', 'dans le Grand Est'],
  '52': ['Pays de la Loire', 'dans les Pays de la Loire'],
  '53': ['Bretagne', 'en Bretagne'],
  '75': ['Nouvelle-Aquitaine', 'en Nouvelle-Aquitaine'],
  '76': ['Occitanie', 'en Occitanie'],
  '84': ['Auvergne-Rhône-Alpes', 'en Auvergne-Rhône-Alpes'],
  '93': ["Provence-Alpes-Côte d'Azur", "en Provence-Alpes-Côte d'Azur"],
  '94': ['Corse', 'en Corse'],
};

const REGION_BY_NAME = new Map(Object.values(REGIONS).map(([name, loc]) => [name.toLowerCase(), loc]));

/** How a commune is named in text: "Paris 15e Arrondissement" → "Paris 15e". */
export function displayName(name: string): string {
  return name.endsWith(' Arrondissement') ? name.slice(0, -' Arrondissement'.length) : name;
}

const startsWithVowel = (s: string): boolean => /^[AEIOUYÉÈÊÎÏÔÂÀaeiouyéèêîïôâà]/.test(s);

/** "de Lyon", "d'Ajaccio", "du Havre", "des Abymes", "de La Rochelle". */
export function deCommune(name: string): string {
  if (name.startsWith('Le ')) return `du ${name.slice(3)}`;
  if (name.startsWith('Les ')) return `des ${name.slice(4)}`;
  return startsWithVowel(name) ? `d'${name}` : `de ${name}`;
}

/** "à Lyon", "au Havre", "aux Abymes". */
export function aCommune(name: string): string {
  if (name.startsWith('Le ')) return `au ${name.slice(3)}`;
  if (name.startsWith('Les ')) return `aux ${name.slice(4)}`;
  return `à ${name}`;
}

/** "dans le Finistère"; falls back to a neutral phrase for an unknown code or a name. */
export function departmentPhrase(department: string): string {
  return DEPARTMENTS[department] ?? `dans le département (${department})`;
}

/** "en Occitanie", from a région code ("76") or name ("Occitanie"). */
export function regionPhrase(region: string): string {
  const byCode = REGIONS[region];
  if (byCode) return byCode[1];
  return REGION_BY_NAME.get(region.toLowerCase()) ?? `en ${region}`;
}

/** Région name from a code or a name (a name is returned unchanged). */
export function regionName(region: string): string {
  return REGIONS[region]?.[0] ?? region;
}

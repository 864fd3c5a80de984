/**
 * La Poste resources of the "Lieux partagés" (premises) and "Logistique" pillars, written in the
 * group's institutional language. Slots: see seed/template.ts.
 */
import type { ResourceKind } from './types.ts';

export const PREMISES_KINDS: ResourceKind[] = [
  {
    key: 'ancien-bureau', pillar: 'premises', weight: 5,
    titles: ['Ancien bureau de poste {commune} {quartier} à reconvertir', "Reconversion de l'ancien bureau de poste {de_commune}", 'Ancien bureau de poste {commune} {quartier}'],
    descriptions: [
      "Ancien bureau de poste de {surface} m² libéré après la transformation du point de contact en agence postale communale. Le local comprend l'ancienne salle du public, des bureaux et une réserve. {pmr_text} La Poste Immobilier l'ouvre à des projets de l'ESS par convention d'occupation ou bail à réhabilitation. {dispo}",
      "Bâtiment postal de {surface} m² {a_commune}, vacant depuis le regroupement des activités courrier. Il peut accueillir des logements d'insertion, un tiers-lieu ou des activités associatives après travaux. {pmr_text} {dispo}",
      "Rez-de-chaussée de l'ancien bureau de poste {commune} {quartier} ({surface} m²), avec vitrine et accès sur rue. {pmr_text} Mise à disposition à loyer modéré pour une structure de l'ESS. {dispo}",
    ],
    tags: ['ancien bureau de poste', 'reconversion', 'La Poste Immobilier', 'local vacant'],
    surface: [50, 450], pmr: 0.6,
  },
  {
    key: 'surface-commerciale', pillar: 'premises', weight: 3,
    titles: ['Surface commerciale vacante {a_commune}', 'Local commercial vacant du bureau de poste {commune} {quartier}'],
    descriptions: [
      "Surface commerciale vacante de {surface} m² en pied d'immeuble postal, vitrine sur rue passante. {pmr_text} Convient à une boutique solidaire, une épicerie ou un atelier ouvert au public. {dispo}",
      "Local commercial de {surface} m² libéré au sein du bureau de poste {commune} {quartier}, avec réserve attenante. {pmr_text} Conditions d'occupation adaptées aux acteurs de l'ESS. {dispo}",
    ],
    tags: ['surface commerciale', 'boutique', 'local vacant', 'centre-ville'],
    surface: [40, 300], pmr: 0.75,
  },
  {
    key: 'logements-fonction', pillar: 'premises', weight: 2,
    titles: ['Logements de fonction vacants {a_commune}', 'Logements de fonction à réhabiliter au-dessus du bureau de poste {commune} {quartier}'],
    descriptions: [
      "{n} logements de fonction inoccupés situés au-dessus du bureau de poste, soit {surface} m² habitables. Proposés en bail à réhabilitation à un organisme agréé pour créer des logements d'insertion ou une pension de famille. {pmr_text} {dispo}",
      'Ensemble de {n} appartements de fonction vacants ({surface} m² au total) {a_commune}. Travaux de remise en état à prévoir ; durée de bail compatible avec un financement PLAI. {pmr_text} {dispo}',
    ],
    tags: ['logements de fonction', 'bail à réhabilitation', "logement d'insertion", 'hébergement'],
    surface: [80, 600], pmr: 0.2,
    eligible: { p: 0.5, options: [['association', 'fondation'], ['association', 'fondation', 'cooperative']] },
  },
  {
    key: 'plateau-bureaux', pillar: 'premises', weight: 3,
    titles: ['Plateau de bureaux au {etage} du site postal {commune} {quartier}', "Bureaux disponibles dans l'immeuble postal {de_commune}"],
    descriptions: [
      "Plateau de bureaux de {surface} m² au {etage} d'un immeuble postal, cloisonné en bureaux et salle de réunion, fibre optique. {pmr_text} {dispo}",
      "Bureaux de {surface} m² libérés par la réorganisation des services support, mis à disposition de structures de l'ESS avec accès aux salles de réunion du site. {pmr_text} {dispo}",
    ],
    tags: ['bureaux', 'plateau tertiaire', 'location', 'salle de réunion'],
    surface: [60, 600], pmr: 0.55,
  },
  {
    key: 'coworking', pillar: 'premises', weight: 2,
    titles: ['Espace de coworking ESS dans le bureau de poste {commune} {quartier}', 'Postes de travail partagés {a_commune}'],
    descriptions: [
      "Espace de coworking de {surface} m² aménagé dans un bureau de poste : postes à la journée ou au mois, salle de réunion, accueil. {pmr_text} Réservé aux porteurs de projet et structures de l'ESS. {dispo}",
      'Postes de travail partagés et bureau de permanence ({surface} m²) pour des associations qui tiennent des rendez-vous ponctuels. {pmr_text} {dispo}',
    ],
    tags: ['coworking', 'tiers-lieu', 'permanence', 'bureau partagé'],
    surface: [20, 160], pmr: 0.85,
  },
  {
    key: 'entrepot', pillar: 'premises', weight: 2,
    titles: ["Entrepôt de l'ancienne plateforme de distribution du courrier {de_commune}", "Bâtiment d'activité avec quai {a_commune}"],
    descriptions: [
      "Entrepôt de {surface} m² avec quai poids lourds et cour de manœuvre, issu de l'ancienne plateforme de distribution du courrier. {pmr_text} Adapté à une ressourcerie, à de la logistique solidaire ou à un atelier. {dispo}",
      "Bâtiment d'activité de {surface} m² avec portes sectionnelles, bureaux et vestiaires, libéré par la réorganisation des tournées. {pmr_text} {dispo}",
    ],
    tags: ['entrepôt', 'stockage', 'quai', 'atelier', 'plateforme courrier'],
    surface: [250, 3000], pmr: 0.5,
  },
  {
    key: 'salle', pillar: 'premises', weight: 2,
    titles: ['Salle polyvalente partagée du bureau de poste {commune} {quartier}', "Salle d'activité à partager {a_commune}"],
    descriptions: [
      'Salle polyvalente de {surface} m² mise à disposition en créneaux réguliers pour des ateliers, des permanences ou des formations. {pmr_text} {dispo}',
      "Ancienne salle de tri de {surface} m² réaménagée en salle d'activité, ouverte aux associations du quartier. {pmr_text} {dispo}",
    ],
    tags: ['salle partagée', 'ateliers', 'permanences', 'salle de tri'],
    surface: [30, 150], pmr: 0.7,
  },
];

export const LOGISTICS_KINDS: ResourceKind[] = [
  {
    key: 'tournees-facteurs', pillar: 'logistics', weight: 4, scopes: [6, 3, 1, 0],
    titles: ['Portage solidaire par les facteurs {where}', "Tournées des facteurs au service des structures de l'ESS {where}"],
    descriptions: [
      'Les facteurs qui desservent chaque jour les communes rurales peuvent livrer des colis solidaires, des médicaments ou des paniers, et assurer des visites de lien social auprès des personnes isolées, {area}. Prestation organisée à partir des tournées existantes.',
      'Mobilisation des tournées des facteurs {area} pour la livraison de colis et de repas à domicile, ou le passage régulier chez des personnes âgées signalées par les structures partenaires.',
    ],
    tags: ['tournées des facteurs', 'portage', 'ruralité', 'lien social', 'isolement'],
    window: 0.4,
  },
  {
    key: 'dernier-kilometre', pillar: 'logistics', weight: 4, scopes: [8, 1, 1, 0],
    titles: ['Livraison du dernier kilomètre bas carbone {where}', 'Vélos-cargos et utilitaires électriques pour la livraison urbaine {where}'],
    descriptions: [
      "La plateforme urbaine bas carbone du groupe prend en charge l'enlèvement et la livraison de colis, paniers et petites marchandises en vélos-cargos et utilitaires électriques, {area}. Créneaux de livraison le jour même ou le lendemain.",
      'Offre de logistique urbaine décarbonée {area} : collecte chez le producteur, tri en hub de proximité et livraison du dernier kilomètre en vélo-cargo.',
    ],
    tags: ['dernier kilomètre', 'vélo-cargo', 'logistique urbaine', 'bas carbone', 'livraison'],
  },
  {
    key: 'stockage', pillar: 'logistics', weight: 2, scopes: [7, 2, 1, 0],
    titles: ['Stockage tampon dans la plateforme colis {de_commune}', 'Cellules de stockage temporaire {where}'],
    descriptions: [
      "Mise à disposition d'emplacements palettes dans une plateforme colis pour du stockage tampon de quelques semaines à quelques mois, avec réception et expédition par les équipes du site, {area}.",
      'Surfaces de stockage sécurisées disponibles en saisonnalité basse, avec quai et manutention, {area}.',
    ],
    tags: ['stockage', 'plateforme colis', 'palettes', 'entreposage'],
    window: 0.7,
  },
  {
    key: 'recygo', pillar: 'logistics', weight: 3, scopes: [3, 2, 3, 2],
    titles: ['Collecte et recyclage des déchets de bureau avec Recygo {where}', 'Collecte des papiers, cartons et biodéchets {where}'],
    descriptions: [
      "Recygo, filiale du groupe, collecte les papiers, cartons, gobelets, cartouches et mobilier des structures de l'ESS et les oriente vers des filières de recyclage, {area}. Tarif solidaire et bilan de valorisation annuel.",
      'Collecte et recyclage des déchets de bureau par les facteurs lors de leur tournée, avec traçabilité des tonnages, {area}.',
    ],
    tags: ['collecte', 'recyclage', 'Recygo', 'déchets de bureau', 'économie circulaire'],
  },
  {
    key: 'logistique-retour', pillar: 'logistics', weight: 2, scopes: [4, 3, 2, 1],
    titles: ["Logistique retour : reprise de contenants et d'objets {where}", "Collecte d'objets à réparer ou à réemployer {where}"],
    descriptions: [
      'Les facteurs et les bureaux de poste collectent les contenants consignés, les équipements usagés ou les objets destinés au réemploi, puis les acheminent vers la structure partenaire, {area}.',
      'Service de logistique retour : récupération de produits en fin de vie chez les particuliers et regroupement en bureau de poste pour des ateliers de réparation, {area}.',
    ],
    tags: ['logistique retour', 'consigne', 'réemploi', 'collecte'],
  },
  {
    key: 'tarifs-colis', pillar: 'logistics', weight: 2, scopes: [1, 0, 1, 6],
    titles: ["Tarifs colis négociés et enlèvement sur site pour les structures de l'ESS", 'Expédition de colis à tarif solidaire {where}'],
    descriptions: [
      "Grille tarifaire préférentielle pour l'envoi de colis et de courriers, enlèvement sur site et outils d'affranchissement en ligne, {area}.",
      "Offre d'expédition pour les boutiques solidaires et les ateliers : tarifs négociés, emballages et enlèvement régulier, {area}.",
    ],
    tags: ['colis', 'expédition', 'tarif préférentiel', 'e-commerce solidaire'],
  },
  {
    key: 'navettes', pillar: 'logistics', weight: 2, scopes: [5, 3, 2, 0],
    titles: ['Places disponibles sur les navettes inter-sites {where}', 'Mutualisation des camions de la plateforme {de_commune}'],
    descriptions: [
      "Les navettes qui relient chaque jour la plateforme aux bureaux de poste disposent de places libres pour transporter caisses, palettes et cagettes de structures de l'ESS, {area}.",
      'Tournées mutualisées de collecte et de livraison pour des producteurs et des structures solidaires, sur les trajets des camions du groupe, {area}.',
    ],
    tags: ['navettes', 'mutualisation', 'transport', 'palettes'],
  },
];

/** Neighbourhood names used in postal site names ({quartier}). */
export const QUARTIERS = [
  'Centre', 'Gare', 'République', 'Hôtel de Ville', 'Jean-Jaurès', 'Victor-Hugo', 'Bel-Air', 'Les Sablons',
  'Saint-Michel', 'Liberté', 'Les Halles', 'Pasteur', 'Principal', 'Champ de Mars', 'Les Provinces', 'Croix-Rouge',
];

/** Floors ({etage}). */
export const ETAGES = ['1er étage', '2e étage', '3e étage', 'rez-de-chaussée surélevé'];

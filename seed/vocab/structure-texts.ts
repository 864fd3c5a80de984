/**
 * Sentence templates of ESS structures: description openings and need_text per pillar. The registers
 * are mixed on purpose: small associations write plainly ("un local pour nos ateliers", "y voir clair
 * dans nos chiffres"), larger structures write like funders' forms ("préfinancement", "contrôle de gestion").
 */
import type { LegalForm, Pillar } from '../../src/domain/types.ts';

/** First sentence of a description. */
export const DESCRIPTION_OPENINGS = [
  'Depuis {year}, {subject} {does} {a_commune}.',
  'Implanté{e} {a_commune} depuis {year}, {subject} {does}.',
  '{Name} est {descriptor} qui {does} {a_commune} et dans les communes voisines.',
  'Fondé{e} en {year} par {founders}, {subject} {does}.',
  '{Subject} {does}, {a_commune} et {dept}.',
  '{Name} est {descriptor} installé{e} {a_commune} : {pron} {does}.',
];

/** need_text sentences per pillar. */
export const NEED_TEMPLATES: Record<Pillar, string[]> = {
  premises: [
    'Nous cherchons {space} {a_commune} ou tout près, environ {surface} m².',
    "Un local pour nos ateliers : on est à l'étroit et il nous faudrait {surface} m² environ, accessible en bus.",
    "Notre bail se termine {when} et nous devons trouver {space} d'environ {surface} m², de plain-pied si possible.",
    "Recherche de locaux d'activité d'une surface de {surface} m² {a_commune}, pour {space_purpose}.",
    "La salle qu'on nous prête ne suffit plus : il nous faudrait {space}, autour de {surface} m².",
    'Nous souhaitons ouvrir un second site {a_commune} : {space} de {surface} m², accessible aux personnes à mobilité réduite.',
    'On cherche un endroit à nous, même ancien, pour {space_purpose} : {surface} m² nous suffiraient.',
  ],
  logistics: [
    "Nos bénévoles font la route avec leurs propres voitures pour {goods_verb} ; ce serait plus simple de s'appuyer sur ceux qui passent tous les jours dans les villages.",
    "Nous avons besoin d'une solution de livraison pour {goods} {a_commune} et dans les communes alentour.",
    'Le transport {de_goods} nous prend un temps fou : une aide pour la logistique nous soulagerait.',
    "Nous recherchons un partenaire logistique pour la collecte et l'acheminement {de_goods}, idéalement en véhicules propres.",
    'On voudrait proposer la livraison à domicile {de_goods} sans acheter de camionnette.',
    "Il nous faudrait de la place pour stocker {goods} quelques semaines par an, et quelqu'un pour les transporter.",
    'Optimiser nos tournées de livraison {de_goods} et réduire les kilomètres à vide.',
  ],
  skills: [
    "Personne chez nous ne sait vraiment {skill_plain} : un coup de main de quelqu'un du métier nous aiderait.",
    'Nous aimerions être accompagnés pour {skill_plain}.',
    "Le bureau est entièrement bénévole et s'essouffle : nous cherchons une personne expérimentée pour piloter le projet quelques jours par mois.",
    'Un appui en {skill_formal} quelques jours par mois serait précieux pour structurer notre développement.',
    "Nous recherchons un mécénat de compétences en {skill_formal} pour accompagner notre changement d'échelle.",
    "On a besoin de quelqu'un qui s'y connaisse pour {skill_plain}, même à distance.",
    "Nos salariés en parcours aimeraient découvrir d'autres métiers et s'entraîner aux entretiens avec des professionnels.",
  ],
  // banking sentences depend on the legal form: see BANKING_NEEDS below.
  banking: [
    "Nous cherchons un prêt d'environ {amount} pour {invest}.",
    'Notre banque nous facture cher pour peu de services : nous cherchons un compte adapté, avec gestion en ligne.',
  ],
  purchasing: [
    "Nous voulons décrocher de nouveaux clients pour {trade} : les marchés des grandes entreprises nous sont difficiles d'accès.",
    "Nos équipes ont de la capacité disponible en {trade} ; nous cherchons des contrats réguliers avec de grands donneurs d'ordre.",
    'Nous répondons déjà à des marchés publics pour {trade} et voulons travailler avec des acheteurs privés du territoire.',
    "Pour stabiliser l'activité de nos équipes, nous cherchons des commandes régulières pour {trade}.",
    "Un contrat pluriannuel pour {trade} nous permettrait d'embaucher {n} personnes de plus.",
    "Développer notre chiffre d'affaires sur {trade} auprès des entreprises qui doivent acheter à des structures inclusives.",
  ],
  energy: [
    "Notre bâtiment est une passoire thermique : les factures de chauffage ont doublé et nous cherchons de l'aide pour le rénover.",
    "Nous voudrions passer nos véhicules à l'électrique, mais le coût d'achat est trop élevé pour nous.",
    'Faire un bilan énergétique de nos locaux et savoir par où commencer les travaux.',
    "Nous aimerions récupérer du mobilier ou du matériel de bureau d'occasion plutôt que d'acheter du neuf.",
    'Réduire notre empreinte carbone : chauffage, déplacements et déchets.',
  ],
};

/** Banking needs per group of legal forms (they replace NEED_TEMPLATES.banking when the form is listed). */
export const BANKING_NEEDS: { forms: LegalForm[]; templates: string[] }[] = [
  {
    forms: ['association'],
    templates: [
      "La subvention arrive en fin d'année et il faut payer les salaires d'ici là : une avance de trésorerie d'environ {amount} nous sauverait.",
      'Préfinancement des subventions publiques notifiées (environ {amount}) en attendant leur versement.',
      "Beaucoup de personnes que nous accompagnons n'ont pas accès au crédit pour réparer leur voiture ou payer une caution : un petit prêt accompagné les aiderait.",
      "Certaines personnes que nous accueillons n'ont pas de compte bancaire pour recevoir leurs aides.",
      'Notre banque nous facture cher pour peu de services : nous cherchons un compte adapté à une petite association, avec gestion en ligne.',
      "Nous cherchons un prêt d'environ {amount} pour {invest}.",
    ],
  },
  {
    forms: ['mutuelle', 'fondation'],
    templates: [
      'Nous voulons placer une partie de nos réserves, environ {amount}, dans des placements solidaires et sans risque.',
      "Placement solidaire d'une partie de la trésorerie excédentaire ({amount}) sur des produits labellisés.",
      "Nous cherchons un financement d'environ {amount} pour {invest}.",
      "Certaines personnes que nous accompagnons n'ont pas de compte bancaire pour recevoir leurs prestations.",
    ],
  },
  {
    forms: ['scop', 'scic', 'esus', 'cooperative'],
    templates: [
      'Nous voudrions renforcer nos fonds propres de {amount} pour financer notre développement.',
      "Nous cherchons un prêt d'environ {amount} pour {invest}.",
      'Ouvrir notre capital à des investisseurs solidaires : il nous manque {amount} de quasi-fonds propres.',
    ],
  },
];

/** What premises are for, completing "pour …" ({space_purpose}). */
export const SPACE_PURPOSES = [
  'accueillir le public', 'stocker notre matériel', 'nos ateliers et nos permanences', 'regrouper nos équipes',
  'ouvrir une boutique', 'développer notre activité',
];

/** Delivery verbs completing "pour …" ({goods_verb}, with {goods} inside). */
export const GOODS_VERBS = ['livrer {goods}', 'transporter {goods}', 'aller chercher et déposer {goods}'];

/** Skills as small structures say them ({skill_plain}). */
export const SKILLS_PLAIN = [
  'y voir clair dans nos chiffres', 'faire notre budget prévisionnel', 'recruter notre premier salarié',
  'refaire notre site internet', 'relire nos statuts et notre règlement intérieur', 'monter des dossiers de financement',
  'mieux parler de ce que nous faisons', 'organiser nos tournées', 'gérer les fiches de paie', 'sécuriser nos données',
  "répondre à des appels d'offres", 'trouver des partenaires privés',
];

/** Skills as larger structures say them ({skill_formal}). */
export const SKILLS_FORMAL = [
  'contrôle de gestion', 'comptabilité', 'ressources humaines', 'droit social', 'stratégie numérique',
  'communication', 'gestion de projet', 'recherche de financements', 'logistique', 'achats', 'immobilier',
  'conformité RGPD', 'management',
];

/** When something is due ({when}). */
export const WHEN = [
  'en juin', "à la fin de l'année", 'au printemps prochain', 'dans six mois', 'en septembre 2027', 'fin 2027',
];

/** Generic investments when the activity has none ({invest}). */
export const GENERIC_INVEST = ['nous équiper', 'aménager nos locaux', 'acheter un véhicule', 'renouveler notre matériel informatique'];

/**
 * La Poste resources of the "Mobilités & compétences" (skills) and "Produits bancaires" (La Banque
 * Postale) pillars. Slots: see seed/template.ts.
 */
import type { ResourceKind } from './types.ts';

const CORE_SKILLS = [
  'contrôle de gestion', 'comptabilité', 'ressources humaines', 'droit social', 'juridique', 'numérique',
  'communication', 'gestion de projet', 'marketing', 'achats', 'logistique', 'immobilier',
  'recherche de financements', 'management', 'data', 'cybersécurité', 'RGPD', 'stratégie',
];

export const SKILLS_KINDS: ResourceKind[] = [
  {
    key: 'mecenat-competences', pillar: 'skills', weight: 5, scopes: [6, 1, 2, 2],
    titles: ['Mécénat de compétences en {skills_text} {where}', 'Appui de collaborateurs du groupe : {skills_text}'],
    descriptions: [
      "Des collaborateurs du groupe mettent leurs compétences en {skills_text} au service de structures de l'ESS, {area}, à raison de {days} par mois sur leur temps de travail. Missions de trois à douze mois, cadrées avec la structure.",
      "Dans le cadre du mécénat de compétences, des experts métiers ({skills_text}) accompagnent des associations et des coopératives sur un besoin précis : diagnostic, outils de pilotage, plan d'action. Intervention {area}.",
    ],
    tags: ['mécénat de compétences', 'bénévolat de compétences', 'accompagnement'],
    skills: CORE_SKILLS, days: [1, 4], window: 0.5,
  },
  {
    key: 'mobilite-professionnelle', pillar: 'skills', weight: 2, scopes: [2, 1, 4, 3],
    titles: ["Détachement d'un cadre du groupe comme chef de projet {where}", "Mobilité professionnelle vers l'ESS : mise à disposition de cadres"],
    descriptions: [
      "Dans le cadre des mobilités professionnelles, un cadre expérimenté est mis à disposition d'une structure de l'ESS à mi-temps ou à temps plein pour piloter un projet de développement ({skills_text}), {area}. Durée de six à vingt-quatre mois.",
      "Mise à disposition de collaborateurs en fin de carrière (temps partiel senior solidaire) pour prendre la direction de projet d'une association ou d'une coopérative : {skills_text}. {Days} par mois, {area}.",
    ],
    tags: ['mobilité professionnelle', 'mise à disposition', 'direction de projet', 'fin de carrière'],
    skills: ['direction de projet', 'ressources humaines', 'management', 'gestion financière', 'conduite du changement', 'stratégie', 'immobilier'],
    days: [8, 18], window: 0.6,
  },
  {
    key: 'volontaires-numerique', pillar: 'skills', weight: 3, scopes: [8, 1, 1, 0],
    titles: ['Postiers volontaires pour des ateliers numériques {where}', 'Accompagnement aux démarches en ligne par des postiers volontaires {where}'],
    descriptions: [
      "Des postiers volontaires, formés à la médiation numérique, co-animent des ateliers et des permanences d'aide aux démarches en ligne dans les structures partenaires, {area}. Engagement de {days} par mois.",
      "Engagement citoyen des postiers : prise en main d'un smartphone, création d'une adresse électronique, démarches administratives, prévention des arnaques, {area}.",
    ],
    tags: ['inclusion numérique', 'engagement des postiers', 'démarches en ligne', 'bénévolat'],
    skills: ['usages du numérique', 'démarches en ligne', 'pédagogie pour adultes', 'bureautique', 'prévention des arnaques'],
    days: [1, 3],
  },
  {
    key: 'volontaires-emploi', pillar: 'skills', weight: 3, scopes: [7, 2, 1, 0],
    titles: ["Parrainage et simulations d'entretien avec des postiers {where}", 'Découverte des métiers de La Poste pour des personnes en insertion {where}'],
    descriptions: [
      "Des postiers volontaires parrainent des jeunes et des demandeurs d'emploi, font passer des simulations d'entretien et ouvrent les portes de leurs sites pour faire découvrir les métiers de la distribution et de la logistique, {area}.",
      "Immersions, visites de plateformes et ateliers CV avec des managers et des recruteurs du groupe, {area}, pour des personnes accompagnées par des structures d'insertion.",
    ],
    tags: ['parrainage', 'emploi', 'insertion professionnelle', 'engagement des postiers'],
    skills: ["simulation d'entretien", 'rédaction de CV', 'découverte des métiers', 'parrainage', 'recrutement'],
    days: [1, 2],
  },
  {
    key: 'volontaires-lien-social', pillar: 'skills', weight: 2, scopes: [8, 2, 0, 0],
    titles: ['Visites de convivialité par des postiers volontaires {where}', "Postiers volontaires contre l'isolement des aînés {where}"],
    descriptions: [
      'Des postiers volontaires rendent visite à des personnes âgées isolées, en lien avec les associations et les CCAS, et animent des ateliers de prévention, {area}.',
      "Engagement solidaire des postiers : visites de convivialité, accompagnement aux sorties et lutte contre l'illettrisme, {area}.",
    ],
    tags: ['isolement', 'personnes âgées', 'engagement des postiers', 'lien social'],
    skills: ['écoute', 'visites de convivialité', 'accompagnement des personnes âgées', "lutte contre l'illettrisme"],
    days: [1, 2],
  },
  {
    key: 'missions-distance', pillar: 'skills', weight: 2, scopes: [0, 0, 1, 6],
    titles: ['Missions courtes de mécénat de compétences à distance', "Plateforme d'engagement : missions d'expertise pour l'ESS"],
    descriptions: [
      "Via la plateforme d'engagement du groupe, des collaborateurs réalisent des missions courtes à distance : {skills_text}. Mise en relation en quelques semaines, {area}.",
      "Missions d'expertise de deux à six jours, à distance, pour des associations et des entreprises de l'ESS : {skills_text}.",
    ],
    tags: ['mécénat de compétences', 'à distance', 'missions courtes'],
    skills: CORE_SKILLS, days: [1, 2],
  },
];

export const BANKING_KINDS: ResourceKind[] = [
  {
    key: 'epargne-solidaire', pillar: 'banking', weight: 2,
    titles: ["Épargne solidaire pour les réserves des structures de l'ESS", "Fonds d'épargne solidaire labellisé Finansol"],
    descriptions: [
      "La Banque Postale propose aux associations, fondations et mutuelles de placer leur trésorerie excédentaire dans des produits d'épargne solidaire labellisés, dont une part finance des entreprises solidaires d'utilité sociale. Dépôts de {amount_min} à {amount_max}.",
      "Fonds commun de placement solidaire investi à 5 à 10 % dans des entreprises de l'ESS agréées ESUS, accessible aux personnes morales à partir de {amount_min}.",
    ],
    tags: ['épargne solidaire', 'placement', 'Finansol', 'trésorerie'],
    amount: [1000, 2000000], eligible: { p: 0.4, options: [['association', 'fondation', 'mutuelle']] },
  },
  {
    key: 'microcredit', pillar: 'banking', weight: 2, scopes: [1, 1, 3, 5],
    titles: ['Microcrédit personnel accompagné {where}', "Microcrédit pour l'emploi et la mobilité des personnes accompagnées {where}"],
    descriptions: [
      "Microcrédit personnel accompagné de {amount_min} à {amount_max}, destiné aux personnes exclues du crédit classique pour financer un projet d'insertion : permis de conduire, véhicule, formation, dépôt de garantie. Le dossier est monté avec une structure d'accompagnement partenaire, {area}.",
      "La Banque Postale finance, avec des associations accompagnatrices, des microcrédits personnels pour l'achat ou la réparation d'un véhicule, l'accès au logement ou à la formation, {area}.",
    ],
    tags: ['microcrédit personnel', 'inclusion bancaire', 'mobilité', 'insertion'],
    amount: [300, 8000],
  },
  {
    key: 'pret-associatif', pillar: 'banking', weight: 2,
    titles: ["Prêt associatif pour les projets d'investissement", 'Financement des investissements des associations {where}'],
    descriptions: [
      "Prêt à moyen terme de {amount_min} à {amount_max} pour financer l'équipement, l'aménagement de locaux ou l'achat de véhicules des associations, avec un conseiller spécialisé.",
      "Crédit d'investissement dédié aux associations et fondations : travaux, matériel, véhicules. Montants de {amount_min} à {amount_max}, {area}.",
    ],
    tags: ['prêt associatif', 'investissement', 'équipement'],
    amount: [5000, 300000], eligible: { p: 0.9, options: [['association'], ['association', 'fondation']] },
  },
  {
    key: 'prefinancement', pillar: 'banking', weight: 2,
    titles: ['Préfinancement de subventions', 'Avance sur subventions publiques notifiées'],
    descriptions: [
      "Préfinancement des subventions notifiées par l'État, les collectivités ou l'Union européenne, de {amount_min} à {amount_max}, pour couvrir les besoins de trésorerie jusqu'au versement.",
      'Ligne de trésorerie adossée à une convention de subvention signée : la structure dispose des fonds sans attendre le versement, {area}.',
    ],
    tags: ['préfinancement', 'subventions', 'trésorerie', 'fonds européens'],
    amount: [10000, 500000], eligible: { p: 0.6, options: [['association'], ['association', 'fondation']] },
  },
  {
    key: 'compte-association', pillar: 'banking', weight: 1,
    titles: ['Compte association et gestion en ligne', 'Offre bancaire pour les petites associations'],
    descriptions: [
      'Compte courant, carte, encaissement des cotisations en ligne et outils de gestion adaptés aux associations, avec une tarification réduite pour les petites structures.',
      'Offre bancaire dédiée : compte, moyens de paiement, banque en ligne multi-utilisateurs pour les trésoriers bénévoles.',
    ],
    tags: ['compte association', 'banque en ligne', 'trésorier'],
    eligible: { p: 0.7, options: [['association']] },
  },
  {
    key: 'inclusion-bancaire', pillar: 'banking', weight: 2,
    titles: ['Accessibilité bancaire : Livret A et accompagnement des personnes fragiles', 'Inclusion bancaire des publics accompagnés {where}'],
    descriptions: [
      "Dans le cadre de sa mission d'accessibilité bancaire, La Banque Postale ouvre un Livret A aux personnes sans compte pour recevoir leurs prestations, et oriente vers l'offre clientèle fragile et ses conseillers en inclusion bancaire, {area}.",
      'Accompagnement des personnes en difficulté financière : droit au compte, offre spécifique, ateliers budget en lien avec les structures sociales, {area}.',
    ],
    tags: ['inclusion bancaire', 'Livret A', 'accès au compte', 'publics fragiles'],
  },
  {
    key: 'fonds-propres', pillar: 'banking', weight: 1,
    titles: ['Titres participatifs et quasi-fonds propres pour les coopératives', "Renforcement des fonds propres des entreprises de l'ESS"],
    descriptions: [
      'Souscription de titres participatifs et prêts participatifs de {amount_min} à {amount_max} pour renforcer les fonds propres des SCOP, des SCIC et des entreprises agréées ESUS.',
      "Intervention en quasi-fonds propres, en lien avec les financeurs solidaires, pour accompagner le changement d'échelle d'entreprises de l'ESS.",
    ],
    tags: ['fonds propres', 'titres participatifs', 'coopératives', "changement d'échelle"],
    amount: [20000, 800000], eligible: { p: 0.9, options: [['scop', 'scic'], ['scop', 'scic', 'esus']] },
  },
  {
    key: 'pret-equipement', pillar: 'banking', weight: 1,
    titles: ["Prêt d'équipement pour les entreprises de l'ESS", "Prêt pour la rénovation énergétique des bâtiments de l'ESS"],
    descriptions: [
      "Prêt de {amount_min} à {amount_max} pour financer machines, véhicules, rénovation énergétique ou aménagement de locaux des entreprises de l'ESS, {area}.",
      "Financement à taux bonifié des travaux de rénovation énergétique et des véhicules propres des structures de l'ESS.",
    ],
    tags: ['prêt', 'équipement', 'rénovation énergétique', 'véhicules propres'],
    amount: [10000, 1000000],
  },
];

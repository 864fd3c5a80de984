/**
 * La Poste resources of the "Achats responsables" (purchasing: reserved contracts for SIAE, ESAT and
 * EA) and "Transition énergétique" (energy) pillars. Slots: see seed/template.ts.
 */
import type { LegalForm } from '../../src/domain/types.ts';
import type { ResourceKind } from './types.ts';

/** Reserved-contract eligibility: subsets of SIAE / ESAT / EA. */
const RESERVED: LegalForm[][] = [
  ['siae', 'esat', 'ea'], ['siae', 'esat', 'ea'], ['esat', 'ea'], ['esat', 'ea'], ['siae'], ['ea'], ['esat'],
];
const reserved = (p: number) => ({ p, options: RESERVED });

export const PURCHASING_KINDS: ResourceKind[] = [
  {
    key: 'espaces-verts', pillar: 'purchasing', weight: 3,
    titles: ['Entretien des espaces verts des sites postaux {where}', 'Marché réservé : entretien des espaces extérieurs {de_commune}'],
    descriptions: [
      "Le groupe recherche des prestataires pour l'entretien des espaces verts de ses plateformes et bureaux de poste {area} : tonte, taille, désherbage sans produits phytosanitaires. {eligible_text} Montant annuel estimé de {amount_min} à {amount_max}.",
      "Accord-cadre de trois ans pour l'entretien des espaces extérieurs et le débroussaillage des sites, {area}. {eligible_text}",
    ],
    tags: ['espaces verts', 'marché réservé', 'achats responsables', 'entretien'],
    amount: [8000, 250000], eligible: reserved(0.8), window: 0.6,
  },
  {
    key: 'nettoyage', pillar: 'purchasing', weight: 3,
    titles: ['Nettoyage des locaux des sites du groupe {where}', 'Marché réservé de propreté des bureaux {where}'],
    descriptions: [
      "Prestation de nettoyage des bureaux, vestiaires et parties communes de sites postaux {area}, avec clause d'insertion. {eligible_text} Volume annuel de {amount_min} à {amount_max}.",
      'Lot réservé de propreté et de remise en état des locaux après travaux, {area}. {eligible_text}',
    ],
    tags: ['nettoyage', 'propreté', 'marché réservé', "clause d'insertion"],
    amount: [15000, 600000], eligible: reserved(0.7), window: 0.6,
  },
  {
    key: 'conditionnement', pillar: 'purchasing', weight: 3,
    titles: ['Conditionnement, mise en kit et mise sous pli {where}', 'Sous-traitance de conditionnement et de routage'],
    descriptions: [
      'Le groupe confie le conditionnement, la mise en kit de supports promotionnels et la mise sous pli de courriers à des ateliers du secteur protégé et adapté, {area}. {eligible_text} Montant de {amount_min} à {amount_max} par an.',
      "Accord-cadre par lots pour l'assemblage, l'étiquetage et le routage de documents et d'objets promotionnels, {area}. {eligible_text}",
    ],
    tags: ['conditionnement', 'mise sous pli', 'secteur protégé', 'marché réservé'],
    amount: [10000, 400000], eligible: reserved(0.85), window: 0.6,
  },
  {
    key: 'traiteur', pillar: 'purchasing', weight: 2,
    titles: ['Restauration et prestations traiteur pour les événements internes {where}', 'Plateaux-repas et buffets pour les sites du groupe {where}'],
    descriptions: [
      "Achat de plateaux-repas, buffets et cocktails pour les réunions et événements des sites {area}, ouvert aux traiteurs de l'insertion, du secteur adapté et de l'ESS. {eligible_text} Budget annuel de {amount_min} à {amount_max}.",
      'Restauration collective et prestations traiteur à base de produits locaux pour les événements internes, {area}. {eligible_text}',
    ],
    tags: ['traiteur', 'restauration', 'achats responsables', 'produits locaux'],
    amount: [5000, 150000], eligible: reserved(0.5), window: 0.5,
  },
  {
    key: 'blanchisserie', pillar: 'purchasing', weight: 2,
    titles: ['Entretien des vêtements de travail des agents {where}', 'Blanchisserie du linge professionnel des plateformes {where}'],
    descriptions: [
      'Lavage, réparation et livraison des vêtements de travail et des tenues des agents de distribution, {area}. {eligible_text} Montant estimé de {amount_min} à {amount_max} par an.',
      'Marché de blanchisserie du linge professionnel et des tenues haute visibilité des plateformes, avec collecte hebdomadaire, {area}. {eligible_text}',
    ],
    tags: ['blanchisserie', 'vêtements de travail', 'marché réservé', 'linge'],
    amount: [10000, 300000], eligible: reserved(0.85), window: 0.6,
  },
  {
    key: 'numerisation', pillar: 'purchasing', weight: 2,
    titles: ['Numérisation et archivage de dossiers {where}', 'Marché réservé de numérisation de documents'],
    descriptions: [
      'Numérisation, indexation et archivage de dossiers administratifs et de ressources humaines, avec destruction confidentielle des originaux, {area}. {eligible_text} Montant de {amount_min} à {amount_max}.',
      "Dématérialisation de fonds d'archives et saisie de données pour les services support du groupe, {area}. {eligible_text}",
    ],
    tags: ['numérisation', 'archivage', 'GED', 'marché réservé'],
    amount: [10000, 350000], eligible: reserved(0.85), window: 0.6,
  },
  {
    key: 'maintenance-velos', pillar: 'purchasing', weight: 1,
    titles: ['Entretien des vélos à assistance électrique des facteurs {where}'],
    descriptions: [
      'Entretien préventif et réparation de la flotte de vélos à assistance électrique et de trois-roues des facteurs, {area}. {eligible_text} Montant annuel de {amount_min} à {amount_max}.',
    ],
    tags: ['vélo', 'maintenance', 'flotte', 'mobilité douce'],
    amount: [10000, 200000], eligible: reserved(0.3), window: 0.6,
  },
];

export const ENERGY_KINDS: ResourceKind[] = [
  {
    key: 'renovation', pillar: 'energy', weight: 3,
    titles: ['Audit énergétique et accompagnement des travaux de rénovation {where}', "Rénovation énergétique des bâtiments de l'ESS {where}"],
    descriptions: [
      "Les experts énergie du groupe réalisent un audit énergétique des bâtiments de structures de l'ESS et les accompagnent dans le montage des travaux de rénovation et des certificats d'économies d'énergie, {area}.",
      'Programme de rénovation énergétique : diagnostic, plan de travaux, recherche de financements et suivi des consommations, {area}.',
    ],
    tags: ['rénovation énergétique', 'audit énergétique', 'CEE', 'sobriété'],
    window: 0.4,
  },
  {
    key: 'toitures', pillar: 'energy', weight: 2, scopes: [4, 1, 4, 1],
    titles: ['Toitures de plateformes postales pour des projets photovoltaïques citoyens {where}', 'Toitures disponibles pour le photovoltaïque {where}'],
    descriptions: [
      "Le groupe met à disposition les toitures de plateformes de distribution et de centres de tri ({surface} m² au total) pour des centrales photovoltaïques portées par des sociétés citoyennes d'énergie, {area}. Convention d'occupation de vingt à trente ans.",
      "Appel à projets pour l'installation de panneaux photovoltaïques sur des toitures de sites postaux, {area}, avec priorité aux projets à gouvernance citoyenne.",
    ],
    tags: ['photovoltaïque', 'toitures', 'énergie citoyenne', 'énergie renouvelable'],
    surface: [400, 8000], window: 0.5,
  },
  {
    key: 'mobilier-reemploi', pillar: 'energy', weight: 2,
    titles: ['Mobilier de bureau réformé donné pour le réemploi {where}', "Économie circulaire : dons de mobilier et d'équipements"],
    descriptions: [
      "Lors des déménagements et des réaménagements de sites, le mobilier de bureau réformé (bureaux, chaises, armoires) est donné à des ressourceries et à des structures de l'ESS, {area}.",
      "Programme d'économie circulaire du groupe : dons d'équipements réformés et de textiles professionnels à des structures de réemploi, {area}.",
    ],
    tags: ['économie circulaire', 'réemploi', 'mobilier', 'dons'],
  },
  {
    key: 'informatique-reemploi', pillar: 'energy', weight: 2,
    titles: ['Don de matériel informatique réformé à des structures de reconditionnement'],
    descriptions: [
      "Les ordinateurs portables, écrans et smartphones réformés du groupe sont cédés à des structures de l'ESS qui les reconditionnent pour équiper des publics éloignés du numérique, {area}.",
    ],
    tags: ['reconditionnement', 'informatique', 'inclusion numérique', 'économie circulaire'],
    eligible: { p: 0.3, options: [['ea', 'esat', 'siae', 'esus']] },
  },
  {
    key: 'mobilite-bas-carbone', pillar: 'energy', weight: 2,
    titles: ['Location longue durée de véhicules électriques à tarif solidaire {where}', "Programme mobilité bas carbone pour les structures de l'ESS"],
    descriptions: [
      "Location longue durée d'utilitaires et de voitures électriques à tarif solidaire, avec entretien et recharge, pour les structures de l'ESS qui décarbonent leur flotte, {area}.",
      "Accompagnement à la transition de flotte : diagnostic des usages, passage à l'électrique, vélos-cargos et formation à l'éco-conduite, {area}.",
    ],
    tags: ['mobilité bas carbone', 'véhicules électriques', 'flotte', 'location longue durée'],
  },
  {
    key: 'cession-vehicules', pillar: 'energy', weight: 2, scopes: [2, 2, 3, 3],
    titles: ['Cession de véhicules électriques réformés des tournées {where}', 'Vélos et trois-roues électriques réformés à céder {where}'],
    descriptions: [
      "Cession à prix symbolique d'utilitaires électriques, de vélos à assistance électrique et de trois-roues réformés de la flotte des facteurs, révisés avant remise, {area}.",
      "Les véhicules électriques sortis de la flotte de distribution sont cédés à des structures de l'ESS pour des usages de mobilité solidaire, {area}.",
    ],
    tags: ['véhicules électriques', 'cession', 'réemploi', 'mobilité solidaire'],
    window: 0.5,
  },
];

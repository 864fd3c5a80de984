/**
 * Legal forms of the ESS as the generator writes about them: how frequent they are (associations
 * dominate, as in the real ESS), how they are designated, and the usual size of such structures.
 */
import type { LegalForm } from '../../src/domain/types.ts';
import type { LegalFormProfile } from './types.ts';

export const LEGAL_FORM_PROFILES: Record<LegalForm, LegalFormProfile> = {
  association: {
    weight: 52,
    subject: "L'association",
    gender: 'f',
    descriptors: [
      'une association loi 1901', "une association d'éducation populaire", 'une association de quartier',
      "une association reconnue d'intérêt général", 'une association de solidarité', 'une petite association',
    ],
    employees: [0, 60],
    volunteers: [4, 250],
    noStaff: 0.35,
    costPerEmployee: [32000, 45000],
    baseBudget: [3000, 60000],
  },
  siae: {
    weight: 10,
    subject: "La structure d'insertion",
    gender: 'f',
    descriptors: [
      "une structure d'insertion par l'activité économique", "une entreprise d'insertion", "une association intermédiaire",
      "une entreprise de travail temporaire d'insertion", "une régie de quartier conventionnée IAE",
      "une association porteuse d'un atelier chantier d'insertion",
    ],
    employees: [6, 140],
    volunteers: [0, 15],
    noStaff: 0,
    costPerEmployee: [26000, 36000],
    baseBudget: [40000, 250000],
  },
  esat: {
    weight: 6,
    subject: "L'ESAT",
    gender: 'm',
    descriptors: [
      "un établissement et service d'aide par le travail", 'un ESAT géré par une association de parents',
      'un ESAT rattaché à une association gestionnaire du secteur médico-social',
    ],
    namePrefix: { text: 'ESAT', p: 0.85 },
    employees: [8, 45],
    volunteers: null,
    noStaff: 0,
    costPerEmployee: [40000, 52000],
    baseBudget: [600000, 2500000],
  },
  ea: {
    weight: 5,
    subject: "L'entreprise adaptée",
    gender: 'f',
    descriptors: [
      'une entreprise adaptée', "une entreprise adaptée filiale d'une association gestionnaire",
      "une entreprise adaptée agréée par l'État",
    ],
    employees: [10, 220],
    volunteers: null,
    noStaff: 0,
    costPerEmployee: [30000, 40000],
    baseBudget: [80000, 400000],
  },
  scop: {
    weight: 7,
    subject: 'La Scop',
    gender: 'f',
    descriptors: [
      'une société coopérative et participative', 'une Scop détenue par ses salariés',
      'une coopérative de travail', "une Scop issue de la reprise de l'entreprise par ses salariés",
    ],
    namePrefix: { text: 'Scop', p: 0.3 },
    employees: [2, 90],
    volunteers: null,
    noStaff: 0,
    costPerEmployee: [40000, 60000],
    baseBudget: [20000, 200000],
  },
  scic: {
    weight: 5,
    subject: 'La SCIC',
    gender: 'f',
    descriptors: [
      "une société coopérative d'intérêt collectif", 'une SCIC associant salariés, usagers et collectivités',
      'une coopérative multi-sociétaires',
    ],
    namePrefix: { text: 'SCIC', p: 0.3 },
    employees: [1, 45],
    volunteers: [0, 60],
    noStaff: 0.05,
    costPerEmployee: [36000, 52000],
    baseBudget: [15000, 200000],
  },
  cooperative: {
    weight: 5,
    subject: 'La coopérative',
    gender: 'f',
    descriptors: [
      'une coopérative', "une coopérative d'habitants", 'une coopérative de consommateurs',
      'une coopérative agricole', "une coopérative d'activité et d'emploi",
    ],
    namePrefix: { text: 'Coopérative', p: 0.35 },
    employees: [0, 50],
    volunteers: [0, 40],
    noStaff: 0.2,
    costPerEmployee: [34000, 50000],
    baseBudget: [10000, 150000],
  },
  mutuelle: {
    weight: 3,
    subject: 'La mutuelle',
    gender: 'f',
    descriptors: [
      'une mutuelle relevant du Code de la mutualité', 'une mutuelle de santé régionale',
      'une union mutualiste gestionnaire de services de soins',
    ],
    namePrefix: { text: 'Mutuelle', p: 0.9 },
    employees: [15, 600],
    volunteers: [10, 120],
    noStaff: 0,
    costPerEmployee: [45000, 60000],
    baseBudget: [500000, 5000000],
  },
  fondation: {
    weight: 4,
    subject: 'La fondation',
    gender: 'f',
    descriptors: [
      "une fondation reconnue d'utilité publique", 'une fondation abritée', 'une fondation familiale',
      "une fondation d'entreprise",
    ],
    namePrefix: { text: 'Fondation', p: 0.9 },
    employees: [2, 300],
    volunteers: [0, 400],
    noStaff: 0,
    costPerEmployee: [42000, 58000],
    baseBudget: [200000, 4000000],
  },
  esus: {
    weight: 3,
    subject: "L'entreprise",
    gender: 'f',
    descriptors: [
      "une entreprise agréée ESUS (entreprise solidaire d'utilité sociale)", "une SAS agréée entreprise solidaire d'utilité sociale",
      "une jeune entreprise de l'ESS agréée ESUS",
    ],
    employees: [1, 70],
    volunteers: [0, 10],
    noStaff: 0,
    costPerEmployee: [36000, 55000],
    baseBudget: [20000, 250000],
  },
};

/** Who founded a structure (description sentences). */
export const FOUNDERS = [
  'des habitants du quartier', 'un collectif de parents', "d'anciens travailleurs sociaux", 'un groupe de bénévoles',
  'des salariés qui ont repris leur entreprise', 'des élus locaux et des associations du territoire',
  'une poignée de retraités', "des militants de l'éducation populaire", "des professionnels de l'insertion",
];

/** Evocative names shared by every activity ({evoc}). */
export const EVOCATIVE_NAMES = [
  "Le Trait d'Union", 'La Passerelle', 'Tremplin', "L'Escale", 'Le Relais', 'Horizons', 'La Boussole', 'Envol',
  "Solid'Aire", 'La Fourmilière', "Le Fil d'Ariane", "L'Entraide", 'Cap Avenir', 'Le Phare', 'La Main Tendue',
  'Les Petits Pas', "L'Étincelle", 'Le Pont', 'La Ruche', 'Les Colibris', 'Le Sillon', 'La Clé des Champs',
  'Rebonds', 'Ensemble', "L'Atelier Partagé", 'La Traverse', 'Le Chênelet', 'Les Semeurs', 'La Source', 'Élan',
];

/** Landscape complements of names ({lieu}): "Les Jardins du Val". */
export const PLACE_NAMES = [
  'du Val', 'des Deux Rives', 'du Plateau', 'de la Vallée', 'du Bocage', 'des Coteaux', 'du Littoral', 'des Collines',
  'du Pays', 'de la Plaine', 'des Monts', 'du Canal', 'des Tilleuls', 'des Quatre Vents', 'du Marais', "de l'Estuaire",
  'du Causse', 'des Étangs', 'de la Forêt', 'du Bassin', 'des Vignes', 'du Lac', "de la Presqu'île", 'des Hauts',
];

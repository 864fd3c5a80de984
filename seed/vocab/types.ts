/**
 * Shapes of the seed vocabulary. Texts are French templates whose `{slot}` markers are filled by the
 * generator (see `seed/template.ts` for the list of slots).
 */
import type { LegalForm, Pillar, Scope } from '../../src/domain/types.ts';

/** How a legal form is written about and how big such structures usually are. */
export interface LegalFormProfile {
  /** Relative frequency among generated structures. */
  weight: number;
  /** Definite designation used before the name: "L'association", "La Scop". */
  subject: string;
  /** Grammatical gender of `subject` ("f" gives "elle", "créée"). */
  gender: 'f' | 'm';
  /** Indefinite descriptions: "une association loi 1901". */
  descriptors: string[];
  /** Prefix sometimes put in the name itself ("ESAT", "Scop"), with its probability. */
  namePrefix?: { text: string; p: number };
  employees: [number, number];
  volunteers: [number, number] | null;
  /** Probability that a structure with no staff at all is drawn (all-volunteer). */
  noStaff: number;
  /** Yearly cost per employee in euros, and the fixed part of the budget. */
  costPerEmployee: [number, number];
  baseBudget: [number, number];
}

/** An activity family: what a structure does, for whom, and what it typically needs. */
export interface Activity {
  key: string;
  label: string;
  /** Legal forms that run this activity, with relative weights. */
  forms: Partial<Record<LegalForm, number>>;
  /** Name templates ({evoc}, {lieu}, {de_commune}, {commune}). */
  names: string[];
  /** Third-person verb phrases: "distribue des colis alimentaires à {public}". */
  does: string[];
  /** Extra description sentences. */
  details: string[];
  publics: string[];
  /** True when the activity cannot run without salaried staff (no all-volunteer structure then). */
  employs?: boolean;
  /** Pillars this activity tends to need, with relative weights. */
  needs: Partial<Record<Pillar, number>>;
  /** Premises sought, as noun phrases with article: "une réserve pour les denrées". */
  spaces: string[];
  surface: [number, number];
  /** What it moves (logistics): "les colis alimentaires". */
  goods: string[];
  /** What it sells (purchasing): "l'entretien des espaces verts". */
  trades: string[];
  /** What it would invest in with a loan: "équiper la cuisine". */
  invest: string[];
  /** Activity-specific energy needs, as full sentences. */
  energy: string[];
  tags: string[];
}

/** One kind of La Poste resource, with its texts and how its attributes are drawn. */
export interface ResourceKind {
  key: string;
  pillar: Pillar;
  /** Relative frequency within its pillar. */
  weight: number;
  titles: string[];
  descriptions: string[];
  tags: string[];
  /** Scope weights in the order local, departmental, regional, national (default: the pillar's). */
  scopes?: [number, number, number, number];
  surface?: [number, number];
  /** Probability that premises are accessible (PMR). */
  pmr?: number;
  /** Probability of an availability window (premises always have one). */
  window?: number;
  /** Eligibility options and the probability that one applies. */
  eligible?: { p: number; options: LegalForm[][] };
  /** Skills pool: 2–4 are drawn. */
  skills?: string[];
  days?: [number, number];
  amount?: [number, number];
}

export type ScopeWeights = Record<Scope, number>;

/** Vocabulary shared by every stage: the enums of the data contract and the records once validated. */

export const PILLARS = ['premises', 'logistics', 'skills', 'banking', 'purchasing', 'energy'] as const;
export type Pillar = (typeof PILLARS)[number];

export const PILLAR_LABELS: Record<Pillar, string> = {
  premises: 'lieux partagés',
  logistics: 'logistique',
  skills: 'mobilités & compétences',
  banking: 'produits bancaires',
  purchasing: 'achats responsables',
  energy: 'transition énergétique',
};

export const LEGAL_FORMS = [
  'association', 'scop', 'scic', 'cooperative', 'mutuelle', 'fondation', 'esus', 'siae', 'esat', 'ea',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

export const LEGAL_FORM_LABELS: Record<LegalForm, string> = {
  association: 'association',
  scop: 'SCOP',
  scic: 'SCIC',
  cooperative: 'coopérative',
  mutuelle: 'mutuelle',
  fondation: 'fondation',
  esus: 'entreprise ESUS',
  siae: 'SIAE',
  esat: 'ESAT',
  ea: 'entreprise adaptée',
};

export const SCOPES = ['local', 'departmental', 'regional', 'national'] as const;
export type Scope = (typeof SCOPES)[number];

/** Where a postal code was resolved: the commune used, its département, région and coordinates. */
export interface Place {
  postalCode: string;
  inseeCode: string;
  commune: string;
  department: string;
  region: string;
  lat: number;
  lon: number;
}

/** An ESS structure as the data contract defines it (snake_case, as imported). */
export interface StructureRecord {
  id: string;
  name: string;
  legal_form: LegalForm;
  description: string;
  needs: Pillar[];
  need_text?: string;
  postal_code: string;
  employees?: number;
  volunteers?: number;
  surface_needed_m2?: number;
  /** Contract v1.1: the premises sought must be accessible to people with reduced mobility (true), or need not be (false). */
  requires_step_free_access?: boolean;
  budget_eur?: number;
  tags?: string[];
  /** Fields not in the contract, kept with the record but not used for matching. */
  extra?: Record<string, unknown>;
}

/** A La Poste resource as the data contract defines it. */
export interface ResourceRecord {
  id: string;
  pillar: Pillar;
  title: string;
  description: string;
  postal_code: string;
  scope?: Scope;
  radius_km?: number;
  surface_m2?: number;
  available_from?: string;
  available_until?: string;
  eligible_legal_forms?: LegalForm[];
  accessible_pmr?: boolean;
  skills?: string[];
  days_per_month?: number;
  amount_min_eur?: number;
  amount_max_eur?: number;
  tags?: string[];
  extra?: Record<string, unknown>;
}

export type EntityKind = 'structure' | 'resource';

/** A record as the engine sees it: the contract fields plus its resolved place. */
export interface Structure extends StructureRecord { place: Place; }
export interface Resource extends ResourceRecord { place: Place; }

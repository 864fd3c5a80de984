import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditThesaurus, DEFAULT_THESAURUS } from '../scripts/check-thesaurus.ts';
import { PILLARS } from '../src/domain/types.ts';
import { analyze } from '../src/text/analyze.ts';
import { loadThesaurus, type ThesaurusFile } from '../src/text/thesaurus.ts';

const thesaurus = loadThesaurus(DEFAULT_THESAURUS);
const file = JSON.parse(readFileSync(DEFAULT_THESAURUS, 'utf8')) as ThesaurusFile;

const evoked = (text: string): Set<string> => new Set(thesaurus.find(analyze(text)).map((h) => h.concept.id));
const shared = (a: string, b: string): string[] => [...evoked(a)].filter((id) => evoked(b).has(id));

describe('field vocabulary (models/thesaurus.json)', () => {
  it('loads through the schema and covers every pillar, the publics and the cross-cutting needs', () => {
    expect(thesaurus.concepts.length).toBeGreaterThanOrEqual(70);
    expect(thesaurus.concepts.length).toBeLessThanOrEqual(110);
    for (const pillar of PILLARS) expect(thesaurus.concepts.some((c) => c.pillar === pillar)).toBe(true);
    expect(thesaurus.concepts.some((c) => c.id.startsWith('public.'))).toBe(true);
    expect(thesaurus.concepts.some((c) => c.id === 'need.accessibility')).toBe(true);
  });

  it('names each pillar concept after its pillar and gives no pillar to publics and needs', () => {
    for (const c of thesaurus.concepts) {
      const family = c.id.split('.')[0];
      if (c.pillar) expect(family).toBe(c.pillar);
      else expect(['public', 'need']).toContain(family);
    }
  });

  it('keeps weights between 0.5 and 1.5', () => {
    for (const c of thesaurus.concepts) {
      expect(c.weight).toBeGreaterThanOrEqual(0.5);
      expect(c.weight).toBeLessThanOrEqual(1.5);
    }
  });

  it('has no phrase that collapses to nothing, no duplicate id and no phrase shared by two concepts', () => {
    const audit = auditThesaurus(file);
    expect(audit.empty).toEqual([]);
    expect(audit.duplicateIds).toEqual([]);
    expect(audit.duplicates).toEqual([]);
  });

  it('never gives the same words as both a synonym and a related term of one concept', () => {
    expect(auditThesaurus(file).mixed).toEqual([]);
    const clash = auditThesaurus({ version: 't', concepts: [
      { id: 'logistics.fulfilment', pillar: 'logistics', label: 'x', weight: 1, synonyms: ['e-logistique'], related: ['logistique'] },
    ] } as ThesaurusFile);
    expect(clash.mixed.map((m) => m.stems)).toEqual(['logist']);
  });

  it('reads financing with an object (premises fit-out, works, a machine) as an investment loan, not a bare « financer la création » nor « financer l\'installation »', () => {
    expect(shared("financer l'aménagement des locaux de notre atelier", "Prêt associatif d'investissement à moyen terme")).toContain('banking.investment_loan');
    expect(evoked('il faut financer une machine à coudre industrielle')).toContain('banking.investment_loan');
    expect(evoked('nous devons financer des travaux de mise aux normes')).toContain('banking.investment_loan');
    const job = evoked("financer la création d'un poste de coordinatrice");
    expect(job).toContain('banking.financing');
    expect(job).not.toContain('banking.investment_loan');
    expect(evoked("financer l'installation de panneaux solaires sur le hangar")).not.toContain('banking.investment_loan');
    expect(evoked("financer l'ouverture d'une boutique de quartier")).toContain('banking.investment_loan');
    expect(evoked("financer l'ouverture d'un compte pour chaque salarié")).not.toContain('banking.investment_loan');
  });

  it('tells IT technicians from web and data-protection help', () => {
    expect(shared("l'appui ponctuel de techniciens informatiques expérimentés", 'Mission de techniciens informatiques : maintenance d\'un parc de postes')).toContain('skills.it_support');
    const precise = thesaurus.find(analyze('des techniciens informatiques expérimentés')).filter((h) => !h.related).map((h) => h.concept.id);
    expect(precise).toEqual(['skills.it_support']);
    expect(evoked('mettre nos fichiers d\'adhérents en conformité avec le RGPD')).toContain('skills.digital_it');
  });

  it('does not read generic words as a precise need (« logistique », « stock », « émissions », « enlèvement », a rent at some price)', () => {
    expect(thesaurus.find(analyze('des experts logistiques')).every((h) => h.related)).toBe(true);
    expect(thesaurus.find(analyze('il reste peu de stock en rayon')).every((h) => h.related)).toBe(true);
    expect(thesaurus.find(analyze('sans émissions')).every((h) => h.related)).toBe(true);
    expect(thesaurus.find(analyze("l'enlèvement des meubles chez les donateurs")).every((h) => h.related)).toBe(true);
    for (const rent of ['des camionnettes en location longue durée à loyer modéré', 'des triporteurs à un loyer négocié', 'un loyer solidaire', 'un loyer progressif']) {
      expect(thesaurus.find(analyze(rent)).filter((h) => h.concept.pillar === 'premises').every((h) => h.related)).toBe(true);
    }
    expect(evoked('la collecte des dons alimentaires chaque samedi')).toContain('logistics.collection');
  });

  it('keeps the precise needs behind those words when a phrase fixes their meaning (parcel pickup, internships, a place to store)', () => {
    expect(shared('un enlèvement de colis deux fois par semaine', "Contrat colis avec tarifs négociés")).toContain('logistics.parcel_shipping');
    expect(thesaurus.find(analyze('des stages en entreprise pour nos jeunes')).some((h) => h.concept.id === 'skills.job_discovery' && !h.related)).toBe(true);
    expect(thesaurus.find(analyze('il nous faut un lieu pour stocker nos palettes')).some((h) => h.concept.id === 'logistics.storage' && !h.related)).toBe(true);
  });

  it('brings « un local pour nos ateliers » and « surface commerciale vacante » together', () => {
    expect(shared('un local pour nos ateliers', 'surface commerciale vacante')).toContain('premises.local');
  });

  it('brings « ceux qui passent tous les jours dans les villages » and « tournées des facteurs » together', () => {
    expect(shared('ceux qui passent tous les jours dans les villages', 'tournées des facteurs')).toContain('logistics.postal_rounds');
    expect(evoked('les agents qui desservent déjà nos hameaux chaque matin')).toContain('logistics.postal_rounds');
    expect(evoked('ils passent chez elles pratiquement chaque matin')).toContain('logistics.postal_rounds');
  });

  it('brings « y voir clair dans nos chiffres » and « contrôle de gestion » together', () => {
    expect(shared('y voir clair dans nos chiffres', 'contrôle de gestion')).toContain('skills.finance');
  });

  it('brings « la subvention arrive en fin d\'année » and « préfinancement de subventions » together', () => {
    expect(shared("la subvention arrive en fin d'année", 'préfinancement de subventions')).toContain('banking.prefinancing');
    expect(evoked('le versement de la subvention prend des mois de retard')).toContain('banking.prefinancing');
    expect(evoked('une trésorerie tendue chaque fin de trimestre')).toContain('banking.prefinancing');
  });

  it('reads the plain words of an association as the offers of La Banque Postale', () => {
    expect(shared('ils essuient un refus de prêt bancaire', 'microcrédit personnel accompagné')).toContain('banking.microcredit');
    expect(evoked('des adhérents exclus du crédit bancaire, que les banques refusent')).toContain('banking.microcredit');
    expect(shared('placer notre argent utilement', 'épargne solidaire')).toContain('banking.solidarity_savings');
  });

  it('hears a need for step-free access, and only that', () => {
    expect(evoked('un local de plain-pied est indispensable pour les personnes à mobilité réduite')).toContain('need.accessibility');
    expect(evoked('un ascenseur est indispensable pour nos adhérents en fauteuil roulant')).toContain('need.accessibility');
    expect(evoked("l'ESAT accueille 85 travailleurs handicapés")).not.toContain('need.accessibility');
    expect(evoked('des produits bio et locaux à des prix accessibles')).not.toContain('need.accessibility');
  });

  it('hears money that is voted but not yet paid, savings put aside, a leaking building and one\'s own electricity', () => {
    expect(evoked('le conseil départemental a voté nos aides, mais l\'argent n\'arrivera qu\'au printemps')).toContain('banking.prefinancing');
    expect(shared('deux subventions votées en juin, toujours pas versées', 'préfinancement des subventions')).toContain('banking.prefinancing');
    expect(shared('nos sympathisants voudraient que ce qu\'ils mettent de côté serve notre cause', 'livret de partage')).toContain('banking.sharing_savings');
    expect(evoked('placer nos réserves sur un fonds solidaire')).not.toContain('banking.sharing_savings');
    expect(evoked('la salle des fêtes que nous occupons est une vraie passoire')).toContain('energy.renovation');
    expect(evoked('la facture de gaz a doublé en deux hivers')).toContain('energy.efficiency');
    expect(shared('nous voudrions des congélateurs qui consomment moins', 'efficacité énergétique et plan de sobriété')).toContain('energy.efficiency');
    expect(shared('nous voulons produire notre propre électricité sur place', 'autoconsommation')).toContain('energy.photovoltaic');
  });

  it('hears a buyer\'s yearly purchases as the regular orders a supplier looks for', () => {
    expect(shared('devenir fournisseur d\'une grande entreprise', 'le groupe achète chaque année des fournitures reconditionnées')).toContain('purchasing.contracts');
    expect(evoked('nos clients allongent leurs délais de paiement')).toContain('banking.prefinancing');
  });

  it('hears mock interviews and a week in a company as job discovery', () => {
    expect(shared('des professionnels qui leur feraient passer des entretiens blancs', 'immersions et simulations d\'entretien')).toContain('skills.job_discovery');
    expect(shared('la semaine de découverte de l\'entreprise des élèves de 3e', 'stage d\'observation')).toContain('skills.job_discovery');
  });

  it('does not hear cycling in « si tout va bien », nor waste in any cardboard box', () => {
    expect(evoked('si tout va bien, nous ouvrirons en mars')).not.toContain('need.cycling');
    expect(evoked('un endroit pour ranger les cartons de dons')).not.toContain('logistics.recycling');
    expect(evoked('la collecte des cartons usagés des commerçants')).toContain('logistics.recycling');
  });

  it('keeps the adjective « local » and the word « isolement » from naming the wrong thing', () => {
    expect(evoked('nous vendons des produits locaux')).not.toContain('premises.local');
    expect(evoked("lutte contre l'isolement des personnes âgées")).not.toContain('energy.renovation');
    expect(evoked("une isolation par l'extérieur du bâtiment")).not.toContain('need.isolation');
  });
});

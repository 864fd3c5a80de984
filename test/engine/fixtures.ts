/** Small hand-made records with inline places, for engine tests that need no database. */
import { dayNumber } from '../../src/domain/day.ts';
import type { Place, Resource, Structure } from '../../src/domain/types.ts';
import { matchResource, matchStructure, previewResource, previewStructure } from '../../src/engine/engine.ts';
import { Index } from '../../src/engine/index.ts';
import type { RankRequest } from '../../src/engine/request.ts';
import { parseModel } from '../../src/ranking/model.ts';
import { createThesaurus } from '../../src/text/thesaurus.ts';

export const PLACES = {
  rennes: { postalCode: '35000', inseeCode: '35238', commune: 'Rennes', department: '35', region: '53', lat: 48.1119, lon: -1.6742 },
  cessonSevigne: { postalCode: '35510', inseeCode: '35051', commune: 'Cesson-Sévigné', department: '35', region: '53', lat: 48.1211, lon: -1.6031 },
  brest: { postalCode: '29200', inseeCode: '29019', commune: 'Brest', department: '29', region: '53', lat: 48.3904, lon: -4.4861 },
  toulouse: { postalCode: '31000', inseeCode: '31555', commune: 'Toulouse', department: '31', region: '76', lat: 43.6045, lon: 1.4442 },
  paris15: { postalCode: '75015', inseeCode: '75115', commune: 'Paris 15e Arrondissement', department: '75', region: '11', lat: 48.8412, lon: 2.3003 },
  ajaccio: { postalCode: '20000', inseeCode: '2A004', commune: 'Ajaccio', department: '2A', region: '94', lat: 41.9192, lon: 8.7386 },
  bastia: { postalCode: '20200', inseeCode: '2B033', commune: 'Bastia', department: '2B', region: '94', lat: 42.7028, lon: 9.4503 },
  salon: { postalCode: '13300', inseeCode: '13103', commune: 'Salon-de-Provence', department: '13', region: '93', lat: 43.6403, lon: 5.0973 },
  aix: { postalCode: '13100', inseeCode: '13001', commune: 'Aix-en-Provence', department: '13', region: '93', lat: 43.5283, lon: 5.4497 },
} satisfies Record<string, Place>;

export const structure = (over: Partial<Structure> & { id: string }): Structure => ({
  name: 'Association test', legal_form: 'association', description: 'Une association de quartier qui cherche un local.',
  needs: ['premises'], postal_code: '35000', place: PLACES.rennes, ...over,
});

export const resource = (over: Partial<Resource> & { id: string }): Resource => ({
  pillar: 'premises', title: 'Local vacant', description: 'Un local vacant du bureau de poste.',
  postal_code: '35000', scope: 'local', place: PLACES.rennes, ...over,
});

export const thesaurus = createThesaurus({
  version: 'test',
  concepts: [
    { id: 'premises.local', pillar: 'premises', label: 'local', weight: 1, synonyms: ['local', 'locaux', 'surface commerciale'] },
    { id: 'logistics.rounds', pillar: 'logistics', label: 'tournées', weight: 1.2, synonyms: ['tournées des facteurs', 'passent tous les jours'] },
    { id: 'banking.prefinancing', pillar: 'banking', label: 'préfinancement', weight: 1.2, synonyms: ['préfinancement', 'subvention arrive en retard'], related: ['trésorerie'] },
    { id: 'banking.savings', pillar: 'banking', label: 'épargne solidaire', weight: 1.3, synonyms: ['épargne solidaire', 'placer nos réserves'] },
    { id: 'banking.financing', pillar: 'banking', label: 'financement', weight: 0.7, generic: true, synonyms: ['financement', 'financer'] },
    { id: 'logistics.cold_chain', pillar: 'logistics', label: 'chaîne du froid', weight: 1.3, synonyms: ['chaîne du froid', 'frigorifique'] },
    { id: 'need.accessibility', label: 'accessibilité', weight: 1, synonyms: ['plain pied', 'mobilité réduite', 'fauteuil'] },
  ],
});

export const model = parseModel({
  version: 'test-v1', kind: 'linear',
  weights: { text: 3, need_text: 2, pillar: 1.2, geography: 0.8, eligibility: 0.2, availability: 0.4, capacity: 0.5, accessibility: 0.2, skills: 0.3, amount: 0.2 },
});

export const AS_OF = '2026-12-01';

/** A complete request as src/matching would build it: 20 results as of AS_OF with the test model. */
export const request = (over: Partial<RankRequest> = {}): RankRequest => ({
  limit: 20, asOf: AS_OF, asOfDay: dayNumber(over.asOf ?? AS_OF), model, explain: false, includeExcluded: false, ...over,
});

/** The index of these records, and the engine's stages over it with requests built by `request`. */
export function engineOf(structures: Structure[], resources: Resource[]) {
  const index = Index.build(thesaurus, { structures, resources });
  return {
    index,
    matchStructure: (id: string, over?: Partial<RankRequest>) => matchStructure(index, id, request(over)),
    matchResource: (id: string, over?: Partial<RankRequest>) => matchResource(index, id, request(over)),
    previewStructure: (s: Structure, over?: Partial<RankRequest>) => previewStructure(index, s, request(over)),
    previewResource: (r: Resource, over?: Partial<RankRequest>) => previewResource(index, r, request(over)),
    upsertStructure: (s: Structure) => index.upsertStructure(s),
    upsertResource: (r: Resource) => index.upsertResource(r),
    remove: (kind: 'structure' | 'resource', id: string) => index.remove(kind, id),
    getStructure: (id: string) => index.getStructure(id),
    getResource: (id: string) => index.getResource(id),
    stats: () => index.stats(),
  };
}

/**
 * Example values of the named schemas of the OpenAPI document, one per schema, shown beside each
 * body that uses it. They are real requests: test/api/contract.test.ts sends each one and expects
 * it to be accepted, so an example cannot drift from what the service takes.
 */
export const requestExamples: Record<string, unknown> = {
  StructureInput: {
    id: 'rna-W351234567', name: 'Atelier vélo solidaire de Rennes', legal_form: 'association',
    description: 'Atelier de réparation de vélos avec des personnes en insertion.',
    needs: ['logistics', 'premises'], need_text: 'Un local de 80 m² au rez-de-chaussée et des navettes pour les pièces détachées.',
    postal_code: '35000', employees: 3, volunteers: 12, surface_needed_m2: 80, requires_step_free_access: true,
  },
  StructurePatch: { volunteers: 15, budget_eur: null },
  ResourceInput: {
    id: 'lp-local-35-0042', pillar: 'premises', title: 'Local vacant de 90 m² près de la gare de Rennes',
    description: 'Ancien bureau de poste en rez-de-chaussée, accessible, disponible au printemps.',
    postal_code: '35000', scope: 'local', radius_km: 20, surface_m2: 90, accessible_pmr: true, available_from: '2027-03-01',
  },
  ResourcePatch: { radius_km: 30, available_until: null },
  PreviewBody: {
    structure: {
      name: 'Épicerie solidaire de Lorient', legal_form: 'association',
      description: 'Épicerie solidaire et ateliers de cuisine.', needs: ['premises'], postal_code: '56100',
    },
  },
  FeedbackBody: { client_event_id: '0b6f1f64-6d0c-4f59-9d6a-1c3f2d9e0a11', kind: 'contacted', structure_id: 'dev-s06', resource_id: 'dev-r02' },
  NewApiKey: { role: 'delegate', regions: ['53'], label: 'Délégation Bretagne', expires: '2027-12-31' },
  ModelChange: { reason: 'NDCG@10 en hausse sur les retours tenus à part' },
};

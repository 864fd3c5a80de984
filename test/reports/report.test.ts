/**
 * The reports' contents on a hand-made pair of runs: every figure below is counted by hand from
 * the two runs written here.
 *
 *   structures: s1 (Brest 29, Bretagne 53, needs premises+banking), s2 (Rennes 35, 53, needs logistics),
 *               s3 (Albi 81, Occitanie 76, needs premises), s4 (Quimper 29, 53, archived since run 1)
 *   resources:  r1 premises (29), r2 banking (35), r3 logistics (81, availability ended 2026-11-30),
 *               r4 premises (81), r5 logistics (35)
 *   run 1 (model v1):  s1→[r1 0.9, r2 0.4]  s2→[r3 0.7]  s3→[r4 0.8]  s4→[r1 0.6]
 *   run 2 (model v1):  s1→[r1 0.9, r2 0.55] s2→[r5 0.3]  s3→[r4 0.8, r2 0.2]
 *                      r1→[s1 0.9]  r5→[s2 0.3]  r2→[s1 0.55]
 *   feedback: « pas intéressé » on (s2, r3) after run 1; s4 archived; r3 ended before run 2.
 */
import { describe, expect, it } from 'vitest';
import { buildReports, pairsOf, type ReportInput, type ResourceInfo, type StructureInfo } from '../../src/reports/report.build.ts';
import { csvField, frenchNumber, reportCsv } from '../../src/reports/report.csv.ts';
import { reportHtml } from '../../src/reports/report.html.ts';
import { reportJson } from '../../src/reports/report.json.ts';
import { shadeClass } from '../../src/reports/report.map.ts';
import type { Pillar } from '../../src/domain/types.ts';

const old = new Date('2026-11-01T00:00:00Z');
const s = (name: string, department: string, region: string, needs: Pillar[], archived = false): StructureInfo =>
  ({ name, department, region, needs, archived, updatedAt: old });
const r = (title: string, department: string, region: string, pillar: Pillar, extra: Partial<ResourceInfo> = {}): ResourceInfo =>
  ({ title, department, region, pillar, archived: false, updatedAt: old, ...extra });

function input(): ReportInput {
  return {
    run: { id: 2, asOf: '2026-12-02', k: 10, modelVersion: 'v1', startedAt: new Date('2026-12-02T02:00:00Z'), finishedAt: new Date('2026-12-02T02:05:00Z') },
    previous: { id: 1, asOf: '2026-12-01', k: 10, modelVersion: 'v1', startedAt: new Date('2026-12-01T02:00:00Z'), finishedAt: new Date('2026-12-01T02:05:00Z') },
    previousResults: [
      { kind: 'structure', queryId: 's1', candidates: ['r1', 'r2'], scores: [0.9, 0.4] },
      { kind: 'structure', queryId: 's2', candidates: ['r3'], scores: [0.7] },
      { kind: 'structure', queryId: 's3', candidates: ['r4'], scores: [0.8] },
      { kind: 'structure', queryId: 's4', candidates: ['r1'], scores: [0.6] },
    ],
    current: [
      { kind: 'structure', queryId: 's1', candidates: ['r1', 'r2'], scores: [0.9, 0.55] },
      { kind: 'structure', queryId: 's2', candidates: ['r5'], scores: [0.3] },
      { kind: 'structure', queryId: 's3', candidates: ['r4', 'r2'], scores: [0.8, 0.2] },
      { kind: 'resource', queryId: 'r1', candidates: ['s1'], scores: [0.9] },
      { kind: 'resource', queryId: 'r5', candidates: ['s2'], scores: [0.3] },
      { kind: 'resource', queryId: 'r2', candidates: ['s1'], scores: [0.55] },
    ],
    structures: new Map([
      ['s1', s('Le Phare', '29', '53', ['premises', 'banking'])],
      ['s2', s('Vélo; Solidaire "Rennes"', '35', '53', ['logistics'])],
      ['s3', s('Tarn Aînés', '81', '76', ['premises'])],
      ['s4', s('Ancienne asso', '29', '53', ['premises'], true)],
    ]),
    resources: new Map([
      ['r1', r('Salle à Brest', '29', '53', 'premises')],
      ['r2', r('Prêt solidaire', '35', '53', 'banking')],
      ['r3', r('Navettes Albi', '81', '76', 'logistics', { availableUntil: '2026-11-30' })],
      ['r4', r('Local Albi', '81', '76', 'premises')],
      ['r5', r('Navettes Rennes', '35', '53', 'logistics')],
    ]),
    rejectedPairs: new Set(['s2|r3']),
    feedbackWeek: [{ region: '53', kind: 'contacted', count: 2 }, { region: '76', kind: 'viewed', count: 5 }, { region: '53', kind: 'viewed', count: 1 }],
    departments: [
      { code: '29', name: 'Finistère', region: '53' }, { code: '35', name: 'Ille-et-Vilaine', region: '53' },
      { code: '81', name: 'Tarn', region: '76' }, { code: '31', name: 'Haute-Garonne', region: '76' },
    ],
    regions: [{ code: '53', name: 'Bretagne' }, { code: '76', name: 'Occitanie' }],
    goodScore: 0.5,
  };
}

describe('the reports of a run', () => {
  const reports = buildReports(input());
  const national = reports.get('national')!;
  const bretagne = reports.get('53')!;
  const occitanie = reports.get('76')!;

  it('make one pair of a match found from both sides', () => {
    expect([...pairsOf(input().current).entries()].sort()).toEqual([
      ['s1|r1', 0.9], ['s1|r2', 0.55], ['s2|r5', 0.3], ['s3|r2', 0.2], ['s3|r4', 0.8],
    ]);
  });

  it('are written for the country and for each région holding records', () => {
    expect([...reports.keys()]).toEqual(['53', '76', 'national']);
    expect(national.totals).toEqual({ structures: 3, resources: 5, matches: 5, newMatches: 2, goneMatches: 2 });
    expect(bretagne.totals).toEqual({ structures: 2, resources: 3, matches: 3, newMatches: 1, goneMatches: 2 });
    expect(occitanie.totals).toEqual({ structures: 1, resources: 2, matches: 2, newMatches: 1, goneMatches: 0 });
  });

  it('list the new matches best first, in the région of their structure', () => {
    expect(national.newMatches.map((m) => [m.structureId, m.resourceId, m.score])).toEqual([['s2', 'r5', 0.3], ['s3', 'r2', 0.2]]);
    expect(bretagne.newMatches.map((m) => m.resourceId)).toEqual(['r5']);
    expect(occitanie.newMatches.map((m) => m.resourceId)).toEqual(['r2']);
  });

  it('say why a match disappeared: the archived record before the ended availability before the feedback', () => {
    // s4|r1: s4 archived; s2|r3: r3 ended 2026-11-30 (also rejected by feedback, which comes after).
    expect(national.gone.map((g) => [g.structureId, g.resourceId, g.reason])).toEqual([
      ['s2', 'r3', 'availability_ended'], ['s4', 'r1', 'archived'],
    ]);
  });

  it('give a changed model, a feedback, a changed record or being outranked as the reason otherwise', () => {
    const base = input();
    base.resources.set('r3', r('Navettes Albi', '81', '76', 'logistics'));
    expect(buildReports(base).get('national')!.gone.find((g) => g.resourceId === 'r3')!.reason).toBe('feedback');
    base.rejectedPairs.clear();
    expect(buildReports(base).get('national')!.gone.find((g) => g.resourceId === 'r3')!.reason).toBe('outranked');
    base.resources.set('r3', r('Navettes Albi', '81', '76', 'logistics', { updatedAt: new Date('2026-12-01T12:00:00Z') }));
    expect(buildReports(base).get('national')!.gone.find((g) => g.resourceId === 'r3')!.reason).toBe('record_changed');
    base.run.modelVersion = 'v2';
    expect(buildReports(base).get('national')!.gone.find((g) => g.resourceId === 'r3')!.reason).toBe('model_changed');
  });

  it('suggest, per resource, its new structures', () => {
    expect(national.suggestions.map((x) => [x.resourceId, x.structures.map((t) => t.id)])).toEqual([['r5', ['s2']], ['r2', ['s3']]]);
  });

  it('find the resources without a good match and the needs left uncovered', () => {
    // r5's best is 0.3 < 0.5; r3 and r4 were not queried in this run (no row): only ranked resources count.
    expect(national.weakResources.map((x) => [x.id, x.best])).toEqual([['r5', 0.3]]);
    // s1 premises 0.9 and banking 0.55 are covered; s2 logistics best 0.3; s3 premises 0.8 covered.
    expect(national.unmetNeeds.map((x) => [x.id, x.pillar, x.best])).toEqual([['s2', 'logistics', 0.3]]);
    expect(occitanie.unmetNeeds).toEqual([]);
  });

  it('count matches by pillar and by département, every département of the scope listed', () => {
    const pillars = Object.fromEntries(national.byPillar.map((p) => [p.code, [p.matches, p.records]]));
    expect(pillars).toMatchObject({ premises: [2, 2], banking: [2, 1], logistics: [1, 2], energy: [0, 0] });
    expect(bretagne.byDepartment.map((d) => [d.code, d.matches, d.records])).toEqual([['29', 2, 1], ['35', 1, 1]]);
    expect(occitanie.byDepartment.map((d) => [d.code, d.matches])).toEqual([['81', 2], ['31', 0]]);
  });

  it('count the feedback of the seven days up to the run’s date, per région', () => {
    expect(national.feedback).toMatchObject({ from: '2026-11-26', to: '2026-12-02', total: 8 });
    expect(bretagne.feedback.byKind.filter((k) => k.count > 0).map((k) => [k.kind, k.count])).toEqual([['viewed', 1], ['contacted', 2]]);
  });

  it('mark nothing as new or gone on a first run', () => {
    const first = buildReports({ ...input(), previous: null, previousResults: [] }).get('national')!;
    expect(first.totals).toMatchObject({ matches: 5, newMatches: 0, goneMatches: 0 });
  });

  it('write a CSV for French spreadsheets: BOM, semicolons, decimal comma, quoted fields', () => {
    const csv = reportCsv(bretagne);
    expect(csv.startsWith('\uFEFFrubrique;structure_id;')).toBe(true);
    expect(csv).toContain('\r\n');
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines).toContain('nouvelle correspondance;s2;"Vélo; Solidaire ""Rennes""";35;r5;Navettes Rennes;logistique;0,3;');
    expect(lines).toContain('correspondance disparue;s4;Ancienne asso;29;r1;Salle à Brest;lieux partagés;0,6;fiche archivée');
    expect(lines).toContain('besoin non couvert;s2;"Vélo; Solidaire ""Rennes""";35;;;logistique;0,3;meilleur score < 0,5');
    expect(frenchNumber(0.12345)).toBe('0,1235');
    expect(csvField('a;b')).toBe('"a;b"');
  });

  it('write a self-contained French HTML page with the map, the tables and the map’s credit', () => {
    const html = reportHtml(national);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('name="viewport"');
    expect((html.match(/<path /g) ?? []).length).toBe(96);
    expect(html).toContain('Guadeloupe');
    expect(html).toContain('CC BY 4.0');
    expect(html).toContain('Vélo; Solidaire &quot;Rennes&quot;');
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(html).toContain('disponibilité de la ressource terminée');
  });

  it('write the same data as JSON', () => {
    expect(JSON.parse(reportJson(occitanie))).toMatchObject({ version: 1, scope: '76', scopeName: 'Occitanie', totals: occitanie.totals });
  });

  it('shade the départements in five classes of the largest count', () => {
    expect([0, 1, 20, 21, 100].map((n) => shadeClass(n, 100))).toEqual([0, 1, 1, 2, 5]);
  });
});

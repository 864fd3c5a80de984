/**
 * The reports of a run: gathered from the store (this run's and the previous run's results, the
 * records, the feedback events), built for the country and every région (src/reports), and
 * written under the reports folder as `{run}/{scope}.{html,csv,json}`. Then read back for the
 * API: an admin sees every report, a delegate those of its régions only.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Caller } from '../access/access.policy.ts';
import { actorOf, writeAudit } from '../audit/audit.repository.ts';
import type { Store } from '../db/open.ts';
import { notFound, PasserellesError } from '../domain/errors.ts';
import type { Pillar, ResourceRecord } from '../domain/types.ts';
import type { Geography } from '../geo/geography.ts';
import { buildReports, type ReportInput, type ResourceInfo, type RunInfo, type StructureInfo } from '../reports/report.build.ts';
import { reportCsv } from '../reports/report.csv.ts';
import { reportHtml } from '../reports/report.html.ts';
import { reportJson } from '../reports/report.json.ts';
import { createBatchRepository, type BatchRun } from './batch.repository.ts';

export const REPORT_FORMATS = ['html', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8',
};

export interface ReportsDeps { store: Store; geography: Geography; reportsDir: string; goodScore: number }

const runInfo = (r: BatchRun): RunInfo => ({ id: r.id, asOf: r.asOf, k: r.k, modelVersion: r.modelVersion, startedAt: r.startedAt, finishedAt: r.finishedAt });

async function loadRecords(store: Store) {
  const structures = new Map<string, StructureInfo>();
  const resources = new Map<string, ResourceInfo>();
  const sRows = await store.rows<Record<string, unknown>>(sql`select id, name, department, region, needs, archived_at, updated_at from structures`);
  for (const r of sRows) {
    structures.set(String(r.id), {
      name: String(r.name), department: String(r.department), region: String(r.region), needs: r.needs as Pillar[],
      archived: r.archived_at != null, updatedAt: new Date(r.updated_at as string),
    });
  }
  const rRows = await store.rows<Record<string, unknown>>(sql`select id, title, department, region, pillar, archived_at, updated_at,
    record->>'available_from' as available_from, record->>'available_until' as available_until from resources`);
  for (const r of rRows) {
    resources.set(String(r.id), {
      title: String(r.title), department: String(r.department), region: String(r.region), pillar: r.pillar as ResourceRecord['pillar'],
      archived: r.archived_at != null, updatedAt: new Date(r.updated_at as string),
      ...(r.available_from ? { availableFrom: String(r.available_from) } : {}), ...(r.available_until ? { availableUntil: String(r.available_until) } : {}),
    });
  }
  return { structures, resources };
}

/** Everything the builders need for one run. */
export async function reportInput(deps: Pick<ReportsDeps, 'store' | 'geography' | 'goodScore'>, run: BatchRun): Promise<ReportInput> {
  const repo = createBatchRepository(deps.store);
  const previous = await repo.previousDone(run.id);
  const results = async (id: number) => [...await repo.results(id, 'resource'), ...await repo.results(id, 'structure')];
  const since = previous?.startedAt ?? new Date(0);
  const rejected = await deps.store.rows<{ s: string; r: string }>(sql`select distinct structure_id as s, resource_id as r from feedback_events
    where kind = 'not_interested' and received_at >= ${since.toISOString()} and received_at <= ${run.startedAt.toISOString()}`);
  const weekEnd = new Date(Date.parse(`${run.asOf}T00:00:00Z`) + 86_400_000);
  const weekStart = new Date(weekEnd.getTime() - 7 * 86_400_000);
  const week = await deps.store.rows<{ region: string; kind: string; n: unknown }>(sql`select region, kind, count(*) as n from feedback_events
    where occurred_at >= ${weekStart.toISOString()} and occurred_at < ${weekEnd.toISOString()} group by region, kind`);
  return {
    run: runInfo(run),
    previous: previous ? runInfo(previous) : null,
    current: await results(run.id),
    previousResults: previous ? await results(previous.id) : [],
    ...await loadRecords(deps.store),
    rejectedPairs: new Set(rejected.map((x) => `${x.s}|${x.r}`)),
    feedbackWeek: week.map((w) => ({ region: w.region, kind: w.kind, count: Number(w.n) })),
    departments: deps.geography.departments(),
    regions: deps.geography.regions(),
    goodScore: deps.goodScore,
  };
}

/** Builds and writes every report of a run; returns the folder, relative to the reports folder. */
export async function writeRunReports(deps: ReportsDeps, run: BatchRun): Promise<string> {
  const reports = buildReports(await reportInput(deps, run));
  const folder = String(run.id);
  const final = join(deps.reportsDir, folder);
  const temporary = `${final}.partial`;
  await mkdir(temporary, { recursive: true });
  for (const [scope, data] of reports) {
    await writeFile(join(temporary, `${scope}.html`), reportHtml(data));
    await writeFile(join(temporary, `${scope}.csv`), reportCsv(data));
    await writeFile(join(temporary, `${scope}.json`), reportJson(data));
  }
  await rename(temporary, final).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    // Written already (a resumed run): replace file by file.
    for (const name of await readdir(temporary)) await rename(join(temporary, name), join(final, name));
  });
  return folder;
}

export interface ReportEntry { run: number; asOf: string; finishedAt: string | null; modelVersion: string; scope: string; name: string; formats: Record<ReportFormat, string> }

/** Which reports a caller may read: admins all; delegates their régions' only. */
export function canReadReport(caller: Caller, scope: string): boolean {
  if (caller.role === 'admin') return true;
  return caller.role === 'delegate' && caller.regions.includes(scope);
}

const reportsErrors = {
  forbidden: () => new PasserellesError('reports.forbidden', 'Ce rapport concerne une région hors de votre clé.', 403),
  notFound: (run: number, scope: string) => notFound('reports.not_found', `Rapport « ${scope} » du calcul ${run} introuvable.`),
};

export function createReports(deps: Pick<ReportsDeps, 'store' | 'geography' | 'reportsDir'>) {
  const repo = createBatchRepository(deps.store);
  const nameOf = (scope: string) => (scope === 'national' ? 'France entière' : deps.geography.region(scope)?.name ?? scope);
  return {
    /** Reports of the finished runs still kept, newest first, that the caller may read. */
    async list(caller: Caller): Promise<ReportEntry[]> {
      if (caller.role === 'structure') throw reportsErrors.forbidden();
      const entries: ReportEntry[] = [];
      for (const run of await repo.finished()) {
        if (!run.reportsAt) continue;
        const files = await readdir(join(deps.reportsDir, run.reportsAt)).catch(() => [] as string[]);
        const scopes = [...new Set(files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)))].sort();
        for (const scope of scopes.filter((s) => canReadReport(caller, s))) {
          entries.push({
            run: run.id, asOf: run.asOf, finishedAt: run.finishedAt?.toISOString() ?? null, modelVersion: run.modelVersion, scope, name: nameOf(scope),
            formats: Object.fromEntries(REPORT_FORMATS.map((f) => [f, `/api/v1/reports/${run.id}/${scope}.${f}`])) as Record<ReportFormat, string>,
          });
        }
      }
      return entries;
    },

    /**
     * One report file; 403 outside the caller's régions (checked before anything is read), 404 when
     * absent. The export is in the audit trail before the file is handed over (report.exported):
     * when the entry cannot be written, the file is not given.
     */
    async read(caller: Caller, runId: number, scope: string, format: ReportFormat): Promise<{ body: Buffer; contentType: string }> {
      // A scope is `national` or a région code: anything else (`../x`) names no report and no file.
      if (!/^(national|\d{2,3})$/.test(scope)) throw reportsErrors.notFound(runId, scope);
      if (!canReadReport(caller, scope)) throw reportsErrors.forbidden();
      const run = await repo.getRun(runId);
      if (!run?.reportsAt) throw reportsErrors.notFound(runId, scope);
      let body: Buffer;
      try {
        body = await readFile(join(deps.reportsDir, run.reportsAt, `${scope}.${format}`));
      } catch {
        throw reportsErrors.notFound(runId, scope);
      }
      await writeAudit(deps.store.db, {
        actor: actorOf(caller), action: 'report.exported', recordKind: 'report', recordId: `${runId}/${scope}.${format}`,
        details: { run: runId, scope, format },
      });
      return { body, contentType: REPORT_TYPES[format] };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;

/**
 * The reports and models ports of the web pages over the use cases that hold them: the nightly
 * reports (src/batch, the same files as GET /api/v1/reports) and the model registry (src/models,
 * the same rules as /api/v1/models: admins only).
 */
import type { Caller } from '../access/access.policy.ts';
import { isPasserellesError } from '../domain/errors.ts';
import type { Reports } from '../batch/batch.reports.ts';
import type { Models } from '../models/models.usecases.ts';
import type { ModelsPort, ModelVersionView, ReportsPort } from './ports.ts';

const FORMAT_LABELS: Record<string, string> = { html: 'rapport (HTML, avec la carte)', csv: 'tableur (CSV)', json: 'données (JSON)' };

export function reportsPortOf(reports: Reports): ReportsPort {
  return {
    async list(caller: Caller) {
      const entries = await reports.list(caller);
      return entries.map((e) => ({
        id: `${e.run}-${e.scope}`,
        region: e.scope,
        day: e.asOf,
        title: `${e.name} — calcul du ${e.asOf.split('-').reverse().join('/')} (modèle ${e.modelVersion})`,
        files: Object.keys(e.formats).map((format) => ({ name: format, label: FORMAT_LABELS[format] ?? format })),
      }));
    },
    async read(caller: Caller, id: string, name: string) {
      const match = /^(\d+)-(.+)$/.exec(id);
      if (!match || !(name in FORMAT_LABELS)) return undefined;
      try {
        return await reports.read(caller, Number(match[1]), match[2], name as Parameters<Reports['read']>[3]);
      } catch (e) {
        if (isPasserellesError(e) && (e.status === 403 || e.status === 404)) return undefined;
        throw e;
      }
    },
  };
}

export function modelsPortOf(models: Models): ModelsPort {
  return {
    async list(caller: Caller): Promise<ModelVersionView[]> {
      return (await models.list(caller)).map((m) => ({
        version: m.version, status: m.status, createdAt: m.createdAt, promotedAt: m.promotedAt, parent: m.parent,
        metrics: m.metrics as Record<string, unknown> | null, reason: m.reason,
      }));
    },
    async promote(caller: Caller, version: string) { await models.promote(caller, version, 'promu depuis les pages web'); },
    async rollback(caller: Caller) { await models.rollback(caller, 'retour arrière depuis les pages web'); },
  };
}

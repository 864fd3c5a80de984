/**
 * The registry of ranking model versions, as every entry point uses it (the service, the command
 * line, the trainer, the admin routes). Exactly one version is `current`: it scores every ranking
 * that names no model. At cold start the committed default (models/DEFAULT_MODEL.json, see src/matching/matching.models.ts) is registered
 * as current and serves until a learned model is promoted. Training adds `candidate`s; the guard
 * or an admin promotes one (the current one is then `retired`); `rollback` goes back to the model
 * that was current before. Every status change is stored with its reason and who made it; every
 * promotion (by hand, by the guard, at start-up) and rollback also writes its audit entry, in the
 * same transaction.
 *
 * Rollback works as a stack replayed from the history: a registration or a promotion to current
 * pushes the version, a rollback pops it; rolling back makes the version under the top current.
 */
import type { Caller } from '../access/access.policy.ts';
import { actorOf, STARTUP_ACTOR, TRAINER_ACTOR, type AuditActor, type NewAuditEntry } from '../audit/audit.repository.ts';
import type { Store } from '../db/open.ts';
import { summarizeInterleaving, type Credit, type InterleavingSummary } from '../learning/interleave.ts';
import { parseModel, type RankingModel } from '../ranking/model.ts';
import { modelErrors } from './models.errors.ts';
import type { TrainingReport } from './models.report.ts';
import {
  createModelsRepository, type ModelChange, type ModelFile, type ModelVersion, type StatusChange,
} from './models.repository.ts';

/** Who promotes when the guard decides: the trainer itself. */
export const TRAINER = 'entrainement';

export interface ModelsDeps {
  store: Store;
  now?: () => Date;
  /** A committed model file by version (models/VERSION.json), to promote a version not yet registered. */
  readModelFile?: (version: string) => ModelFile | undefined;
}

export interface InterleavingReport extends Omit<InterleavingSummary, 'share'> {
  /** Rankings served interleaved with this candidate. */
  served: number;
  /** Of those, the rankings with at least one item acted on (the others tell nothing). */
  judged: number;
  /** Candidate's share of the decided rankings (null when none was decided). */
  share: number | null;
}

export interface ModelDetails extends ModelVersion {
  changes: ModelChange[];
  interleaving: InterleavingReport;
}

const adminOnly = (caller: Caller) => {
  if (caller.role !== 'admin') throw modelErrors.adminOnly();
};

const withReason = (base: string, reason?: string) => (reason?.trim() ? `${base} Motif : ${reason.trim()}` : base);

/** The audit entry of a model made current (`from`: the one it replaces). */
const promoted = (actor: AuditActor, version: string, from: string | undefined, reason: string): NewAuditEntry => ({
  actor, action: 'model.promoted', recordKind: 'model', recordId: version, details: { from: from ?? null, reason },
});

/** The versions made current in turn and not rolled back since, oldest first. */
export function currentStack(changes: readonly ModelChange[]): string[] {
  const stack: string[] = [];
  for (const c of changes) {
    if (c.toStatus !== 'current') continue;
    if (c.action === 'rolled_back') stack.pop();
    else stack.push(c.version);
  }
  return stack;
}

/** Credits of interleaved rankings: the team with more acted-on items wins ('A' current, 'B' candidate). */
export function interleavingReport(served: number, rows: readonly { rankingId: string; team: string; acted: number }[]): InterleavingReport {
  const byRanking = new Map<string, Credit>();
  for (const r of rows) {
    const c = byRanking.get(r.rankingId) ?? { a: 0, b: 0, outcome: 'tie' };
    if (r.team === 'candidate') c.b += r.acted; else c.a += r.acted;
    c.outcome = c.a > c.b ? 'A' : c.b > c.a ? 'B' : 'tie';
    byRanking.set(r.rankingId, c);
  }
  const summary = summarizeInterleaving(byRanking.values());
  return { ...summary, share: Number.isFinite(summary.share) ? summary.share : null, served, judged: byRanking.size };
}

export function createModels(deps: ModelsDeps) {
  const repository = createModelsRepository(deps.store);
  const now = deps.now ?? (() => new Date());

  const toRankingModel = (v: ModelVersion): RankingModel => parseModel(v.model, `modèle ${v.version}`);

  async function mustGet(version: string): Promise<ModelVersion> {
    const found = await repository.get(version);
    if (found) return found;
    const file = deps.readModelFile?.(version);
    if (!file) throw modelErrors.notFound(version);
    parseModel(file, `models/${version}.json`);
    await repository.insert({
      version, status: 'candidate', model: file, parent: null, metrics: null,
      reason: `Fichier models/${version}.json enregistré pour être promu.`,
    }, { action: 'registered', actor: 'operateur' }, now());
    return (await repository.get(version))!;
  }

  /** The changes that make `version` current in place of `current`. */
  const promotion = (version: string, current: ModelVersion | undefined, reason: string, actor: string): StatusChange[] => [
    ...(current ? [{ version: current.version, action: 'retired' as const, to: 'retired' as const, reason: `Remplacé par ${version}. ${reason}`, actor }] : []),
    { version, action: 'promoted', to: 'current', reason, actor },
  ];

  return {
    repository,
    toRankingModel,

    /**
     * Cold start: registers the committed model as current when the registry has no current
     * model (nothing happens otherwise). Returns the current version either way.
     */
    async registerDefault(file: ModelFile): Promise<{ registered: boolean; current: ModelVersion }> {
      parseModel(file, `models/${file.version}.json`);
      let registered = false;
      if (!(await repository.current())) {
        const existing = await repository.get(file.version);
        if (existing?.status === 'current') {
          // registered meanwhile by another process starting at the same time
        } else if (existing) {
          const reason = 'Aucun modèle courant : le modèle par défaut du dépôt sert de nouveau.';
          await repository.apply([{ version: file.version, action: 'promoted', to: 'current', reason, actor: 'demarrage' }], now(),
            promoted(STARTUP_ACTOR, file.version, undefined, reason));
          registered = true;
        } else {
          registered = await repository.insert({
            version: file.version, status: 'current', model: file, parent: null, metrics: null,
            reason: 'Modèle par défaut du dépôt (démarrage à froid) : il sert tant qu’aucun modèle appris n’est promu.',
          }, { action: 'registered', actor: 'demarrage' }, now());
        }
      }
      const current = await repository.current();
      if (!current) throw modelErrors.noCurrent();
      return { registered, current };
    },

    async current(): Promise<ModelVersion> {
      const current = await repository.current();
      if (!current) throw modelErrors.noCurrent();
      return current;
    },

    async list(caller: Caller): Promise<ModelVersion[]> {
      adminOnly(caller);
      return repository.list();
    },

    async show(caller: Caller, version: string): Promise<ModelDetails> {
      adminOnly(caller);
      const found = await repository.get(version);
      if (!found) throw modelErrors.notFound(version);
      const { served, rows } = await repository.interleaving(version);
      return { ...found, changes: await repository.changes(version), interleaving: interleavingReport(served, rows) };
    },

    /** Makes a version current (by hand); the current one is retired. Both changes keep the reason. */
    async promote(caller: Caller, version: string, reason?: string): Promise<ModelVersion> {
      adminOnly(caller);
      const target = await mustGet(version);
      if (target.status === 'current') throw modelErrors.alreadyCurrent(version);
      const current = await repository.current();
      const why = withReason(`Promu à la main par ${caller.keyId}.`, reason);
      await repository.apply(promotion(version, current, why, caller.keyId), now(), promoted(actorOf(caller), version, current?.version, why));
      return (await repository.get(version))!;
    },

    /** Goes back to the model that was current before the current one. */
    async rollback(caller: Caller, reason?: string): Promise<{ from: ModelVersion; to: ModelVersion }> {
      adminOnly(caller);
      const current = await repository.current();
      if (!current) throw modelErrors.noCurrent();
      const stack = currentStack(await repository.changes());
      const previous = stack.length >= 2 && stack[stack.length - 1] === current.version ? stack[stack.length - 2] : undefined;
      if (!previous) throw modelErrors.nothingToRollBack(current.version);
      const why = withReason(`Retour arrière demandé par ${caller.keyId} : ${current.version} → ${previous}.`, reason);
      await repository.apply([
        { version: current.version, action: 'rolled_back', to: 'retired', reason: why, actor: caller.keyId },
        { version: previous, action: 'rolled_back', to: 'current', reason: why, actor: caller.keyId },
      ], now(), {
        actor: actorOf(caller), action: 'model.rolled_back', recordKind: 'model', recordId: current.version, details: { to: previous, reason: why },
      });
      return { from: (await repository.get(current.version))!, to: (await repository.get(previous))! };
    },

    /**
     * Stores a trained version as a candidate (older candidates are retired: only the newest one
     * is compared online), and makes it current when the guard said so, all in one transaction.
     */
    async addTrained(file: ModelFile, report: TrainingReport, parent: string): Promise<ModelVersion> {
      const at = now();
      const older = (await repository.list()).filter((v) => v.status === 'candidate');
      const then: StatusChange[] = older.map((v) => ({
        version: v.version, action: 'retired', to: 'retired', reason: `Remplacé par le candidat plus récent ${file.version}.`, actor: TRAINER,
      }));
      const current = report.guard.promote ? await repository.current() : undefined;
      if (report.guard.promote) then.push(...promotion(file.version, current, report.guard.reason, TRAINER));
      await repository.insert({
        version: file.version, status: 'candidate', model: file, parent, metrics: report, reason: report.guard.reason,
      }, { action: 'trained', actor: TRAINER }, at, then,
      report.guard.promote ? promoted(TRAINER_ACTOR, file.version, current?.version, report.guard.reason) : undefined);
      return (await repository.get(file.version))!;
    },
  };
}

export type Models = ReturnType<typeof createModels>;

/**
 * Storage of the model registry: model_versions (one row per version, its weights as the model
 * file's JSON, its status and figures) and model_changes (every status change with its reason).
 * A status change and its history row are written in one transaction; the partial unique index
 * keeps at most one current model, so the current one is retired before another is made current.
 */
import { asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { writeAudit, type NewAuditEntry } from '../audit/audit.repository.ts';
import type { Store } from '../db/open.ts';
import { modelChanges, modelVersions } from '../db/schema.ts';
import type { TrainingReport } from './models.report.ts';

export type ModelStatus = 'current' | 'candidate' | 'retired';
export type ChangeAction = 'registered' | 'trained' | 'promoted' | 'rolled_back' | 'retired';

/** A model file as committed under models/ or written by training (parseModel reads it). */
export interface ModelFile {
  version: string;
  kind: 'linear';
  description?: string;
  bias: number;
  weights: Record<string, number>;
  training?: unknown;
}

export interface ModelVersion {
  version: string;
  status: ModelStatus;
  model: ModelFile;
  createdAt: Date;
  promotedAt: Date | null;
  parent: string | null;
  metrics: TrainingReport | null;
  reason: string | null;
}

export interface ModelChange {
  id: number;
  version: string;
  action: ChangeAction;
  fromStatus: ModelStatus | null;
  toStatus: ModelStatus;
  reason: string;
  actor: string;
  at: Date;
}

/** One status change to apply: the version, what is done, why and by whom. */
export interface StatusChange {
  version: string;
  action: ChangeAction;
  to: ModelStatus;
  reason: string;
  actor: string;
}

export interface NewModelVersion {
  version: string;
  status: ModelStatus;
  model: ModelFile;
  parent: string | null;
  metrics: TrainingReport | null;
  reason: string;
}

/** Rankings interleaved with a candidate: per ranking and team, the items acted on (positive events). */
export interface InterleavingRow { rankingId: string; team: string; acted: number }

const toVersion = (row: typeof modelVersions.$inferSelect): ModelVersion => ({
  version: row.version,
  status: row.status as ModelStatus,
  model: row.model as ModelFile,
  createdAt: row.createdAt,
  promotedAt: row.promotedAt,
  parent: row.parent,
  metrics: (row.metrics ?? null) as TrainingReport | null,
  reason: row.reason,
});

const toChange = (row: typeof modelChanges.$inferSelect): ModelChange => ({
  ...row, action: row.action as ChangeAction, fromStatus: row.fromStatus as ModelStatus | null, toStatus: row.toStatus as ModelStatus,
});

export function createModelsRepository(store: Store) {
  const { db } = store;
  type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];

  async function applyIn(tx: Tx, change: StatusChange, at: Date): Promise<void> {
    const [row] = await tx.select({ status: modelVersions.status }).from(modelVersions).where(eq(modelVersions.version, change.version));
    await tx.update(modelVersions).set({
      status: change.to, reason: change.reason, ...(change.to === 'current' ? { promotedAt: at } : {}),
    }).where(eq(modelVersions.version, change.version));
    await tx.insert(modelChanges).values({
      version: change.version, action: change.action, fromStatus: row?.status ?? null, toStatus: change.to,
      reason: change.reason, actor: change.actor, at,
    });
  }

  return {
    async get(version: string): Promise<ModelVersion | undefined> {
      const [row] = await db.select().from(modelVersions).where(eq(modelVersions.version, version));
      return row ? toVersion(row) : undefined;
    },

    async current(): Promise<ModelVersion | undefined> {
      const [row] = await db.select().from(modelVersions).where(eq(modelVersions.status, 'current'));
      return row ? toVersion(row) : undefined;
    },

    /** The current version's name only (the service polls it every few seconds). */
    async currentVersion(): Promise<string | undefined> {
      const [row] = await db.select({ version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.status, 'current'));
      return row?.version;
    },

    /** Newest first. */
    async list(): Promise<ModelVersion[]> {
      return (await db.select().from(modelVersions).orderBy(desc(modelVersions.createdAt), desc(modelVersions.version))).map(toVersion);
    },

    async newestCandidate(): Promise<ModelVersion | undefined> {
      const [row] = await db.select().from(modelVersions).where(eq(modelVersions.status, 'candidate'))
        .orderBy(desc(modelVersions.createdAt), desc(modelVersions.version)).limit(1);
      return row ? toVersion(row) : undefined;
    },

    /** The newest version that training wrote (it carries the feedback it was trained through). */
    async lastTrained(): Promise<ModelVersion | undefined> {
      const [row] = await db.select().from(modelVersions).where(isNotNull(modelVersions.metrics))
        .orderBy(desc(modelVersions.createdAt), desc(modelVersions.version)).limit(1);
      return row ? toVersion(row) : undefined;
    },

    /** History of one version, or of the whole registry, oldest first. */
    async changes(version?: string): Promise<ModelChange[]> {
      const q = db.select().from(modelChanges);
      const rows = await (version ? q.where(eq(modelChanges.version, version)) : q).orderBy(asc(modelChanges.id));
      return rows.map(toChange);
    },

    /**
     * Inserts a version with its first history row, then applies `then` (e.g. retiring older
     * candidates) in the same transaction. With `ifNoCurrent`, does nothing (returns false) when a
     * current model exists: two processes starting at once register the default once.
     */
    async insert(
      row: NewModelVersion, change: { action: ChangeAction; actor: string }, at: Date, then: StatusChange[] = [], audit?: NewAuditEntry,
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        const inserted = await tx.insert(modelVersions).values({
          version: row.version, status: row.status, model: row.model, parent: row.parent, metrics: row.metrics,
          reason: row.reason, createdAt: at, promotedAt: row.status === 'current' ? at : null,
        }).onConflictDoNothing().returning({ version: modelVersions.version });
        if (inserted.length === 0) return false;
        await tx.insert(modelChanges).values({
          version: row.version, action: change.action, fromStatus: null, toStatus: row.status, reason: row.reason, actor: change.actor, at,
        });
        for (const c of then) await applyIn(tx, c, at);
        if (audit) await writeAudit(tx, audit);
        return true;
      });
    },

    /**
     * Applies status changes in order, in one transaction (retire the current one before making
     * another current), with the audit entry of the promotion or rollback they make.
     */
    async apply(changes: StatusChange[], at: Date, audit?: NewAuditEntry): Promise<void> {
      await db.transaction(async (tx) => {
        for (const c of changes) await applyIn(tx, c, at);
        if (audit) await writeAudit(tx, audit);
      });
    },

    /** Highest feedback event id and number of events: training starts only when the first grew. */
    async feedbackWatermark(): Promise<{ lastEventId: number; events: number }> {
      const [row] = await store.rows<{ last: string | number | null; n: string | number }>(
        sql`select max(id) as last, count(*) as n from feedback_events`);
      return { lastEventId: Number(row?.last ?? 0), events: Number(row?.n ?? 0) };
    },

    /** Acted-on items (any event but not_interested) per team of every ranking interleaved with `version`. */
    async interleaving(version: string): Promise<{ served: number; rows: InterleavingRow[] }> {
      const [count] = await store.rows<{ n: string | number }>(sql`select count(*) as n from rankings where interleaved_with = ${version}`);
      const rows = await store.rows<{ ranking_id: string; team: string; acted: string | number }>(sql`
        select r.id as ranking_id, i.team as team, count(distinct i.candidate_id) as acted
        from rankings r
        cross join lateral unnest(r.candidate_ids, r.teams) as i(candidate_id, team)
        join feedback_events e on e.ranking_id = r.id and e.kind <> 'not_interested'
          and i.candidate_id = case when r.query_kind = 'structure' then e.resource_id else e.structure_id end
        where r.interleaved_with = ${version} and i.team is not null
        group by r.id, i.team`);
      return { served: Number(count?.n ?? 0), rows: rows.map((r) => ({ rankingId: r.ranking_id, team: r.team, acted: Number(r.acted) })) };
    },
  };
}

export type ModelsRepository = ReturnType<typeof createModelsRepository>;

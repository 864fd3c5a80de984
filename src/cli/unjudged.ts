/**
 * Records the judgments of a qrels file do not cover: ranked among the judged ones, they push
 * them down and lower NDCG and recall, so `passerelles rank` warns when the database holds any
 * (typically the demo data `npm start` loads beside the evaluation set).
 */
import { sql } from 'drizzle-orm';
import type { Store } from '../db/open.ts';
import type { EntityKind } from '../domain/types.ts';

export type Judged = Record<EntityKind, Set<string>>;

export async function countUnjudged(store: Store, judged: Judged): Promise<Record<EntityKind, number>> {
  const ids = async (table: string) => (await store.rows<{ id: string }>(
    sql`select id from ${sql.identifier(table)} where archived_at is null`)).map((r) => r.id);
  const outside = (all: string[], known: Set<string>) => all.filter((id) => !known.has(id)).length;
  return {
    structure: outside(await ids('structures'), judged.structure),
    resource: outside(await ids('resources'), judged.resource),
  };
}

const fr = (n: number) => n.toLocaleString('fr-FR').replace(/\u202f/g, ' ');

/** The warning, or undefined when every record of the database is judged. */
export function unjudgedWarning(file: string, counts: Record<EntityKind, number>): string | undefined {
  if (counts.structure + counts.resource === 0) return undefined;
  return `Attention : la base contient ${fr(counts.structure)} structures et ${fr(counts.resource)} ressources que les jugements `
    + `de ${file} ne notent pas (données de démonstration ?) : classées parmi les autres, elles font baisser NDCG et rappel. `
    + 'Pour mesurer la qualité, classez sur une base qui ne contient que le jeu d’évaluation '
    + '(PASSERELLES_DATA_DIR=un-dossier-vide, ou npm run bench:quality).';
}

/**
 * `passerelles rank --queries FILE`: one JSON line per distinct query, for evaluation. FILE is JSON
 * Lines with query_type and query_id (other fields ignored), so a qrels file can be passed as is.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { invalid, isPasserellesError, PasserellesError } from '../../domain/errors.ts';
import type { MatchQuery } from '../../matching/matching.request.ts';
import type { Matching } from '../../matching/matching.usecases.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { matchQueryOf, withMatching } from '../matching.ts';
import { countUnjudged, unjudgedWarning, type Judged } from '../unjudged.ts';

/** Rankings for evaluation are scored at 10 (NDCG@10, recall@10): the default depth. */
export const RANK_LIMIT = 10;

interface Query { type: 'structure' | 'resource'; id: string; line: number }

export const rankCommand: Command = {
  name: 'rank',
  summary: 'Classements en lot pour l’évaluation (une ligne JSON par requête)',
  help: `Usage : passerelles rank --queries FICHIER [--limit N] [--as-of AAAA-MM-JJ]

FICHIER : JSON Lines, une requête par ligne {"query_type": "structure"|"resource", "query_id": ID}
(les autres champs sont ignorés, une requête répétée n'est classée qu'une fois : un fichier qrels
peut être passé tel quel). Sortie : une ligne JSON par requête
{"query_type", "query_id", "results": [{"id", "score"}, …]}, meilleurs d'abord.
Un identifiant inconnu donne une ligne d'erreur sur stderr et {"error": …, "results": []} sur stdout.
Avec un fichier qrels (lignes avec doc_id), un avertissement sur stderr compte les enregistrements
de la base que ses jugements ne notent pas (ils font baisser les mesures de qualité).

Options :
  --queries FICHIER  les requêtes (obligatoire)
  --limit N          profondeur de chaque classement (défaut ${RANK_LIMIT}, comme NDCG@10 ; max 200)
  --as-of AAAA-MM-JJ date de référence des disponibilités (défaut : aujourd'hui)
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs('rank', args, {
      queries: { type: 'string' }, limit: { type: 'string' }, 'as-of': { type: 'string' },
    });
    if (!values.queries) throw invalid('cli.bad_arguments', 'rank : --queries FICHIER est obligatoire.');
    const query = matchQueryOf('rank', { limit: values.limit ?? String(RANK_LIMIT), 'as-of': values['as-of'] });
    const { queries, problems, judged } = await readQueries(values.queries);
    for (const p of problems) ctx.stderr.write(`${p}\n`);
    if (judged) {
      const warning = unjudgedWarning(values.queries, await ctx.withStore((store) => countUnjudged(store, judged)));
      if (warning) ctx.stderr.write(`${warning}\n`);
    }
    const failures = await withMatching(ctx, (matching) => {
      let failed = 0;
      for (const q of queries) {
        const line = rankOne(matching, q, query);
        if ('error' in line) {
          failed++;
          ctx.stderr.write(`${values.queries}:${q.line} ${q.type} ${q.id} : ${(line.error as { message: string }).message}\n`);
        }
        ctx.stdout.write(`${JSON.stringify(line)}\n`);
      }
      return failed;
    });
    return failures + problems.length > 0 ? EXIT.rejected : EXIT.ok;
  },
};

function rankOne(matching: Matching, q: Query, query: MatchQuery): Record<string, unknown> {
  const head = { query_type: q.type, query_id: q.id };
  try {
    const list = q.type === 'structure' ? matching.forStructure(q.id, query) : matching.forResource(q.id, query);
    return { ...head, results: list.results.map((r) => ({ id: r.id, score: r.score })) };
  } catch (e) {
    if (!isPasserellesError(e)) throw e;
    return { ...head, error: { code: e.code, message: e.message }, results: [] };
  }
}

/** The queries of the file; `judged` (queried and judged ids) when it is a qrels file (lines with doc_id). */
async function readQueries(path: string): Promise<{ queries: Query[]; problems: string[]; judged?: Judged }> {
  const judged: Judged = { structure: new Set(), resource: new Set() };
  let isQrels = false;
  const queries: Query[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => { stream.once('open', () => resolve()); stream.once('error', reject); });
  try { await opened; } catch (e) {
    throw new PasserellesError('rank.unreadable', `Fichier de requêtes illisible : ${path} (${(e as Error).message})`, 400);
  }
  let n = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    n++;
    const text = raw.replace(/^\uFEFF/, '').trim();
    if (!text) continue;
    let obj: { query_type?: unknown; query_id?: unknown; doc_id?: unknown };
    try { obj = JSON.parse(text); } catch { problems.push(`${path}:${n} : ligne JSON invalide, ignorée`); continue; }
    if ((obj.query_type !== 'structure' && obj.query_type !== 'resource') || typeof obj.query_id !== 'string') {
      problems.push(`${path}:${n} : query_type (structure|resource) et query_id (texte) sont obligatoires, ligne ignorée`);
      continue;
    }
    judged[obj.query_type].add(obj.query_id);
    if (typeof obj.doc_id === 'string') {
      isQrels = true;
      judged[obj.query_type === 'structure' ? 'resource' : 'structure'].add(obj.doc_id);
    }
    const key = `${obj.query_type}\u0000${obj.query_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    queries.push({ type: obj.query_type, id: obj.query_id, line: n });
  }
  return { queries, problems, ...(isQrels ? { judged } : {}) };
}

/** `passerelles models list|show|promote|rollback`: the registry of ranking model versions. */
import { OPERATOR } from '../../access/access.policy.ts';
import { invalid } from '../../domain/errors.ts';
import { DEFAULT_MODEL } from '../../matching/matching.models.ts';
import { describeDetails, describeModel, orderedWeights } from '../../models/models.describe.ts';
import type { ModelDetails } from '../../models/models.usecases.ts';
import { createModels } from '../../models/models.usecases.ts';
import { readCommittedModel } from '../../models/models.serving.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliContext } from '../command.ts';
import { EXIT, type Command } from '../command.ts';

const help = `passerelles models — versions du modèle de classement

  passerelles models list [--json]
      Toutes les versions, les plus récentes d'abord : statut (current = celle qui sert,
      candidate = apprise mais non promue, retired = retirée), NDCG@10 tenu à part, motif.

  passerelles models show VERSION [--json]
      Poids, fenêtre d'entraînement, nombre de retours et de demandeurs, NDCG@10 de la version et
      du modèle courant sur les mêmes retours tenus à part, décision de la garde, comparaison en
      ligne (entrelacement : classements gagnés, nuls, perdus, p-valeur) et historique des statuts.

  passerelles models promote VERSION [--reason TEXTE]
      Rend VERSION courante (une version apprise, ou un fichier models/VERSION.json du dépôt) ;
      l'ancienne est retirée. Le service l'adopte sans redémarrer.

  passerelles models rollback [--reason TEXTE]
      Revient au modèle qui était courant avant celui-ci ; le motif est conservé.
`;

const statusFr = { current: 'courante', candidate: 'candidate', retired: 'retirée' } as const;
const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3));

function formatDetails(d: ModelDetails): string {
  const t = d.metrics;
  const i = d.interleaving;
  const lines = [
    `Modèle ${d.version} — ${statusFr[d.status]}${d.parent ? ` (appris à partir de ${d.parent})` : ''}`,
    `  Créé le ${d.createdAt.toISOString().slice(0, 16).replace('T', ' ')}${d.promotedAt ? ` ; devenu courant le ${d.promotedAt.toISOString().slice(0, 16).replace('T', ' ')}` : ''}`,
    `  Motif : ${d.reason ?? '—'}`,
    `  Poids : ${Object.entries(orderedWeights(d.model.weights)).map(([k, v]) => `${k}=${v.toFixed(3)}`).join('  ')}`,
  ];
  if (t) {
    lines.push(
      `  Entraînement : ${t.events} retours, ${t.requesters} demandeurs, ${t.rankings} classements du ${t.window.from?.slice(0, 10) ?? '—'} au ${t.window.to?.slice(0, 10) ?? '—'}`,
      `  NDCG@10 tenu à part : ce modèle ${f3(t.heldOut.candidate.ndcg10)} · ${t.heldOut.current.version} ${f3(t.heldOut.current.ndcg10)} (borne basse de l'écart ${f3(t.guard.lower)}, marge ${t.guard.margin})`,
    );
  }
  lines.push(i.served === 0
    ? '  Comparaison en ligne : aucun classement entrelacé avec ce modèle.'
    : `  Comparaison en ligne : ${i.served} classements entrelacés, ${i.judged} avec des retours : ${i.wins} gagnés, ${i.ties} nuls, ${i.losses} perdus (p = ${i.pValue.toPrecision(2)})`);
  lines.push('  Historique :');
  for (const c of d.changes) lines.push(`    ${c.at.toISOString().slice(0, 16).replace('T', ' ')}  ${c.fromStatus ?? '—'} → ${c.toStatus}  (${c.actor}) ${c.reason}`);
  return `${lines.join('\n')}\n`;
}

async function withModels<T>(ctx: CliContext, fn: (models: ReturnType<typeof createModels>) => Promise<T>): Promise<T> {
  return ctx.withStore(async (store) => {
    const models = createModels({ store, readModelFile: readCommittedModel });
    await models.registerDefault(readCommittedModel(DEFAULT_MODEL)!);
    return fn(models);
  });
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'Versions du modèle de classement : lister, détailler, promouvoir, revenir en arrière',
  help,
  async run(args, ctx) {
    const [action, ...rest] = args;
    if (action === 'list') {
      const { values } = parseCommandArgs('models list', rest, { json: { type: 'boolean' } });
      return withModels(ctx, async (models) => {
        const list = await models.list(OPERATOR);
        if (values.json) {
          for (const v of list) ctx.stdout.write(`${JSON.stringify(describeModel(v))}\n`);
          return EXIT.ok;
        }
        const rows = list.map((v) => [
          v.version, statusFr[v.status], v.createdAt.toISOString().slice(0, 10), f3(v.metrics?.heldOut.candidate.ndcg10),
          v.metrics ? `${f3(v.metrics.heldOut.current.ndcg10)} (${v.metrics.heldOut.current.version})` : '—', v.reason ?? '',
        ]);
        const header = ['version', 'statut', 'créée', 'NDCG@10', 'courant alors', 'motif'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        for (const r of [header, ...rows]) ctx.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()}\n`);
        return EXIT.ok;
      });
    }
    if (action === 'show') {
      const { values, positionals } = parseCommandArgs('models show', rest, { json: { type: 'boolean' } });
      if (positionals.length !== 1) throw invalid('cli.bad_arguments', 'models show : une version attendue (voir models list).');
      return withModels(ctx, async (models) => {
        const d = await models.show(OPERATOR, positionals[0]);
        ctx.stdout.write(values.json ? `${JSON.stringify(describeDetails(d), null, 2)}\n` : formatDetails(d));
        return EXIT.ok;
      });
    }
    if (action === 'promote') {
      const { values, positionals } = parseCommandArgs('models promote', rest, { reason: { type: 'string' } });
      if (positionals.length !== 1) throw invalid('cli.bad_arguments', 'models promote : une version attendue (voir models list).');
      return withModels(ctx, async (models) => {
        const v = await models.promote(OPERATOR, positionals[0], values.reason);
        ctx.stdout.write(`Modèle ${v.version} promu : il sert désormais (le service l'adopte sans redémarrer).\n`);
        return EXIT.ok;
      });
    }
    if (action === 'rollback') {
      const { values, positionals } = parseCommandArgs('models rollback', rest, { reason: { type: 'string' } });
      if (positionals.length > 0) throw invalid('cli.bad_arguments', `models rollback : argument inattendu « ${positionals[0]} » (le modèle précédent est connu).`);
      return withModels(ctx, async (models) => {
        const { from, to } = await models.rollback(OPERATOR, values.reason);
        ctx.stdout.write(`Retour arrière : ${to.version} sert de nouveau, ${from.version} est retiré.\n`);
        return EXIT.ok;
      });
    }
    throw invalid('cli.bad_arguments', `models : action attendue list, show, promote ou rollback${action ? `, reçu « ${action} »` : ''}.`);
  },
};

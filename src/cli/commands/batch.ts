/** `passerelles batch`: the nightly run (resumed if one was interrupted), its summary and its reports. */
import { defaultWorkerName, runBatch, type BatchOutcome } from '../../batch/batch.run.ts';
import { currentModel, nightlyRetraining } from '../../batch/batch.models.ts';
import { openShardQueue } from '../../batch/batch.queue.ts';
import { writeRunReports } from '../../batch/batch.reports.ts';
import { invalid } from '../../domain/errors.ts';
import { loadGeography } from '../../geo/geography.ts';
import { servedFiles } from '../../models/models.serving.ts';
import { trainingSettings } from '../../models/models.train.ts';
import { buildIndexFromStore } from '../../matching/matching.sync.ts';
import { dateOption, intOption, parseCommandArgs } from '../args.ts';
import { createRunProgress } from '../../batch/batch.progress.ts';
import { EXIT, type Command } from '../command.ts';

export const batchCommand: Command = {
  name: 'batch',
  summary: 'Calcul de nuit : meilleures correspondances de chaque fiche, rapports par région',
  help: `Usage : passerelles batch [--as-of AAAA-MM-JJ] [--k N] [--queue] [--nightly]

Calcule les N meilleures structures de chaque ressource active et les N meilleures ressources de
chaque structure active, avec le modèle courant, et les enregistre en base (les résultats des
PASSERELLES_BATCH_KEEP_RUNS derniers calculs sont conservés) ; puis écrit les rapports par région
et national (HTML, CSV, JSON) dans PASSERELLES_REPORTS_DIR. Un calcul interrompu (arrêt, panne)
reprend là où il s'était arrêté au lancement suivant. Un seul calcul à la fois.

Options :
  --as-of AAAA-MM-JJ  date de référence des disponibilités (défaut : aujourd'hui)
  --k N               correspondances par fiche (défaut PASSERELLES_BATCH_K)
  --queue             confier les tranches aux processus « passerelles worker » (serveur PostgreSQL)
  --nightly           comme la nuit : réentraîner si de nouveaux retours sont arrivés, compacter l'index
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs('batch', args, {
      'as-of': { type: 'string' }, k: { type: 'string' }, queue: { type: 'boolean' }, nightly: { type: 'boolean' },
    });
    const { config, logger } = ctx;
    const asOf = dateOption('batch', 'as-of', values['as-of']);
    const k = intOption('batch', 'k', values.k, config.batchK);
    if (k > 200) throw invalid('cli.bad_arguments', 'batch : --k attend un entier entre 1 et 200.');
    if (values.queue && !config.databaseUrl) throw invalid('cli.bad_arguments', 'batch : --queue demande un serveur PostgreSQL (DATABASE_URL).');
    const outcome = await ctx.withStore(async (store) => {
      // the registry's current model (the committed default registered on a fresh database), and for
      // --nightly the retraining `serve` runs before its nightly run: the same use case
      const { models, files } = await servedFiles(store);
      const geography = loadGeography();
      const queue = values.queue ? await openShardQueue({ databaseUrl: config.databaseUrl!, shardTimeoutS: config.batchShardTimeoutS, logger }) : undefined;
      const progress = createRunProgress(ctx.stderr, logger);
      try {
        return await runBatch({
          store, logger, queue, worker: defaultWorkerName(),
          index: async () => {
            const index = await buildIndexFromStore(store, files.thesaurus);
            logger.info(index.stats(), 'index construit');
            return index;
          },
          currentModel: () => currentModel(store, files.model),
          trainIfNewFeedback: values.nightly ? nightlyRetraining({ store, models, settings: trainingSettings(config) }) : undefined,
          onProgress: (p) => progress.update(p),
          writeReports: (run) => writeRunReports({ store, geography, reportsDir: config.reportsDir, goodScore: config.reportGoodScore }, run),
        }, {
          asOf, k, shardSize: config.batchShardSize, keepRuns: config.batchKeepRuns, trigger: values.nightly ? 'nightly' : 'cli',
          mode: values.queue ? 'queue' : 'local', shardDelayMs: config.batchShardDelayMs,
        });
      } finally {
        progress.stop();
        await queue?.stop();
      }
    });
    ctx.stdout.write(formatSummary(outcome, config.reportsDir));
    return EXIT.ok;
  },
};

const fr = (n: number) => Math.round(n).toLocaleString('fr-FR');

export function formatSummary({ run, summary, resumed, reportsAt }: BatchOutcome, reportsDir: string): string {
  const regions = Object.entries(summary.resultsByRegion).map(([r, n]) => `${r} : ${fr(n)}`).join(' · ');
  return [
    `Calcul n° ${run.id} terminé${resumed ? ' (repris après interruption)' : ''} — au ${run.asOf}, top ${run.k}, modèle ${run.modelVersion}`,
    `  durée            ${(summary.durationMs / 1000).toFixed(1)} s`,
    `  fiches classées  ${fr(summary.queries)} (${fr(summary.queriesPerSecond)} par seconde)`,
    `  paires notées    ${fr(summary.pairsScored)} (${fr(summary.pairsPerSecond)} par seconde)`,
    `  tranches         ${fr(summary.shards)}, écrites par ${summary.workers} processus`,
    `  par région       ${regions || '—'}`,
    reportsAt ? `  rapports         ${reportsDir.replace(/\/$/, '')}/${reportsAt}/ (national et par région : .html, .csv, .json)` : '',
  ].filter(Boolean).join('\n') + '\n';
}

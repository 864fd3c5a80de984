/** `passerelles rankings purge [--days N]`: removes the logged rankings older than the retention period. */
import { purgeRankings } from '../../feedback/feedback.loop.ts';
import { invalid } from '../../domain/errors.ts';
import { intOption, parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

export const rankingsCommand: Command = {
  name: 'rankings',
  summary: 'Journal des classements servis : purger les plus anciens.',
  help: `Usage : passerelles rankings purge [--days N]

Supprime les classements servis (et leurs éléments) plus anciens que N jours ; par défaut
PASSERELLES_RANKING_RETENTION_DAYS. Les avis qui les citent sont gardés. Le service fait aussi
cette purge à chaque démarrage.
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('rankings', args, { days: { type: 'string' } });
    const [action, ...extra] = positionals;
    if (action !== 'purge' || extra.length > 0) {
      throw invalid('cli.bad_arguments', `rankings : action attendue purge${action && action !== 'purge' ? `, reçu « ${action} »` : ''} (voir passerelles rankings --help).`);
    }
    const days = intOption('rankings purge', 'days', values.days, ctx.config.rankingRetentionDays);
    const purged = await ctx.withStore((store) => purgeRankings(store, days, new Date()));
    ctx.stdout.write(`classements : ${purged} supprimé(s), servis il y a plus de ${days} jour(s)\n`);
    return EXIT.ok;
  },
};

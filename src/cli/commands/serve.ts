/** `passerelles serve`: runs the service (src/service) until SIGTERM or SIGINT. */
import { invalid } from '../../domain/errors.ts';
import { runService } from '../../service/service.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Démarre le service HTTP (API, documentation, santé, métriques)',
  help: `Usage : passerelles serve

Démarre le service HTTP de Passerelles sur HOST:PORT (défaut 127.0.0.1:3000). Le port est ouvert
d'abord : /healthz répond 200 tout de suite, /readyz 503 avec l'étape du chargement jusqu'à ce que
le service soit prêt ; l'index est rechargé depuis son instantané (PASSERELLES_INDEX_SNAPSHOT) quand
il correspond au code et au thésaurus, puis rattrapé. Sans DATABASE_URL,
la base embarquée est conservée dans PASSERELLES_DATA_DIR (défaut ./.data) ; au premier démarrage,
si la base est vide, les données de démonstration sont chargées (PASSERELLES_DEMO_DATA=false pour
ne pas le faire). Pendant qu'il tourne, les autres commandes (import, match, keys…) utilisent la
même base embarquée à travers lui (socket local PASSERELLES_DATA_DIR.sock, réservé à cet
utilisateur) ; ce qu'elles écrivent entre aussitôt dans son index. Le modèle de classement est le
modèle courant du registre (au premier démarrage, le modèle par défaut de models/) ; un modèle promu
(passerelles models promote, passerelles train) est adopté sans redémarrer, dans les
PASSERELLES_MODEL_POLL_SECONDS secondes. Les classements plus anciens que
PASSERELLES_RANKING_RETENTION_DAYS sont purgés au démarrage. Arrêt propre sur SIGTERM ou SIGINT
(Ctrl-C) : le journal des classements est vidé.
`,
  async run(args, ctx) {
    const { positionals } = parseCommandArgs('serve', args, {});
    if (positionals.length > 0) throw invalid('cli.bad_arguments', `serve : argument inattendu « ${positionals[0]} » (la configuration passe par les variables d’environnement : passerelles --help).`);
    await runService({ config: ctx.config, logger: ctx.logger, stdout: ctx.stdout });
    return EXIT.ok;
  },
};

/**
 * `passerelles` command line: dispatches to one command per file under ./commands.
 * Logs go to stderr (pino), results to stdout.
 */
import { describeConfig, loadConfig } from '../config/config.ts';
import { createLogger } from '../config/logger.ts';
import { openStore } from '../db/open.ts';
import { isPasserellesError } from '../domain/errors.ts';
import type { CliContext, Command } from './command.ts';
import { EXIT } from './command.ts';
import { commands } from './commands/index.ts';

const usage = (list: readonly Command[]) => `Passerelles — mise en relation des structures de l'ESS et des ressources de La Poste.

Usage : passerelles <commande> [options]   (passerelles <commande> --help pour le détail)

Commandes :
${list.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Configuration (variables d'environnement) :
${describeConfig()}
`;

export async function main(argv: string[], io: Partial<Pick<CliContext, 'stdout' | 'stderr'>> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(usage(commands));
    return name ? EXIT.ok : EXIT.fatal;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    stderr.write(`Commande inconnue : « ${name} ». Commandes : ${commands.map((c) => c.name).join(', ')}.\n`);
    return EXIT.fatal;
  }
  if (args.includes('--help') || args.includes('-h')) {
    stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return EXIT.ok;
  }
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const ctx: CliContext = {
      config, logger, stdout, stderr,
      async withStore(fn) {
        const store = await openStore({
          databaseUrl: config.databaseUrl, dataDir: config.dataDir,
          onWait: (pid) => stderr.write(`Le service (PID ${pid}) démarre et ouvre la base embarquée : la commande attend qu’il la partage…\n`),
        });
        try { return await fn(store); } finally { await store.close(); }
      },
    };
    return await command.run(args, ctx);
  } catch (e) {
    stderr.write(`${formatError(e)}\n`);
    return EXIT.fatal;
  }
}

export function formatError(e: unknown): string {
  if (isPasserellesError(e)) return `Erreur [${e.code}] : ${e.message}`;
  return `Erreur inattendue : ${(e as Error)?.message ?? String(e)}`;
}

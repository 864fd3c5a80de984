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

/** Commands that load the rest of the code themselves, when they need it: `serve` binds its port first. */
const LIGHT: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
};
const allCommands = async (): Promise<readonly Command[]> => (await import('./commands/index.ts')).commands;

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
    stdout.write(usage(await allCommands()));
    return name ? EXIT.ok : EXIT.fatal;
  }
  const command = Object.hasOwn(LIGHT, name) ? await LIGHT[name]() : (await allCommands()).find((c) => c.name === name);
  if (!command) {
    const names = (await allCommands()).map((c) => c.name).join(', ');
    stderr.write(`Commande inconnue : « ${name} ». Commandes : ${names}.\n`);
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

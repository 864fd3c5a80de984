/** `passerelles seed`: generated demo data (deterministic), imported or written as JSON Lines files. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { OPERATOR } from '../../access/access.policy.ts';
import { actorOf } from '../../audit/audit.repository.ts';
import { loadGeography } from '../../geo/geography.ts';
import { DEFAULT_SEED, generateResources, generateStructures } from '../../../seed/generator.ts';
import { seedCases, seedGenerated } from '../../../seed/demo.ts';
import { intOption, parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

export const seedCommand: Command = {
  name: 'seed',
  summary: 'Données de démonstration réalistes (générateur déterministe et cas écrits à la main)',
  help: `Usage : passerelles seed [--structures N] [--resources M] [--seed S] [--cases] [--out DOSSIER]

Génère N structures de l'ESS et M ressources de La Poste (textes français du domaine, communes
tirées selon leur population, toutes les formes juridiques et tous les piliers). Même graine,
mêmes données. Sans --out, les importe dans la base (comme « passerelles import ») ; avec --out,
écrit DOSSIER/structures.jsonl et DOSSIER/resources.jsonl au format du contrat de données.

Options :
  --structures N   nombre de structures (défaut 3000)
  --resources M    nombre de ressources (défaut 1500)
  --seed S         graine du générateur (défaut ${DEFAULT_SEED})
  --cases          importer aussi les cas écrits à la main (seed/cases)
  --out DOSSIER    écrire des fichiers au lieu d'importer
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs('seed', args, {
      structures: { type: 'string' }, resources: { type: 'string' }, seed: { type: 'string' },
      cases: { type: 'boolean' }, out: { type: 'string' },
    });
    const options = {
      structures: intOption('seed', 'structures', values.structures, 3000, 0),
      resources: intOption('seed', 'resources', values.resources, 1500, 0),
      seed: intOption('seed', 'seed', values.seed, DEFAULT_SEED, 0),
    };
    const geography = loadGeography();
    if (values.out) {
      await mkdir(values.out, { recursive: true });
      const opts = { ...options, communes: geography.communes() };
      await writeLines(join(values.out, 'structures.jsonl'), generateStructures(opts));
      await writeLines(join(values.out, 'resources.jsonl'), generateResources(opts));
      ctx.stdout.write(`${options.structures} structures et ${options.resources} ressources écrites dans ${values.out}\n`);
      return EXIT.ok;
    }
    return ctx.withStore(async (store) => {
      const deps = { store, geography, logger: ctx.logger, actor: actorOf(OPERATOR) };
      const cases = values.cases ? await seedCases(deps) : {};
      const { structures, resources } = await seedGenerated(deps, options);
      const line = (what: string, s: { inserted: number; updated: number; unchanged: number; rejected: number }) =>
        `${what} : ${s.inserted} insérées, ${s.updated} mises à jour, ${s.unchanged} inchangées, ${s.rejected} rejetées\n`;
      if (cases.structure) ctx.stdout.write(line('cas (structures)', cases.structure));
      if (cases.resource) ctx.stdout.write(line('cas (ressources)', cases.resource));
      ctx.stdout.write(line('structures', structures));
      ctx.stdout.write(line('ressources', resources));
      return structures.rejected + resources.rejected > 0 ? EXIT.rejected : EXIT.ok;
    });
  },
};

async function writeLines(path: string, records: Iterable<object>): Promise<void> {
  const out = createWriteStream(path);
  for (const r of records) if (!out.write(`${JSON.stringify(r)}\n`)) await new Promise<void>((res) => { out.once('drain', () => res()); });
  out.end();
  await finished(out);
}

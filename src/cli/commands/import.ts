/**
 * `passerelles import structures|resources FILE [--format jsonl|csv]`: a thin edge over
 * `importRecords`. It opens the file, prints each reject on stderr and appends it to
 * FILE.rejects.jsonl, shows a progress bar when stderr is a terminal, and ends with one summary
 * line on stdout. Exit code 0 when every record was imported, 2 when some were rejected,
 * 1 on a fatal error (the database is then left as it was).
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { OPERATOR } from '../../access/access.policy.ts';
import { actorOf } from '../../audit/audit.repository.ts';
import { invalid, isPasserellesError, PasserellesError } from '../../domain/errors.ts';
import type { EntityKind } from '../../domain/types.ts';
import { loadGeography } from '../../geo/geography.ts';
import {
  createProgressBar, formatReject, importRecords,
  type ImportFormat, type ImportSummary, type ProgressBar, type Reject,
} from '../../importer/index.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type CliContext, type Command } from '../command.ts';

const help = `passerelles import — importer des structures de l’ESS ou des ressources de La Poste

  passerelles import structures FICHIER [--format jsonl|csv]
  passerelles import resources  FICHIER [--format jsonl|csv]

Le fichier suit le contrat de données v1 : JSON Lines (un objet par ligne) ou CSV avec une ligne
d’en-tête (listes séparées par |, booléens true/false, cellule vide = champ absent ; séparateur
virgule, ou point-virgule s’il domine dans l’en-tête). Le format se déduit de l’extension
(.jsonl, .ndjson, .json → jsonl ; .csv → csv) ou se donne avec --format. UTF-8 obligatoire
(BOM et fins de ligne CRLF acceptés).

Chaque enregistrement est mis à jour ou créé selon son id ; un enregistrement identique à celui
en base n’est pas réécrit. Un enregistrement invalide est rejeté : il est signalé sur la sortie
d’erreur (fichier:ligne, champ, raison) et écrit avec ses raisons dans FICHIER.rejects.jsonl ;
les enregistrements valides sont importés quand même. L’import est atomique : en cas d’erreur
fatale, la base reste telle qu’elle était. Un enregistrement archivé présent dans le fichier
est réactivé.

Codes de sortie : 0 tout est importé, 2 des enregistrements ont été rejetés, 1 erreur fatale
(fichier illisible ou pas en UTF-8, base injoignable).
`;

const KINDS: Record<string, EntityKind> = { structures: 'structure', resources: 'resource' };
const LABELS: Record<EntityKind, string> = { structure: 'structures', resource: 'ressources' };
const EXTENSIONS: Record<string, ImportFormat> = { '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'jsonl', '.csv': 'csv' };
/** Rejects printed on stderr before the rest are only written to the rejects file. */
const MAX_PRINTED = 100;

export function chooseFormat(file: string, option: string | undefined): ImportFormat {
  if (option !== undefined) {
    if (option === 'jsonl' || option === 'csv') return option;
    throw invalid('cli.bad_arguments', `import : --format attend jsonl ou csv, reçu « ${option} ».`);
  }
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (!format) {
    throw invalid('cli.bad_arguments',
      `import : extension de « ${file} » non reconnue (.jsonl, .ndjson, .json ou .csv) ; précisez --format jsonl ou --format csv.`);
  }
  return format;
}

/** Opens the file to import, with a message naming it when it cannot be read. */
export async function openInput(file: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'fichier introuvable' : code === 'EACCES' ? 'lecture non autorisée' : (e as Error).message;
    throw new PasserellesError('import.unreadable', `Lecture impossible de « ${file} » : ${why}.`, 400, { source: file });
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new PasserellesError('import.unreadable', `Lecture impossible de « ${file} » : c’est un dossier.`, 400, { source: file });
  }
  return { handle, size: stat.size };
}

/**
 * Rejects go to stderr (the first MAX_PRINTED) and to FILE.rejects.jsonl, created on the first one.
 * `format` gives the lines printed for one reject (the importer's by default).
 */
export function rejectsSink<R = Reject>(
  path: string, stderr: NodeJS.WritableStream, bar?: ProgressBar,
  format: (reject: R) => string[] = formatReject as unknown as (reject: R) => string[],
) {
  let out: WriteStream | undefined;
  let failure: Error | undefined;
  let count = 0;
  const check = () => {
    if (failure) {
      throw new PasserellesError('import.rejects_unwritable',
        `Écriture impossible du fichier des rejets « ${path} » : ${failure.message}`, 500, { path });
    }
  };
  const settle = (p: Promise<unknown>) => p.then(() => {}, () => {});
  /** Opens the file and waits until it is open, so that an unwritable folder fails the import before it commits. */
  const create = async () => {
    const stream = createWriteStream(path, { flags: 'w' });
    stream.on('error', (e) => { failure = e; });
    await settle(once(stream, 'open'));
    return stream;
  };
  return {
    async add(reject: R) {
      count += 1;
      bar?.clear();
      if (count <= MAX_PRINTED) stderr.write(`${format(reject).join('\n')}\n`);
      else if (count === MAX_PRINTED + 1) stderr.write(`… rejets suivants non affichés : voir ${path}\n`);
      out ??= await create();
      check();
      if (!out.write(`${JSON.stringify(reject)}\n`)) await settle(Promise.race([once(out, 'drain'), once(out, 'close')]));
      check();
    },
    /** Closes the rejects file, or removes one left by an earlier run when there was no reject. */
    async finish() {
      if (!out) return rm(path, { force: true });
      if (!out.destroyed) await settle(new Promise((done) => out!.end(done)));
      check();
    },
    /** After a fatal error: the import did not happen, its partial rejects file goes too. */
    async discard() {
      if (out && !out.destroyed) await settle(new Promise((done) => out!.end(done)));
      await rm(path, { force: true });
    },
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(kind: EntityKind, s: Omit<ImportSummary, 'runId'>, rejectsPath: string): string {
  const counts = `${plural(s.inserted, 'insérée')}, ${s.updated} ${s.updated === 1 ? 'mise' : 'mises'} à jour, `
    + `${plural(s.unchanged, 'inchangée')}, ${plural(s.rejected, 'rejetée')}`;
  if (s.total === 0) return `${LABELS[kind]} : fichier vide, aucun enregistrement à importer (${counts})`;
  return `${LABELS[kind]} : ${counts}${s.rejected > 0 ? ` (voir ${rejectsPath})` : ''}`;
}

/** Errors that do not say which file was being imported (database down…) get its name. */
function namingFile(e: unknown, file: string): unknown {
  if (isPasserellesError(e) && (e.code.startsWith('import.') || (e.details as { source?: unknown } | undefined)?.source === file)) return e;
  const message = isPasserellesError(e) ? e.message : (e as Error)?.message ?? String(e);
  const code = isPasserellesError(e) ? e.code : 'import.failed';
  return new PasserellesError(code, `Import de « ${file} » impossible, base inchangée : ${message}`, 500, { source: file });
}

async function runImport(ctx: CliContext, kind: EntityKind, file: string, format: ImportFormat): Promise<number> {
  const { handle, size } = await openInput(file);
  const rejectsPath = `${file}.rejects.jsonl`;
  const bar = ctx.stderr.isTTY ? createProgressBar(ctx.stderr, size) : undefined;
  const rejects = rejectsSink(rejectsPath, ctx.stderr, bar);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let summary: ImportSummary;
  try {
    const geography = loadGeography();
    // Its log lines (each batch written) only at LOG_LEVEL=debug: stdout and stderr say the rest.
    const logger = ctx.logger.isLevelEnabled('debug') ? ctx.logger : undefined;
    summary = await ctx.withStore((store) => importRecords({ store, geography, logger }, {
      kind, format, source: handle.createReadStream({ autoClose: false }), sourceName: file, actor: actorOf(OPERATOR),
      onReject: (r) => rejects.add(r), onProgress: bar && ((p) => bar.update(p)), signal: abort.signal,
    }));
  } catch (e) {
    bar?.clear();
    await rejects.discard();
    throw namingFile(e, file);
  } finally {
    process.removeListener('SIGINT', onSigint);
    await handle.close();
  }
  bar?.clear();
  await rejects.finish();
  ctx.stdout.write(`${summaryLine(kind, summary, rejectsPath)}\n`);
  return summary.rejected > 0 ? EXIT.rejected : EXIT.ok;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Importer des structures ou des ressources (JSON Lines ou CSV, contrat de données v1).',
  help,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('import', args, { format: { type: 'string' } });
    const [what, file, ...extra] = positionals;
    const kind = what === undefined ? undefined : KINDS[what];
    if (!kind) {
      throw invalid('cli.bad_arguments', `import : précisez structures ou resources${what ? `, reçu « ${what} »` : ''} (voir passerelles import --help).`);
    }
    if (!file) throw invalid('cli.bad_arguments', `import ${what} : précisez le fichier à importer.`);
    if (extra.length > 0) throw invalid('cli.bad_arguments', `import : argument inattendu « ${extra[0]} ».`);
    return runImport(ctx, kind, file, chooseFormat(file, values.format));
  },
};

/**
 * `passerelles keys create|list|revoke`: API keys of the HTTP API. `create` prints the key alone on
 * stdout (once: only its hash is stored), so that `KEY=$(passerelles keys create …)` works; what was
 * created is told on stderr.
 */
import { OPERATOR } from '../../access/access.policy.ts';
import { createKeys, DEFAULT_KEY_LIFETIME_DAYS } from '../../keys/keys.usecases.ts';
import { invalid, isPasserellesError } from '../../domain/errors.ts';
import { loadGeography } from '../../geo/geography.ts';
import { dateOption, parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

const help = `passerelles keys — clés d’API du service HTTP

  passerelles keys create --role admin|delegate|structure [--region 53 --region 76]
                          [--structure ID] [--label TEXTE] [--expires AAAA-MM-JJ]
      Crée une clé et l’affiche UNE seule fois sur la sortie standard (seule son empreinte
      sha-256 est conservée). Un délégué a une ou plusieurs régions (codes INSEE : 53 Bretagne,
      76 Occitanie…) ; une clé de structure nomme une structure existante. Sans --expires, la clé
      vaut ${DEFAULT_KEY_LIFETIME_DAYS} jours ; avec, elle vaut jusqu’à la fin de ce jour (UTC).
      Fonctionne aussi pendant que « passerelles serve » tourne sur la base embarquée : la
      commande passe alors par le service (les suivantes peuvent aussi se créer par POST /api/v1/keys).

  passerelles keys list [--json]
      Liste les clés (jamais la clé elle-même) : id, rôle, périmètre, état, dates.

  passerelles keys revoke ID
      Révoque une clé : elle est refusée (401) dès la requête suivante.
`;

/** The options of `keys create` behind the fields of a key request. */
const FLAGS: Record<string, string> = { role: '--role', regions: '--region', structure_id: '--structure', label: '--label', expires: '--expires' };

/** A refused key request, each reason naming its option (the API gives the same reasons per field). */
function withFlags(e: unknown): unknown {
  if (!isPasserellesError(e) || e.code !== 'keys.invalid' || !Array.isArray(e.details)) return e;
  const reasons = (e.details as { path: string; message: string }[])
    .map((d) => `${FLAGS[d.path.split('.')[0]] ?? d.path} : ${d.message.replace(/\.$/, '')}`);
  return invalid('keys.invalid', `keys create : clé non créée — ${reasons.join(' ; ')}.`, e.details);
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Créer, lister et révoquer les clés d’API (rôles admin, delegate, structure).',
  help,
  async run(args, ctx) {
    const [action, ...rest] = args;
    const now = new Date();
    if (action === 'create') {
      const { values, positionals } = parseCommandArgs('keys create', rest, {
        role: { type: 'string' },
        region: { type: 'string', multiple: true },
        structure: { type: 'string' },
        label: { type: 'string' },
        expires: { type: 'string' },
      });
      if (positionals.length > 0) throw invalid('cli.bad_arguments', `keys create : argument inattendu « ${positionals[0]} ».`);
      const expires = dateOption('keys create', 'expires', values.expires);
      const geography = loadGeography();
      return ctx.withStore(async (store) => {
        const { key, record } = await createKeys({ store, geography, now: () => now }).create(OPERATOR, {
          role: values.role, regions: values.region ?? [], structure_id: values.structure, label: values.label ?? '', expires,
        }).catch((e: unknown) => { throw withFlags(e); });
        ctx.stdout.write(`${key}\n`);
        const scope = record.role === 'delegate'
          ? ` ; régions ${record.regions.map((c) => `${c} (${geography.region(c)?.name ?? '?'})`).join(', ')}`
          : record.role === 'structure' ? ` ; structure ${record.structureId}` : '';
        ctx.stderr.write(`Clé ${record.id} créée : rôle ${record.role}${scope} ; expire le ${record.expiresAt?.toISOString().slice(0, 10)}.\n`
          + 'Conservez-la maintenant : elle ne sera plus jamais affichée.\n');
        return EXIT.ok;
      });
    }
    if (action === 'list') {
      const { values } = parseCommandArgs('keys list', rest, { json: { type: 'boolean' } });
      return ctx.withStore(async (store) => {
        const use = createKeys({ store, geography: loadGeography(), now: () => now });
        const keys = (await use.list(OPERATOR)).map(use.describe);
        if (values.json) {
          for (const k of keys) ctx.stdout.write(`${JSON.stringify(k)}\n`);
          return EXIT.ok;
        }
        if (keys.length === 0) { ctx.stderr.write('Aucune clé.\n'); return EXIT.ok; }
        const rows = keys.map((k) => [
          k.id, k.role, k.role === 'delegate' ? `régions ${k.regions.join(',')}` : k.structure_id ?? 'tout',
          k.status, k.created_at.slice(0, 10), k.expires_at?.slice(0, 10) ?? '—', k.label,
        ]);
        const header = ['id', 'rôle', 'périmètre', 'état', 'créée', 'expire', 'libellé'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        for (const r of [header, ...rows]) ctx.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
        return EXIT.ok;
      });
    }
    if (action === 'revoke') {
      const { positionals } = parseCommandArgs('keys revoke', rest, {});
      if (positionals.length !== 1) throw invalid('cli.bad_arguments', 'keys revoke : un identifiant de clé attendu (voir keys list).');
      return ctx.withStore(async (store) => {
        const revoked = await createKeys({ store, geography: loadGeography(), now: () => now }).revoke(OPERATOR, positionals[0]);
        ctx.stderr.write(`Clé ${revoked.id} révoquée le ${revoked.revokedAt?.toISOString()}.\n`);
        return EXIT.ok;
      });
    }
    throw invalid('cli.bad_arguments', `keys : action attendue create, list ou revoke${action ? `, reçu « ${action} »` : ''}.`);
  },
};

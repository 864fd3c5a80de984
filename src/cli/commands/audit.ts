/**
 * `passerelles audit`: the audit trail (who changed what, and when), newest first, with the
 * filters and the cursor of GET /api/v1/audit. The command line reads it as the operator.
 */
import { OPERATOR } from '../../access/access.policy.ts';
import { actorLabel, AUDIT_ACTION_LABELS, AUDIT_KIND_LABELS, detailsSummary } from '../../audit/audit.describe.ts';
import { AUDIT_ACTIONS, AUDIT_RECORD_KINDS } from '../../audit/audit.repository.ts';
import { auditListQuerySchema, createAudit, describeAuditEntry } from '../../audit/audit.usecases.ts';
import { invalid, isPasserellesError } from '../../domain/errors.ts';
import { parseWith } from '../../domain/validation.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

const help = `passerelles audit — journal des actions : qui a créé, modifié, archivé, importé,
exporté, promu ou révoqué quoi, et quand (du plus récent au plus ancien)

  passerelles audit [--actor ID] [--action ACTION] [--kind TYPE] [--id ID]
                    [--from AAAA-MM-JJ] [--to AAAA-MM-JJ] [--limit 100] [--cursor C] [--json]

  --actor ID     une clé (key_…), ou operateur pour la ligne de commande
  --action A     ${AUDIT_ACTIONS.join(', ')}
  --kind TYPE    ${AUDIT_RECORD_KINDS.join(', ')}
  --id ID        un enregistrement (structure, ressource, clé, version de modèle)
  --from, --to   à partir de (inclus), avant (exclu) : AAAA-MM-JJ ou instant ISO 8601
  --limit N      entrées par page (1 à 500, défaut 100)
  --cursor C     la page suivante (le curseur est écrit à la fin de la page précédente)
  --json         une ligne JSON par entrée, comme l’API (le curseur suivant sur la sortie d’erreur)

Le journal est conservé sans limite de durée. Il ne contient jamais de clé, d’empreinte de clé
ni de valeur de champ : les noms des champs changés, les comptes d’un import, les versions.
`;

/** The option behind each query field, to name it in an error. */
const FLAGS: Record<string, string> = {
  actor_id: '--actor', action: '--action', record_kind: '--kind', record_id: '--id', from: '--from', to: '--to', limit: '--limit', cursor: '--cursor',
};

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Journal des actions : qui a changé quoi, et quand.',
  help,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('audit', args, {
      actor: { type: 'string' }, action: { type: 'string' }, kind: { type: 'string' }, id: { type: 'string' },
      from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' }, json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw invalid('cli.bad_arguments', `audit : argument inattendu « ${positionals[0]} ».`);
    let query;
    try {
      query = parseWith(auditListQuerySchema, Object.fromEntries(Object.entries({
        actor_id: values.actor, action: values.action, record_kind: values.kind, record_id: values.id,
        from: values.from, to: values.to, limit: values.limit, cursor: values.cursor,
      }).filter(([, v]) => v !== undefined)));
    } catch (e) {
      if (!isPasserellesError(e) || !Array.isArray(e.details)) throw e;
      const reasons = (e.details as { path: string; message: string }[]).map((d) => `${FLAGS[d.path] ?? d.path} : ${d.message}`);
      throw invalid('cli.bad_arguments', `audit : ${reasons.join(' ; ')} (voir passerelles audit --help).`, e.details);
    }
    return ctx.withStore(async (store) => {
      const page = await createAudit({ store }).list(OPERATOR, query);
      if (values.json) {
        for (const e of page.items) ctx.stdout.write(`${JSON.stringify(describeAuditEntry(e))}\n`);
      } else if (page.items.length === 0) {
        ctx.stderr.write('Aucune action enregistrée pour ces filtres.\n');
      } else {
        const rows = page.items.map((e) => [
          e.at.toISOString().slice(0, 19).replace('T', ' '), actorLabel(e.actor), AUDIT_ACTION_LABELS[e.action],
          e.recordId ? `${AUDIT_KIND_LABELS[e.recordKind]} ${e.recordId}` : `${AUDIT_KIND_LABELS[e.recordKind]}s`, detailsSummary(e),
        ]);
        const header = ['quand (UTC)', 'qui', 'action', 'quoi', 'détail'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        for (const r of [header, ...rows]) ctx.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()}\n`);
      }
      if (page.nextCursor) ctx.stderr.write(`Page suivante : passerelles audit … --cursor ${page.nextCursor}\n`);
      return EXIT.ok;
    });
  },
};

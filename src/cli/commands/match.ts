/** `passerelles match --structure ID | --resource ID`: ranked, explained matches on the terminal or as JSON. */
import type { ServedList } from '../../feedback/serving.ts';
import { OPERATOR } from '../../access/access.policy.ts';
import { MAX_LIMIT, DEFAULT_LIMIT } from '../../matching/matching.request.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { matchQueryOf, withServing } from '../matching.ts';
import { invalid } from '../../domain/errors.ts';

export const matchCommand: Command = {
  name: 'match',
  summary: 'Correspondances classées et expliquées pour une structure ou une ressource',
  help: `Usage : passerelles match (--structure ID | --resource ID) [options]

Classe les ressources de La Poste pour une structure de l'ESS (--structure), ou les structures
pour une ressource (--resource), et explique chaque correspondance. Chaque classement est journalisé
(son numéro est affiché : les avis le citent) ; --json le donne dans ranking_id.

Options :
  --structure ID     identifiant de la structure
  --resource ID      identifiant de la ressource
  --limit N          nombre de résultats (défaut ${DEFAULT_LIMIT}, max ${MAX_LIMIT})
  --as-of AAAA-MM-JJ date de référence des disponibilités (défaut : aujourd'hui)
  --explain          détail de chaque caractéristique, mots en commun, raisons
  --excluded         montrer aussi les paires exclues par une contrainte dure ou écartées par
                     les avis de l'opérateur, et pourquoi
  --json             sortie JSON (une liste) au lieu du texte
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs('match', args, {
      structure: { type: 'string' }, resource: { type: 'string' }, limit: { type: 'string' },
      'as-of': { type: 'string' }, explain: { type: 'boolean' }, excluded: { type: 'boolean' }, json: { type: 'boolean' },
    });
    if (!values.structure === !values.resource) {
      throw invalid('cli.bad_arguments', 'match : indiquez soit --structure ID, soit --resource ID.');
    }
    const query = matchQueryOf('match', { ...values, explain: values.explain === true || values.json !== true });
    const list = await withServing(ctx, (serving) => (values.structure
      ? serving.forStructure(values.structure, query, OPERATOR)
      : serving.forResource(values.resource!, query, OPERATOR)));
    const { rankingId, ...rest } = list;
    ctx.stdout.write(values.json ? `${JSON.stringify({ ranking_id: rankingId, ...rest }, null, 2)}\n` : formatList(list, values.explain === true));
    return EXIT.ok;
  },
};

export function formatList(list: ServedList, detailed: boolean): string {
  const what = list.query.kind === 'structure' ? 'Ressources pour la structure' : 'Structures pour la ressource';
  const lines = [`${what} ${list.query.id} (au ${list.asOf}, modèle ${list.modelVersion}) :`,
    `  classement ${list.rankingId ?? 'non journalisé (journal saturé)'}`];
  const left = list.excludedByFeedback + list.excludedByWeeklyLimit;
  if (left > 0) lines.push(`  ${left} écartée(s) par vos avis (--excluded pour les voir)`);
  if (list.results.length === 0) lines.push('  aucune correspondance.');
  for (const r of list.results) {
    const flags = `${r.excluded ? '  [EXCLUE]' : ''}${r.hiddenByFeedback ? `  [ÉCARTÉE : ${r.hiddenByFeedback}]` : ''}${r.partnership ? '  [PARTENARIAT]' : ''}`;
    lines.push(`${String(r.rank).padStart(3)}. ${r.score.toFixed(3)}  ${r.id}  ${r.label}${flags}`);
    const e = r.explanation;
    if (!e) continue;
    lines.push(`       ${e.reasons.join(' · ')}`);
    if (e.exclusions.length > 0) lines.push(`       exclue : ${e.exclusions.join(' ; ')}`);
    if (detailed) {
      lines.push(`       ${e.features.map((f) => `${f.name}=${f.value.toFixed(2)}×${f.weight}`).join('  ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

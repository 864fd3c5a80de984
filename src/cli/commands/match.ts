/** `passerelles match --structure ID | --resource ID`: ranked, explained matches on the terminal or as JSON. */
import type { MatchList } from '../../engine/types.ts';
import { dateOption, intOption, MAX_RESULTS, parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { withEngine } from '../engine-context.ts';
import { invalid } from '../../domain/errors.ts';

export const matchCommand: Command = {
  name: 'match',
  summary: 'Correspondances classées et expliquées pour une structure ou une ressource',
  help: `Usage : passerelles match (--structure ID | --resource ID) [options]

Classe les ressources de La Poste pour une structure de l'ESS (--structure), ou les structures
pour une ressource (--resource), et explique chaque correspondance.

Options :
  --structure ID     identifiant de la structure
  --resource ID      identifiant de la ressource
  --limit N          nombre de résultats (défaut 10, max 200)
  --as-of AAAA-MM-JJ date de référence des disponibilités (défaut : aujourd'hui)
  --explain          détail de chaque caractéristique, mots en commun, raisons
  --excluded         montrer aussi les paires exclues par une contrainte dure, et pourquoi
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
    const options = {
      limit: intOption('match', 'limit', values.limit, 10, 1, MAX_RESULTS),
      asOf: dateOption('match', 'as-of', values['as-of']),
      explain: values.explain === true || values.json !== true,
      includeExcluded: values.excluded === true,
    };
    const list = await withEngine(ctx, (engine) => (values.structure
      ? engine.matchStructure(values.structure, options)
      : engine.matchResource(values.resource!, options)));
    ctx.stdout.write(values.json ? `${JSON.stringify(list, null, 2)}\n` : formatList(list, values.explain === true));
    return EXIT.ok;
  },
};

export function formatList(list: MatchList, detailed: boolean): string {
  const what = list.query.kind === 'structure' ? 'Ressources pour la structure' : 'Structures pour la ressource';
  const lines = [`${what} ${list.query.id} (au ${list.asOf}, modèle ${list.modelVersion}) :`];
  if (list.results.length === 0) lines.push('  aucune correspondance.');
  for (const r of list.results) {
    lines.push(`${String(r.rank).padStart(3)}. ${r.score.toFixed(3)}  ${r.id}  ${r.label}${r.excluded ? '  [EXCLUE]' : ''}`);
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

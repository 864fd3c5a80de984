/**
 * `passerelles feedback import FILE [--format jsonl|csv]`: feedback events from a file, as the
 * API takes them, with the importer's conventions — each reject on stderr (file:line, field,
 * reason) and in FILE.rejects.jsonl, one summary line on stdout, exit 0 all stored (or already
 * there), 2 some rejected, 1 fatal (nothing stored).
 */
import { OPERATOR } from '../../access/access.policy.ts';
import { invalid } from '../../domain/errors.ts';
import { importFeedback, formatFeedbackReject, type FeedbackReject, type FeedbackImportSummary } from '../../feedback/feedback.import.ts';
import { createFeedback } from '../../feedback/feedback.usecases.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { chooseFormat, openInput, rejectsSink } from './import.ts';

const help = `passerelles feedback — avis sur les correspondances

  passerelles feedback import FICHIER [--format jsonl|csv]

Importe des événements d’avis (mêmes champs que POST /api/v1/feedback) : JSON Lines, un objet par
ligne, ou CSV avec une ligne d’en-tête nommant les champs (client_event_id, kind, reason,
reason_text, ranking_id, item_id, structure_id, resource_id, occurred_at ; cellule vide = absent).

  kind : viewed, shortlisted, contacted, partnership, not_interested
  reason (not_interested seulement) : location, eligibility, capacity, not_relevant,
         already_partner, other (avec reason_text)
  Chaque événement désigne un élément d’un classement (ranking_id + item_id) ou une paire
  (structure_id + resource_id).

Un événement déjà reçu (même client_event_id) n’est pas réécrit. Un événement invalide est rejeté :
signalé sur la sortie d’erreur (fichier:ligne, champ, raison) et écrit dans FICHIER.rejects.jsonl ;
les autres sont enregistrés ensemble (tous ou aucun en cas d’erreur fatale). Les événements citant
un classement agissent pour le demandeur de ce classement ; les autres pour l’opérateur.

Codes de sortie : 0 tout est enregistré, 2 des événements ont été rejetés, 1 erreur fatale.
`;

export function feedbackSummary(s: FeedbackImportSummary, rejectsPath: string): string {
  return `avis : ${s.created} enregistré(s), ${s.duplicates} déjà reçu(s), ${s.rejected} rejeté(s)`
    + `${s.rejected > 0 ? ` (voir ${rejectsPath})` : ''}`;
}

export const feedbackCommand: Command = {
  name: 'feedback',
  summary: 'Importer des avis (JSON Lines ou CSV) sur les correspondances proposées.',
  help,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('feedback', args, { format: { type: 'string' } });
    const [action, file, ...extra] = positionals;
    if (action !== 'import') {
      throw invalid('cli.bad_arguments', `feedback : action attendue import${action ? `, reçu « ${action} »` : ''} (voir passerelles feedback --help).`);
    }
    if (!file) throw invalid('cli.bad_arguments', 'feedback import : précisez le fichier à importer.');
    if (extra.length > 0) throw invalid('cli.bad_arguments', `feedback import : argument inattendu « ${extra[0]} ».`);
    const format = chooseFormat(file, values.format);
    const { handle } = await openInput(file);
    const rejectsPath = `${file}.rejects.jsonl`;
    const rejects = rejectsSink<FeedbackReject>(rejectsPath, ctx.stderr, undefined, formatFeedbackReject);
    let summary: FeedbackImportSummary;
    try {
      summary = await ctx.withStore((store) => {
        // No index here: the records an event names are looked up in the store.
        const feedback = createFeedback({ store, index: { getStructure: () => undefined, getResource: () => undefined } });
        return importFeedback(feedback, OPERATOR, {
          format, source: handle.createReadStream({ autoClose: false }), sourceName: file, onReject: (r) => rejects.add(r),
        });
      });
    } catch (e) {
      await rejects.discard();
      throw e;
    } finally {
      await handle.close();
    }
    await rejects.finish();
    ctx.stdout.write(`${feedbackSummary(summary, rejectsPath)}\n`);
    return summary.rejected > 0 ? EXIT.rejected : EXIT.ok;
  },
};

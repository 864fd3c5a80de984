/**
 * `passerelles train`: one night of the feedback loop (src/models/models.train.ts) and its
 * summary in French. Does nothing, and says so, when no feedback arrived since the last training.
 */
import { createModels } from '../../models/models.usecases.ts';
import { readCommittedModel } from '../../models/models.serving.ts';
import { trainingSettings, trainModel } from '../../models/models.train.ts';
import { DEFAULT_MODEL } from '../../matching/matching.models.ts';
import type { TrainingReport } from '../../models/models.report.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));
const signed = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`);
const int = (n: number) => n.toLocaleString('fr-FR');

export function formatTraining(r: TrainingReport, version: string, promoted: boolean, file: string | null): string {
  const p = r.propensities;
  const { candidate, current } = r.heldOut;
  return [
    'Entraînement du modèle de classement',
    `  Retours lus      : ${int(r.events)} événements rattachés à ${int(r.rankings)} classements (${int(r.ignoredEvents)} ignorés), ${int(r.requesters)} demandeurs, ${int(r.pairs)} paires comparées`,
    `  Fenêtre          : ${r.window.from?.slice(0, 10) ?? '—'} → ${r.window.to?.slice(0, 10) ?? '—'} (au plus ${r.window.days} jours)`,
    p.estimated
      ? `  Biais de position: p(k)/p(1) = ${p.values.map((v) => v.toFixed(2)).join(' ')} (estimé sur ${int(p.swaps.reduce((a, b) => a + b, 0))} classements échangés)`
      : '  Biais de position: aucun classement échangé au hasard, pas de correction',
    `  Tenu à part      : ${int(r.split.testEvents)} événements les plus récents (${int(r.split.testRankings)} classements${r.split.cutoff ? ` depuis le ${r.split.cutoff.slice(0, 10)}` : ''})`,
    `  NDCG@10 tenu à part : appris ${f3(candidate.ndcg10)} · courant ${current.version} ${f3(current.ndcg10)} · écart ${signed(r.guard.meanDelta)} (borne basse ${signed(r.guard.lower)}, marge ${r.guard.margin})`,
    `  Décision         : ${r.guard.reason}`,
    `  Version          : ${version} — ${promoted ? 'PROMUE, elle sert désormais' : 'reste candidate'}${file ? ` ; fichier ${file}` : ''}`,
    `  Durée            : ${r.seconds.toFixed(1)} s`,
  ].join('\n') + '\n';
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'Apprend un modèle des retours d’utilisateurs ; le promeut seulement s’il est nettement meilleur',
  help: `Usage : passerelles train [--json]

Apprend une nouvelle version du modèle de classement à partir des classements servis (avec leurs
caractéristiques) et des retours des utilisateurs (vu, retenu, contacté, partenariat, pas intéressé),
en corrigeant le biais de position estimé sur les classements échangés au hasard. Les retours les
plus récents (PASSERELLES_HOLDOUT_SHARE) sont tenus à part : le nouveau modèle ne devient courant que
si son NDCG@10 y dépasse celui du modèle courant d'au moins PASSERELLES_PROMOTION_MARGIN avec une
confiance PASSERELLES_PROMOTION_CONFIDENCE (bootstrap sur les demandeurs) ; sinon il reste candidat,
avec le motif. Sans nouveau retour depuis le dernier entraînement, ne fait rien.

La version est enregistrée en base et écrite dans PASSERELLES_TRAINED_MODELS_DIR (défaut :
PASSERELLES_DATA_DIR/models). Voir « passerelles models » pour promouvoir ou revenir en arrière.

Options :
  --json   le compte rendu en JSON
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs('train', args, { json: { type: 'boolean' } });
    return ctx.withStore(async (store) => {
      const models = createModels({ store, readModelFile: readCommittedModel });
      await models.registerDefault(readCommittedModel(DEFAULT_MODEL)!);
      const outcome = await trainModel({ store, models, settings: trainingSettings(ctx.config) });
      if (values.json) {
        ctx.stdout.write(`${JSON.stringify(outcome.status === 'trained'
          ? { status: outcome.status, version: outcome.version.version, promoted: outcome.promoted, file: outcome.file, report: outcome.report }
          : outcome, null, 2)}\n`);
      } else if (outcome.status === 'trained') {
        ctx.stdout.write(formatTraining(outcome.report, outcome.version.version, outcome.promoted, outcome.file));
      } else {
        ctx.stdout.write(`${outcome.message}\n`);
      }
      return EXIT.ok;
    });
  },
};

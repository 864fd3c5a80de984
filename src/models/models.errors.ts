/** Errors of the model registry and of training, one catalogue for the API and the command line. */
import { PasserellesError } from '../domain/errors.ts';

export const modelErrors = {
  notFound: (version: string) => new PasserellesError('models.not_found',
    `Version de modèle « ${version} » introuvable (voir passerelles models list).`, 404),
  noCurrent: () => new PasserellesError('models.no_current',
    'Aucun modèle courant enregistré : démarrez le service ou lancez une commande de correspondance une fois.', 409),
  alreadyCurrent: (version: string) => new PasserellesError('models.already_current',
    `Le modèle « ${version} » est déjà le modèle courant.`, 409),
  nothingToRollBack: (version: string) => new PasserellesError('models.nothing_to_roll_back',
    `Aucun modèle précédent vers lequel revenir : « ${version} » est le premier modèle courant enregistré.`, 409),
  adminOnly: () => new PasserellesError('auth.forbidden', 'Seul un administrateur gère les versions du modèle.', 403),
  invalidFile: (version: string, message: string) => new PasserellesError('models.invalid',
    `Le modèle « ${version} » enregistré est illisible : ${message}`, 500),
};

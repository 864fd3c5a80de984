/** Errors of the registrations of associations. */
import { PasserellesError } from '../domain/errors.ts';

export const registrationErrors = {
  notFound: (id: string) => new PasserellesError('registrations.not_found', `Demande d’inscription « ${id} » introuvable.`, 404),
  alreadyDecided: (id: string) =>
    new PasserellesError('registrations.already_decided', `La demande « ${id} » a déjà été traitée.`, 409),
  unknownLink: () => new PasserellesError('registrations.unknown_link', 'Lien de suivi inconnu.', 404),
  notApproved: () => new PasserellesError('registrations.not_approved', 'Cette demande n’est pas encore validée.', 409),
  keyAlreadyTaken: () => new PasserellesError('registrations.key_taken',
    'La clé de cette structure a déjà été remise : elle ne s’affiche qu’une fois. Demandez-en une nouvelle à votre délégué.', 409),
};

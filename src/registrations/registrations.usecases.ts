/**
 * An association asks for an account without any key: its structure record is validated by the
 * contract (the same field errors as the API), placed, and kept as a pending request with a
 * follow-up link. A delegate of its région (or an admin) approves it — which creates the
 * structure through the records use case, so it is matchable at once — or rejects it. The
 * association then opens its follow-up link and takes its structure key, shown once: neither the
 * delegate nor the database ever holds the key itself (only hashes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { structureAccess, type Caller } from '../access/access.policy.ts';
import type { Store } from '../db/open.ts';
import { parseWith, invalidRequest, type FieldIssue } from '../domain/validation.ts';
import { isPasserellesError } from '../domain/errors.ts';
import type { Geography } from '../geo/geography.ts';
import { createApiKey } from '../keys/keys.usecases.ts';
import { createKeysRepository } from '../keys/keys.repository.ts';
import type { Records } from '../records/records.usecases.ts';
import { validatePlaced } from '../records/records.validation.ts';
import { registrationErrors } from './registrations.errors.ts';
import { createRegistrationsRepository, type RegistrationRow } from './registrations.repository.ts';

export const contactSchema = z.strictObject({
  contact_name: z.string().trim().min(2, 'indiquez le nom de la personne à contacter').max(200),
  contact_email: z.email('adresse électronique invalide (ex. contact@asso.fr)').max(200),
});

export interface RegistrationsDeps {
  store: Store;
  geography: Geography;
  records: Records;
  now?: () => Date;
}

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export function createRegistrations(deps: RegistrationsDeps) {
  const repository = createRegistrationsRepository(deps.store);
  const now = deps.now ?? (() => new Date());

  /** Admin: all; delegate: its régions; a structure key decides nothing (404, as if absent). */
  function mayDecide(caller: Caller, row: RegistrationRow): boolean {
    return caller.role !== 'structure'
      && structureAccess(caller, 'create', { id: row.record.id, region: row.region }) === 'allow';
  }

  async function loadForDecision(caller: Caller, id: string): Promise<RegistrationRow> {
    const row = await repository.get(id);
    if (!row || !mayDecide(caller, row)) throw registrationErrors.notFound(id);
    if (row.status !== 'pending') throw registrationErrors.alreadyDecided(id);
    return row;
  }

  return {
    /**
     * Validates the structure (without id) and the contact, stores the request; returns it and the
     * follow-up token (shown once: only its hash is kept). Every bad field in one 400.
     */
    async request(structure: unknown, contact: unknown): Promise<{ registration: RegistrationRow; token: string }> {
      const id = `ins-${randomBytes(5).toString('hex')}`;
      const issues: FieldIssue[] = [];
      let placed: ReturnType<typeof validatePlaced<'structure'>> | undefined;
      try {
        placed = validatePlaced('structure', { ...(structure as object), id }, deps.geography);
      } catch (e) {
        if (!isPasserellesError(e)) throw e;
        issues.push(...(e.details as FieldIssue[]));
      }
      let person: z.output<typeof contactSchema> | undefined;
      try { person = parseWith(contactSchema, contact); } catch (e) {
        if (!isPasserellesError(e)) throw e;
        issues.push(...(e.details as FieldIssue[]));
      }
      if (!placed || !person || issues.length > 0) {
        throw invalidRequest(issues, `Demande invalide : ${issues.length} champ${issues.length > 1 ? 's' : ''} à corriger.`);
      }
      const token = randomBytes(24).toString('base64url');
      const registration = await repository.insert({
        id: `reg_${randomBytes(6).toString('hex')}`, record: placed.record, name: placed.record.name,
        commune: placed.place.commune, department: placed.place.department, region: placed.place.region,
        contactName: person.contact_name, contactEmail: person.contact_email, claimHash: hash(token), createdAt: now(),
      });
      return { registration, token };
    },

    /** Requests waiting for this caller's decision (a structure key sees none). */
    pending(caller: Caller): Promise<RegistrationRow[]> {
      if (caller.role === 'structure') return Promise.resolve([]);
      return repository.pending(caller.role === 'admin' ? undefined : caller.regions);
    },

    get: loadForDecision,

    /** Creates the structure (as the deciding caller) and marks the request approved. */
    async approve(caller: Caller, id: string): Promise<RegistrationRow> {
      const row = await loadForDecision(caller, id);
      await deps.records.create(caller, 'structure', row.record);
      const decided = await repository.decide(id, 'approved', caller.keyId, null, now());
      if (!decided) throw registrationErrors.alreadyDecided(id);
      return decided;
    },

    async reject(caller: Caller, id: string, note: string): Promise<RegistrationRow> {
      await loadForDecision(caller, id);
      const decided = await repository.decide(id, 'rejected', caller.keyId, note.trim().slice(0, 500) || null, now());
      if (!decided) throw registrationErrors.alreadyDecided(id);
      return decided;
    },

    /** The request behind a follow-up link. */
    async status(token: string): Promise<RegistrationRow> {
      const row = await repository.byClaim(hash(token));
      if (!row) throw registrationErrors.unknownLink();
      return row;
    },

    /** Once approved, creates the structure key and gives it back, once. */
    async takeKey(token: string): Promise<{ key: string; registration: RegistrationRow }> {
      const row = await repository.byClaim(hash(token));
      if (!row) throw registrationErrors.unknownLink();
      if (row.status !== 'approved') throw registrationErrors.notApproved();
      if (row.keyId) throw registrationErrors.keyAlreadyTaken();
      const keys = createKeysRepository(deps.store);
      const actor = { id: row.id, role: 'inscription' }; // the association, through its follow-up link
      const { key, record } = await createApiKey({
        keys, isRegion: () => true, structureExists: async () => true, now, actor,
      }, { role: 'structure', structure_id: row.record.id, label: `${row.name} (inscription ${row.id})` });
      if (!(await repository.keyTaken(row.id, record.id))) {
        await keys.revoke(record.id, now(), actor);
        throw registrationErrors.keyAlreadyTaken();
      }
      return { key, registration: { ...row, keyId: record.id } };
    },
  };
}

export type Registrations = ReturnType<typeof createRegistrations>;

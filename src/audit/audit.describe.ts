/**
 * An audit entry in French words, for the command line (`passerelles audit`) and the
 * administration page (/admin/journal): who, what, and a one-line summary of the details.
 */
import type { AuditAction, AuditActor, AuditEntry, AuditRecordKind } from './audit.repository.ts';

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'record.created': 'création',
  'record.updated': 'modification',
  'record.archived': 'archivage',
  'records.imported': 'import de fichier',
  'report.exported': 'export de rapport',
  'model.promoted': 'promotion de modèle',
  'model.rolled_back': 'retour au modèle précédent',
  'key.created': 'création de clé',
  'key.revoked': 'révocation de clé',
};

export const AUDIT_KIND_LABELS: Record<AuditRecordKind, string> = {
  structure: 'structure', resource: 'ressource', key: 'clé', model: 'modèle', report: 'rapport',
};

const SYSTEM_ACTORS: Record<string, string> = {
  operateur: 'ligne de commande', entrainement: 'entraînement (garde de promotion)', demarrage: 'démarrage du service',
};

/** « ligne de commande » for the operator, the service's own names, else the key id and its role. */
export function actorLabel(actor: AuditActor): string {
  if (actor.id in SYSTEM_ACTORS) return SYSTEM_ACTORS[actor.id];
  if (actor.role === 'inscription') return `association (demande ${actor.id})`;
  return `${actor.id} (${actor.role})`;
}

const text = (v: unknown) => (v === null || v === undefined ? '—' : String(v));
/** `3 insérés`, `1 inséré`: a count and its participle. */
const count = (v: unknown, word: string) => `${text(v)} ${word}${Number(v) > 1 ? 's' : ''}`;

/** The details in one line: fields changed, an import's counts, a model's versions, a key's scope. */
export function detailsSummary(e: Pick<AuditEntry, 'action' | 'details'>): string {
  const d = e.details;
  switch (e.action) {
    case 'record.updated': {
      const fields = Array.isArray(d.fields) ? (d.fields as string[]) : [];
      return `${fields.length > 0 ? `champs : ${fields.join(', ')}` : 'lieu recalculé'}${d.restored ? ' ; sorti des archives' : ''}`;
    }
    case 'records.imported':
      return `${text(d.source)} : ${count(d.inserted, 'inséré')}, ${text(d.updated)} mis à jour, ${count(d.unchanged, 'inchangé')}, `
        + `${count(d.rejected, 'rejeté')} (import n° ${text(d.run_id)})`;
    case 'model.promoted': return `remplace ${text(d.from)}${d.reason ? ` — ${text(d.reason)}` : ''}`;
    case 'model.rolled_back': return `revient à ${text(d.to)}${d.reason ? ` — ${text(d.reason)}` : ''}`;
    case 'key.created': {
      const regions = Array.isArray(d.regions) && d.regions.length > 0 ? ` ; régions ${(d.regions as string[]).join(', ')}` : '';
      const structure = d.structure_id ? ` ; structure ${text(d.structure_id)}` : '';
      return `rôle ${text(d.role)}${regions}${structure} ; expire ${text(d.expires_at).slice(0, 10)}`;
    }
    case 'report.exported': return `calcul n° ${text(d.run)}, ${text(d.scope)}, format ${text(d.format)}`;
    default: return '';
  }
}

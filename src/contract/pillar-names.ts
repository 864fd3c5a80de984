/**
 * The French names of the pillars (the contract's « Pillars » table: Lieux partagés, Logistique,
 * Mobilités & compétences…) read as their codes in CSV cells, where spreadsheets filled by hand
 * use them. Case, accents, spaces and « & »/« et » do not matter. Codes stay what is stored and
 * answered; a name that is no pillar is left as written, so the contract refuses it as before.
 */
import { PILLAR_LABELS, PILLARS, type Pillar } from '../domain/types.ts';

const key = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/\bet\b/g, '&').replace(/[\s&]+/g, ' ').trim();

const BY_NAME = new Map<string, Pillar>(PILLARS.map((p) => [key(PILLAR_LABELS[p]), p]));

/** The pillar code a cell names (code or French name), else the cell unchanged. */
export const pillarOfName = (text: string): string => BY_NAME.get(key(text)) ?? text;

/** Fields whose CSV cells hold pillars. */
export const PILLAR_FIELDS: Readonly<Record<string, true>> = { needs: true, pillar: true };

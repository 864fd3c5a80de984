/**
 * The period a need text states, against an offer's availability window. Invented phrasings.
 */
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/day.ts';
import { statedPeriod } from '../../src/text/periods.ts';
import { engineOf, resource, structure } from './fixtures.ts';

const day = (iso: string) => dayNumber(iso);

describe('the period a need text states', () => {
  it('reads when the need starts from a month, a season, a semester or a year', () => {
    expect(statedPeriod('Notre convention d’occupation s’arrête en mars 2027.').from).toBe(day('2027-03-01'));
    expect(statedPeriod('Nous ouvrons l’épicerie à la rentrée 2027.').from).toBe(day('2027-09-01'));
    expect(statedPeriod('Démarrage prévu au second semestre 2027.').from).toBe(day('2027-07-01'));
    expect(statedPeriod('Lancement en 2028.').from).toBe(day('2028-01-01'));
  });

  it('reads a deadline after « avant » or « d’ici »', () => {
    const p = statedPeriod('Il faut pouvoir emménager d’ici l’automne 2027.');
    expect(p.by).toBe(day('2027-09-01'));
    expect(p.from).toBeUndefined();
  });

  it('tells a lasting need from a temporary one', () => {
    expect(statedPeriod('Un lieu pour nous installer durablement, avec un bail de neuf ans.').lasting).toBe(true);
    expect(statedPeriod('Un local temporaire pour quelques mois, le temps des travaux.').lasting).toBe(false);
    expect(statedPeriod('Un local pour nos ateliers.')).toEqual({ lasting: false });
  });
});

describe('offers against the stated period', () => {
  const s = structure({ id: 's', need_text: 'Notre bail se termine en septembre 2027 : nous cherchons un local pour nous installer à long terme.' });
  const short = resource({ id: 'r-court', available_until: '2027-04-30' });
  const lateShort = resource({ id: 'r-transitoire', available_from: '2026-10-01', available_until: '2028-03-31' });
  const open = resource({ id: 'r-ouvert', available_from: '2026-09-01' });
  const engine = engineOf([s], [short, lateShort, open]);
  const features = (id: string) => engine.matchStructure('s', { includeExcluded: true, explain: true }).results.find((x) => x.id === id)!;

  it('gives 0 to a window that ends before the need starts, and says so', () => {
    expect(features('r-court').features.need_period).toBe(0);
    expect(features('r-court').explanation!.reasons).toContain('l’offre prend fin avant le début du besoin');
  });

  it('gives 0.3 to a window too short for a lasting need, 1 to an open-ended one', () => {
    expect(features('r-transitoire').features.need_period).toBe(0.3);
    expect(features('r-ouvert').features.need_period).toBe(1);
  });

  it('ignores dates already past on the reference day', () => {
    const past = structure({ id: 's-passe', need_text: 'En janvier 2025 nous avons ouvert un second atelier ; il nous faut un local.' });
    const list = engineOf([past], [short]).matchStructure('s-passe');
    expect(list.results[0].features.need_period).toBe(1);
  });
});

/**
 * Step-free access: only an explicit requirement excludes. Phrasings invented for these tests
 * (none taken from an evaluation set), read with the field vocabulary of models/thesaurus.json.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THESAURUS } from '../../scripts/check-thesaurus.ts';
import { readStepFreeNeed, stepFreeNeed } from '../../src/profiles/access-need.ts';
import { Index } from '../../src/engine/index.ts';
import { matchStructure } from '../../src/engine/engine.ts';
import { loadThesaurus } from '../../src/text/thesaurus.ts';
import { model, request, resource, structure } from './fixtures.ts';

const thesaurus = loadThesaurus(DEFAULT_THESAURUS);
const read = (text: string) => readStepFreeNeed(text, thesaurus);

describe('reading step-free access from the need text', () => {
  it.each([
    'Il nous faut impérativement un local de plain-pied pour nos adhérents en fauteuil roulant.',
    'Le lieu doit être accessible PMR : une partie de nos bénévoles sont à mobilité réduite.',
    'Nos locaux actuels sont au deuxième étage, nous cherchons un rez-de-chaussée accessible aux fauteuils.',
    'Nos locaux actuels ont un ascenseur en panne une semaine sur deux ; il nous faut un accès de plain-pied.',
    'Un local avec une rampe d’accès, il ne faut surtout pas de marches à l’entrée.',
    'Il faut un plain-pied, pas besoin de parking.',
    'Nous cherchons 80 m² de plain-pied, peu importe le quartier.',
    'Un local sans ascenseur, c’est impossible pour nos adhérents.',
    'Plusieurs bénévoles ne peuvent pas monter d’escaliers : il faut un ascenseur ou un accès de plain-pied.',
  ])('hears an ask in « %s »', (text) => {
    expect(read(text)).toBe('asked');
  });

  it.each([
    'Peu importe l’étage, tant que le loyer reste modeste.',
    'L’accès de plain-pied n’est pas indispensable pour nos activités de bureau.',
    'L’accès de plain-pied, pour nous, n’est pas indispensable.',
    'Nous nous contenterons de locaux sans ascenseur.',
    'Pas besoin d’accès PMR : l’atelier ne reçoit pas de public.',
    'Un local à l’étage sans ascenseur nous irait très bien.',
    'L’accessibilité PMR n’est pas un critère pour ce dépôt de matériel.',
    'Un local sans ascenseur, ce n’est pas bloquant pour nous.',
  ])('hears no requirement in « %s »', (text) => {
    expect(read(text)).toBe('waived');
  });

  it.each([
    'Nos locaux actuels ont un ascenseur mais sont devenus trop petits.',
    'Nous disposons déjà d’un accès PMR au siège ; il nous manque une salle pour les ateliers.',
    'Nous cherchons un local de 60 m² près de la gare pour une permanence.',
    'Nos locaux actuels ont un ascenseur pour les adhérents en fauteuil, mais la salle est trop petite.',
  ])('takes « %s » for silence about access', (text) => {
    expect(read(text)).toBe('unstated');
  });

  it('reads the need text only: a description speaking of wheelchairs asks for nothing', () => {
    const s = structure({ id: 's', description: 'Nous accompagnons des personnes en fauteuil roulant.', need_text: 'Un local pour notre atelier.' });
    expect(stepFreeNeed(s, thesaurus)).toBe('unstated');
  });

  it('lets the contract field override whatever the text says', () => {
    const text = 'Peu importe l’étage.';
    expect(stepFreeNeed(structure({ id: 's', need_text: text, requires_step_free_access: true }), thesaurus)).toBe('required');
    expect(stepFreeNeed(structure({ id: 's', need_text: 'Accès PMR indispensable.', requires_step_free_access: false }), thesaurus)).toBe('waived');
  });
});

describe('premises without step-free access', () => {
  const upstairs = resource({ id: 'r-etage', title: 'Plateau de bureaux à l’étage', description: 'Bureaux au premier étage du bureau de poste, sans ascenseur.', accessible_pmr: false, surface_m2: 90 });
  const groundFloor = resource({ id: 'r-rdc', title: 'Local de plain-pied', description: 'Local en rez-de-chaussée du bureau de poste.', accessible_pmr: true, surface_m2: 90 });
  const needText = 'Nous cherchons un local de 90 m² pour nos bureaux.';
  const rank = (over: Parameters<typeof structure>[0]) => {
    const index = Index.build(thesaurus, { structures: [structure(over)], resources: [upstairs, groundFloor] });
    return matchStructure(index, over.id, request({ model, includeExcluded: true, explain: true }));
  };

  it('are excluded only for a structure whose record requires step-free access', () => {
    const list = rank({ id: 's', need_text: needText, requires_step_free_access: true });
    const far = list.results.find((x) => x.id === 'r-etage')!;
    expect(far.excluded).toBe(true);
    expect(far.explanation!.exclusions[0]).toMatch(/exige un accès de plain-pied/);
  });

  it('stay in the list, lower, for a structure whose need text asks for access', () => {
    const list = rank({ id: 's', need_text: `${needText} Il faut impérativement un accès PMR.` });
    const up = list.results.find((x) => x.id === 'r-etage')!;
    expect(up.excluded).toBe(false);
    expect(up.features.accessibility).toBe(0);
    expect(list.results[0].id).toBe('r-rdc');
  });

  it('are not held against a structure whose text says the floor does not matter, nor whose description has wheelchairs', () => {
    const waived = rank({ id: 's', need_text: `${needText} Peu importe l’étage, nous nous contenterons de locaux sans ascenseur.` });
    expect(waived.results.find((x) => x.id === 'r-etage')!.features.accessibility).toBe(1);
    const described = rank({ id: 's', description: 'Nos locaux actuels ont un ascenseur et accueillent des personnes à mobilité réduite.', need_text: needText });
    const up = described.results.find((x) => x.id === 'r-etage')!;
    expect(up.excluded).toBe(false);
    expect(up.features.accessibility).toBeGreaterThan(0.5);
  });
});

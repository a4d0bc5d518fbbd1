import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, DEFAULT_FACTORS, DEFAULT_TERMS, factorShares, factorTreeProblems, flattenTree, getModel, MAX_FACTOR_DEPTH, termsProblems, tierName,
  type FactorNode, type ModelSettings, type TermsTable,
} from '../src/engine';
import {
  addFactor, addGroup, canAdd, canNest, defaultFactors, locate, moveNode, nestInGroup, removeNode, renameNode, reweightNode,
  sourceOptions, treeProblems, updateNode, withUniqueIds,
} from '../src/taskpane/state/factorTree';
import {
  initialSelection, scorePreview, unavailableText, selectionFromSaved, selectionReady, settingProblem, settingProblems,
} from '../src/taskpane/state/session';
import { formatInput, formatPercentInput, parseDecimal, parsePercent, setTermsField, termsFieldProblems } from '../src/taskpane/state/terms';
import { metricText, rowLabel, searchRows } from '../src/taskpane/state/why';

const EMPTY: FactorNode = { id: 'root', name: 'Score', weight: 1, children: [] };

function leaf(id: string, name: string, weight: number, source: string): FactorNode {
  return { id, name, weight, source, direction: 'higher' };
}

describe('factor tree edits', () => {
  it('adds factors and groups under a group, with fresh ids, and leaves the old tree alone', () => {
    const withGroup = addGroup(EMPTY, 'root', 'Economy');
    expect(EMPTY.children).toEqual([]);
    expect(withGroup.children).toEqual([{ id: 'g1', name: 'Economy', weight: 1, children: [] }]);
    const withFactor = addFactor(withGroup, 'g1', 'Revenue', 'role:revenue');
    expect(locate(withFactor, 'f1')).toMatchObject({ depth: 2, parent: { id: 'g1' }, node: { name: 'Revenue', source: 'role:revenue', direction: 'higher', weight: 1 } });
    // A leaf takes no children.
    expect(addFactor(withFactor, 'f1', 'Margin', 'role:margin')).toBe(withFactor);
    expect(canAdd(withFactor, 'f1', 'factor')).toBe(false);
    expect(factorTreeProblems(withFactor)).toEqual([]);
  });

  it('nests down to level 3 and refuses a fourth level', () => {
    expect(MAX_FACTOR_DEPTH).toBe(3);
    let tree = addGroup(EMPTY, 'root', 'Level 1');
    tree = addGroup(tree, 'g1', 'Level 2');
    expect(locate(tree, 'g2')?.depth).toBe(2);
    // A group on level 3 could hold no factor, so none is added.
    expect(canAdd(tree, 'g2', 'group')).toBe(false);
    expect(addGroup(tree, 'g2', 'Level 3')).toBe(tree);
    tree = addFactor(tree, 'g2', 'Orders', 'role:orders');
    expect(locate(tree, 'f1')?.depth).toBe(3);
    expect(factorTreeProblems(tree)).toEqual([]);
    // Putting the level-3 factor in a group of its own would make a fourth level.
    expect(canNest(tree, 'f1')).toBe(false);
    expect(nestInGroup(tree, 'f1', 'Too deep')).toBe(tree);
    // So would nesting the level-1 group, whose subtree already goes two levels down.
    expect(canNest(tree, 'g1')).toBe(false);
    // A tree from a workbook that has a group on level 3 gets no factor on level 4.
    const handMade: FactorNode = { ...EMPTY, children: [{ id: 'a', name: 'A', weight: 1, children: [{ id: 'b', name: 'B', weight: 1, children: [{ id: 'c', name: 'C', weight: 1, children: [] }] }] }] };
    expect(addFactor(handMade, 'c', 'Deep', 'role:revenue')).toBe(handMade);
    const tooDeep: FactorNode = { ...handMade, children: [{ ...handMade.children![0], children: [{ ...handMade.children![0].children![0], children: [{ id: 'c', name: 'C', weight: 1, children: [leaf('d', 'D', 1, 'role:revenue')] }] }] }] };
    expect(factorTreeProblems(tooDeep).length).toBeGreaterThan(0);
    expect(treeProblems(tooDeep, 'en')).toEqual([{ id: 'd', key: 'factorTooDeep', message: 'D: the tree has at most 3 levels.' }]);
  });

  it('nests a factor in a new group that takes its weight, so the score does not change', () => {
    const tree: FactorNode = { ...EMPTY, children: [leaf('revenue', 'Revenue', 70, 'role:revenue'), leaf('orders', 'Orders', 30, 'role:orders')] };
    const nested = nestInGroup(tree, 'orders', 'Behaviour');
    expect(nested.children![1]).toEqual({ id: 'g1', name: 'Behaviour', weight: 30, children: [leaf('orders', 'Orders', 30, 'role:orders')] });
    const table = buildCustomerTable(['Omsætning', 'Antal ordrer'], [[100, 1], [200, 5], [300, 2]]);
    const before = flattenTree(table, tree, 0).leaves.map((entry) => entry.weight);
    const after = flattenTree(table, nested, 0).leaves.map((entry) => entry.weight);
    expect(after).toEqual(before);
  });

  it('removes, renames, reweights, moves and changes a node without touching the others', () => {
    const tree = structuredClone(DEFAULT_FACTORS);
    const removed = removeNode(tree, 'relationship');
    expect(removed.children!.map((child) => child.id)).toEqual(['economy', 'behaviour']);
    expect(removed.children![0]).toBe(tree.children![0]);
    expect(removeNode(tree, 'root')).toBe(tree);
    expect(locate(renameNode(tree, 'orders', 'Ordrer'), 'orders')?.node.name).toBe('Ordrer');
    expect(locate(reweightNode(tree, 'economy', 80), 'economy')?.node.weight).toBe(80);
    expect(moveNode(tree, 'behaviour', -1).children!.map((child) => child.id)).toEqual(['economy', 'behaviour', 'relationship']);
    expect(moveNode(tree, 'economy', -1)).toBe(tree);
    expect(locate(updateNode(tree, 'daysLate', { direction: 'higher', min: 0, max: 60 }), 'daysLate')?.node).toMatchObject({ direction: 'higher', min: 0, max: 60 });
    expect(updateNode(tree, 'nothing', { name: 'x' })).toBe(tree);
  });

  it('gives each node its share of the score for a 3-level tree with an empty branch, and follows a reweight', () => {
    const table = buildCustomerTable(
      ['Kunde', 'Omsætning', 'Tilfredshed', 'Antal ordrer', 'Service'],
      [['Alfa', 100, 4, 10, 1], ['Beta', 300, 2, 5, 3], ['Gamma', 200, 5, 2, 2]],
    );
    const tree: FactorNode = {
      id: 'root', name: 'Score', weight: 1, children: [
        { id: 'economy', name: 'Economy', weight: 60, children: [
          leaf('revenue', 'Revenue', 3, 'role:revenue'),
          { id: 'activity', name: 'Activity', weight: 1, children: [leaf('orders', 'Orders', 1, 'role:orders'), leaf('service', 'Service', 1, 'column:Service')] },
        ] },
        // The table has no share of wallet: this branch is empty and its weight goes to the others.
        { id: 'relationship', name: 'Relationship', weight: 30, children: [leaf('share', 'Share of wallet', 1, 'role:shareOfWallet')] },
        leaf('satisfaction', 'Satisfaction', 10, 'role:satisfaction'),
      ],
    };
    const byId = (shares: Map<FactorNode, number>, root: FactorNode) => {
      const out: Record<string, number> = {};
      const visit = (node: FactorNode) => { out[node.id] = shares.get(node)!; (node.children ?? []).forEach(visit); };
      visit(root);
      return out;
    };
    // Counting at the top: Economy 60 and Satisfaction 10 of 70. Economy: Revenue 3 of 4, Activity 1 of 4, split in halves.
    const shares = byId(factorShares(tree, flattenTree(table, tree, 0)), tree);
    const expected = { root: 1, economy: 6 / 7, revenue: 9 / 14, activity: 3 / 14, orders: 3 / 28, service: 3 / 28, relationship: 0, share: 0, satisfaction: 1 / 7 };
    for (const [id, share] of Object.entries(expected)) expect(shares[id], id).toBeCloseTo(share, 12);

    // Satisfaction to 60: the top splits in halves.
    const reweighted = reweightNode(tree, 'satisfaction', 60);
    const after = byId(factorShares(reweighted, flattenTree(table, reweighted, 0)), reweighted);
    const expectedAfter = { root: 1, economy: 1 / 2, revenue: 3 / 8, activity: 1 / 8, orders: 1 / 16, service: 1 / 16, relationship: 0, share: 0, satisfaction: 1 / 2 };
    for (const [id, share] of Object.entries(expectedAfter)) expect(after[id], id).toBeCloseTo(share, 12);

    // The live preview runs the model on the same tree and says what it left out.
    const settings = { ...getModel('score').defaults, factors: reweighted } as ModelSettings;
    const preview = scorePreview(table, settings)!;
    expect(preview.tiers.reduce((sum, line) => sum + line.customers, 0)).toBe(3);
    expect(preview.top).toHaveLength(3);
    expect(preview.top[0].score).toBeGreaterThanOrEqual(preview.top[1].score);
    expect(preview.notes.map((note) => note.en)).toEqual([
      'Relationship › Share of wallet: no column for Share of wallet, left out.',
      'Weights in the score, after leaving out factors without a column: Economy › Revenue 37.5 % (percentile rank); '
        + 'Economy › Activity › Orders 6.3 % (percentile rank); Economy › Activity › Service 6.3 % (percentile rank); Satisfaction 50 % (percentile rank).',
    ]);
  });

  it('lists mapped numeric roles, the true margin and the columns as sources, and keeps a missing one visible', () => {
    const table = buildCustomerTable(['Kundenr', 'Kunde', 'Omsætning', 'NPS score', 'Region', 'Besøg'], [['K1', 'Alfa', 100, 8, 'Nord', 3]]);
    const options = sourceOptions(table, 'da', ['role:shareOfWallet']);
    // Omsætning and NPS score are offered once, as their roles; Region holds text and is not offered.
    expect(options.map((option) => [option.value, option.label, option.group, option.available])).toEqual([
      ['role:revenue', 'Omsætning', 'roles', true],
      ['role:satisfaction', 'Tilfredshed', 'roles', true],
      ['computed:trueMargin', 'Dækningsbidrag (efter omkostningerne i tabellen)', 'computed', true],
      ['column:Besøg', 'Besøg', 'columns', true],
      ['role:shareOfWallet', 'Andel af køb', 'roles', false],
    ]);
  });

  it('names the problems of a tree in the UI language and blocks the preview with them', () => {
    const broken = updateNode(updateNode(structuredClone(DEFAULT_FACTORS), 'revenue', { weight: -1 }), 'orders', { name: ' ', scale: 'fixed', min: 10, max: 5 });
    expect(treeProblems(broken, 'da').map((problem) => [problem.id, problem.message])).toEqual([
      ['revenue', 'Revenue: vægten skal være et tal, 0 eller derover.'],
      ['orders', 'Alle faktorer og grupper skal have et navn.'],
      ['orders', ' : skalaen skal slutte over, hvor den begynder.'],
    ]);
    const selection = initialSelection();
    selection.score = { enabled: true, settings: { ...selection.score.settings, factors: broken } };
    // The editor lists three problems, and the count that blocks the way on says three as well.
    expect(settingProblems(getModel('score'), selection.score.settings, 'en')).toEqual({ factors: 'Problems in the factor tree: 3.' });
    expect(selectionReady(selection)).toBe(false);
  });

  it('starts a Danish user from Danish names, with the ids, weights and sources of the engine', () => {
    const names = (node: FactorNode): unknown => (node.children ? [node.name, node.children.map(names)] : node.name);
    const danish = defaultFactors('da');
    expect(names(danish)).toEqual(['Score', [
      ['Økonomi', ['Omsætning', 'Dækningsbidrag']],
      ['Relation', ['Tilfredshed', 'Andel af køb']],
      ['Adfærd', ['Antal ordrer', 'Dage for sent']],
    ]]);
    const shape = (node: FactorNode): unknown => [node.id, node.weight, node.source, node.direction, node.children?.map(shape)];
    expect(shape(danish)).toEqual(shape(DEFAULT_FACTORS));
    expect(defaultFactors('en')).toEqual(DEFAULT_FACTORS);
    expect(initialSelection('da').score.settings.factors).toEqual(danish);
  });

  it('makes repeated ids unique so every edit finds one node', () => {
    const tree: FactorNode = { ...EMPTY, children: [leaf('x', 'A', 1, 'role:revenue'), leaf('x', 'B', 1, 'role:orders')] };
    const fixed = withUniqueIds(tree);
    expect(new Set(fixed.children!.map((child) => child.id)).size).toBe(2);
    expect(withUniqueIds(DEFAULT_FACTORS)).toBe(DEFAULT_FACTORS);
  });
});

describe('terms table', () => {
  it('reads a discount as the percent a user types', () => {
    expect(parsePercent('8')).toBe(0.08);
    expect(parsePercent('8 %')).toBe(0.08);
    expect(parsePercent('8%')).toBe(0.08);
    expect(parsePercent('8,5')).toBe(0.085);
    expect(parsePercent('8.5')).toBe(0.085);
    expect(parsePercent(' 12,5 % ')).toBe(0.125);
    expect(parsePercent('')).toBeNaN();
    expect(parsePercent('otte')).toBeNaN();
    expect(parsePercent('-5')).toBe(-0.05);
    expect(formatPercentInput(0.085, 'da')).toBe('8,5');
    expect(formatPercentInput(0.08, 'en')).toBe('8');
    expect(parseDecimal('1.000')).toBe(1000);
    expect(parseDecimal('0,5')).toBe(0.5);
    expect(formatInput(250000, 'da')).toBe('250000');
    expect(formatInput(0.8, 'da')).toBe('0,8');
  });

  it('names a negative or impossible value per tier and field and blocks the preview', () => {
    let terms: TermsTable = structuredClone(DEFAULT_TERMS);
    terms = setTermsField(terms, 'Gold', 'discount', parsePercent('-5'));
    terms = setTermsField(terms, 'Loss', 'paymentDays', parseDecimal('-1'));
    terms = setTermsField(terms, 'Silver', 'invoiceFee', parseDecimal('abc'));
    expect(DEFAULT_TERMS.Gold.discount).toBe(0.08);
    expect(termsFieldProblems(terms, 'en')).toEqual({
      'Gold.discount': 'A discount from 0 up to (not including) 100 %.',
      'Silver.invoiceFee': 'A number, 0 or more.',
      'Loss.paymentDays': 'A number, 0 or more.',
    });
    expect(termsFieldProblems(setTermsField(DEFAULT_TERMS, 'Bronze', 'discount', 1), 'da')).toEqual({ 'Bronze.discount': 'En rabat fra 0 til (men ikke med) 100 %.' });
    expect(termsProblems(terms)).toHaveLength(3);
    const value = getModel('value');
    const selection = initialSelection();
    selection.value = { enabled: true, settings: { ...selection.value.settings, terms } };
    expect(settingProblems(value, selection.value.settings, 'da')).toEqual({ terms: 'Ugyldige værdier i vilkårstabellen: 3.' });
    expect(selectionReady(selection)).toBe(false);
    selection.value.settings = { ...selection.value.settings, terms: setTermsField(DEFAULT_TERMS, 'Gold', 'discount', parsePercent('8,5')) };
    expect(selectionReady(selection)).toBe(true);
  });

  it('names the tiers in the UI language from the model', () => {
    expect(getModel('value').tiers.map((tier) => tierName(tier, 'da'))).toEqual(['Guld', 'Sølv', 'Bronze', 'Tab']);
    expect(getModel('value').tiers.map((tier) => tierName(tier, 'en'))).toEqual(['Gold', 'Silver', 'Bronze', 'Loss']);
  });
});

describe('other settings', () => {
  it('checks numbers against their range and dates as Excel days', () => {
    const value = getModel('value');
    const newMonths = value.settings.find((setting) => setting.key === 'newMonths')!;
    const asOf = value.settings.find((setting) => setting.key === 'asOf')!;
    expect(settingProblem(newMonths, 12, 'en')).toBeNull();
    expect(settingProblem(newMonths, NaN, 'en')).toBe('Enter a number.');
    expect(settingProblem(newMonths, -1, 'da')).toBe('Skriv et tal på mindst 0.');
    expect(settingProblem(asOf, 0, 'en')).toBeNull();
    expect(settingProblem(asOf, 45000, 'en')).toBeNull();
    expect(settingProblem(asOf, -3, 'en')).toBe('Enter a date, or leave it empty for today.');
  });

  it('names a missing input together with the columns that can stand in for it', () => {
    const quadrant = getModel('quadrant');
    expect(unavailableText(quadrant, {}, 'en'))
      .toBe('Cannot run: the table has no column for Satisfaction, and none for Share of wallet or Revenue + Potential. Map one on the Data step.');
    expect(unavailableText(quadrant, { revenue: 0, potential: 1 }, 'da')).toBe('Kan ikke køre: tabellen har ingen kolonne til Tilfredshed. Tildel en på trinnet Data.');
    expect(unavailableText(quadrant, { revenue: 0, potential: 1, satisfaction: 2 }, 'da')).toBeNull();
  });
});

describe('settings restored from the workbook', () => {
  it('starts each model saved in the marker from its saved settings, and ignores what is not valid', () => {
    const terms = setTermsField(structuredClone(DEFAULT_TERMS), 'Gold', 'discount', 0.1);
    const factors = reweightNode(structuredClone(DEFAULT_FACTORS), 'economy', 80);
    const saved: Record<string, ModelSettings> = {
      value: {
        goldCut: { method: 'pareto', level: 0.6 },
        silverCut: { method: 'pareto', level: 7 },
        newMonths: -3,
        lateDays: 30,
        asOf: 45000,
        terms,
        unknownSetting: 1,
      },
      score: { factors, topCut: { method: 'median', level: 0.5 } as never },
      pareto: { measure: 'profit', aCut: { method: 'pareto', level: 0.7 } },
      retired: { anything: 1 },
    };
    const selection = selectionFromSaved(saved)!;
    expect(Object.entries(selection).filter(([, model]) => model.enabled).map(([id]) => id)).toEqual(['pareto', 'value', 'score']);
    const value = getModel('value');
    expect(selection.value.settings).toEqual({
      ...value.defaults, goldCut: { method: 'pareto', level: 0.6 }, lateDays: 30, asOf: 45000, terms,
    });
    expect(selection.score.settings).toEqual({ ...getModel('score').defaults, factors });
    expect(selection.pareto.settings).toEqual({ ...getModel('pareto').defaults, aCut: { method: 'pareto', level: 0.7 } });
    expect(selection.abcd.enabled).toBe(false);
    expect(selectionReady(selection)).toBe(true);
    // The restored values are copies: editing them leaves the marker as it was read.
    expect(selection.value.settings.terms).not.toBe(terms);
  });

  it('leaves a broken terms table or factor tree at the defaults', () => {
    const selection = selectionFromSaved({
      value: { terms: { Gold: { discount: 2 } } as never },
      score: { factors: { id: 'root', name: 'Score', weight: 1, source: 'role:revenue', direction: 'higher' } },
    })!;
    expect(selection.value.settings.terms).toEqual(DEFAULT_TERMS);
    expect(selection.score.settings.factors).toEqual(DEFAULT_FACTORS);
    expect(selection.value.enabled && selection.score.enabled).toBe(true);
  });

  it('changes nothing when the workbook remembers no model this catalog knows', () => {
    expect(selectionFromSaved(undefined)).toBeNull();
    expect(selectionFromSaved({})).toBeNull();
    expect(selectionFromSaved({ retired: { level: 1 } })).toBeNull();
  });
});

describe('why this segment: finding a customer', () => {
  const rows = Array.from({ length: 200 }, (_, i) => [`K${10000 + i}`, i % 2 ? `Aalborg Agro ${i} A/S` : `Fyns Medico ${i} ApS`, 1000 + i]);
  const table = buildCustomerTable(['Kundenr', 'Kunde', 'Omsætning'], rows);

  it('finds by id, an exact id first, then ids and names that start with the text, then those that contain it', () => {
    expect(searchRows(table, 'k10150')).toEqual([150]);
    expect(searchRows(table, 'K1001', 5)).toEqual([10, 11, 12, 13, 14]);
    // "K10010" itself comes before the ids that merely start with it.
    expect(searchRows(table, 'K10010', 50)).toEqual([10]);
    expect(searchRows(table, 'K1000')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('finds by name, ignoring case and punctuation, and lists at most the limit', () => {
    expect(searchRows(table, 'aalborg agro 1', 3)).toEqual([1, 11, 13]);
    expect(searchRows(table, 'agro 19', 50)).toEqual([19, 191, 193, 195, 197, 199]);
    expect(searchRows(table, 'fyns')).toHaveLength(50);
    expect(searchRows(table, 'medico', 10)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(searchRows(table, '')).toHaveLength(50);
    expect(searchRows(table, 'nobody')).toEqual([]);
    // The label the picker shows finds its own row.
    expect(searchRows(table, rowLabel(table, 7, 'en'))).toEqual([7]);
  });

  it('names a row by id and name, or by its sheet row without them', () => {
    expect(rowLabel(table, 3, 'en')).toBe('K10003 · Aalborg Agro 3 A/S');
    const bare = buildCustomerTable(['Omsætning'], [[1], [2], [3]]);
    expect(rowLabel(bare, 1, 'da')).toBe('Række 3');
    expect(searchRows(bare, '4')).toEqual([2]);
  });

  it('shows a model metric for the row in its format', () => {
    const sample = buildCustomerTable(['Kunde', 'Omsætning', 'Dækningsbidrag'], [['Alfa', 1000, 170], ['Beta', 500, -600]]);
    const result = getModel('margin').run(sample, getModel('margin').defaults);
    const [trueMargin, percent] = result.metrics;
    expect(metricText(trueMargin, 1, 'da')).toBe('-600');
    expect(metricText(percent, 0, 'en')).toBe('17.0%');
    expect(metricText(percent, 1, 'da')?.replace(/\s/g, ' ')).toBe('-120,0 %');
  });
});

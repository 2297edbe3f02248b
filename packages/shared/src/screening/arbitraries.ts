import fc from 'fast-check';
import { CUSTOM_ITEM_KINDS, STANDARD_ITEM_KINDS, type Questionnaire, type QuestionnaireItem } from './questionnaire.js';

// Generators for the screening rules' property tests (test support only: nothing in the app imports this).

/** Any valid questionnaire: presence first, a subset of the other standard items, custom items of every kind. */
export const questionnaireArb: fc.Arbitrary<Questionnaire> = fc
  .tuple(
    fc.subarray(STANDARD_ITEM_KINDS.filter((k) => k !== 'presence')),
    fc.array(fc.tuple(fc.constantFrom(...CUSTOM_ITEM_KINDS), fc.boolean(), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 3 })), { maxLength: 6 }),
    fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  )
  .map(([standard, custom, req]) => {
    const items: QuestionnaireItem[] = [{ id: 'presence', kind: 'presence', label: '在家情况', required: true }];
    standard.forEach((k, i) => items.push({ id: k, kind: k, label: `标准${k}`, required: req[i] ?? false }));
    custom.forEach(([kind, required, nOptions, flag], i) => {
      const id = `c${i + 1}`;
      const options = kind === 'single' || kind === 'multi' ? Array.from({ length: nOptions }, (_, j) => ({ value: `o${j}`, label: `选项${j}` })) : undefined;
      const flagged =
        kind === 'yes_no' ? (flag === 0 ? undefined : [flag % 2 ? 'yes' : 'no']) : options && flag ? options.slice(0, Math.min(flag, options.length - 1)).map((o) => o.value) : undefined;
      items.push({ id, kind, label: `自定义${i + 1}`, required, ...(options ? { options } : {}), ...(flagged ? { flagged } : {}) });
    });
    return { items };
  });


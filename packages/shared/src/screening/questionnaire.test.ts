import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abnormalReasons, answerErrors } from './answers.js';
import { questionnaireArb } from './arbitraries.js';
import { defaultQuestionnaire, nextCustomId, normalAnswer, normalAnswers, questionnaireErrors, type Questionnaire, type QuestionnaireItem } from './questionnaire.js';

const TODAY = '2026-11-29';
const ALL_SYMPTOMS = ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_smell', 'diarrhea', 'breathing_difficulty'] as const;

describe('questionnaire definition', () => {
  it('the default questionnaire is valid and answered in one tap', () => {
    const q = defaultQuestionnaire();
    expect(questionnaireErrors(q)).toEqual([]);
    expect(q.items[0]).toMatchObject({ kind: 'presence', required: true });
    const normal = normalAnswers(q);
    expect(normal).toEqual({ presence: 'home', symptoms: [], travel: [], special_needs: [] });
    expect(answerErrors(q, normal, { today: TODAY })).toEqual([]);
    expect(abnormalReasons(q, normal, ALL_SYMPTOMS)).toEqual([]);
  });

  it('generated questionnaires are valid; "all normal" leaves only the required items without a normal answer, and flags nothing', () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        expect(questionnaireErrors(q)).toEqual([]);
        const normal = normalAnswers(q);
        const open = q.items.filter((i) => i.required && normalAnswer(i) === undefined).map((i) => `/${i.id}`);
        expect(answerErrors(q, normal, { today: TODAY }).map((e) => e.path)).toEqual(open);
        expect(abnormalReasons(q, normal, ALL_SYMPTOMS)).toEqual([]);
      }),
    );
  });

  it('refuses a questionnaire without at-home status first, duplicates, bad choices and impossible flags', () => {
    const paths = (q: Questionnaire) => questionnaireErrors(q).map((e) => `${e.path} ${e.code}`);
    expect(paths({ items: [] })).toEqual(['/items empty']);
    expect(paths({ items: [{ id: 'symptoms', kind: 'symptoms', label: '症状', required: true }] })).toContain('/items/0 presence_first');
    expect(paths({ items: [{ id: 'presence', kind: 'presence', label: '在家', required: false }] })).toContain('/items/0 presence_first');
    const base: QuestionnaireItem = { id: 'presence', kind: 'presence', label: '在家', required: true };
    expect(paths({ items: [base, { id: 'c1', kind: 'text', label: 'a', required: false }, { id: 'c1', kind: 'text', label: 'b', required: false }] })).toEqual(['/items/2/id duplicate']);
    expect(paths({ items: [base, { id: 'c1', kind: 'single', label: '单选', required: true, options: [{ value: 'a', label: '甲' }] }] })).toEqual(['/items/1/options too_few']);
    expect(paths({ items: [base, { id: 'c1', kind: 'multi', label: '多选', required: true, options: [{ value: 'a', label: '甲' }, { value: 'a', label: '甲' }] }] })).toEqual([
      '/items/1/options/1/value duplicate', '/items/1/options/1/label duplicate',
    ]);
    expect(paths({ items: [base, { id: 'c1', kind: 'yes_no', label: '是否', required: true, flagged: ['maybe'] }] })).toEqual(['/items/1/flagged unknown']);
    expect(paths({ items: [base, { id: 'x1', kind: 'text', label: '备注', required: false }] })).toEqual(['/items/1/id custom_id']);
    expect(paths({ items: [base, { id: 'symptoms', kind: 'symptoms', label: '症状', required: true, flagged: ['fever'] }] })).toEqual(['/items/1/flagged not_allowed']);
    expect(paths({ items: [base, { id: 'presence', kind: 'presence', label: '又一个', required: true }] })).toEqual(['/items/1/id duplicate', '/items/1/kind presence_first']);
  });

  it('gives new custom items ids the questionnaire does not use', () => {
    fc.assert(
      fc.property(questionnaireArb, (q) => {
        const id = nextCustomId(q);
        expect(q.items.some((i) => i.id === id)).toBe(false);
        expect(questionnaireErrors({ items: [...q.items, { id, kind: 'text', label: '新问题', required: false }] })).toEqual([]);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROTOCOLS, SYMPTOMS } from '../protocol/values.js';
import { abnormalReasons, answerErrors, describeReason, type ResidentAnswers } from './answers.js';
import { defaultQuestionnaire, PRESENCES, SPECIAL_NEEDS, SCREENING_TEST_RESULTS, VACCINATIONS, type Questionnaire, type QuestionnaireItem } from './questionnaire.js';
import { questionnaireArb } from './arbitraries.js';

const TODAY = '2026-11-29';

/** A well-formed answer for an item (any of them). */
function answerArb(item: QuestionnaireItem): fc.Arbitrary<unknown> {
  switch (item.kind) {
    case 'presence':
      return fc.constantFrom(...PRESENCES);
    case 'symptoms':
      return fc.subarray([...SYMPTOMS]);
    case 'special_needs':
      return fc.subarray([...SPECIAL_NEEDS]);
    case 'travel':
      return fc.array(fc.constantFrom('合肥', '上海浦东', '北京朝阳'), { maxLength: 3 });
    case 'vaccination':
      return fc.constantFrom(...VACCINATIONS);
    case 'latest_test':
      return fc.oneof(fc.constant('none'), fc.record({ date: fc.constantFrom('2026-11-01', '2026-11-28', TODAY), result: fc.constantFrom(...SCREENING_TEST_RESULTS) }));
    case 'yes_no':
      return fc.boolean();
    case 'single':
      return fc.constantFrom(...(item.options ?? []).map((o) => o.value));
    case 'multi':
      return fc.subarray((item.options ?? []).map((o) => o.value));
    case 'text':
      return fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0);
  }
}

/** A questionnaire with a complete, well-formed set of answers for a resident at home. */
const answeredArb = questionnaireArb.chain((q) =>
  fc.tuple(fc.constant(q), fc.tuple(...q.items.map((i) => (i.kind === 'presence' ? fc.constant('home') : answerArb(i))))).map(([qq, values]) => {
    const answers: ResidentAnswers = {};
    qq.items.forEach((i, n) => (answers[i.id] = values[n]));
    return { q: qq, answers };
  }),
);

describe('answers against the questionnaire', () => {
  it('accepts any well-formed, complete answers', () => {
    fc.assert(
      fc.property(answeredArb, ({ q, answers }) => {
        expect(answerErrors(q, answers, { today: TODAY })).toEqual([]);
      }),
    );
  });

  it('names exactly the required item left unanswered', () => {
    fc.assert(
      fc.property(answeredArb, fc.nat(), ({ q, answers }, pick) => {
        const required = q.items.filter((i) => i.required);
        const item = required[pick % required.length]!;
        const { [item.id]: _dropped, ...rest } = answers;
        const errors = answerErrors(q, rest, { today: TODAY });
        expect(errors.map((e) => `${e.path} ${e.code}`)).toEqual([`/${item.id} required`]);
        expect(errors[0]!.message).toBe(`请回答“${item.label}”`);
      }),
    );
  });

  it('asks someone away or moved out only where they are', () => {
    fc.assert(
      fc.property(questionnaireArb, fc.constantFrom('away', 'moved_out'), (q, presence) => {
        expect(answerErrors(q, { presence }, { today: TODAY })).toEqual([]);
      }),
    );
  });

  it('refuses malformed answers with Chinese messages per question', () => {
    const q = defaultQuestionnaire();
    const errs = (a: ResidentAnswers) => answerErrors(q, a, { today: TODAY }).map((e) => `${e.path} ${e.message}`);
    const ok = { presence: 'home', symptoms: [], special_needs: [] };
    expect(errs({ ...ok, presence: 'asleep' })).toEqual(['/presence “在家情况”：请选择在家、外出或已搬离']);
    expect(errs({ ...ok, symptoms: ['sneezing'] })).toEqual(['/symptoms “症状”：症状不在可选范围内']);
    expect(errs({ ...ok, latest_test: { date: '2026-11-30', result: 'negative' } })).toEqual(['/latest_test “最近一次核酸检测”：检测日期不能晚于今天']);
    expect(errs({ ...ok, latest_test: { date: '2026-02-30', result: 'negative' } })).toEqual(['/latest_test “最近一次核酸检测”：请填写有效的检测日期']);
    expect(errs({ ...ok, latest_test: { date: '2026-11-20' } })).toEqual(['/latest_test “最近一次核酸检测”：请选择检测结果']);
    expect(errs({ ...ok, vaccination: 3 })).toEqual(['/vaccination “疫苗接种”：请选择疫苗接种情况']);
    expect(errs({ ...ok, travel: Array.from({ length: 11 }, () => '合肥') })).toEqual(['/travel “近期行程”：近期行程最多填写 10 个地点']);
    expect(errs({ ...ok, mood: 'fine' })).toEqual(['/mood 问卷中没有“mood”这一项']);
    expect(errs({ presence: 'home' })).toEqual(['/symptoms 请回答“症状”', '/special_needs 请回答“特殊需求”']);
  });
});

describe('abnormal answers', () => {
  const q: Questionnaire = {
    items: [
      ...defaultQuestionnaire().items,
      { id: 'c1', kind: 'yes_no', label: '是否需要代购生活物资', required: false, flagged: ['yes'] },
      { id: 'c2', kind: 'multi', label: '慢病用药', required: false, options: [{ value: 'insulin', label: '胰岛素' }, { value: 'none', label: '无' }], flagged: ['insulin'] },
    ],
  };

  it('flags listed symptoms by the protocol in force, special needs, a positive test and flagged custom answers', () => {
    const ninth = BUILT_IN_PROTOCOLS.find((p) => p.id === 'ninth-2022-06')!;
    const newTen = BUILT_IN_PROTOCOLS.find((p) => p.id === 'new-ten-2022-12')!;
    const a = { presence: 'home', symptoms: ['cough', 'fever'], special_needs: ['dialysis'], latest_test: { date: '2026-11-20', result: 'positive' }, c1: true, c2: ['insulin', 'none'] };
    expect(abnormalReasons(q, a, ninth.abnormalSymptoms)).toEqual(['symptoms:cough', 'symptoms:fever', 'latest_test:positive', 'special_needs:dialysis', 'c1:yes', 'c2:insulin']);
    // The later protocol lists fewer symptoms: a cough alone is no longer abnormal.
    expect(abnormalReasons(q, { ...a, symptoms: ['cough'] }, newTen.abnormalSymptoms)).not.toContain('symptoms:cough');
    expect(abnormalReasons(q, { presence: 'home', symptoms: [], special_needs: [], c1: false, c2: ['none'] }, ninth.abnormalSymptoms)).toEqual([]);
  });

  it('describes reasons in words', () => {
    expect(describeReason(q, 'symptoms:fever')).toBe('症状：发热');
    expect(describeReason(q, 'special_needs:dialysis')).toBe('特殊需求：透析');
    expect(describeReason(q, 'latest_test:positive')).toBe('最近一次核酸检测：阳性');
    expect(describeReason(q, 'c1:yes')).toBe('是否需要代购生活物资：是');
    expect(describeReason(q, 'c2:insulin')).toBe('慢病用药：胰岛素');
    expect(describeReason(q, 'symptoms:fever', 'en')).toBe('Symptoms：Fever');
  });
});

import {
  SCREENING_LABELS, SCREENING_SYMPTOMS, SCREENING_TEST_RESULTS, SPECIAL_NEEDS, VACCINATIONS, type QuestionnaireItem,
} from '@gridline/shared';
import { DatePicker, Input, Segmented, Select, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { pick } from '../../../lib/labels';
import { todayInShanghai } from '../../../lib/time';

interface Choice {
  value: string;
  label: string;
}

/** Big tappable chips for "none, or any of these": "无" is on exactly when nothing else is. */
function Chips({ choices, value, onChange, noneLabel, testId }: { choices: Choice[]; value: string[]; onChange: (v: string[]) => void; noneLabel?: string; testId: string }) {
  return (
    <div className="field-chips" data-testid={testId}>
      {noneLabel ? (
        <Tag.CheckableTag checked={value.length === 0} onChange={() => onChange([])} data-value="none">
          {noneLabel}
        </Tag.CheckableTag>
      ) : null}
      {choices.map((c) => (
        <Tag.CheckableTag
          key={c.value}
          checked={value.includes(c.value)}
          onChange={(on) => onChange(on ? [...value, c.value] : value.filter((x) => x !== c.value))}
          data-value={c.value}
        >
          {c.label}
        </Tag.CheckableTag>
      ))}
    </div>
  );
}

const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** One questionnaire item's input, in the form a thumb can work: chips, segments, a date. */
export function AnswerInput({ item, value, onChange, testId }: { item: QuestionnaireItem; value: unknown; onChange: (v: unknown) => void; testId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const L = SCREENING_LABELS;
  const none = t('screening.answer.none');
  switch (item.kind) {
    case 'presence':
      return (
        <Segmented block value={typeof value === 'string' ? value : undefined} onChange={onChange} data-testid={testId}
          options={(['home', 'away', 'moved_out'] as const).map((p) => ({ value: p, label: pick(L.presence[p], lang) }))} />
      );
    case 'symptoms':
      return <Chips testId={testId} noneLabel={t('screening.answer.noSymptoms')} value={asArray(value)} onChange={onChange} choices={SCREENING_SYMPTOMS.map((s) => ({ value: s, label: pick(L.symptom[s], lang) }))} />;
    case 'special_needs':
      return <Chips testId={testId} noneLabel={none} value={asArray(value)} onChange={onChange} choices={SPECIAL_NEEDS.map((s) => ({ value: s, label: pick(L.specialNeed[s], lang) }))} />;
    case 'multi':
      return <Chips testId={testId} value={asArray(value)} onChange={onChange} choices={(item.options ?? []).map((o) => ({ value: o.value, label: o.label }))} />;
    case 'travel':
      return (
        <Select mode="tags" style={{ width: '100%' }} value={asArray(value)} onChange={(v: string[]) => onChange(v.map((x) => x.trim()).filter(Boolean))} data-testid={testId}
          placeholder={t('screening.answer.travelPlaceholder')} open={false} tokenSeparators={[',', '，', '、', ' ']} />
      );
    case 'vaccination':
      return (
        <Select style={{ width: '100%' }} allowClear value={typeof value === 'string' ? value : undefined} onChange={(v?: string) => onChange(v)} data-testid={testId}
          placeholder={t('screening.answer.choose')} options={VACCINATIONS.map((v) => ({ value: v, label: pick(L.vaccination[v], lang) }))} />
      );
    case 'latest_test': {
      const test = value && typeof value === 'object' ? (value as { date?: string; result?: string }) : undefined;
      const current = value === 'none' ? 'none' : test?.result;
      return (
        <div data-testid={testId}>
          <Segmented block value={current} onChange={(r: string) => onChange(r === 'none' ? 'none' : { date: test?.date ?? todayInShanghai(), result: r })}
            options={[{ value: 'none', label: t('screening.answer.notTested') }, ...SCREENING_TEST_RESULTS.map((r) => ({ value: r, label: pick(L.testResult[r], lang) }))]} />
          {test ? (
            <DatePicker style={{ width: '100%', marginTop: 6 }} inputReadOnly allowClear={false} value={test.date ? dayjs(test.date) : undefined}
              disabledDate={(d) => d.format('YYYY-MM-DD') > todayInShanghai()} onChange={(d) => onChange({ ...test, date: d ? d.format('YYYY-MM-DD') : undefined })} />
          ) : null}
        </div>
      );
    }
    case 'yes_no':
      return (
        <Segmented block value={typeof value === 'boolean' ? (value ? 'yes' : 'no') : undefined} onChange={(v: string) => onChange(v === 'yes')} data-testid={testId}
          options={[{ value: 'yes', label: t('screening.answer.yes') }, { value: 'no', label: t('screening.answer.no') }]} />
      );
    case 'single':
      return (item.options ?? []).length <= 4 ? (
        <Segmented block value={typeof value === 'string' ? value : undefined} onChange={onChange} data-testid={testId} options={(item.options ?? []).map((o) => ({ value: o.value, label: o.label }))} />
      ) : (
        <Select style={{ width: '100%' }} value={typeof value === 'string' ? value : undefined} onChange={onChange} data-testid={testId} placeholder={t('screening.answer.choose')}
          options={(item.options ?? []).map((o) => ({ value: o.value, label: o.label }))} />
      );
    case 'text':
      return <Input value={typeof value === 'string' ? value : ''} maxLength={200} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
  }
}

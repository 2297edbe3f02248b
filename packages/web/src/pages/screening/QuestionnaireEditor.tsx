import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  CUSTOM_ITEM_KINDS, nextCustomId, SCREENING_LABELS, STANDARD_ITEM_KINDS, type CustomItemKind, type Questionnaire, type QuestionnaireItem, type StandardItemKind,
} from '@gridline/shared';
import { Button, Card, Checkbox, Flex, Input, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { pick } from '../../lib/labels';

const STANDARD_ORDER = STANDARD_ITEM_KINDS;

/** A choice item's options typed as one line each; values are derived from their order (o1, o2 …). */
function optionsFromText(text: string, previous: QuestionnaireItem['options']): NonNullable<QuestionnaireItem['options']> {
  const labels = text.split(/\n/).map((l) => l.trim()).filter(Boolean);
  return labels.map((label, i) => ({ value: previous?.find((o) => o.label === label)?.value ?? `o${i + 1}_${Date.now().toString(36).slice(-3)}`, label }));
}

/**
 * The questionnaire: standard items switched on or off (at-home status always first and required) and custom
 * items (yes/no, single, multiple choice, text) with a required flag and the answers that mark a resident abnormal.
 */
export function QuestionnaireEditor({ value, onChange, disabled }: { value: Questionnaire; onChange: (q: Questionnaire) => void; disabled?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const items = value.items;
  const has = (k: StandardItemKind) => items.find((i) => i.kind === k);
  const setItems = (next: QuestionnaireItem[]) => {
    // Standard items stay in their usual order, before the custom ones.
    const standard = STANDARD_ORDER.map((k) => next.find((i) => i.kind === k)).filter((i): i is QuestionnaireItem => !!i);
    onChange({ items: [...standard, ...next.filter((i) => !(STANDARD_ORDER as readonly string[]).includes(i.kind))] });
  };
  const patch = (id: string, p: Partial<QuestionnaireItem>) => setItems(items.map((i) => (i.id === id ? { ...i, ...p } : i)));
  const custom = items.filter((i) => (CUSTOM_ITEM_KINDS as readonly string[]).includes(i.kind));

  return (
    <Flex vertical gap={12} data-testid="questionnaire-editor">
      <Card size="small" title={t('screening.editor.standard')}>
        {STANDARD_ORDER.map((k) => {
          const item = has(k);
          const fixed = k === 'presence';
          return (
            <Flex key={k} align="center" justify="space-between" gap={8} style={{ minHeight: 40 }}>
              <Checkbox checked={!!item} disabled={disabled || fixed} data-testid={`editor-standard-${k}`}
                onChange={(e) => setItems(e.target.checked ? [...items, { id: k, kind: k, label: SCREENING_LABELS.kind[k].zh, required: false }] : items.filter((i) => i.kind !== k))}>
                {pick(SCREENING_LABELS.kind[k], lang)}
              </Checkbox>
              {item ? (
                <Flex align="center" gap={6}>
                  <Typography.Text type="secondary">{t('screening.editor.required')}</Typography.Text>
                  <Switch size="small" checked={item.required} disabled={disabled || fixed} onChange={(on) => patch(item.id, { required: on })} />
                </Flex>
              ) : null}
            </Flex>
          );
        })}
      </Card>
      <Card size="small" title={t('screening.editor.custom')}>
        {custom.length === 0 ? <Typography.Text type="secondary">{t('screening.editor.noCustom')}</Typography.Text> : null}
        {custom.map((item) => {
          const answers = item.kind === 'yes_no' ? [{ value: 'yes', label: t('screening.answer.yes') }, { value: 'no', label: t('screening.answer.no') }] : (item.options ?? []).map((o) => ({ value: o.value, label: o.label }));
          return (
            <Card key={item.id} size="small" type="inner" style={{ marginBottom: 8 }} data-testid="editor-custom-item">
              <Flex vertical gap={6}>
                <Flex gap={6}>
                  <Input value={item.label} maxLength={60} placeholder={t('screening.editor.label')} disabled={disabled} onChange={(e) => patch(item.id, { label: e.target.value })} />
                  <Button danger icon={<DeleteOutlined />} disabled={disabled} aria-label={t('common.delete')} onClick={() => setItems(items.filter((i) => i.id !== item.id))} />
                </Flex>
                <Flex gap={8} wrap="wrap" align="center">
                  <Select<CustomItemKind> style={{ width: 120 }} value={item.kind as CustomItemKind} disabled={disabled}
                    options={CUSTOM_ITEM_KINDS.map((k) => ({ value: k, label: pick(SCREENING_LABELS.kind[k], lang) }))}
                    onChange={(kind) => patch(item.id, { kind, options: kind === 'single' || kind === 'multi' ? (item.options ?? []) : undefined, flagged: undefined })} />
                  <Checkbox checked={item.required} disabled={disabled} onChange={(e) => patch(item.id, { required: e.target.checked })}>{t('screening.editor.required')}</Checkbox>
                </Flex>
                {item.kind === 'single' || item.kind === 'multi' ? (
                  <Input.TextArea rows={3} disabled={disabled} placeholder={t('screening.editor.optionsPlaceholder')} defaultValue={(item.options ?? []).map((o) => o.label).join('\n')}
                    onBlur={(e) => patch(item.id, { options: optionsFromText(e.target.value, item.options), flagged: undefined })} />
                ) : null}
                {item.kind !== 'text' && answers.length ? (
                  <Flex gap={6} align="center" wrap="wrap">
                    <Typography.Text type="secondary">{t('screening.editor.flagged')}</Typography.Text>
                    <Select mode="multiple" style={{ minWidth: 160, flex: 1 }} disabled={disabled} value={item.flagged ?? []} options={answers}
                      maxCount={item.kind === 'yes_no' ? 1 : undefined} onChange={(v: string[]) => patch(item.id, { flagged: v.length ? v : undefined })} />
                  </Flex>
                ) : null}
              </Flex>
            </Card>
          );
        })}
        <Button icon={<PlusOutlined />} disabled={disabled || items.length >= 30} data-testid="editor-add-custom"
          onClick={() => setItems([...items, { id: nextCustomId(value), kind: 'yes_no', label: '', required: false }])}>
          {t('screening.editor.addCustom')}
        </Button>
      </Card>
    </Flex>
  );
}

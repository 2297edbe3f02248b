import { EXEMPTION_CATEGORIES, EXEMPTION_CATEGORY_LABELS, EXEMPTION_CATEGORY_RULES, MEDICAL_EXEMPTION_CATEGORIES, type ExemptionCategory } from '@gridline/shared';
import { Alert, App, DatePicker, Form, Input, Modal, Select, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { residentsApi } from '../../api/endpoints';
import { applyFieldErrors, useErrorText } from '../../api/hooks';
import { exemptionsApi } from '../../api/places';
import { pick, useLabels } from '../../lib/labels';

interface Values {
  residentId: string;
  category: ExemptionCategory;
  reason: string;
  period: [Dayjs, Dayjs];
}

/** Finds a resident in my jurisdiction by name or the last four digits of a document or phone. */
function ResidentSearch({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const search = (q: string) => {
    clearTimeout(timer.current);
    if (!q.trim()) return;
    timer.current = setTimeout(() => {
      setBusy(true);
      residentsApi
        .list({ q: q.trim(), pageSize: 10 })
        .then((r) => setOptions(r.items.map((x) => ({ value: x.id, label: `${x.name} · ${x.docNumberMasked}` }))))
        .catch(() => setOptions([]))
        .finally(() => setBusy(false));
    }, 250);
  };
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('places.exemptions.residentPlaceholder')}
      notFoundContent={busy ? <Spin size="small" /> : null}
      data-testid="ef-resident"
    />
  );
}

/**
 * Grant an exemption: who, why, for how long (each category's longest grant); I am the approver on record.
 * Quick path (from a measure's drawer): the person is fixed, only urgent medical needs are offered, and the period
 * runs to the measure's end or the category's limit, whichever is sooner.
 */
export function ExemptionForm({ open, onClose, onSaved, quick }: { open: boolean; onClose: () => void; onSaved: () => void; quick?: { residentId: string; name: string; until: number } }) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const category = Form.useWatch('category', form) as ExemptionCategory | undefined;
  const maxDays = EXEMPTION_CATEGORY_RULES[category ?? 'medical_staff_on_duty'].maxDays;
  // The caller passes `quick` inline: reset only when the form opens (or for another person), not on each render.
  const quickRef = useRef(quick);
  quickRef.current = quick;
  const quickResident = quick?.residentId;
  useEffect(() => {
    if (!open) return;
    setError(undefined);
    form.resetFields();
    const q = quickRef.current;
    if (q) {
      const end = Math.min(q.until, dayjs().add(EXEMPTION_CATEGORY_RULES.dialysis.maxDays, 'day').valueOf());
      form.setFieldsValue({ residentId: q.residentId, category: 'dialysis', period: [dayjs(), dayjs(end)] });
    } else form.setFieldsValue({ category: 'medical_staff_on_duty', period: [dayjs(), dayjs().add(12, 'hour')] });
  }, [open, form, quickResident]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await exemptionsApi.create({ residentId: v.residentId, category: v.category, reason: v.reason.trim(), validFrom: v.period[0].valueOf(), validUntil: v.period[1].valueOf() });
      void message.success(t('places.exemptions.created'));
      onSaved();
    } catch (err) {
      const e = toApiError(err);
      const { matched, unmatched } = applyFieldErrors(form, e, { validFrom: 'period', validUntil: 'period' });
      if (!matched || unmatched.length) setError([errorText(e), ...unmatched].join(' '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t('places.exemptions.create')} onCancel={onClose} onOk={() => void submit()} okText={t('places.exemptions.create')} cancelText={t('common.cancel')} confirmLoading={busy} destroyOnHidden width={560}>
      <div data-testid="exemption-form">
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical">
          {quick ? <Alert type="info" showIcon title={t('places.exemptions.medicalHint')} style={{ marginBottom: 16 }} /> : null}
          <Form.Item name="residentId" label={t('places.exemptions.resident')} rules={[{ required: true, message: t('places.exemptions.residentPlaceholder') }]}>
            {quick ? <Select disabled options={[{ value: quick.residentId, label: quick.name }]} /> : <ResidentSearch />}
          </Form.Item>
          <Form.Item
            name="category" label={t('places.exemptions.category')} rules={[{ required: true }]}
            extra={t('places.exemptions.maxDays', { category: pick(EXEMPTION_CATEGORY_LABELS[category ?? 'medical_staff_on_duty'], i18n.language, ''), days: maxDays })}
          >
            <Select options={labels.options(EXEMPTION_CATEGORY_LABELS, quick ? MEDICAL_EXEMPTION_CATEGORIES : EXEMPTION_CATEGORIES)} data-testid="ef-category" />
          </Form.Item>
          <Form.Item name="reason" label={t('places.exemptions.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('places.exemptions.reasonPlaceholder') }, { max: 200 }]}>
            <Input.TextArea rows={2} maxLength={200} placeholder={t(quick ? 'places.exemptions.notePlaceholder' : 'places.exemptions.reasonPlaceholder')} data-testid="ef-reason" />
          </Form.Item>
          <Form.Item name="period" label={t('places.exemptions.period')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs().subtract(1, 'day'), 'day') || d.isAfter(dayjs().add(maxDays + 1, 'day'))} />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

import { EXEMPTION_CATEGORIES, EXEMPTION_CATEGORY_LABELS, EXEMPTION_MAX_DAYS, type ExemptionCategory } from '@gridline/shared';
import { Alert, App, DatePicker, Form, Input, Modal, Select, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { residentsApi } from '../../api/endpoints';
import { applyFieldErrors, useErrorText } from '../../api/hooks';
import { exemptionsApi } from '../../api/places';
import { useLabels } from '../../lib/labels';

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

/** Grant an exemption: who, why, for how long (at most 30 days); I am the approver on record. */
export function ExemptionForm({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (!open) return;
    setError(undefined);
    form.resetFields();
    form.setFieldsValue({ category: 'medical_staff_on_duty', period: [dayjs(), dayjs().add(12, 'hour')] });
  }, [open, form]);

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
          <Form.Item name="residentId" label={t('places.exemptions.resident')} rules={[{ required: true, message: t('places.exemptions.residentPlaceholder') }]}>
            <ResidentSearch />
          </Form.Item>
          <Form.Item name="category" label={t('places.exemptions.category')} rules={[{ required: true }]}>
            <Select options={labels.options(EXEMPTION_CATEGORY_LABELS, EXEMPTION_CATEGORIES)} data-testid="ef-category" />
          </Form.Item>
          <Form.Item name="reason" label={t('places.exemptions.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('places.exemptions.reasonPlaceholder') }, { max: 200 }]}>
            <Input.TextArea rows={2} maxLength={200} placeholder={t('places.exemptions.reasonPlaceholder')} data-testid="ef-reason" />
          </Form.Item>
          <Form.Item name="period" label={t('places.exemptions.period')} extra={t('places.exemptions.periodHint')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs().subtract(1, 'day'), 'day') || d.isAfter(dayjs().add(EXEMPTION_MAX_DAYS + 1, 'day'))} />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

import { CONTACT_CATEGORY_LABELS } from '@gridline/shared';
import { App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { residentsApi } from '../../api/endpoints';
import { applyFieldErrors, useNotifyError } from '../../api/hooks';
import { tracingApi } from '../../api/tracing';
import { pick } from '../../lib/labels';

interface Values {
  kind: 'resident' | 'person';
  residentId?: string;
  name?: string;
  phone?: string;
  relation: string;
  exposureAt: Dayjs;
  category: 'close' | 'general';
  note?: string;
}

/** A contact the tracer names: a registered resident (searched by name) or a person with a name and phone. */
export function EnterContactModal({ caseId, onClose }: { caseId: string; onClose: (saved: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const kind = Form.useWatch('kind', form) ?? 'resident';
  const search = async (text: string) => {
    if (!text.trim()) return;
    try {
      const page = await residentsApi.list({ q: text.trim(), pageSize: 10 });
      setOptions(page.items.map((r) => ({ value: r.id, label: `${r.name}（${r.phoneMasked ?? r.docNumberMasked}）` })));
    } catch (err) {
      notifyError(err);
    }
  };
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await tracingApi.enter(caseId, {
        ...(v.kind === 'resident' ? { residentId: v.residentId } : { name: v.name, ...(v.phone ? { phone: v.phone } : {}) }),
        relation: v.relation, exposureAt: v.exposureAt.valueOf(), category: v.category, ...(v.note ? { note: v.note } : {}),
      });
      void message.success(t('tracing.form.saved'));
      onClose(true);
    } catch (err) {
      const { matched } = applyFieldErrors(form, err);
      if (!matched) notifyError(err);
    } finally {
      setSaving(false);
    }
  };
  const required = [{ required: true, message: t('tracing.form.required') }];
  return (
    <Modal open title={t('tracing.enter')} onCancel={() => onClose(false)} onOk={() => void submit()} confirmLoading={saving} destroyOnHidden data-testid="enter-contact-modal">
      <Form form={form} layout="vertical" initialValues={{ kind: 'resident', category: 'close', exposureAt: dayjs() }}>
        <Form.Item name="kind" label={t('tracing.form.kind')}>
          <Radio.Group options={[{ value: 'resident', label: t('tracing.form.resident') }, { value: 'person', label: t('tracing.form.person') }]} optionType="button" />
        </Form.Item>
        {kind === 'resident' ? (
          <Form.Item name="residentId" label={t('tracing.form.residentId')} rules={required}>
            <Select showSearch filterOption={false} onSearch={(v) => void search(v)} options={options} placeholder={t('tracing.form.residentPlaceholder')} />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="name" label={t('tracing.form.name')} rules={required}><Input maxLength={50} /></Form.Item>
            <Form.Item name="phone" label={t('tracing.form.phone')}><Input maxLength={11} inputMode="numeric" /></Form.Item>
          </>
        )}
        <Form.Item name="relation" label={t('tracing.form.relation')} rules={required}><Input maxLength={50} placeholder={t('tracing.form.relationPlaceholder')} /></Form.Item>
        <Form.Item name="exposureAt" label={t('tracing.form.exposureAt')} rules={required}><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="category" label={t('tracing.form.category')}>
          <Radio.Group options={(['close', 'general'] as const).map((c) => ({ value: c, label: pick(CONTACT_CATEGORY_LABELS[c], i18n.language) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('tracing.form.note')}><Input.TextArea maxLength={300} rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}

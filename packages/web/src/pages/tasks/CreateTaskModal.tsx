import type { CreateTaskBody } from '@gridline/shared';
import { Alert, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, useErrorText } from '../../api/hooks';
import { tasksApi, type Task } from '../../api/tasks';
import { RegionPicker } from '../../components/RegionPicker';
import { TZ } from '../../lib/time';
import { ResidentPicker } from '../health/ResidentPicker';

interface Values {
  title: string;
  residentId?: string;
  regionCode?: string;
  dueAt?: Dayjs;
  detail: string;
}

/** A task written by hand: for a resident (it goes to their grid) or for a node of my jurisdiction. */
export function CreateTaskModal(props: { open: boolean; onClose: () => void; onCreated: (t: Task) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    const body: CreateTaskBody = {
      title: v.title.trim(),
      detail: v.detail.trim(),
      ...(v.residentId ? { residentId: v.residentId } : {}),
      ...(v.regionCode ? { regionCode: v.regionCode } : {}),
      ...(v.dueAt ? { dueAt: dayjs.tz(v.dueAt.format('YYYY-MM-DD HH:mm'), TZ).valueOf() } : {}),
    };
    try {
      const created = await tasksApi.create(body);
      form.resetFields();
      props.onCreated(created);
    } catch (err) {
      const { matched } = applyFieldErrors(form, err);
      if (!matched) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={props.open} onCancel={props.onClose} title={t('tasks.create')} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ title: '', detail: '' }} data-testid="task-form">
        <Form.Item name="title" label={t('tasks.title')} rules={[{ required: true, min: 2, message: t('tasks.titleRequired') }]}>
          <Input maxLength={100} placeholder={t('tasks.titlePlaceholder')} />
        </Form.Item>
        <Form.Item name="residentId" label={t('tasks.resident')} extra={t('tasks.residentHint')}>
          <ResidentPicker />
        </Form.Item>
        <Form.Item name="regionCode" label={t('tasks.region')}>
          <RegionPicker maxLevel="grid" placeholder={t('tasks.regionPlaceholder')} />
        </Form.Item>
        <Form.Item name="dueAt" label={t('tasks.dueLabel')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" inputReadOnly style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="detail" label={t('tasks.detailLabel')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

import { PlusOutlined } from '@ant-design/icons';
import type { HealthMonitoring } from '@gridline/shared';
import { Alert, App, Button, DatePicker, Flex, Form, Input, Modal, Segmented, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthApi } from '../../api/health';
import { applyFieldErrors, useApi, useErrorText, useNotifyError } from '../../api/hooks';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState } from '../../components/states';
import { TZ } from '../../lib/time';
import { ResidentPicker } from './ResidentPicker';

/** 监测名单: who must report daily and until when; staff add someone by hand with a reason and an end date, or end it early. */
export function MonitoringTab(props: { node: string | undefined; refresh: number; onChanged: () => void; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const notifyError = useNotifyError();
  const errorText = useErrorText();
  const [active, setActive] = useState<'active' | 'all'>('active');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [ending, setEnding] = useState<HealthMonitoring | undefined>(undefined);
  const [endNote, setEndNote] = useState('');
  const [endError, setEndError] = useState<string | undefined>(undefined);
  const [form] = Form.useForm<{ residentId?: string; note: string; endDate?: Dayjs }>();
  const list = useApi((s) => healthApi.monitoring({ node: props.node, active: active === 'active' ? true : undefined, page, pageSize: 20 }, s), [props.node, active, page, props.refresh]);

  const end = async () => {
    if (!ending) return;
    if (endNote.trim().length < 2) {
      setEndError(t('health.monitoring.endNote'));
      return;
    }
    setBusy(true);
    try {
      await healthApi.endMonitoring(ending.id, endNote.trim());
      void message.success(t('health.monitoring.endedOk', { name: ending.residentName }));
      setEnding(undefined);
      props.onChanged();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  const add = async (v: { residentId?: string; note: string; endDate?: Dayjs }) => {
    if (!v.residentId || !v.endDate) return;
    setBusy(true);
    setError(undefined);
    try {
      await healthApi.addMonitoring({ residentId: v.residentId, note: v.note.trim(), endDate: v.endDate.format('YYYY-MM-DD') });
      setAdding(false);
      form.resetFields();
      props.onChanged();
    } catch (err) {
      const { matched } = applyFieldErrors(form, err);
      if (!matched) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={12} data-testid="health-monitoring">
      <Flex justify="space-between" gap={8} wrap="wrap">
        <Segmented value={active} onChange={(v) => { setActive(v as 'active' | 'all'); setPage(1); }} options={[{ value: 'active', label: t('health.monitoring.active') }, { value: 'all', label: t('common.all') }]} />
        {props.canWrite ? (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="monitoring-add">
            {t('health.monitoring.add')}
          </Button>
        ) : null}
      </Flex>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      <Table<HealthMonitoring>
        rowKey="id"
        size={mobile ? 'small' : 'middle'}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, simple: mobile, hideOnSinglePage: true }}
        columns={[
          { title: t('fields.name'), dataIndex: 'residentName', key: 'name', fixed: 'left', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: t('health.monitoring.reason'), key: 'reason', render: (_: unknown, m) => <span>{m.reason === 'arrival' ? <Tag color="blue">{t('health.monitoring.fromArrival')}</Tag> : null}{m.note}</span> },
          { title: t('health.monitoring.period'), key: 'period', render: (_: unknown, m) => <span className="nowrap">{m.startDay} ~ {m.endDay}</span> },
          { title: t('health.monitoring.state'), key: 'state', render: (_: unknown, m) => (m.active ? <Tag color="green">{t('health.monitoring.inForce')}</Tag> : <Tag>{m.endedAt ? t('health.monitoring.ended') : t('health.monitoring.notInForce')}</Tag>) },
          ...(props.canWrite
            ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, m: HealthMonitoring) => (m.active ? <Button size="small" onClick={() => { setEnding(m); setEndNote(''); setEndError(undefined); }} data-testid="monitoring-end">{t('health.monitoring.end')}</Button> : null) }]
            : []),
        ]}
      />
      <Modal
        open={!!ending}
        onCancel={() => setEnding(undefined)}
        title={ending ? t('health.monitoring.endTitle', { name: ending.residentName }) : ''}
        okText={t('health.monitoring.end')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => void end()}
        destroyOnHidden
      >
        <Input.TextArea rows={2} maxLength={200} value={endNote} status={endError ? 'error' : undefined} placeholder={t('health.monitoring.endNote')} onChange={(e) => setEndNote(e.target.value)} data-testid="monitoring-end-note" />
        {endError ? <Typography.Text type="danger">{endError}</Typography.Text> : null}
      </Modal>
      <Modal open={adding} onCancel={() => setAdding(false)} title={t('health.monitoring.add')} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
        <Form form={form} layout="vertical" onFinish={(v) => void add(v)} initialValues={{ note: '', endDate: dayjs().tz(TZ).add(6, 'day') }}>
          <Form.Item name="residentId" label={t('health.picker.label')} rules={[{ required: true, message: t('health.picker.required') }]}>
            <ResidentPicker />
          </Form.Item>
          <Form.Item name="note" label={t('health.monitoring.reason')} rules={[{ required: true, min: 2, message: t('health.monitoring.reasonRequired') }]}>
            <Input maxLength={200} placeholder={t('health.monitoring.reasonPlaceholder')} />
          </Form.Item>
          <Form.Item name="endDate" label={t('health.monitoring.endDate')} rules={[{ required: true, message: t('health.monitoring.endDateRequired') }]}>
            <DatePicker inputReadOnly style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs().tz(TZ), 'day')} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}

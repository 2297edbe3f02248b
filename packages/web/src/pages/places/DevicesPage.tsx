import { KeyOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Flex, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { applyFieldErrors, useApi, useErrorText, useNotifyError } from '../../api/hooks';
import { devicesApi, type Device, type DeviceRejection, type DeviceWithToken } from '../../api/places';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState } from '../../components/states';
import { formatDateTime, formatDateTimeSeconds } from '../../lib/time';

function CreateDevice({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (d: DeviceWithToken) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ name: string; placeId: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const places = useApi((s) => devicesApi.places(s), [open], open);
  const submit = async () => {
    let v: { name: string; placeId: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await devicesApi.create({ name: v.name.trim(), placeId: v.placeId }));
      form.resetFields();
    } catch (err) {
      const e = toApiError(err);
      const { matched } = applyFieldErrors(form, e);
      if (!matched) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('places.devices.create')} onCancel={onClose} onOk={() => void submit()} okText={t('places.devices.create')} cancelText={t('common.cancel')} confirmLoading={busy} destroyOnHidden>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('places.devices.name')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
          <Input maxLength={60} data-testid="device-name" />
        </Form.Item>
        <Form.Item name="placeId" label={t('places.devices.place')} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} loading={places.loading} options={(places.data ?? []).map((p) => ({ value: p.id, label: p.name }))} data-testid="device-place" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 物联设备 (device.manage): gate devices bound to places; tokens shown once; rejected items per device. */
export default function DevicesPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { modal } = App.useApp();
  const notifyError = useNotifyError();
  const list = useApi((s) => devicesApi.list(s), []);
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState<DeviceWithToken | undefined>(undefined);
  const [rejectionsOf, setRejectionsOf] = useState<Device | undefined>(undefined);
  const rejections = useApi((s) => devicesApi.rejections(rejectionsOf!.id, s), [rejectionsOf?.id], !!rejectionsOf);

  const toggle = async (d: Device) => {
    try {
      await devicesApi.update(d.id, { active: !d.active });
      list.reload();
    } catch (err) {
      notifyError(err);
    }
  };
  const replace = (d: Device) =>
    modal.confirm({
      title: t('places.devices.replaceTitle', { name: d.name }),
      content: t('places.devices.replaceBody'),
      okText: t('places.devices.replaceToken'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          setToken(await devicesApi.replaceToken(d.id));
          list.reload();
        } catch (err) {
          notifyError(err);
        }
      },
    });

  return (
    <PageContainer
      testId="devices-page"
      title={t('places.menu.devices')}
      subTitle={t('places.devices.subtitle')}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="device-create">{t('places.devices.create')}</Button>}
    >
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<Device>
            rowKey="id"
            data-testid="devices-table"
            loading={list.loading}
            dataSource={list.data ?? []}
            scroll={{ x: 1000 }}
            pagination={false}
            locale={{ emptyText: <EmptyState description={t('places.devices.empty')} /> }}
            columns={[
              { title: t('places.devices.name'), dataIndex: 'name', width: 160, fixed: 'left', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
              { title: t('places.devices.place'), dataIndex: 'placeName', width: 160 },
              { title: t('places.devices.token'), dataIndex: 'tokenHint', width: 100, render: (v: string) => <Typography.Text code>…{v}</Typography.Text> },
              { title: t('places.devices.status'), dataIndex: 'active', width: 100, render: (v: boolean) => (v ? <Tag color="green">{t('places.devices.enabled')}</Tag> : <Tag>{t('places.devices.disabled')}</Tag>) },
              { title: t('places.devices.lastSeen'), dataIndex: 'lastSeenAt', width: 150, render: (v: number | null) => (v ? formatDateTime(v) : t('places.devices.never')) },
              { title: t('places.devices.accepted'), dataIndex: 'acceptedTotal', width: 90, align: 'right' },
              { title: t('places.devices.rejected'), dataIndex: 'rejectedTotal', width: 90, align: 'right', render: (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : 0) },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 330,
                render: (_: unknown, d) => (
                  <Flex gap={4} wrap="wrap">
                    <Button size="small" icon={<WarningOutlined />} onClick={() => setRejectionsOf(d)}>{t('places.devices.rejections')}</Button>
                    <Button size="small" icon={<KeyOutlined />} onClick={() => replace(d)}>{t('places.devices.replaceToken')}</Button>
                    <Button size="small" icon={d.active ? <StopOutlined /> : <CheckCircleOutlined />} onClick={() => void toggle(d)}>
                      {d.active ? t('places.devices.disable') : t('places.devices.enable')}
                    </Button>
                  </Flex>
                ),
              },
            ]}
          />
        </Card>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>{t('places.devices.docs')}</Typography.Paragraph>
      <CreateDevice open={creating} onClose={() => setCreating(false)} onCreated={(d) => { setCreating(false); setToken(d); list.reload(); }} />
      <Modal open={!!token} title={t('places.devices.tokenTitle')} onCancel={() => setToken(undefined)} mask={{ closable: false }} destroyOnHidden
        footer={<Button type="primary" onClick={() => setToken(undefined)}>{t('places.devices.tokenDone')}</Button>}>
        {token ? (
          <div data-testid="device-token">
            <Typography.Paragraph>{t('places.devices.tokenFor', { name: token.device.name })}</Typography.Paragraph>
            <Typography.Paragraph copyable={{ text: token.token }} style={{ fontFamily: 'monospace', wordBreak: 'break-all', fontSize: 15 }} data-testid="device-token-value">
              {token.token}
            </Typography.Paragraph>
            <Alert type="warning" showIcon title={t('places.devices.tokenOnce')} />
          </div>
        ) : null}
      </Modal>
      <Drawer open={!!rejectionsOf} onClose={() => setRejectionsOf(undefined)} title={t('places.devices.rejectionsTitle', { name: rejectionsOf?.name ?? '' })} size={mobile ? '100%' : 640} destroyOnHidden>
        {rejections.error ? <ErrorState error={rejections.error} onRetry={rejections.reload} compact /> : null}
        <Table<DeviceRejection>
          rowKey="id"
          size="small"
          loading={rejections.loading}
          dataSource={rejections.data ?? []}
          pagination={{ pageSize: 50, simple: true }}
          locale={{ emptyText: <EmptyState description={t('places.devices.noRejections')} /> }}
          columns={[
            { title: t('places.scans.at'), dataIndex: 'at', width: 170, render: (v: number) => formatDateTimeSeconds(v) },
            { title: t('places.devices.itemKey'), dataIndex: 'itemKey', width: 140, render: (v: string | null) => v ?? '—' },
            { title: t('places.devices.reason'), dataIndex: 'reason' },
          ]}
        />
      </Drawer>
    </PageContainer>
  );
}

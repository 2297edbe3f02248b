import { KeyOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Flex, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { applyFieldErrors, useApi, useErrorText, useNotifyError } from '../../api/hooks';
import { devicesApi, type Device, type DeviceRejection, type DeviceWithToken } from '../../api/places';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
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

  // The id an MQTT topic needs, copyable wherever the device is listed (not only in the token dialog); its end is
  // shown, since ids made the same day share their start.
  const deviceId = (d: Device) => (
    <Typography.Text type="secondary" copyable={{ text: d.id }} style={{ fontSize: 12, fontFamily: 'monospace' }} data-testid="device-id">
      …{d.id.slice(-8)}
    </Typography.Text>
  );
  const tokenHint = (d: Device) => <Typography.Text code>…{d.tokenHint}</Typography.Text>;
  const statusTag = (d: Device) => (d.active ? <Tag color="green">{t('places.devices.enabled')}</Tag> : <Tag>{t('places.devices.disabled')}</Tag>);
  const lastSeen = (d: Device) => (d.lastSeenAt ? formatDateTime(d.lastSeenAt) : t('places.devices.never'));
  const rejected = (d: Device) => (d.rejectedTotal ? <Typography.Text type="danger">{d.rejectedTotal}</Typography.Text> : 0);
  const actions = (d: Device) => (
    <Flex gap={4} wrap="wrap">
      <Button size={mobile ? 'middle' : 'small'} icon={<WarningOutlined />} onClick={() => setRejectionsOf(d)} data-testid="device-rejections-open">{t('places.devices.rejections')}</Button>
      <Button size={mobile ? 'middle' : 'small'} icon={<KeyOutlined />} onClick={() => replace(d)}>{t('places.devices.replaceToken')}</Button>
      <Button size={mobile ? 'middle' : 'small'} icon={d.active ? <StopOutlined /> : <CheckCircleOutlined />} onClick={() => void toggle(d)}>
        {d.active ? t('places.devices.disable') : t('places.devices.enable')}
      </Button>
    </Flex>
  );

  // A phone shows each device as a card: its counters and actions would sit off-screen in a wide table.
  const cards = () => {
    if (list.loading && !list.data) return <LoadingBlock card />;
    if (!list.data?.length) return <Card><EmptyState description={t('places.devices.empty')} /></Card>;
    return (
      <Flex vertical gap={10} data-testid="devices-cards">
        {list.data.map((d) => (
          <Card key={d.id} size="small" data-testid="device-card">
            <Flex justify="space-between" align="center" gap={8}>
              <Typography.Text strong style={{ fontSize: 16 }}>{d.name}</Typography.Text>
              {statusTag(d)}
            </Flex>
            {deviceId(d)}
            <Typography.Text style={{ display: 'block', marginTop: 4 }}>
              {d.placeName} · {t('places.devices.token')} {tokenHint(d)}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
              {t('places.devices.lastSeen')} {lastSeen(d)}
            </Typography.Text>
            <Typography.Text style={{ display: 'block', marginTop: 4 }} data-testid="device-counts">
              {t('places.devices.accepted')} {d.acceptedTotal} · {t('places.devices.rejected')} {rejected(d)}
            </Typography.Text>
            <div style={{ marginTop: 10 }}>{actions(d)}</div>
          </Card>
        ))}
      </Flex>
    );
  };
  const table = (
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
          {
            title: t('places.devices.name'), dataIndex: 'name', width: 170, fixed: 'left',
            render: (v: string, d) => <Flex vertical><Typography.Text strong>{v}</Typography.Text>{deviceId(d)}</Flex>,
          },
          { title: t('places.devices.place'), dataIndex: 'placeName', width: 160 },
          { title: t('places.devices.token'), dataIndex: 'tokenHint', width: 100, render: (_: string, d) => tokenHint(d) },
          { title: t('places.devices.status'), dataIndex: 'active', width: 100, render: (_: boolean, d) => statusTag(d) },
          { title: t('places.devices.lastSeen'), dataIndex: 'lastSeenAt', width: 150, render: (_: number | null, d) => lastSeen(d) },
          { title: t('places.devices.accepted'), dataIndex: 'acceptedTotal', width: 90, align: 'right' },
          { title: t('places.devices.rejected'), dataIndex: 'rejectedTotal', width: 90, align: 'right', render: (_: number, d) => rejected(d) },
          { title: t('common.actions'), key: 'actions', width: 330, render: (_: unknown, d) => actions(d) },
        ]}
      />
    </Card>
  );

  return (
    <PageContainer
      testId="devices-page"
      title={t('places.menu.devices')}
      subTitle={t('places.devices.subtitle')}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="device-create">{t('places.devices.create')}</Button>}
    >
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : mobile ? cards() : table}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        {t('places.devices.docs')} <a href="/api/docs" target="_blank" rel="noreferrer">{t('places.devices.apiDocs')}</a>
      </Typography.Paragraph>
      <CreateDevice open={creating} onClose={() => setCreating(false)} onCreated={(d) => { setCreating(false); setToken(d); list.reload(); }} />
      <Modal open={!!token} title={t('places.devices.tokenTitle')} onCancel={() => setToken(undefined)} mask={{ closable: false }} destroyOnHidden
        footer={<Button type="primary" onClick={() => setToken(undefined)} data-testid="device-token-done">{t('places.devices.tokenDone')}</Button>}>
        {token ? (
          <div data-testid="device-token">
            <Typography.Paragraph>{t('places.devices.tokenFor', { name: token.device.name })}</Typography.Paragraph>
            <Typography.Paragraph copyable={{ text: token.token }} style={{ fontFamily: 'monospace', wordBreak: 'break-all', fontSize: 15 }} data-testid="device-token-value">
              {token.token}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>{t('places.devices.deviceId')}</Typography.Paragraph>
            <Typography.Paragraph copyable={{ text: token.device.id }} style={{ fontFamily: 'monospace', wordBreak: 'break-all' }} data-testid="device-id-value">
              {token.device.id}
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
          data-testid="device-rejections"
          loading={rejections.loading}
          dataSource={rejections.data ?? []}
          pagination={{ pageSize: 50, simple: true }}
          locale={{ emptyText: <EmptyState description={t('places.devices.noRejections')} /> }}
          onRow={() => ({ 'data-testid': 'rejection-row' }) as React.HTMLAttributes<HTMLElement>}
          columns={
            mobile
              ? // One column on a phone: the reason gets the width, the time and key go under it.
                [
                  {
                    title: t('places.devices.reason'),
                    key: 'reason',
                    render: (_: unknown, r) => (
                      <>
                        <span data-testid="rejection-reason">{r.reason}</span>
                        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 2 }}>
                          {formatDateTimeSeconds(r.at)} · {t('places.devices.itemKey')} <span data-testid="rejection-key">{r.itemKey ?? '—'}</span>
                        </Typography.Text>
                      </>
                    ),
                  },
                ]
              : [
                  { title: t('places.scans.at'), dataIndex: 'at', width: 170, render: (v: number) => formatDateTimeSeconds(v) },
                  { title: t('places.devices.itemKey'), dataIndex: 'itemKey', width: 140, render: (v: string | null) => <span data-testid="rejection-key">{v ?? '—'}</span> },
                  { title: t('places.devices.reason'), dataIndex: 'reason', render: (v: string) => <span data-testid="rejection-reason">{v}</span> },
                ]
          }
        />
      </Drawer>
    </PageContainer>
  );
}

import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Flex, Form, Input, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { webhooksApi, type WebhookT } from '../../api/inbox';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState } from '../../components/states';
import { formatDateTime } from '../../lib/time';

const KINDS = ['inbox.new', 'whistle.routed', 'whistle.escalated', 'whistle.resolved', 'report.received'];
const STATUS_COLOR: Record<string, string> = { pending: 'orange', delivered: 'green', failed: 'red' };

/** Outgoing webhooks: other systems subscribe to this jurisdiction's notifications (signed, retried, every attempt shown). */
export function WebhooksPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const [tick, setTick] = useState(0);
  const list = useApi((s) => webhooksApi.list(s), [tick]);
  const [form] = Form.useForm<{ name: string; url: string; secret: string; kinds: string[] }>();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [shown, setShown] = useState<WebhookT | undefined>(undefined);
  const deliveries = useApi((s) => webhooksApi.deliveries(shown?.id ?? '', s), [shown?.id], !!shown);
  const add = async () => {
    const v = await form.validateFields();
    setError(undefined);
    try {
      await webhooksApi.create({ ...v, kinds: v.kinds ?? [] });
      form.resetFields();
      setAdding(false);
      setTick((n) => n + 1);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const change = (p: Promise<unknown>) => void p.then(() => setTick((n) => n + 1), (err: unknown) => message.error(errorText(err)));
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('inbox.webhooks.hint')}</Typography.Text>
      {adding ? (
        <Form form={form} layout="vertical" style={{ maxWidth: 560 }}>
          {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} /> : null}
          <Form.Item name="name" label={t('inbox.webhooks.name')} rules={[{ required: true, max: 60 }]}><Input /></Form.Item>
          <Form.Item name="url" label="URL" rules={[{ required: true, pattern: /^https?:\/\//, message: t('inbox.webhooks.urlRule') }]}><Input placeholder="https://" /></Form.Item>
          <Form.Item name="secret" label={t('inbox.webhooks.secret')} extra={t('inbox.webhooks.secretHint')} rules={[{ required: true, min: 16, message: t('inbox.webhooks.secretRule') }]}><Input.Password /></Form.Item>
          <Form.Item name="kinds" label={t('inbox.webhooks.kinds')} extra={t('inbox.webhooks.kindsHint')}><Select mode="tags" options={KINDS.map((k) => ({ value: k, label: k }))} /></Form.Item>
          <Flex gap={8}>
            <Button type="primary" onClick={() => void add()}>{t('common.save')}</Button>
            <Button onClick={() => setAdding(false)}>{t('common.cancel')}</Button>
          </Flex>
        </Form>
      ) : (
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ alignSelf: 'flex-start' }}>{t('inbox.webhooks.add')}</Button>
      )}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      <Table<WebhookT>
        size="small"
        rowKey="id"
        pagination={false}
        loading={!list.data && !list.error}
        dataSource={list.data ?? []}
        scroll={{ x: mobile ? 560 : undefined }}
        columns={[
          { title: t('inbox.webhooks.name'), dataIndex: 'name', render: (v: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => setShown(r)}>{v}</Button> },
          { title: 'URL', dataIndex: 'url', ellipsis: true },
          { title: t('inbox.webhooks.kinds'), dataIndex: 'kinds', render: (k: string[]) => (k.length ? k.map((x) => <Tag key={x}>{x}</Tag>) : t('inbox.webhooks.allKinds')) },
          { title: t('inbox.rules.active'), dataIndex: 'active', render: (v: boolean, r) => <Switch size="small" checked={v} onChange={(c) => change(webhooksApi.update(r.id, { active: c }))} /> },
          { title: '', key: 'd', width: 48, render: (_: unknown, r) => <Popconfirm title={t('inbox.webhooks.deleteConfirm')} onConfirm={() => change(webhooksApi.remove(r.id))}><Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} /></Popconfirm> },
        ]}
      />
      <Drawer open={!!shown} onClose={() => setShown(undefined)} title={shown?.name} width={mobile ? '100%' : 560} destroyOnHidden>
        {deliveries.error ? <ErrorState error={deliveries.error} onRetry={deliveries.reload} /> : null}
        <Flex vertical gap={8}>
          {(deliveries.data ?? []).map((d) => (
            <Flex key={d.id} vertical gap={2} style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 8 }}>
              <Flex gap={6} align="center" wrap="wrap">
                <Tag color={STATUS_COLOR[d.status]}>{t(`inbox.webhooks.status.${d.status}`)}</Tag>
                <Typography.Text code>{d.kind}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(d.createdAt)}</Typography.Text>
              </Flex>
              {d.log.map((a) => (
                <Typography.Text key={a.attempt} type={a.error ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                  #{a.attempt} {formatDateTime(a.at)} · {a.statusCode ?? '—'} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ''}
                </Typography.Text>
              ))}
              {d.status === 'pending' && d.nextAttemptAt ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('inbox.webhooks.next', { time: formatDateTime(d.nextAttemptAt) })}</Typography.Text> : null}
            </Flex>
          ))}
          {deliveries.data && deliveries.data.length === 0 ? <Typography.Text type="secondary">{t('inbox.webhooks.none')}</Typography.Text> : null}
        </Flex>
      </Drawer>
    </Flex>
  );
}

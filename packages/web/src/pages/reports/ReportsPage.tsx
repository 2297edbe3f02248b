import { CheckCircleOutlined, EyeOutlined, SendOutlined } from '@ant-design/icons';
import type { DirectReport } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Pagination, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi, useErrorText } from '../../api/hooks';
import { reportsApi } from '../../api/inbox';
import { useLiveEvents } from '../../api/live';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';

function Receipt({ r }: { r: DirectReport }) {
  const { t } = useTranslation();
  return (
    <Flex gap={6} wrap="wrap" data-testid="report-receipt">
      <Tag icon={<CheckCircleOutlined />} color="green">{t('reports.deliveredAt', { time: formatDateTime(r.deliveredAt) })}</Tag>
      {r.readAt ? <Tag icon={<EyeOutlined />} color="blue" data-testid="report-read">{t('reports.readAt', { who: r.readBy ?? '', time: formatDateTime(r.readAt) })}</Tag> : <Tag>{t('reports.unreadYet')}</Tag>}
    </Flex>
  );
}

function ReportCard({ r, box, onRead }: { r: DirectReport; box: 'sent' | 'received'; onRead: (id: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [open, setOpen] = useState(false);
  return (
    <Card size="small" data-testid="report-card" style={{ borderLeft: box === 'received' && !r.readAt ? '3px solid #1677ff' : undefined }}>
      <Flex vertical gap={6}>
        <Flex justify="space-between" gap={8} wrap="wrap">
          <Typography.Text strong>{r.title}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(r.sentAt)}</Typography.Text>
        </Flex>
        {box === 'received' ? <Typography.Text type="secondary">{t('reports.from', { name: `${r.sender.name} · ${labels.role(r.sender.role)}`, node: r.sender.nodeName })}</Typography.Text> : null}
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} ellipsis={open ? false : { rows: 3 }}>{r.body}</Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 11, wordBreak: 'break-all' }} title={t('reports.hashHint')}>
          {t('reports.hash')}：<Typography.Text code copyable style={{ fontSize: 11 }}>{r.contentHash}</Typography.Text>
        </Typography.Text>
        <Flex justify="space-between" align="center" gap={8} wrap="wrap">
          <Receipt r={r} />
          {box === 'received' && !r.readAt ? (
            <Button size="small" type="primary" onClick={() => { setOpen(true); onRead(r.id); }} data-testid="report-mark-read">{t('reports.markRead')}</Button>
          ) : null}
        </Flex>
      </Flex>
    </Card>
  );
}

function ReportList({ box }: { box: 'sent' | 'received' }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const list = useApi((s) => (box === 'sent' ? reportsApi.sent({ page, pageSize: 20 }, s) : reportsApi.received({ page, pageSize: 20 }, s)), [box, page, tick]);
  useLiveEvents(['notification'], (e) => String(e.data.kind ?? '').startsWith('report.') && setTick((n) => n + 1));
  const read = (id: string) => void reportsApi.markRead(id).then(() => setTick((n) => n + 1), (err: unknown) => message.error(errorText(err)));
  return (
    <Flex vertical gap={10}>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={4} card /> : null}
      {list.data && list.data.items.length === 0 ? <EmptyState description={t('reports.empty')} /> : null}
      {list.data?.items.map((r) => <ReportCard key={r.id} r={r} box={box} onRead={read} />)}
      {list.data && list.data.total > 20 ? <Pagination current={page} pageSize={20} total={list.data.total} simple={mobile} onChange={setPage} style={{ alignSelf: 'center' }} /> : null}
    </Flex>
  );
}

/** 直报: write straight to the command, see your receipts; the command reads what it received. */
export default function ReportsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [sp, setSp] = useSearchParams();
  const [form] = Form.useForm<{ title: string; body: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [sent, setSent] = useState<DirectReport | undefined>(undefined);
  const tab = sp.get('tab') ?? (can('report.read') ? 'received' : 'send');
  const send = async () => {
    const v = await form.validateFields();
    Modal.confirm({
      title: t('reports.sendConfirm'),
      okText: t('reports.send'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setBusy(true);
        setError(undefined);
        try {
          const r = await reportsApi.send(v);
          setSent(r);
          form.resetFields();
          message.success(t('reports.sent'));
        } catch (err) {
          setError(errorText(err));
        } finally {
          setBusy(false);
        }
      },
    });
  };
  const items = [
    ...(can('report.send')
      ? [
          {
            key: 'send', label: t('reports.tabs.send'),
            children: (
              <Flex vertical gap={12} style={{ maxWidth: 720 }}>
                {error ? <Alert type="error" showIcon message={error} /> : null}
                {sent ? (
                  <Alert type="success" showIcon message={`${t('reports.sent')}：${sent.title}`} description={<Flex vertical gap={4}><Receipt r={sent} /><Typography.Text type="secondary" style={{ fontSize: 11, wordBreak: 'break-all' }}>{t('reports.hash')}：{sent.contentHash}</Typography.Text></Flex>} data-testid="report-sent" />
                ) : null}
                <Form form={form} layout="vertical">
                  <Form.Item name="title" label={t('reports.title')} rules={[{ required: true, min: 2, max: 100, message: t('reports.titleRequired') }]}>
                    <Input maxLength={100} data-testid="report-title" />
                  </Form.Item>
                  <Form.Item name="body" label={t('reports.body')} rules={[{ required: true, min: 5, max: 10000, message: t('reports.bodyRequired') }]}>
                    <Input.TextArea rows={8} maxLength={10000} showCount placeholder={t('reports.bodyPlaceholder')} data-testid="report-body" />
                  </Form.Item>
                  <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => void send()} data-testid="report-send">{t('reports.send')}</Button>
                </Form>
              </Flex>
            ),
          },
          { key: 'sent', label: t('reports.tabs.sent'), children: <ReportList box="sent" /> },
        ]
      : []),
    ...(can('report.read') ? [{ key: 'received', label: t('reports.tabs.received'), children: <ReportList box="received" /> }] : []),
  ];
  return (
    <PageContainer testId="reports-page" title={t('reports.pageTitle')} subTitle={t('reports.subtitle', { target: t('reports.commandName') })}>
      <Tabs activeKey={tab} onChange={(k) => setSp({ tab: k })} items={items} />
    </PageContainer>
  );
}

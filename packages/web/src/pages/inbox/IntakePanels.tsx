import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { IntakeResult } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Input, Select, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { inboxApi } from '../../api/inbox';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState } from '../../components/states';
import { formatDateTime } from '../../lib/time';

const FIELD_LABELS: Record<string, string> = {
  ticketNo: '工单编号', receivedAt: '受理时间', requester: '诉求人', phone: '联系电话', address: '地址', content: '诉求内容', type: '诉求类型', deadlineAt: '办理时限', urgency: '紧急程度',
};

/** 12345 ticket file import: every bad row listed with its row number, field and reason; the good rows imported. */
export function HotlineImportPanel(props: { onImported: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<IntakeResult | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const upload = async (file: File) => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await inboxApi.importHotline(file));
      props.onImported();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('inbox.import.hint')}</Typography.Text>
      <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(f) => (void upload(f), false)} data-testid="hotline-upload">
        <Button type="primary" icon={<UploadOutlined />} loading={busy}>
          {t('inbox.import.choose')}
        </Button>
      </Upload>
      {error ? <Alert type="error" showIcon message={error} data-testid="hotline-error" /> : null}
      {result ? (
        <Flex vertical gap={8} data-testid="hotline-result">
          <Alert type={result.errors.length ? 'warning' : 'success'} showIcon message={t('inbox.import.summary', result)} data-testid="hotline-summary" />
          {result.errors.length ? (
            <Card size="small" title={t('inbox.import.errors')}>
              {mobile ? (
                <Flex vertical gap={6} data-testid="hotline-errors">
                  {result.errors.map((e) => (
                    <Typography.Text key={`${e.row}-${e.field ?? ''}`} type="danger">{e.message}</Typography.Text>
                  ))}
                </Flex>
              ) : (
              <Table
                size="small"
                rowKey={(r) => `${r.row}-${r.field ?? ''}`}
                pagination={false}
                dataSource={result.errors}
                data-testid="hotline-errors"
                columns={[
                  { title: t('inbox.import.row'), dataIndex: 'row', width: 70 },
                  { title: t('inbox.import.field'), dataIndex: 'field', width: 100, render: (f: string | null) => (f ? FIELD_LABELS[f] ?? f : '') },
                  { title: t('inbox.import.problem'), dataIndex: 'message' },
                ]}
              />
              )}
            </Card>
          ) : (
            <Typography.Text type="success">{t('inbox.import.allGood')}</Typography.Text>
          )}
        </Flex>
      ) : null}
    </Flex>
  );
}

/** Tokens of the 12345 platform and chat robots that push into this inbox (shown once at creation). */
export function TokensPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [tick, setTick] = useState(0);
  const tokens = useApi((s) => inboxApi.tokens(s), [tick]);
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<'hotline' | 'robot'>('hotline');
  const [created, setCreated] = useState<string | undefined>(undefined);
  const create = async () => {
    try {
      const r = await inboxApi.createToken({ name: name.trim(), channel });
      setCreated(r.token);
      setName('');
      setTick((n) => n + 1);
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('inbox.tokens.hint')}</Typography.Text>
      <Flex gap={8} wrap="wrap">
        <Input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('inbox.tokens.name')} style={{ width: 220 }} maxLength={60} />
        <Select value={channel} onChange={setChannel} style={{ width: 160 }} options={[{ value: 'hotline', label: t('inbox.tokens.hotline') }, { value: 'robot', label: t('inbox.tokens.robot') }]} />
        <Button icon={<PlusOutlined />} disabled={!name.trim()} onClick={() => void create()}>
          {t('inbox.tokens.add')}
        </Button>
      </Flex>
      {created ? <Alert type="success" showIcon closable onClose={() => setCreated(undefined)} message={t('inbox.tokens.created')} description={<Typography.Text copyable code>{created}</Typography.Text>} /> : null}
      {tokens.error ? <ErrorState error={tokens.error} onRetry={tokens.reload} /> : null}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={tokens.data ?? []}
        loading={!tokens.data && !tokens.error}
        columns={[
          { title: t('inbox.tokens.name'), dataIndex: 'name' },
          { title: t('inbox.tokens.channel'), dataIndex: 'channel', render: (c: string) => t(`inbox.tokens.${c}`) },
          { title: t('inbox.tokens.lastUsed'), dataIndex: 'lastUsedAt', render: (v: number | null) => (v ? formatDateTime(v) : '—') },
          {
            title: '', key: 'a', render: (_: unknown, r: { id: string; active: boolean }) =>
              r.active ? <Button size="small" danger onClick={() => void inboxApi.disableToken(r.id).then(() => setTick((n) => n + 1), (err: unknown) => message.error(errorText(err)))}>{t('inbox.tokens.disable')}</Button> : <Tag>{t('inbox.tokens.disabled')}</Tag>,
          },
        ]}
      />
    </Flex>
  );
}

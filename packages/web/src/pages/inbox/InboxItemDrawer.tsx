import { CheckOutlined, CloseOutlined, SendOutlined } from '@ant-design/icons';
import type { WhistleCategory, WhistleUrgency } from '@gridline/shared';
import { Alert, App, Button, Descriptions, Drawer, Flex, Image, Input, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { inboxApi } from '../../api/inbox';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { STATUS_COLORS, URGENCY_COLORS, useInboxLabels } from './inboxLabels';

type Step = 'route' | 'dismiss' | undefined;

/** One inbox item: what came in, from where, how the rules read it; classify, route as a whistle, or dismiss. */
export function InboxItemDrawer(props: { itemId: string | undefined; onClose: () => void; onChanged: () => void; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const labels = useInboxLabels();
  const errorText = useErrorText();
  const [tick, setTick] = useState(0);
  const item = useApi((s) => inboxApi.get(props.itemId ?? '', s), [props.itemId, tick], !!props.itemId);
  const [category, setCategory] = useState<WhistleCategory | undefined>(undefined);
  const [urgency, setUrgency] = useState<WhistleUrgency | undefined>(undefined);
  const [step, setStep] = useState<Step>(undefined);
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const x = item.data;
  useEffect(() => {
    setCategory(x?.category ?? x?.requestedCategory ?? undefined);
    setUrgency(x?.urgency);
    setTitle(x ? x.text.replace(/\s+/g, ' ').slice(0, 30) : '');
    setStep(undefined);
    setNote('');
    setError(undefined);
  }, [x]);

  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      if (done) message.success(done);
      setTick((n) => n + 1);
      props.onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const manage = can('inbox.manage');
  const open = x && (x.status === 'new' || x.status === 'duplicate');
  const meta = (x?.meta ?? {}) as { from?: string; subject?: string; ticketNo?: string; type?: string; attachments?: { name: string; size: number; refused?: string }[] };

  return (
    <Drawer open={!!props.itemId} onClose={props.onClose} width={mobile ? '100%' : 560} title={t('inbox.pageTitle')} destroyOnHidden data-testid="inbox-drawer">
      {item.error ? <ErrorState error={item.error} onRetry={item.reload} /> : null}
      {!x && !item.error ? <LoadingBlock rows={6} /> : null}
      {x ? (
        <Flex vertical gap={16}>
          <Flex gap={6} wrap="wrap" align="center">
            <Tag color={STATUS_COLORS[x.status]} data-testid="inbox-item-status">{labels.status(x.status)}</Tag>
            <Tag>{labels.channel(x.channel)}</Tag>
            {x.category ? <Tag color="purple">{labels.category(x.category)}</Tag> : null}
            <Tag color={URGENCY_COLORS[x.urgency]}>{labels.urgency(x.urgency)}</Tag>
            {x.whistleNo ? <Tag color="green" data-testid="inbox-whistle-no">{t('inbox.whistle')} {x.whistleNo}</Tag> : null}
          </Flex>
          {x.subject ? <Typography.Text strong>{x.subject}</Typography.Text> : null}
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 15, margin: 0 }} data-testid="inbox-item-text">{x.text}</Typography.Paragraph>
          {x.photo ? <Image src={x.photo} alt={t('inbox.photo')} width={160} /> : null}
          {x.status === 'duplicate' && x.duplicateOf ? (
            <Alert type="info" showIcon message={t('inbox.duplicateOf')} action={<Button size="small" onClick={() => props.onOpen(x.duplicateOf!)}>{t('inbox.openOriginal')}</Button>} />
          ) : null}
          <Descriptions size="small" column={1} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label={t('inbox.received', { time: '' }).trim()}>{formatDateTime(x.receivedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('inbox.region')}>{x.regionName}</Descriptions.Item>
            {x.reporterName || x.reporterPhone ? <Descriptions.Item label={t('inbox.reporter')}>{[x.reporterName, x.reporterPhone].filter(Boolean).join(' · ')}</Descriptions.Item> : null}
            {x.address ? <Descriptions.Item label={t('inbox.address')}>{x.address}</Descriptions.Item> : null}
            {meta.from ? <Descriptions.Item label={t('inbox.from')}>{meta.from}</Descriptions.Item> : null}
            {meta.ticketNo ? <Descriptions.Item label={t('inbox.ticketNo')}>{meta.ticketNo}{meta.type ? `（${meta.type}）` : ''}</Descriptions.Item> : null}
            {x.deadlineAt ? <Descriptions.Item label={t('inbox.deadline')}>{formatDateTime(x.deadlineAt)}</Descriptions.Item> : null}
            <Descriptions.Item label={t('inbox.rule')}>
              {x.ruleName ? `${x.ruleName} · ` : ''}
              {t(`inbox.confidence.${x.confidence}`)}
              {x.matched.length ? <div>{x.matched.map((k) => <Tag key={k} style={{ marginTop: 4 }}>{k}</Tag>)}</div> : null}
            </Descriptions.Item>
            {meta.attachments?.length ? (
              <Descriptions.Item label={t('inbox.attachments')}>
                {meta.attachments.map((a) => (
                  <div key={a.name}>
                    {a.name}（{Math.ceil(a.size / 1024)} KB）{a.refused ? <Typography.Text type="danger"> {a.refused}</Typography.Text> : null}
                  </div>
                ))}
              </Descriptions.Item>
            ) : null}
            {x.handledBy && x.handledAt ? <Descriptions.Item label={t('inbox.note')}>{t('inbox.handledBy', { who: x.handledBy, time: formatDateTime(x.handledAt) })}{x.note ? `：${x.note}` : ''}</Descriptions.Item> : null}
          </Descriptions>
          {x.duplicates.length ? (
            <Flex vertical gap={4}>
              <Typography.Text type="secondary">{t('inbox.duplicates', { count: x.duplicates.length })}</Typography.Text>
              {x.duplicates.map((d) => (
                <Button key={d.id} type="link" size="small" style={{ padding: 0, alignSelf: 'flex-start' }} onClick={() => props.onOpen(d.id)}>
                  {labels.channel(d.channel)} · {formatDateTime(d.receivedAt)}
                </Button>
              ))}
            </Flex>
          ) : null}
          {error ? <Alert type="error" showIcon message={error} data-testid="inbox-error" /> : null}
          {manage && open ? (
            <Flex vertical gap={10}>
              <Flex gap={8} wrap="wrap">
                <Select value={category} onChange={setCategory} placeholder={t('inbox.chooseCategory')} options={labels.categoryOptions} style={{ minWidth: 150, flex: 1 }} data-testid="inbox-category" />
                <Select value={urgency} onChange={setUrgency} options={labels.urgencyOptions} style={{ width: 120 }} data-testid="inbox-urgency" />
                <Button
                  icon={<CheckOutlined />}
                  disabled={!category || busy}
                  onClick={() => void act(() => inboxApi.classify(x.id, { version: x.version, category: category!, ...(urgency ? { urgency } : {}) }), t('inbox.classified'))}
                  data-testid="inbox-classify"
                >
                  {t('inbox.classify')}
                </Button>
              </Flex>
              {step === 'route' ? (
                <Flex vertical gap={8}>
                  <Typography.Text type="secondary">{t('inbox.routeHint')}</Typography.Text>
                  <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={100} addonBefore={t('inbox.routeTitle')} data-testid="inbox-route-title" />
                  <Space>
                    <Button
                      type="primary"
                      icon={<SendOutlined />}
                      loading={busy}
                      disabled={!category || title.trim().length < 2}
                      onClick={() => void act(async () => {
                        const r = await inboxApi.route(x.id, { version: x.version, category: category!, ...(urgency ? { urgency } : {}), title: title.trim() });
                        message.success(t('inbox.routed', { no: r.whistleNo ?? '' }));
                      })}
                      data-testid="inbox-route-confirm"
                    >
                      {t('inbox.route')}
                    </Button>
                    <Button onClick={() => setStep(undefined)}>{t('common.cancel')}</Button>
                  </Space>
                </Flex>
              ) : step === 'dismiss' ? (
                <Flex vertical gap={8}>
                  <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('inbox.dismissReason')} maxLength={500} rows={2} data-testid="inbox-dismiss-note" />
                  <Space>
                    <Button danger loading={busy} disabled={note.trim().length < 2} onClick={() => void act(() => inboxApi.dismiss(x.id, { version: x.version, note: note.trim() }), t('inbox.dismissed'))} data-testid="inbox-dismiss-confirm">
                      {t('inbox.dismiss')}
                    </Button>
                    <Button onClick={() => setStep(undefined)}>{t('common.cancel')}</Button>
                  </Space>
                </Flex>
              ) : (
                <Flex gap={8} wrap="wrap">
                  {can('whistle.raise') ? (
                    <Button type="primary" icon={<SendOutlined />} disabled={!category} onClick={() => setStep('route')} data-testid="inbox-route" style={{ flex: mobile ? 1 : undefined }}>
                      {t('inbox.route')}
                    </Button>
                  ) : null}
                  <Button icon={<CloseOutlined />} onClick={() => setStep('dismiss')} data-testid="inbox-dismiss" style={{ flex: mobile ? 1 : undefined }}>
                    {t('inbox.dismiss')}
                  </Button>
                </Flex>
              )}
            </Flex>
          ) : null}
        </Flex>
      ) : null}
    </Drawer>
  );
}

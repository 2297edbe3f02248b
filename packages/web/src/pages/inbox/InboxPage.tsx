import { ReloadOutlined } from '@ant-design/icons';
import { INBOX_CHANNELS, INBOX_STATUSES, type InboxItem, type InboxListQuery } from '@gridline/shared';
import { Badge, Button, Card, Flex, Pagination, Segmented, Select, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/hooks';
import { inboxApi } from '../../api/inbox';
import { useLiveEvents } from '../../api/live';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { HotlineImportPanel, TokensPanel } from './IntakePanels';
import { InboxItemDrawer } from './InboxItemDrawer';
import { STATUS_COLORS, URGENCY_COLORS, useInboxLabels } from './inboxLabels';
import { RulesPanel } from './RulesPanel';
import { WebhooksPanel } from './WebhooksPanel';

function ItemCard({ item, onOpen }: { item: InboxItem; onOpen: (x: InboxItem) => void }) {
  const labels = useInboxLabels();
  return (
    <Card size="small" hoverable onClick={() => onOpen(item)} data-testid="inbox-item" styles={{ body: { padding: 12 } }}>
      <Flex vertical gap={6}>
        <Flex gap={4} wrap="wrap" align="center">
          <Tag color={STATUS_COLORS[item.status]}>{labels.status(item.status)}</Tag>
          <Tag>{labels.channel(item.channel)}</Tag>
          {item.category ? <Tag color="purple">{labels.category(item.category)}</Tag> : null}
          {item.urgency !== 'daily' ? <Tag color={URGENCY_COLORS[item.urgency]}>{labels.urgency(item.urgency)}</Tag> : null}
        </Flex>
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
          {item.subject ? <strong>{item.subject}：</strong> : null}
          {item.text}
        </Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(item.receivedAt)} · {item.regionName}
          {item.reporterName ? ` · ${item.reporterName}` : ''}
          {item.whistleNo ? ` · ${item.whistleNo}` : ''}
        </Typography.Text>
      </Flex>
    </Card>
  );
}

/** 线上一张网: every channel's requests in one list, with the keyword rules, the 12345 import and the access tokens. */
export default function InboxPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const mobile = useIsMobile();
  const labels = useInboxLabels();
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') ?? 'items';
  const status = (INBOX_STATUSES as readonly string[]).includes(sp.get('status') ?? '') ? (sp.get('status') as InboxListQuery['status']) : sp.get('status') === 'all' ? undefined : 'new';
  const channel = sp.get('channel') ?? undefined;
  const category = sp.get('category') ?? undefined;
  const page = Number(sp.get('page') ?? 1) || 1;
  const itemId = sp.get('id') ?? undefined;
  const [refresh, setRefresh] = useState(0);
  const query: InboxListQuery = { page, pageSize: 20, ...(status ? { status } : {}), ...(channel ? { channel: channel as InboxListQuery['channel'] } : {}) };
  if (category === 'none') query.uncategorized = true;
  else if (category) query.category = category as InboxListQuery['category'];
  const list = useApi((s) => inboxApi.list(query, s), [status, channel, category, page, refresh], tab === 'items');
  useLiveEvents(['notification'], (e) => {
    if (String(e.data.kind ?? '').startsWith('inbox.')) setRefresh((n) => n + 1);
  });
  const set = (patch: Record<string, string | undefined>) =>
    setSp((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      if (!('page' in patch)) next.delete('page');
      return next;
    });
  const c = list.data?.counts;
  const node = me?.nodePath[me.nodePath.length - 1]?.name;

  const items = (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap="wrap">
        <Segmented
          value={status ?? 'all'}
          onChange={(v) => set({ status: v === 'new' ? undefined : String(v) })}
          options={[...INBOX_STATUSES.map((s) => ({ value: s, label: <span>{t(`inbox.counts.${s}`)} <Badge count={c?.[s] ?? 0} showZero={false} size="small" color={s === 'new' ? '#1677ff' : '#bfbfbf'} /></span> })), { value: 'all', label: t('common.all', { defaultValue: '全部' }) }]}
          data-testid="inbox-status"
        />
        <Select allowClear value={channel} onChange={(v?: string) => set({ channel: v })} placeholder={t('inbox.allChannels')} style={{ width: 140 }} options={INBOX_CHANNELS.map((x) => ({ value: x, label: labels.channel(x) }))} data-testid="inbox-channel" />
        <Select allowClear value={category} onChange={(v?: string) => set({ category: v })} placeholder={t('inbox.allCategories')} style={{ width: 150 }} options={[{ value: 'none', label: t('inbox.uncategorized') }, ...labels.categoryOptions]} />
      </Flex>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={6} card /> : null}
      {list.data && list.data.items.length === 0 ? <EmptyState description={t('inbox.empty')} /> : null}
      {list.data && list.data.items.length > 0 ? (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))', gap: 10 }} data-testid="inbox-list">
          {list.data.items.map((x) => (
            <ItemCard key={x.id} item={x} onOpen={(i) => set({ id: i.id, page: sp.get('page') ?? undefined })} />
          ))}
        </div>
      ) : null}
      {list.data && list.data.total > list.data.pageSize ? (
        <Pagination current={page} pageSize={list.data.pageSize} total={list.data.total} simple={mobile} onChange={(p) => set({ page: String(p) })} style={{ alignSelf: 'center' }} />
      ) : null}
    </Flex>
  );

  const tabs = [
    { key: 'items', label: t('inbox.tabs.items'), children: items },
    { key: 'rules', label: t('inbox.tabs.rules'), children: <RulesPanel /> },
    ...(can('inbox.manage')
      ? [
          { key: 'import', label: t('inbox.tabs.import'), children: <HotlineImportPanel onImported={() => setRefresh((n) => n + 1)} /> },
          { key: 'tokens', label: t('inbox.tabs.tokens'), children: <TokensPanel /> },
          { key: 'webhooks', label: t('inbox.webhooks.tab'), children: <WebhooksPanel /> },
        ]
      : []),
  ];
  return (
    <PageContainer
      testId="inbox-page"
      title={t('inbox.pageTitle')}
      subTitle={node ? t('inbox.subtitle', { node }) : undefined}
      extra={<Button icon={<ReloadOutlined spin={list.loading} />} onClick={() => setRefresh((n) => n + 1)} aria-label={t('common.refresh')} />}
    >
      <Tabs activeKey={tab} onChange={(k) => set({ tab: k === 'items' ? undefined : k, id: undefined })} items={tabs} data-testid="inbox-tabs" />
      <InboxItemDrawer
        itemId={itemId}
        onClose={() => set({ id: undefined, page: sp.get('page') ?? undefined })}
        onChanged={() => setRefresh((n) => n + 1)}
        onOpen={(id) => set({ id, page: sp.get('page') ?? undefined })}
      />
    </PageContainer>
  );
}

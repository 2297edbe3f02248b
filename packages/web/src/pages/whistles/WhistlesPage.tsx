import { NotificationOutlined, ReloadOutlined } from '@ant-design/icons';
import { WHISTLE_STATUSES, type WhistleStatus, type WhistleSummary } from '@gridline/shared';
import { App, Badge, Button, Card, Checkbox, Col, Flex, Input, Pagination, Row, Select, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { whistlesApi } from '../../api/whistles';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { RaiseWhistleForm } from './RaiseWhistleForm';
import { STATUS_COLORS, URGENCY_COLORS, useWhistleLabels } from './whistleLabels';

/** Badges a tired user reads at a glance: urgency, status, overdue, escalated. */
export function WhistleBadges({ w }: { w: WhistleSummary }) {
  const { t } = useTranslation();
  const labels = useWhistleLabels();
  return (
    <Flex gap={4} wrap="wrap">
      <Tag color={URGENCY_COLORS[w.urgency]} style={{ marginInlineEnd: 0 }}>{labels.urgency(w.urgency)}</Tag>
      <Tag color={STATUS_COLORS[w.status]} style={{ marginInlineEnd: 0 }} data-testid="whistle-status">{labels.status(w.status)}</Tag>
      {w.overdue ? <Tag color="error" style={{ marginInlineEnd: 0 }} data-testid="whistle-overdue">{w.overdue === 'ack' ? t('whistles.overdueAck') : t('whistles.overdueResolve')}</Tag> : null}
      {w.escalated ? <Tag color="volcano" style={{ marginInlineEnd: 0 }} data-testid="whistle-escalated">{t('whistles.escalatedTo', { level: labels.level(w.level) })}</Tag> : null}
    </Flex>
  );
}

/** /whistles: the whistles I may see, open first, with counts, filters and the 吹哨 form. */
export default function WhistlesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const labels = useWhistleLabels();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const status = (sp.get('status') ?? undefined) as WhistleStatus | undefined;
  const urgency = sp.get('urgency') ?? undefined;
  const category = sp.get('category') ?? undefined;
  const overdue = sp.get('overdue') === '1';
  const escalated = sp.get('escalated') === '1';
  const q = sp.get('q') ?? undefined;
  const [page, setPage] = useState(1);
  const [refresh, setRefresh] = useState(0);
  const [raising, setRaising] = useState(sp.get('raise') === '1');
  const list = useApi(
    (s) => whistlesApi.list({ status: status ? [status] : undefined, urgency: urgency as never, category: category as never, overdue: overdue || undefined, escalated: escalated || undefined, q, page, pageSize: 20 }, s),
    [status, urgency, category, overdue, escalated, q, page, refresh],
  );
  useLiveEvents(['whistle.changed'], () => setRefresh((n) => n + 1));
  const set = (key: string, value: string | undefined) => {
    setPage(1);
    setSp((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  };
  const open = (w: WhistleSummary) => navigate(`/whistles/${w.id}`);
  const counts = list.data?.counts;
  const countKeys = ['pendingAck', 'handling', 'awaitingRating', 'overdue', 'escalated'] as const;
  const countFilter: Record<(typeof countKeys)[number], () => void> = {
    pendingAck: () => set('status', 'pending_ack'), handling: () => set('status', 'acknowledged'), awaitingRating: () => set('status', 'resolved'),
    overdue: () => set('overdue', overdue ? undefined : '1'), escalated: () => set('escalated', escalated ? undefined : '1'),
  };

  return (
    <PageContainer
      testId="whistles-page"
      title={t('whistles.title')}
      subTitle={t('whistles.subtitle')}
      extra={
        <>
          <Button icon={<ReloadOutlined spin={list.loading} />} onClick={() => setRefresh((n) => n + 1)} aria-label={t('common.refresh')} />
          {can('whistle.raise') ? (
            <Button type="primary" danger icon={<NotificationOutlined />} onClick={() => setRaising(true)} data-testid="whistle-raise" size={mobile ? 'large' : undefined}>
              {t('whistles.raise')}
            </Button>
          ) : null}
        </>
      }
    >
      <Row gutter={mobile ? [8, 8] : [12, 12]} style={{ marginBottom: 12 }}>
        {countKeys.map((k) => (
          <Col key={k} xs={8} sm={8} md={4} flex={mobile ? undefined : 1}>
            <Card size="small" hoverable onClick={countFilter[k]} styles={mobile ? { body: { padding: '6px 10px' } } : undefined}>
              <Statistic
                title={<span style={mobile ? { fontSize: 12 } : undefined}>{t(`whistles.counts.${k}`)}</span>}
                value={counts ? counts[k] : '—'}
                valueStyle={{ fontSize: mobile ? 18 : undefined, color: (k === 'overdue' || k === 'escalated') && counts?.[k] ? '#cf1322' : undefined }}
                data-testid={`whistle-count-${k}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Flex gap={8} wrap="wrap" style={{ marginBottom: 12 }} align="center">
        <Input.Search allowClear defaultValue={q} placeholder={t('whistles.searchPlaceholder')} onSearch={(v) => set('q', v.trim() || undefined)} style={{ width: mobile ? '100%' : 220 }} />
        <Select allowClear value={status} onChange={(v?: string) => set('status', v)} placeholder={t('whistles.anyStatus')} style={{ width: 130 }} options={WHISTLE_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))} data-testid="whistle-filter-status" />
        <Select allowClear value={urgency} onChange={(v?: string) => set('urgency', v)} placeholder={t('whistles.anyUrgency')} style={{ width: 120 }} options={labels.urgencyOptions} />
        <Select allowClear value={category} onChange={(v?: string) => set('category', v)} placeholder={t('whistles.anyCategory')} style={{ width: 130 }} options={labels.categoryOptions} />
        <Checkbox checked={overdue} onChange={(e) => set('overdue', e.target.checked ? '1' : undefined)} data-testid="whistle-filter-overdue">{t('whistles.onlyOverdue')}</Checkbox>
        <Checkbox checked={escalated} onChange={(e) => set('escalated', e.target.checked ? '1' : undefined)} data-testid="whistle-filter-escalated">{t('whistles.onlyEscalated')}</Checkbox>
      </Flex>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={6} card /> : null}
      {list.data && list.data.total === 0 ? <EmptyState description={t('whistles.empty')} /> : null}
      {list.data && list.data.total > 0 && mobile ? (
        <Flex vertical gap={10} data-testid="whistles-cards">
          {list.data.items.map((w) => (
            <Badge.Ribbon key={w.id} text={w.escalated ? labels.level(w.level) : undefined} color="volcano" style={{ display: w.escalated ? undefined : 'none' }}>
              <Card size="small" hoverable onClick={() => open(w)} data-testid="whistle-row">
                <Typography.Text strong style={{ fontSize: 16, display: 'block', paddingRight: w.escalated ? 48 : 0 }}>{w.title}</Typography.Text>
                <div style={{ margin: '6px 0' }}><WhistleBadges w={w} /></div>
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                  {w.no} · {labels.category(w.category)} · {w.department?.name ?? t('whistles.fallback')}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {w.regionName} · {formatDateTime(w.createdAt)}
                </Typography.Text>
              </Card>
            </Badge.Ribbon>
          ))}
          <Pagination simple align="center" current={page} pageSize={20} total={list.data.total} onChange={setPage} hideOnSinglePage />
        </Flex>
      ) : null}
      {list.data && list.data.total > 0 && !mobile ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<WhistleSummary>
            rowKey="id"
            dataSource={list.data.items}
            pagination={{ current: page, pageSize: 20, total: list.data.total, onChange: setPage, hideOnSinglePage: true }}
            onRow={(w) => ({ onClick: () => open(w), style: { cursor: 'pointer' }, 'data-testid': 'whistle-row' }) as never}
            scroll={{ x: 'max-content' }}
            data-testid="whistles-table"
            columns={[
              { title: t('whistles.fields.no'), dataIndex: 'no', key: 'no', width: 150 },
              { title: t('whistles.fields.title'), key: 'title', render: (_: unknown, w) => <Typography.Text strong>{w.title}</Typography.Text> },
              { title: t('whistles.fields.status'), key: 'badges', render: (_: unknown, w) => <WhistleBadges w={w} /> },
              { title: t('whistles.fields.category'), key: 'category', render: (_: unknown, w) => labels.category(w.category) },
              { title: t('whistles.fields.department'), key: 'dept', render: (_: unknown, w) => w.department?.name ?? <Typography.Text type="warning">{t('whistles.fallback')}</Typography.Text> },
              { title: t('whistles.fields.region'), dataIndex: 'regionName', key: 'region' },
              { title: t('whistles.fields.createdAt'), key: 'created', render: (_: unknown, w) => formatDateTime(w.createdAt) },
              {
                title: t('whistles.fields.ackDueAt'), key: 'due',
                render: (_: unknown, w) => (w.status === 'pending_ack' ? formatDateTime(w.ackDueAt) : w.status === 'acknowledged' ? `${t('whistles.fields.resolveDueAt')} ${formatDateTime(w.resolveDueAt)}` : '—'),
              },
            ]}
          />
        </Card>
      ) : null}
      <RaiseWhistleForm
        open={raising}
        onClose={() => setRaising(false)}
        onRaised={(r, failed) => {
          setRaising(false);
          setRefresh((n) => n + 1);
          void message.success(r.departmentId ? t('whistles.raised', { no: r.no }) : t('whistles.raisedFallback', { no: r.no }));
          for (const f of failed) void message.error(f);
          navigate(`/whistles/${r.id}`);
        }}
      />
    </PageContainer>
  );
}

import { MobileOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import type { CampaignStatus } from '@gridline/shared';
import { Button, Card, Flex, Pagination, Progress, Segmented, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useApi } from '../../api/hooks';
import { screeningApi, type Campaign } from '../../api/screening';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { CampaignDrawer } from './CampaignDrawer';

export const STATUS_COLOR: Record<CampaignStatus, string> = { draft: 'default', active: 'processing', closed: 'success' };

export function CoverageCell({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const pct = Math.round(c.totals.coverage * 100);
  return (
    <div style={{ minWidth: 140 }}>
      <Progress percent={pct} size="small" status={c.status === 'active' ? 'active' : 'normal'} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('screening.list.visitedOf', { visited: c.totals.visited, total: c.totals.householdsTotal })}
      </Typography.Text>
    </div>
  );
}

/** 入户排查: campaigns covering my jurisdiction, with their coverage; leads start new ones, grid workers go to the field app. */
export default function ScreeningPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const [status, setStatus] = useState<CampaignStatus | 'all'>('all');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const list = useApi((s) => screeningApi.list({ ...(status === 'all' ? {} : { status }), page, pageSize: 20 }, s), [status, page]);
  const open = (c: Campaign) => navigate(`/screening/${c.id}`);

  const extra = (
    <>
      {can('screening.visit') ? (
        <Button icon={<MobileOutlined />} onClick={() => navigate('/field')} data-testid="open-field">{t('screening.list.field')}</Button>
      ) : null}
      {can('screening.manage') ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="campaign-new">{t('screening.list.new')}</Button>
      ) : null}
    </>
  );
  const body = (() => {
    if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
    if (!list.data) return <LoadingBlock rows={6} card />;
    if (list.data.items.length === 0) return <Card><EmptyState description={t('screening.list.empty')} /></Card>;
    if (mobile) {
      return list.data.items.map((c) => (
        <Card key={c.id} size="small" hoverable onClick={() => open(c)} style={{ marginBottom: 10 }} data-testid="campaign-card">
          <Flex justify="space-between" align="center" gap={8}>
            <Typography.Text strong>{c.name}</Typography.Text>
            <Tag color={STATUS_COLOR[c.status]}>{t(`screening.status.${c.status}`)}</Tag>
          </Flex>
          <Typography.Text type="secondary">{c.nodeName} · {c.startsOn} ~ {c.endsOn}</Typography.Text>
          <CoverageCell c={c} />
          <RightOutlined className="muted" style={{ float: 'right', marginTop: -20 }} />
        </Card>
      ));
    }
    return (
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Campaign>
          rowKey="id"
          dataSource={list.data.items}
          pagination={false}
          data-testid="campaign-table"
          onRow={(c) => ({ onClick: () => open(c), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('screening.list.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: t('screening.list.node'), dataIndex: 'nodeName' },
            { title: t('screening.list.dates'), key: 'dates', render: (_, c) => <span className="nowrap">{c.startsOn} ~ {c.endsOn}</span> },
            { title: t('screening.list.status'), dataIndex: 'status', render: (s: CampaignStatus) => <Tag color={STATUS_COLOR[s]}>{t(`screening.status.${s}`)}</Tag> },
            { title: t('screening.list.coverage'), key: 'coverage', render: (_, c) => <CoverageCell c={c} /> },
            { title: t('screening.list.abnormal'), key: 'abnormal', align: 'right', render: (_, c) => (c.totals.abnormalResidents ? <Tag color="orange">{c.totals.abnormalResidents}</Tag> : '—') },
            { title: '', key: 'go', width: 32, render: () => <RightOutlined className="muted" /> },
          ]}
        />
      </Card>
    );
  })();

  return (
    <PageContainer title={t('screening.title')} subTitle={t('screening.subtitle')} extra={extra} testId="screening-page">
      <Segmented<CampaignStatus | 'all'>
        value={status}
        onChange={(v) => { setStatus(v); setPage(1); }}
        style={{ marginBottom: 12 }}
        options={(['all', 'active', 'draft', 'closed'] as const).map((s) => ({ value: s, label: s === 'all' ? t('common.all') : t(`screening.status.${s}`) }))}
      />
      {body}
      {list.data && list.data.total > 20 ? <Pagination style={{ marginTop: 12 }} current={page} total={list.data.total} pageSize={20} onChange={setPage} showSizeChanger={false} /> : null}
      <CampaignDrawer open={creating} onClose={() => setCreating(false)} onSaved={(c) => { setCreating(false); navigate(`/screening/${c.id}`); }} />
    </PageContainer>
  );
}

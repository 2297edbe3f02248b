import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { ORIGIN_RISKS, type Arrival } from '@gridline/shared';
import { Button, Card, Flex, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { arrivalsApi } from '../../api/arrivals';
import { useApi } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { useHealthLabels } from '../health/healthLabels';
import { ArrivalDrawer } from './ArrivalDrawer';
import { ArrivalForm } from './ArrivalForm';

const RISK_COLORS = { high: 'red', medium: 'orange', low: 'green' } as const;

/** 来返人员: arrival reports under my node with what the protocol required; report a new one. */
export default function ArrivalsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const labels = useHealthLabels();
  const [sp, setSp] = useSearchParams();
  const node = sp.get('node') ?? undefined;
  const risk = sp.get('risk') ?? undefined;
  const arrivalId = sp.get('arrival') ?? undefined;
  const [page, setPage] = useState(1);
  const [refresh, setRefresh] = useState(0);
  const [creating, setCreating] = useState(false);
  const list = useApi((s) => arrivalsApi.list({ node, originRisk: risk as Arrival['originRisk'] | undefined, page, pageSize: 20 }, s), [node, risk, page, refresh]);
  const set = (key: string, value: string | undefined) =>
    setSp((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });

  const planCell = (a: Arrival) => (
    <span>
      {a.status === 'cancelled' ? <Tag>{t('arrivals.status.cancelled')}</Tag> : null}
      <Typography.Text type={a.status === 'cancelled' ? 'secondary' : undefined} delete={a.status === 'cancelled'}>
        {labels.plan(a.plan)}
      </Typography.Text>
    </span>
  );

  return (
    <PageContainer
      testId="arrivals-page"
      title={t('arrivals.title')}
      subTitle={t('arrivals.subtitle')}
      extra={
        <>
          <RegionPicker value={node} onChange={(c) => set('node', c)} maxLevel="grid" placeholder={t('health.allUnderMe')} style={{ width: mobile ? '100%' : 200 }} />
          <Select allowClear value={risk} onChange={(v?: string) => set('risk', v)} placeholder={t('arrivals.anyRisk')} style={{ width: 150 }} options={ORIGIN_RISKS.map((r) => ({ value: r, label: labels.risk(r) }))} />
          <Button icon={<ReloadOutlined spin={list.loading} />} onClick={() => setRefresh((n) => n + 1)} aria-label={t('common.refresh')} />
          {can('arrival.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="arrival-create">
              {t('arrivals.create')}
            </Button>
          ) : null}
        </>
      }
    >
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={6} card /> : null}
      {list.data && list.data.total === 0 ? <EmptyState description={t('arrivals.empty')} /> : null}
      {list.data && list.data.total > 0 && mobile ? (
        <Flex vertical gap={10} data-testid="arrivals-cards">
          {list.data.items.map((a) => (
            <Card key={a.id} size="small" hoverable onClick={() => set('arrival', a.id)} data-testid="arrival-card">
              <Flex justify="space-between" gap={8}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {a.resident.name}
                </Typography.Text>
                <Tag color={RISK_COLORS[a.originRisk]} style={{ marginInlineEnd: 0 }}>
                  {labels.risk(a.originRisk)}
                </Tag>
              </Flex>
              <Typography.Text type="secondary">
                {a.arrivalDate} · {a.originName} · {labels.transport(a.transport)} {a.transportNo}
              </Typography.Text>
              <div style={{ marginTop: 6 }}>{planCell(a)}</div>
            </Card>
          ))}
        </Flex>
      ) : null}
      {list.data && list.data.total > 0 && !mobile ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<Arrival>
            rowKey="id"
            dataSource={list.data.items}
            pagination={{ current: page, pageSize: 20, total: list.data.total, onChange: setPage, hideOnSinglePage: true }}
            onRow={(a) => ({ onClick: () => set('arrival', a.id), style: { cursor: 'pointer' } })}
            scroll={{ x: 'max-content' }}
            data-testid="arrivals-table"
            columns={[
              { title: t('fields.name'), key: 'name', render: (_: unknown, a) => <Typography.Text strong>{a.resident.name}</Typography.Text> },
              { title: t('arrivals.arrivalDate'), dataIndex: 'arrivalDate', key: 'date', width: 110 },
              { title: t('arrivals.originName'), key: 'origin', render: (_: unknown, a) => <span>{a.originName} <Tag color={RISK_COLORS[a.originRisk]}>{labels.risk(a.originRisk)}</Tag></span> },
              { title: t('arrivals.transport'), key: 'transport', render: (_: unknown, a) => `${labels.transport(a.transport)} ${a.transportNo}`.trim() },
              { title: t('arrivals.consequence'), key: 'plan', render: (_: unknown, a) => planCell(a) },
              { title: t('arrivals.tasks'), key: 'tasks', width: 90, render: (_: unknown, a) => (a.tasks.length ? `${a.tasks.filter((x) => x.status === 'done').length}/${a.tasks.length}` : '—') },
            ]}
          />
        </Card>
      ) : null}
      <ArrivalForm
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(a) => {
          setCreating(false);
          setRefresh((n) => n + 1);
          set('arrival', a.id);
        }}
      />
      <ArrivalDrawer arrivalId={arrivalId} onClose={() => set('arrival', undefined)} onChanged={() => setRefresh((n) => n + 1)} />
    </PageContainer>
  );
}

import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { MEASURE_STATUSES, untilZh } from '@gridline/shared';
import { Button, Card, Flex, Select, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/hooks';
import { measuresApi, type Measure } from '../../api/measures';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { AppealsTab } from './AppealsTab';
import { AreasTab } from './AreasTab';
import { ComplianceTab } from './ComplianceTab';
import { MeasureDrawer, STATUS_COLORS } from './MeasureDrawer';
import { MeasureForm } from './MeasureForm';
import { ProposalsTab } from './ProposalsTab';
import { ReleasesTab } from './ReleasesTab';
import { SitesTab } from './SitesTab';

/** 管控措施: measures under my node (the pending ones to approve first), appeals and complaints; impose a measure. */
export default function MeasuresPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') ?? 'all';
  const status = tab === 'pending' ? 'pending' : (sp.get('status') ?? undefined);
  const measureId = sp.get('measure') ?? undefined;
  const [page, setPage] = useState(1);
  const [refresh, setRefresh] = useState(0);
  const [creating, setCreating] = useState(false);
  const list = useApi((s) => measuresApi.list({ status: status as Measure['status'] | undefined, page, pageSize: 20 }, s), [status, page, refresh], tab === 'all' || tab === 'pending');
  const set = (key: string, value: string | undefined) =>
    setSp((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });

  const who = (m: Measure) =>
    m.resident?.name ?? `${t('measures.kind.area_control')} ${m.regionCode}${m.residentsAffected === undefined ? '' : ` · ${t('measures.areas.residentsCount', { count: m.residentsAffected })}`}`;
  const statusTag = (m: Measure) => <Tag color={m.inForce ? 'red' : STATUS_COLORS[m.status]}>{m.inForce ? t('measures.inForce') : t(`measures.status.${m.status}`)}</Tag>;
  const listView = (
    <>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={6} card /> : null}
      {list.data && list.data.total === 0 ? <EmptyState description={t('measures.empty')} /> : null}
      {list.data && list.data.total > 0 && mobile ? (
        <Flex vertical gap={10} data-testid="measures-cards">
          {list.data.items.map((m) => (
            <Card key={m.id} size="small" hoverable onClick={() => set('measure', m.id)} data-testid="measure-card">
              <Flex justify="space-between" gap={8}>
                <Typography.Text strong style={{ fontSize: 16 }}>{who(m)}</Typography.Text>
                {statusTag(m)}
              </Flex>
              <Typography.Text type="secondary">{t(`measures.kind.${m.kind}`)} · {t('measures.until', { date: untilZh(m.endedAt ?? m.plannedEndAt) })}</Typography.Text>
              {m.proportionate ? null : <div><Tag color="orange" style={{ marginTop: 6 }}>{t('measures.beyondTag')}</Tag></div>}
            </Card>
          ))}
        </Flex>
      ) : null}
      {list.data && list.data.total > 0 && !mobile ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<Measure>
            rowKey="id"
            dataSource={list.data.items}
            pagination={{ current: page, pageSize: 20, total: list.data.total, onChange: setPage, hideOnSinglePage: true }}
            onRow={(m) => ({ onClick: () => set('measure', m.id), style: { cursor: 'pointer' } })}
            scroll={{ x: 'max-content' }}
            data-testid="measures-table"
            columns={[
              { title: t('measures.fields.person'), key: 'who', render: (_: unknown, m) => <Typography.Text strong>{who(m)}</Typography.Text> },
              { title: t('measures.fields.measure'), key: 'kind', render: (_: unknown, m) => t(`measures.kind.${m.kind}`) },
              { title: t('measures.fields.period'), key: 'period', render: (_: unknown, m) => t('measures.until', { date: untilZh(m.endedAt ?? m.plannedEndAt) }) },
              { title: t('measures.fields.requiredApproval'), key: 'approval', render: (_: unknown, m) => <span>{t(`measures.approval.${m.requiredApproval}`)}{m.proportionate ? null : <Tag color="orange" style={{ marginInlineStart: 6 }}>{t('measures.beyondTag')}</Tag>}</span> },
              { title: '', key: 'status', render: (_: unknown, m) => statusTag(m) },
            ]}
          />
        </Card>
      ) : null}
    </>
  );

  return (
    <PageContainer
      testId="measures-page"
      title={t('measures.title')}
      subTitle={t('measures.subtitle')}
      extra={
        <>
          {tab === 'all' ? (
            <Select allowClear value={status} onChange={(v?: string) => set('status', v)} placeholder={t('measures.anyStatus')} style={{ width: 140 }} options={MEASURE_STATUSES.map((s) => ({ value: s, label: t(`measures.status.${s}`) }))} />
          ) : null}
          <Button icon={<ReloadOutlined spin={list.loading} />} onClick={() => setRefresh((n) => n + 1)} aria-label={t('common.refresh')} />
          {can('measure.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="measure-create">
              {t('measures.create')}
            </Button>
          ) : null}
        </>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => set('tab', k === 'all' ? undefined : k)}
        items={[
          { key: 'all', label: t('measures.tabs.all'), children: tab === 'all' ? listView : null },
          { key: 'pending', label: t('measures.tabs.pending'), children: tab === 'pending' ? listView : null },
          { key: 'areas', label: t('measures.areas.tab'), children: tab === 'areas' ? <AreasTab onMeasure={(id) => set('measure', id)} /> : null },
          ...(can('measure.write')
            ? [{
                key: 'proposals', label: t('measures.proposals.tab'),
                children: tab === 'proposals' ? <ProposalsTab caseId={sp.get('case') ?? undefined} onClearCase={() => set('case', undefined)} onMeasure={(id) => set('measure', id)} onImposed={() => setRefresh((n) => n + 1)} /> : null,
              }]
            : []),
          { key: 'sites', label: t('measures.sites.tab'), children: tab === 'sites' ? <SitesTab onMeasure={(id) => set('measure', id)} /> : null },
          { key: 'releases', label: t('measures.lifecycle.tab'), children: tab === 'releases' ? <ReleasesTab refreshKey={refresh} onMeasure={(id) => set('measure', id)} onReleased={() => setRefresh((n) => n + 1)} /> : null },
          ...(can('appeal.read') ? [{ key: 'appeals', label: t('measures.tabs.appeals'), children: tab === 'appeals' ? <AppealsTab onMeasure={(id) => set('measure', id)} /> : null }] : []),
          { key: 'compliance', label: t('measures.compliance.tab'), children: tab === 'compliance' ? <ComplianceTab /> : null },
        ]}
      />
      <MeasureForm
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(m) => {
          setCreating(false);
          setRefresh((n) => n + 1);
          set('measure', m.id);
        }}
      />
      <MeasureDrawer measureId={measureId} onClose={() => set('measure', undefined)} onChanged={() => setRefresh((n) => n + 1)} />
    </PageContainer>
  );
}

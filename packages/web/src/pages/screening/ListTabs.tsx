import { describeReason, type AbnormalResident, type FollowUpHousehold, type GridProgress, type Questionnaire } from '@gridline/shared';
import { Flex, Segmented, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/hooks';
import { screeningApi } from '../../api/screening';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState } from '../../components/states';
import { isZh } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';

function GridFilter({ grids, value, onChange }: { grids: GridProgress[]; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const { t } = useTranslation();
  return (
    <Select allowClear placeholder={t('screening.lists.allGrids')} style={{ minWidth: 200 }} value={value} onChange={onChange} data-testid="grid-filter"
      options={grids.map((g) => ({ value: g.gridCode, label: `${g.communityName} ${g.gridName}` }))} />
  );
}

/** 未走访户: households never reached or with nobody home, for follow-up (by grid, by state). */
export function FollowUpTab({ campaignId, grids, grid, onGrid, refreshKey }: { campaignId: string; grids: GridProgress[]; grid: string | undefined; onGrid: (g: string | undefined) => void; refreshKey: number }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const [state, setState] = useState<'all' | 'pending' | 'nobody_home'>('all');
  const [page, setPage] = useState(1);
  const list = useApi((s) => screeningApi.followUp(campaignId, { ...(grid ? { grid } : {}), ...(state === 'all' ? {} : { state }), page, pageSize: 20 }, s), [campaignId, grid, state, page, refreshKey]);
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  return (
    <>
      <Flex gap={8} wrap="wrap" style={{ marginBottom: 12 }}>
        <GridFilter grids={grids} value={grid} onChange={(g) => { onGrid(g); setPage(1); }} />
        <Segmented value={state} onChange={(v) => { setState(v as typeof state); setPage(1); }}
          options={[{ value: 'all', label: t('common.all') }, { value: 'pending', label: t('screening.state.pending') }, { value: 'nobody_home', label: t('screening.state.nobody_home') }]} />
      </Flex>
      <Table<FollowUpHousehold>
        rowKey="id" size="middle" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="follow-up-table" scroll={{ x: mobile ? 640 : undefined }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('screening.lists.totalHouseholds', { count: n }) }}
        columns={[
          { title: t('screening.lists.address'), dataIndex: 'address' },
          { title: t('screening.progress.grid'), dataIndex: 'gridName', render: (v: string) => <span className="nowrap">{v}</span> },
          { title: t('screening.lists.state'), dataIndex: 'state', render: (s: FollowUpHousehold['state']) => <Tag color={s === 'nobody_home' ? 'orange' : 'default'}>{t(`screening.state.${s}`)}</Tag> },
          { title: t('screening.lists.revisitOn'), dataIndex: 'revisitOn', render: (v: string | null) => v ?? '—' },
          { title: t('screening.lists.lastVisit'), dataIndex: 'lastVisitedAt', render: (v: number | null) => formatDateTime(v) },
          { title: t('screening.lists.members'), dataIndex: 'members', align: 'right' },
        ]}
      />
    </>
  );
}

/** 异常人员: residents whose standing answers need follow-up (symptoms, special needs, a positive test, flagged answers). */
export function AbnormalTab({ campaignId, questionnaire, grids, grid, onGrid, refreshKey }: { campaignId: string; questionnaire: Questionnaire; grids: GridProgress[]; grid: string | undefined; onGrid: (g: string | undefined) => void; refreshKey: number }) {
  const { t, i18n } = useTranslation();
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  const list = useApi((s) => screeningApi.abnormal(campaignId, { ...(grid ? { grid } : {}), page, pageSize: 20 }, s), [campaignId, grid, page, refreshKey]);
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  const lang = isZh(i18n.language) ? 'zh' : 'en';
  return (
    <>
      <Flex gap={8} style={{ marginBottom: 12 }}>
        <GridFilter grids={grids} value={grid} onChange={(g) => { onGrid(g); setPage(1); }} />
      </Flex>
      <Table<AbnormalResident>
        rowKey={(r) => `${r.householdId}:${r.residentId}`} size="middle" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="abnormal-table" scroll={{ x: mobile ? 640 : undefined }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('screening.lists.name'), dataIndex: 'name', render: (v: string) => <span className="nowrap">{v}</span> },
          { title: t('screening.lists.address'), dataIndex: 'address' },
          { title: t('screening.lists.reasons'), dataIndex: 'reasons', render: (r: string[]) => <Flex gap={4} wrap="wrap">{r.map((code) => <Tag key={code} color="orange" style={{ marginInlineEnd: 0 }}>{describeReason(questionnaire, code, lang)}</Tag>)}</Flex> },
          { title: t('screening.lists.visitedAt'), dataIndex: 'visitedAt', render: (v: number) => <span className="nowrap">{formatDateTime(v)}</span> },
          { title: t('screening.lists.visitedBy'), dataIndex: 'visitedByName' },
        ]}
      />
    </>
  );
}

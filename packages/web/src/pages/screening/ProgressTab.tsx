import { EnvironmentOutlined, TableOutlined } from '@ant-design/icons';
import { coverageBand, type GridProgress } from '@gridline/shared';
import { Card, Progress, Table, Tag, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { systemApi } from '../../api/endpoints';
import { useApi } from '../../api/hooks';
import { screeningApi, type CampaignProgress } from '../../api/screening';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { BAND_COLOURS } from './coverage-colours';

const CoverageMap = lazy(() => import('./CoverageMap'));

/** Coverage per grid: the map coloured by coverage, and the table with every count (a tap on the map picks a grid). */
export function ProgressTab({ campaignId, progress, onPickGrid, refreshKey }: { campaignId: string; progress: CampaignProgress | undefined; onPickGrid: (code: string) => void; refreshKey: number }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const map = useApi((s) => screeningApi.map(campaignId, s), [campaignId, refreshKey]);
  const config = useApi((s) => systemApi.config(s), []);
  const mapBody = map.error ? (
    <ErrorState error={map.error} onRetry={map.reload} compact />
  ) : !map.data ? (
    <LoadingBlock rows={8} />
  ) : map.data.features.length === 0 ? (
    <EmptyState description={t('screening.map.noBoundaries')} />
  ) : (
    <Suspense fallback={<LoadingBlock rows={8} />}>
      <CoverageMap data={map.data} config={config.data} onPick={onPickGrid} />
    </Suspense>
  );
  return (
    <>
      <Card size="small" title={<span><EnvironmentOutlined /> {t('screening.map.title')}</span>} style={{ marginBottom: 12 }} data-testid="coverage-map-card">
        {mapBody}
      </Card>
      <Card size="small" title={<span><TableOutlined /> {t('screening.progress.table')}</span>} styles={{ body: { padding: 0 } }}>
        {!progress ? (
          <LoadingBlock rows={6} />
        ) : (
          <Table<GridProgress>
            rowKey="gridCode"
            size="middle"
            dataSource={progress.grids}
            pagination={false}
            scroll={{ x: mobile ? 720 : undefined }}
            data-testid="progress-table"
            onRow={(g) => ({ onClick: () => onPickGrid(g.gridCode), style: { cursor: 'pointer' } })}
            columns={[
              {
                title: t('screening.progress.grid'), key: 'grid', fixed: mobile ? 'left' : undefined,
                render: (_, g) => (<span className="nowrap"><i style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, marginRight: 6, background: BAND_COLOURS[coverageBand(g.coverage)] }} />{g.communityName} {g.gridName}</span>),
              },
              { title: t('screening.progress.workers'), key: 'workers', render: (_, g) => g.workers.map((w) => w.displayName).join('、') || <Typography.Text type="warning">{t('screening.progress.unassigned')}</Typography.Text> },
              { title: t('screening.progress.total'), dataIndex: 'householdsTotal', align: 'right' },
              { title: t('screening.progress.visited'), dataIndex: 'visited', align: 'right' },
              { title: t('screening.progress.nobodyHome'), dataIndex: 'nobodyHome', align: 'right' },
              { title: t('screening.progress.notReached'), dataIndex: 'notReached', align: 'right' },
              { title: t('screening.progress.coverage'), dataIndex: 'coverage', width: 150, render: (v: number) => <Progress percent={Math.round(v * 100)} size="small" strokeColor={BAND_COLOURS[coverageBand(v)]} /> },
              { title: t('screening.progress.screened'), dataIndex: 'residentsScreened', align: 'right' },
              { title: t('screening.progress.abnormal'), dataIndex: 'abnormalResidents', align: 'right', render: (v: number) => (v ? <Tag color="orange" style={{ marginInlineEnd: 0 }}>{v}</Tag> : '0') },
            ]}
          />
        )}
      </Card>
    </>
  );
}

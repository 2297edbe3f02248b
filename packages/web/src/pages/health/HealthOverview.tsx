import type { HealthSummary } from '@gridline/shared';
import { Card, Col, Flex, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { healthApi, type HealthReport } from '../../api/health';
import { useApi } from '../../api/hooks';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { useHealthLabels } from './healthLabels';

type GridRow = HealthSummary['grids'][number];

/** Today at a glance: four counts, the table per grid, and today's abnormal reports. */
export function HealthOverview(props: { summary: HealthSummary | undefined; node: string | undefined; refresh: number; onShowMissing: (grid?: string) => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const labels = useHealthLabels();
  const s = props.summary;
  const abnormal = useApi((sig) => healthApi.reports({ node: props.node, day: s?.day, abnormal: true, pageSize: 50 }, sig), [props.node, s?.day, props.refresh], !!s);
  if (!s) return <LoadingBlock rows={6} card />;
  const stat = (key: string, value: number, color?: string, onClick?: () => void) => (
    <Col xs={12} md={6}>
      <Card size="small" hoverable={!!onClick} onClick={onClick} data-testid={`health-stat-${key}`}>
        <Statistic title={t(`health.stats.${key}`)} value={value} styles={{ content: color ? { color } : {} }} />
      </Card>
    </Col>
  );
  const columns = [
    { title: t('health.grid'), dataIndex: 'name', key: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('health.stats.required'), dataIndex: 'required', key: 'required', width: 90 },
    {
      title: t('health.stats.missing'),
      dataIndex: 'missing',
      key: 'missing',
      width: 90,
      render: (v: number, g: GridRow) => (v ? <a onClick={() => props.onShowMissing(g.code)} style={{ color: '#cf1322', fontWeight: 600 }}>{v}</a> : <Typography.Text type="secondary">0</Typography.Text>),
    },
    { title: t('health.stats.reports'), dataIndex: 'reports', key: 'reports', width: 90 },
    { title: t('health.stats.abnormal'), dataIndex: 'abnormal', key: 'abnormal', width: 90, render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0) },
  ];
  return (
    <Flex vertical gap={16}>
      <Row gutter={[12, 12]}>
        {stat('reports', s.totals.reports)}
        {stat('abnormal', s.totals.abnormal, s.totals.abnormal ? '#cf1322' : undefined)}
        {stat('required', s.totals.required)}
        {stat('missing', s.totals.missing, s.totals.missing ? '#d46b08' : undefined, () => props.onShowMissing())}
      </Row>
      <Card size="small" title={t('health.abnormalToday')} data-testid="health-abnormal">
        {abnormal.error ? <ErrorState error={abnormal.error} onRetry={abnormal.reload} compact /> : null}
        {abnormal.data && abnormal.data.items.length === 0 ? <EmptyState description={t('health.noAbnormal')} /> : null}
        {abnormal.data && abnormal.data.items.length > 0 ? (
          <List<HealthReport>
            dataSource={abnormal.data.items}
            renderItem={(r) => (
              <List.Item key={r.id} data-testid="health-abnormal-item">
                <Flex vertical style={{ minWidth: 0 }}>
                  <Flex gap={8} align="baseline" wrap="wrap">
                    <Typography.Text strong>{r.residentName}</Typography.Text>
                    <Typography.Text style={{ color: '#cf1322', fontWeight: 600 }}>{r.temperatureC.toFixed(1)}℃</Typography.Text>
                    <Typography.Text type="secondary">{labels.reasons(r.abnormalReasons)}</Typography.Text>
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`health.by.${r.reportedBy.kind}`, { name: r.reportedBy.name })} · {formatDateTime(r.reportedAt)}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        ) : null}
      </Card>
      <Card size="small" title={t('health.perGrid')} styles={{ body: { padding: 0 } }}>
        <Table<GridRow> rowKey="code" size={mobile ? 'small' : 'middle'} dataSource={s.grids} columns={columns} pagination={s.grids.length > 20 ? { pageSize: 20 } : false} scroll={{ x: 'max-content' }} data-testid="health-grids" />
      </Card>
    </Flex>
  );
}

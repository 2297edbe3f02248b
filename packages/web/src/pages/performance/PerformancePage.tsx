import { DownloadOutlined } from '@ant-design/icons';
import { PERFORMANCE_PERIODS, type PerformancePeriod, type PerformanceRow } from '@gridline/shared';
import { Button, Card, Col, DatePicker, Flex, Row, Segmented, Spin, Statistic, Table, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/hooks';
import { performanceApi } from '../../api/whistles';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { todayInShanghai } from '../../lib/time';

const PerformanceCharts = lazy(() => import('./PerformanceCharts'));

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** /performance: 响应率/解决率/满意率 with the formulas, average times, overdue counts, by department, community and period. */
export default function PerformancePage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const [to, setTo] = useState(todayInShanghai());
  const [from, setFrom] = useState(dayjs(todayInShanghai()).subtract(13, 'day').format('YYYY-MM-DD'));
  const [period, setPeriod] = useState<PerformancePeriod>('day');
  const report = useApi((s) => performanceApi.report({ from, to, period }, s), [from, to, period]);
  const r = report.data;
  const columns = [
    { title: '', dataIndex: 'name', key: 'name', fixed: 'left' as const, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('performance.fields.dispatched'), dataIndex: 'dispatched', key: 'd' },
    { title: t('performance.rates.response'), key: 'rr', render: (_: unknown, x: PerformanceRow) => pct(x.responseRate) },
    { title: t('performance.rates.resolution'), key: 'sr', render: (_: unknown, x: PerformanceRow) => pct(x.resolutionRate) },
    { title: t('performance.rates.satisfaction'), key: 'st', render: (_: unknown, x: PerformanceRow) => pct(x.satisfactionRate) },
    { title: t('performance.fields.avgAck'), key: 'aa', render: (_: unknown, x: PerformanceRow) => x.avgAckMinutes ?? '—' },
    { title: t('performance.fields.avgResolve'), key: 'ar', render: (_: unknown, x: PerformanceRow) => x.avgResolveHours ?? '—' },
    { title: t('performance.fields.overdueNow'), dataIndex: 'overdueNow', key: 'o' },
    { title: t('performance.fields.ackLate'), dataIndex: 'ackLate', key: 'l' },
  ];
  const table = (rows: PerformanceRow[], testId: string) => <Table rowKey="key" size="small" dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid={testId} />;
  return (
    <PageContainer
      testId="performance-page"
      title={t('performance.title')}
      subTitle={t('performance.subtitle')}
      extra={
        <Button icon={<DownloadOutlined />} href={performanceApi.exportUrl({ from, to, period })} data-testid="performance-export">
          {t('performance.export')}
        </Button>
      }
    >
      <Flex gap={8} wrap="wrap" align="center" style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(from), dayjs(to)]}
          onChange={(v) => {
            if (v?.[0] && v[1]) {
              setFrom(v[0].format('YYYY-MM-DD'));
              setTo(v[1].format('YYYY-MM-DD'));
            }
          }}
          style={{ width: mobile ? '100%' : undefined }}
        />
        <Segmented value={period} onChange={(v) => setPeriod(v as PerformancePeriod)} options={PERFORMANCE_PERIODS.map((p) => ({ value: p, label: t(`performance.periods.${p}`) }))} />
      </Flex>
      {report.error ? <ErrorState error={report.error} onRetry={report.reload} /> : null}
      {!report.error && !r ? <LoadingBlock rows={6} card /> : null}
      {r ? (
        <>
          <Row gutter={mobile ? [8, 8] : [12, 12]} style={{ marginBottom: 12 }}>
            {([['response', r.total.responseRate], ['resolution', r.total.resolutionRate], ['satisfaction', r.total.satisfactionRate]] as const).map(([k, v]) => (
              <Col key={k} xs={8} md={4} flex={mobile ? undefined : 1}>
                <Card size="small"><Statistic title={t(`performance.rates.${k}`)} value={pct(v)} data-testid={`performance-${k}`} valueStyle={{ fontSize: mobile ? 18 : undefined }} /></Card>
              </Col>
            ))}
            <Col xs={8} md={4} flex={mobile ? undefined : 1}><Card size="small"><Statistic title={t('performance.fields.dispatched')} value={r.total.dispatched} valueStyle={{ fontSize: mobile ? 18 : undefined }} /></Card></Col>
            <Col xs={8} md={4} flex={mobile ? undefined : 1}><Card size="small"><Statistic title={t('performance.fields.avgAck')} value={r.total.avgAckMinutes ?? '—'} valueStyle={{ fontSize: mobile ? 18 : undefined }} /></Card></Col>
            <Col xs={8} md={4} flex={mobile ? undefined : 1}><Card size="small"><Statistic title={t('performance.fields.overdueNow')} value={r.total.overdueNow} valueStyle={{ fontSize: mobile ? 18 : undefined, color: r.total.overdueNow ? '#cf1322' : undefined }} /></Card></Col>
          </Row>
          <Card size="small" title={t('performance.formulas')} style={{ marginBottom: 12 }} data-testid="performance-formulas">
            {Object.values(r.formulas).map((f) => <Typography.Paragraph key={f} style={{ marginBottom: 4 }}>{f}</Typography.Paragraph>)}
          </Card>
          {r.total.dispatched === 0 ? <EmptyState description={t('performance.empty')} /> : (
            <>
              <Card size="small" title={t('performance.chartTitle')} style={{ marginBottom: 12 }}>
                <Suspense fallback={<Spin />}>
                  <PerformanceCharts report={r} height={mobile ? 240 : 320} />
                </Suspense>
              </Card>
              <Card size="small" styles={{ body: { padding: mobile ? 4 : 12 } }}>
                <Tabs
                  items={[
                    { key: 'dept', label: t('performance.by.department'), children: table(r.byDepartment, 'performance-by-department') },
                    { key: 'community', label: t('performance.by.community'), children: table(r.byCommunity, 'performance-by-community') },
                    { key: 'period', label: t('performance.by.period'), children: table(r.byPeriod, 'performance-by-period') },
                  ]}
                />
              </Card>
            </>
          )}
        </>
      ) : null}
    </PageContainer>
  );
}

import type { ClockCase } from '@gridline/shared';
import { Alert, Button, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useApi } from '../../api/hooks';
import { tracingApi } from '../../api/tracing';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { ClockTags } from './ClockTags';

const ClockChart = lazy(() => import('./ClockChart'));

/** The 24-hour clock of recent cases: those at risk first, the share met per day, every recent case to open. */
export function ClockPanel() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const data = useApi((s) => tracingApi.clock({ days: 14 }, s), []);
  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />;
  if (!data.data) return <LoadingBlock rows={6} card />;
  const d = data.data;
  const decided = d.totals.met + d.totals.missed;
  const columns = [
    { title: t('cases.fields.caseNo', { defaultValue: '病例编号' }), key: 'no', width: 170, render: (_: unknown, c: ClockCase) => <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>{c.caseNo}</Typography.Text> },
    { title: t('tracing.columns.name'), key: 'name', width: 90, render: (_: unknown, c: ClockCase) => <span style={{ whiteSpace: 'nowrap' }}>{c.personName}</span> },
    { title: t('cases.fields.confirmedAt', { defaultValue: '确诊时间' }), key: 'at', width: 150, render: (_: unknown, c: ClockCase) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.clock.confirmedAt)}</span> },
    { title: t('tracing.clock.title'), key: 'clock', render: (_: unknown, c: ClockCase) => <ClockTags clock={c.clock} /> },
    { title: '', key: 'open', render: (_: unknown, c: ClockCase) => <Button size="small" type="link" onClick={() => navigate(`/tracing/cases/${c.caseId}`)} data-testid="clock-open">{t('tracing.clock.open')}</Button> },
  ];
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('tracing.clock.share')}>
          <Statistic value={decided ? Math.round((100 * d.totals.met) / decided) : 0} suffix="%" data-testid="clock-share" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('tracing.clock.met')} {d.totals.met} · {t('tracing.clock.missed')} {d.totals.missed} · {t('tracing.clock.running')} {d.totals.running}
          </Typography.Text>
          <Suspense fallback={<LoadingBlock rows={3} />}>
            <ClockChart days={d.days} />
          </Suspense>
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        {d.atRisk.length ? (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} message={t('tracing.clock.atRisk')} description={d.atRisk.map((c) => `${c.caseNo} ${c.personName}`).join('、')} data-testid="clock-at-risk" />
        ) : null}
        <Card size="small" title={t('tracing.clock.cases')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tracing.clock.hint')}</Typography.Text>}>
          <Table<ClockCase> size="small" rowKey="caseId" dataSource={d.cases} columns={columns} pagination={{ pageSize: 10, hideOnSinglePage: true }} scroll={{ x: 860 }} data-testid="clock-cases"
            onRow={(c) => ({ onClick: () => navigate(`/tracing/cases/${c.caseId}`), style: { cursor: 'pointer' } })} />
        </Card>
      </Col>
    </Row>
  );
}

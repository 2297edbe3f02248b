import { FieldTimeOutlined } from '@ant-design/icons';
import { Button, Card, List, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useApi } from '../../api/hooks';
import { tracingApi } from '../../api/tracing';
import { useAuth } from '../../auth/AuthContext';
import { formatDateTime } from '../../lib/time';
import { hours } from './tracingLabels';

/** Dashboard card: cases at risk of missing the 24-hour clock (≥ 18 h, contacts not all notified), and the week's share met. */
export function TracingClockCard() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const data = useApi((s) => tracingApi.clock({ days: 7 }, s), [], can('trace.read'));
  if (!can('trace.read') || !data.data) return null;
  const d = data.data;
  const decided = d.totals.met + d.totals.missed;
  return (
    <Card
      size="small"
      data-testid="dashboard-tracing-clock"
      title={<Space><FieldTimeOutlined />{t('tracing.clock.dashboard')}</Space>}
      extra={<Button type="link" size="small" onClick={() => navigate('/tracing')}>{t('tracing.clock.open')}</Button>}
      style={{ marginBottom: 16, borderColor: d.atRisk.length ? '#ff4d4f' : undefined }}
    >
      <Space size={32} wrap>
        <Statistic title={t('tracing.clock.atRisk')} value={d.atRisk.length} valueStyle={{ color: d.atRisk.length ? '#cf1322' : undefined }} />
        <Statistic title={t('tracing.clock.share')} value={decided ? Math.round((100 * d.totals.met) / decided) : '—'} suffix={decided ? '%' : ''} />
      </Space>
      {d.atRisk.length ? (
        <List
          size="small"
          dataSource={d.atRisk.slice(0, 5)}
          renderItem={(c) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={() => navigate(`/tracing/cases/${c.caseId}`)} data-testid="dashboard-at-risk">
              <Typography.Text type="danger" strong>{c.caseNo} {c.personName}</Typography.Text>
              <Typography.Text type="secondary">{formatDateTime(c.clock.confirmedAt)} · {t('tracing.clock.elapsed')} {t('tracing.clock.hours', { h: hours(c.clock.elapsedMs) })}</Typography.Text>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Text type="secondary">{t('tracing.clock.noneAtRisk')}</Typography.Text>
      )}
    </Card>
  );
}

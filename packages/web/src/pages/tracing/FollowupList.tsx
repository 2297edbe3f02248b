import type { FollowupContact } from '@gridline/shared';
import { Card, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/hooks';
import { tracingApi } from '../../api/tracing';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { CATEGORY_COLORS, useTracingLabels } from './tracingLabels';

/** A grid worker's confirmed contacts: only what follow-up needs (no evidence; the case only by its number). */
export function FollowupList() {
  const { t } = useTranslation();
  const labels = useTracingLabels();
  const [page, setPage] = useState(1);
  const data = useApi((s) => tracingApi.followup({ page, pageSize: 20 }, s), [page]);
  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />;
  if (!data.data) return <LoadingBlock rows={4} card />;
  if (!data.data.items.length) return <EmptyState description={t('tracing.followup.empty')} />;
  const measure = (c: FollowupContact) => {
    const m = c.measure;
    if (!m) return t('tracing.followup.none');
    const stages = [['centralizedDays', m.centralizedDays], ['homeIsolationDays', m.homeIsolationDays], ['homeMonitoringDays', m.homeMonitoringDays]] as const;
    const parts = stages.filter(([, n]) => n).map(([key, n]) => t(`tracing.followup.${key}`, { n }));
    return `${parts.join(' + ')}${m.testDays.length ? t('tracing.followup.testDays', { days: m.testDays.join('、') }) : ''}${c.untilDate ? `（${t('tracing.followup.until')} ${c.untilDate}）` : ''}`;
  };
  return (
    <Card size="small" title={t('tracing.followup.title')}>
      <List
        dataSource={data.data.items}
        pagination={data.data.total > 20 ? { current: page, pageSize: 20, total: data.data.total, onChange: setPage, size: 'small' } : false}
        renderItem={(c) => (
          <List.Item data-testid="followup-item">
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Space wrap size={4}>
                <Typography.Text strong>{c.personName}</Typography.Text>
                <Tag color={CATEGORY_COLORS[c.category]}>{labels.category(c.category)}</Tag>
                {c.notifiedAt ? <Tag color="green">{t('tracing.columns.notified')}</Tag> : null}
                <Typography.Text type="secondary">{c.phoneMasked ?? ''}</Typography.Text>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.address}</Typography.Text>
              <Typography.Text style={{ fontSize: 13 }}>
                {t('tracing.columns.exposure')}：{formatDateTime(c.exposureAt)} · {t('tracing.followup.caseNo')}：{c.caseNo}
              </Typography.Text>
              <Typography.Text style={{ fontSize: 13 }}>{t('tracing.followup.measure')}：{measure(c)}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

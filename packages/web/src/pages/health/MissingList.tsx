import { EditOutlined, PhoneOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Pagination, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthApi, type MissingReporter } from '../../api/health';
import { useApi } from '../../api/hooks';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';

/**
 * 今日未报告: residents required to report who have not, per grid, for the grid worker to chase — the phone
 * masked, and one tap to record the report on their behalf (after a call or a knock on the door).
 */
export function MissingList(props: { node: string | undefined; refresh: number; onReport?: ((r: { id: string; name: string }) => void) | undefined }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useApi((s) => healthApi.missing({ node: props.node, page, pageSize: 50 }, s), [props.node, page, props.refresh]);
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (!list.data) return <LoadingBlock rows={6} card />;
  const d = list.data;
  if (d.total === 0) return <EmptyState description={t('health.missing.none')} />;
  return (
    <Flex vertical gap={10} data-testid="health-missing">
      <Typography.Text type="secondary">{t('health.missing.count', { count: d.total })}</Typography.Text>
      {d.items.map((m: MissingReporter) => (
        <Card key={m.monitoringId} size="small" styles={{ body: { padding: '12px 14px' } }} data-testid="health-missing-item">
          <Flex justify="space-between" align="center" gap={8}>
            <Flex vertical style={{ minWidth: 0 }}>
              <Flex gap={8} align="baseline" wrap="wrap">
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {m.name}
                </Typography.Text>
                <Typography.Text type="secondary">
                  <PhoneOutlined /> {m.phoneMasked ?? t('common.none')}
                </Typography.Text>
              </Flex>
              <Typography.Text type="secondary" ellipsis>
                {m.address}
              </Typography.Text>
              <Flex gap={4} wrap="wrap" style={{ marginTop: 4 }}>
                <Tag color="orange">{m.reason}</Tag>
                <Tag>{t('health.missing.until', { day: m.endDay })}</Tag>
                <Tag>{m.lastReportDay ? t('health.missing.last', { day: m.lastReportDay }) : t('health.missing.never')}</Tag>
              </Flex>
            </Flex>
            {props.onReport ? (
              <Button type="primary" icon={<EditOutlined />} onClick={() => props.onReport?.({ id: m.residentId, name: m.name })} data-testid="health-missing-report">
                {t('health.missing.record')}
              </Button>
            ) : null}
          </Flex>
        </Card>
      ))}
      {d.total > d.pageSize ? <Pagination current={page} pageSize={d.pageSize} total={d.total} simple onChange={setPage} style={{ alignSelf: 'center' }} /> : null}
    </Flex>
  );
}

import type { Compliance, ComplianceRow } from '@gridline/shared';
import { Alert, Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';
import { ErrorState, LoadingBlock } from '../../components/states';

/** 合规情况: per community, what went beyond the protocol, what is late, and how appeals were answered. */
export function ComplianceTab() {
  const { t } = useTranslation();
  const c = useApi((s) => api.get<Compliance>('/measures/compliance', undefined, s), []);
  if (c.error) return <ErrorState error={c.error} onRetry={c.reload} />;
  if (!c.data) return <LoadingBlock rows={4} card />;
  const col = (key: keyof ComplianceRow, warn = false) => ({
    title: t(`measures.compliance.${key}`),
    dataIndex: key,
    key,
    align: 'right' as const,
    render: (v: number | null) => (v === null ? '—' : <span style={warn && v > 0 ? { color: '#cf1322', fontWeight: 600 } : undefined}>{v}</span>),
  });
  return (
    <Card styles={{ body: { padding: 0 } }} data-testid="compliance">
      {c.data.total.withoutLegalBasis > 0 ? <Alert type="error" showIcon title={t('measures.compliance.noBasisAlert')} /> : null}
      <Table<ComplianceRow>
        rowKey="code"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={[...c.data.rows, c.data.total]}
        columns={[
          { title: t('measures.compliance.community'), dataIndex: 'name', key: 'name', fixed: 'left' },
          col('withoutLegalBasis', true), col('inForce'), col('pending'), col('overrides', true), col('refused'), col('overdueReleases', true),
          col('appeals'), col('appealsRevoked'), col('appealsOverdue', true), col('appealHours'), col('complaints', true),
          { ...col('undeliveredNotices', true), title: t('measures.lifecycle.undeliveredNotices') },
        ]}
      />
    </Card>
  );
}

import type { Compliance, ComplianceRow } from '@gridline/shared';
import { Alert, Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';
import { ErrorState, LoadingBlock } from '../../components/states';

/** 合规情况: per street (a summary row above its communities) and per community, what went beyond the protocol, what is late, and how appeals were answered. */
export function ComplianceTab() {
  const { t } = useTranslation();
  const c = useApi((s) => api.get<Compliance>('/measures/compliance', undefined, s), []);
  if (c.error) return <ErrorState error={c.error} onRetry={c.reload} />;
  if (!c.data) return <LoadingBlock rows={4} card />;
  // Each street's totals first, then its communities, indented beneath it.
  const isStreet = (r: ComplianceRow) => c.data!.streets.includes(r);
  const outside = c.data.rows.filter((r) => !c.data!.streets.some((s) => r.code.startsWith(s.code)));
  // Under one street its row already is the total: a second, identical row would only be read twice.
  const oneStreet = c.data.streets.length === 1 && outside.length === 0;
  const rows = [...c.data.streets.flatMap((s) => [s, ...c.data!.rows.filter((r) => r.code.startsWith(s.code))]), ...outside, ...(oneStreet ? [] : [c.data.total])];
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
        rowKey={(r) => `${isStreet(r) ? 'street' : 'row'}-${r.code}`}
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        onRow={(r) => (isStreet(r) ? { style: { background: '#f5f7fa', fontWeight: 600 }, 'data-testid': 'compliance-street' } as React.HTMLAttributes<HTMLElement> : {})}
        columns={[
          {
            title: t('measures.sites.complianceName'), dataIndex: 'name', key: 'name', fixed: 'left',
            render: (name: string, r) => (isStreet(r) ? `${name}（${t('measures.sites.streetTotal')}）` : r.code ? <span style={{ paddingInlineStart: 12 }}>{name}</span> : name),
          },
          col('withoutLegalBasis', true), col('inForce'), col('pending'), col('overrides', true), col('refused'), col('overdueReleases', true),
          col('appeals'), col('appealsRevoked'), col('appealsOverdue', true), col('appealHours'), col('complaints', true),
          { ...col('undeliveredNotices', true), title: t('measures.lifecycle.undeliveredNotices') },
        ]}
      />
    </Card>
  );
}

import type { ImportResult } from '@gridline/shared';
import { Col, Row, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../api/endpoints';

const COUNTS = ['created', 'updated', 'unchanged', 'skipped', 'rejected'] as const;

export function importResultOf(job: Job): ImportResult | undefined {
  const r = job.result as Partial<ImportResult> | null;
  if (!r || typeof r.total !== 'number') return undefined;
  return { dryRun: !!r.dryRun, total: r.total, created: r.created ?? 0, updated: r.updated ?? 0, unchanged: r.unchanged ?? 0, skipped: r.skipped ?? 0, rejected: r.rejected ?? 0, errors: r.errors ?? [] };
}

/** Counts (created/updated/unchanged/skipped/rejected) and, unless compact, the first rejected rows. */
export function ImportResultView({ job, compact = false }: { job: Job; compact?: boolean }) {
  const { t } = useTranslation();
  const r = importResultOf(job);
  if (!r) return null;
  if (compact) {
    return (
      <Typography.Text type="secondary">
        {r.dryRun ? `${t('import.dryRunTag')} · ` : ''}
        {COUNTS.map((k) => `${t(`import.count.${k}`)} ${r[k]}`).join(' · ')}
      </Typography.Text>
    );
  }
  return (
    <div data-testid="import-result">
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        {COUNTS.map((k) => (
          <Col key={k} xs={12} sm={8} md={4}>
            <Statistic
              title={t(`import.count.${k}`)}
              value={r[k]}
              styles={{ content: { color: k === 'rejected' && r[k] > 0 ? '#cf1322' : k === 'created' || k === 'updated' ? '#1668dc' : undefined } }}
              data-testid={`import-count-${k}`}
            />
          </Col>
        ))}
        <Col xs={12} sm={8} md={4}>
          <Statistic title={t('import.count.total')} value={r.total} />
        </Col>
      </Row>
      {r.errors.length ? (
        <>
          <Typography.Title level={5}>{t('import.errorsTitle', { shown: r.errors.length, total: r.rejected })}</Typography.Title>
          <Table
            size="small"
            rowKey={(e) => `${e.row}-${e.column}`}
            dataSource={r.errors}
            scroll={{ x: 560 }}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            data-testid="import-errors"
            columns={[
              { title: t('import.errRow'), dataIndex: 'row', width: 70, fixed: 'left' },
              { title: t('import.errColumn'), dataIndex: 'column', width: 120 },
              { title: t('import.errValue'), dataIndex: 'value', width: 160, render: (v: string) => <Typography.Text code>{v || '—'}</Typography.Text> },
              { title: t('import.errReason'), dataIndex: 'reason' },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}

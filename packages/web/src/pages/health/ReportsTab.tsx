import type { HealthReport } from '@gridline/shared';
import { DatePicker, Flex, Segmented, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthApi } from '../../api/health';
import { useApi } from '../../api/hooks';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { useHealthLabels } from './healthLabels';

/** 上报记录: reports of a day under my node, abnormal ones first. */
export function ReportsTab(props: { node: string | undefined; refresh: number; today: string | undefined }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const labels = useHealthLabels();
  const [day, setDay] = useState<string | undefined>(undefined);
  const [only, setOnly] = useState<'all' | 'abnormal'>('all');
  const [page, setPage] = useState(1);
  const shown = day ?? props.today;
  const list = useApi((s) => healthApi.reports({ node: props.node, day: shown, abnormal: only === 'abnormal' ? true : undefined, page, pageSize: 20 }, s), [props.node, shown, only, page, props.refresh], !!shown);
  return (
    <Flex vertical gap={12} data-testid="health-reports">
      <Flex gap={8} wrap="wrap">
        <DatePicker value={shown ? dayjs(shown) : null} allowClear={false} inputReadOnly onChange={(d) => { setDay(d ? d.format('YYYY-MM-DD') : undefined); setPage(1); }} />
        <Segmented value={only} onChange={(v) => { setOnly(v as 'all' | 'abnormal'); setPage(1); }} options={[{ value: 'all', label: t('common.all') }, { value: 'abnormal', label: t('health.stats.abnormal') }]} />
      </Flex>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      <Table<HealthReport>
        rowKey="id"
        size={mobile ? 'small' : 'middle'}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, simple: mobile, hideOnSinglePage: true }}
        columns={[
          { title: t('fields.name'), dataIndex: 'residentName', key: 'name', fixed: 'left', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          {
            title: t('health.form.temperature'),
            dataIndex: 'temperatureC',
            key: 'temp',
            render: (v: number, r) => <Typography.Text style={r.abnormal ? { color: '#cf1322', fontWeight: 600 } : undefined}>{v.toFixed(1)}℃</Typography.Text>,
          },
          { title: t('health.form.symptoms'), key: 'sym', render: (_: unknown, r) => (r.symptoms.length ? r.symptoms.map(labels.symptom).join(t('common.listSep')) : <Typography.Text type="secondary">{t('health.noSymptoms')}</Typography.Text>) },
          { title: t('health.judgement'), key: 'abn', render: (_: unknown, r) => (r.abnormal ? <Tag color="red">{labels.reasons(r.abnormalReasons)}</Tag> : <Tag color="green">{t('health.normal')}</Tag>) },
          { title: t('health.form.testResult'), key: 'test', render: (_: unknown, r) => (r.test ? `${labels.testResult(r.test.result)} · ${formatDateTime(r.test.sampledAt)}` : '—') },
          { title: t('health.reporter'), key: 'by', render: (_: unknown, r) => t(`health.by.${r.reportedBy.kind}`, { name: r.reportedBy.name }) },
          { title: t('health.reportedAt'), dataIndex: 'reportedAt', key: 'at', render: (v: number) => <span className="nowrap">{formatDateTime(v)}</span> },
        ]}
      />
    </Flex>
  );
}

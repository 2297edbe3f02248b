import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import type { HealthReportResult, MyHealthReportBody } from '@gridline/shared';
import { Alert, Button, Card, Flex, Result, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthApi } from '../../api/health';
import { useApi, useErrorText } from '../../api/hooks';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { HealthReportForm } from '../health/HealthReportForm';
import { useHealthLabels } from '../health/healthLabels';

/** 今日健康上报: the resident's own report for today, phone-first, a few taps; a second report today replaces the first. */
export default function MyHealthPage() {
  const { t } = useTranslation();
  const labels = useHealthLabels();
  const errorText = useErrorText();
  const today = useApi((s) => healthApi.myToday(s), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState<HealthReportResult | undefined>(undefined);
  const [editing, setEditing] = useState(false);

  if (today.error) return <ErrorState error={today.error} onRetry={today.reload} />;
  if (!today.data) return <LoadingBlock rows={8} card />;
  const d = today.data;

  const submit = async (body: MyHealthReportBody) => {
    setBusy(true);
    setError(undefined);
    try {
      setSaved(await healthApi.reportMine(body));
      setEditing(false);
      // The result replaces a long form: show it from the top.
      window.scrollTo(0, 0);
      today.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const report = saved?.report ?? d.report;
  if (report && !editing) {
    const abnormal = report.abnormal;
    return (
      <Card data-testid="my-health-done">
        <Result
          style={{ padding: '16px 0' }}
          icon={abnormal ? <ExclamationCircleFilled style={{ color: '#cf1322' }} /> : <CheckCircleFilled style={{ color: '#52c41a' }} />}
          title={t('health.portal.doneTitle')}
          subTitle={
            <Flex vertical gap={4} align="center">
              {abnormal ? (
                <Typography.Text strong style={{ color: '#cf1322', fontSize: 16 }}>
                  {t('health.portal.abnormalTitle')}
                </Typography.Text>
              ) : null}
              <Typography.Text style={{ fontSize: 28, fontWeight: 600, color: abnormal ? '#cf1322' : undefined }} data-testid="my-health-temperature">
                {report.temperatureC.toFixed(1)} ℃
              </Typography.Text>
              <Typography.Text type="secondary">{report.symptoms.length ? report.symptoms.map(labels.symptom).join(t('common.listSep')) : t('health.noSymptoms')}</Typography.Text>
              <Typography.Text type="secondary">{t('health.portal.reportedAt', { time: formatDateTime(report.reportedAt) })}</Typography.Text>
            </Flex>
          }
          extra={
            <Button size="large" onClick={() => setEditing(true)} data-testid="my-health-edit">
              {t('health.portal.edit')}
            </Button>
          }
        />
        {abnormal ? <Alert type="warning" showIcon title={t('health.portal.abnormalBody')} data-testid="my-health-abnormal" /> : null}
      </Card>
    );
  }

  return (
    <Card data-testid="my-health">
      <Flex justify="space-between" align="center" wrap="wrap" gap={8} style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('health.portal.title')}
        </Typography.Title>
        <Tag>{d.day}</Tag>
      </Flex>
      {d.required ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('health.portal.required', { end: d.monitoringEndDay ?? '' })} data-testid="my-health-required" />
      ) : (
        <Typography.Paragraph type="secondary">{t('health.portal.intro')}</Typography.Paragraph>
      )}
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <HealthReportForm feverThresholdC={d.protocol.feverThresholdC} initial={report} busy={busy} submitText={report ? t('health.portal.update') : t('health.portal.submit')} onSubmit={(b) => void submit(b)} />
    </Card>
  );
}

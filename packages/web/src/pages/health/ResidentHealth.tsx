import { AlertOutlined, EyeOutlined } from '@ant-design/icons';
import type { HealthFlag } from '@gridline/shared';
import { Alert, Button, Flex, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthApi } from '../../api/health';
import { useApi } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { formatDateTime } from '../../lib/time';
import { useHealthLabels } from './healthLabels';
import { ReportModal } from './ReportModal';

/** Health flags of the residents on a page of the register (one request per page), for users who may read health. */
export function useHealthFlags(ids: string[]): Map<string, HealthFlag> {
  const { can } = useAuth();
  const key = ids.join(',');
  const flags = useApi((s) => healthApi.flags(ids.slice(0, 200), s), [key], can('health.read') && ids.length > 0);
  return new Map((flags.data?.items ?? []).map((f) => [f.residentId, f]));
}

/** 健康异常 / 健康监测 badges beside a resident's name. */
export function HealthBadge({ flag }: { flag: HealthFlag | undefined }) {
  const { t } = useTranslation();
  const labels = useHealthLabels();
  if (!flag) return null;
  return (
    <>
      {flag.abnormal ? (
        <Tooltip title={t('health.flag.abnormalTip', { day: flag.abnormal.day, reasons: labels.reasons(flag.abnormal.reasons) })}>
          <Tag color="red" icon={<AlertOutlined />} style={{ marginInlineEnd: 0 }} data-testid="health-flag-abnormal">
            {t('health.flag.abnormal')}
          </Tag>
        </Tooltip>
      ) : null}
      {flag.monitoring ? (
        <Tooltip title={t('health.flag.monitoringTip', { end: flag.monitoring.endDay })}>
          <Tag color={flag.monitoring.reportedToday ? 'blue' : 'gold'} icon={<EyeOutlined />} style={{ marginInlineEnd: 0 }} data-testid="health-flag-monitoring">
            {flag.monitoring.reportedToday ? t('health.flag.monitoring') : t('health.flag.notReported')}
          </Tag>
        </Tooltip>
      ) : null}
    </>
  );
}

/** The resident drawer's health section: flags, the latest reports, and recording today's report on their behalf. */
export function ResidentHealthSection({ resident }: { resident: { id: string; name: string } }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const labels = useHealthLabels();
  const [refresh, setRefresh] = useState(0);
  const [open, setOpen] = useState(false);
  const enabled = can('health.read');
  const flags = useApi((s) => healthApi.flags([resident.id], s), [resident.id, refresh], enabled);
  const reports = useApi((s) => healthApi.reports({ residentId: resident.id, pageSize: 3 }, s), [resident.id, refresh], enabled);
  const protocol = useApi((s) => healthApi.protocol(s), [], enabled && can('health.write'));
  if (!enabled) return null;
  const flag = flags.data?.items[0];
  return (
    <Flex vertical gap={8} data-testid="resident-health">
      <Flex justify="space-between" align="center">
        <Typography.Text strong>{t('health.section')}</Typography.Text>
        {can('health.write') ? (
          <Button size="small" onClick={() => setOpen(true)} data-testid="resident-health-report">
            {t('health.onBehalf')}
          </Button>
        ) : null}
      </Flex>
      {flag?.abnormal ? <Alert type="error" showIcon title={t('health.flag.abnormalTip', { day: flag.abnormal.day, reasons: labels.reasons(flag.abnormal.reasons) })} /> : null}
      {flag?.monitoring ? <Alert type="warning" showIcon title={t('health.flag.monitoringTip', { end: flag.monitoring.endDay })} /> : null}
      {reports.data?.items.length ? (
        reports.data.items.map((r) => (
          <Typography.Text key={r.id} type={r.abnormal ? 'danger' : 'secondary'}>
            {r.day} · {r.temperatureC.toFixed(1)}℃ · {r.abnormal ? labels.reasons(r.abnormalReasons) : t('health.normal')} · {formatDateTime(r.reportedAt)}
          </Typography.Text>
        ))
      ) : (
        <Typography.Text type="secondary">{t('health.noReports')}</Typography.Text>
      )}
      <ReportModal
        open={open}
        resident={resident}
        feverThresholdC={protocol.data?.feverThresholdC ?? 37.3}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          setRefresh((n) => n + 1);
        }}
      />
    </Flex>
  );
}

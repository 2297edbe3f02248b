import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { healthApi } from '../../api/health';
import { useApi } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { ErrorState } from '../../components/states';
import { HealthOverview } from './HealthOverview';
import { MissingList } from './MissingList';
import { MonitoringTab } from './MonitoringTab';
import { ReportModal } from './ReportModal';
import { ReportsTab } from './ReportsTab';

const TABS = ['overview', 'missing', 'monitoring', 'reports'] as const;
type TabKey = (typeof TABS)[number];

/** 健康监测: today's reports, abnormal ones, who must report and has not (per grid), monitoring, the report form. */
export default function HealthPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(sp.get('tab') ?? '') ? (sp.get('tab') as TabKey) : 'overview';
  const node = sp.get('node') ?? undefined;
  const [refresh, setRefresh] = useState(0);
  const [reporting, setReporting] = useState<{ open: boolean; resident?: { id: string; name: string } | undefined }>({ open: false });
  const summary = useApi((s) => healthApi.summary(node, s), [node, refresh]);
  useLiveEvents(['task.changed'], () => setRefresh((n) => n + 1));

  const set = (key: string, value: string | undefined) =>
    setSp((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  const threshold = summary.data?.protocol.feverThresholdC ?? 37.3;
  const openReport = (resident?: { id: string; name: string }) => setReporting({ open: true, resident });
  const common = { node, refresh, onReport: can('health.write') ? openReport : undefined };

  return (
    <PageContainer
      testId="health-page"
      title={t('health.title')}
      subTitle={summary.data ? t('health.subtitle', { day: summary.data.day, protocol: summary.data.protocol.name, threshold }) : t('health.subtitleLoading')}
      extra={
        <>
          <RegionPicker value={node} onChange={(c) => set('node', c)} maxLevel="grid" placeholder={t('health.allUnderMe')} style={{ width: mobile ? '100%' : 220 }} testId="health-node" />
          <Button icon={<ReloadOutlined spin={summary.loading} />} onClick={() => setRefresh((n) => n + 1)} aria-label={t('common.refresh')} />
          {can('health.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => openReport()} data-testid="health-report-open">
              {t('health.onBehalf')}
            </Button>
          ) : null}
        </>
      }
    >
      {summary.error ? <ErrorState error={summary.error} onRetry={summary.reload} /> : null}
      <Tabs
        activeKey={tab}
        onChange={(k) => set('tab', k === 'overview' ? undefined : k)}
        items={[
          {
            key: 'overview',
            label: <span data-testid="health-tab-overview">{t('health.tabs.overview')}</span>,
            children: <HealthOverview summary={summary.data} node={node} refresh={refresh} onShowMissing={(grid) => setSp(new URLSearchParams({ tab: 'missing', ...(grid ? { node: grid } : {}) }))} />,
          },
          {
            key: 'missing',
            label: (
              <span data-testid="health-tab-missing">
                {t('health.tabs.missing')}
                {summary.data?.totals.missing ? ` (${summary.data.totals.missing})` : ''}
              </span>
            ),
            children: <MissingList {...common} />,
          },
          { key: 'monitoring', label: <span data-testid="health-tab-monitoring">{t('health.tabs.monitoring')}</span>, children: <MonitoringTab node={node} refresh={refresh} canWrite={can('health.write')} onChanged={() => setRefresh((n) => n + 1)} /> },
          { key: 'reports', label: <span data-testid="health-tab-reports">{t('health.tabs.reports')}</span>, children: <ReportsTab node={node} refresh={refresh} today={summary.data?.day} /> },
        ]}
      />
      <ReportModal
        open={reporting.open}
        resident={reporting.resident}
        feverThresholdC={threshold}
        onClose={() => setReporting({ open: false })}
        onSaved={() => {
          setReporting({ open: false });
          setRefresh((n) => n + 1);
        }}
      />
    </PageContainer>
  );
}

import { Tabs } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer } from '../../components/PageContainer';
import { LoadingBlock } from '../../components/states';
import { ClockPanel } from './ClockPanel';
import { FollowupList } from './FollowupList';

// The chain graph brings ECharts: its own chunk, loaded when the tab opens.
const ChainGraph = lazy(() => import('./ChainGraph'));

/** 流调溯源: the 24-hour clock and recent cases, transmission chains (tracers, command); contact follow-up (grid workers). */
export default function TracingPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [sp, setSp] = useSearchParams();
  const tracer = can('trace.read');
  const items = [
    ...(tracer ? [{ key: 'cases', label: t('tracing.tabs.cases'), children: <ClockPanel /> }] : []),
    ...(tracer ? [{ key: 'chains', label: t('tracing.tabs.chains'), children: <Suspense fallback={<LoadingBlock rows={8} card />}><ChainGraph /></Suspense> }] : []),
    ...(can('contact.followup') ? [{ key: 'followup', label: t('tracing.tabs.followup'), children: <FollowupList /> }] : []),
  ];
  const active = items.some((i) => i.key === sp.get('tab')) ? sp.get('tab')! : (items[0]?.key ?? 'cases');
  return (
    <PageContainer testId="tracing-page" title={t('tracing.title')} subTitle={t('tracing.subtitle')}>
      <Tabs activeKey={active} onChange={(k) => setSp({ tab: k })} items={items} destroyOnHidden />
    </PageContainer>
  );
}

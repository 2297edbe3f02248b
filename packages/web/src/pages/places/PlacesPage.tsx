import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer } from '../../components/PageContainer';
import { ExemptionsTab } from './ExemptionsTab';
import { PlacesTab } from './PlacesTab';

/** 场所码 (place.read): places and their posters and scans; exemptions for those who may manage places. */
export default function PlacesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'exemptions' && can('place.write') ? 'exemptions' : 'places';
  return (
    <PageContainer testId="places-page" title={t('places.menu.places')} subTitle={t('places.list.subtitle')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'places' ? {} : { tab: k }, { replace: true })}
        items={[
          { key: 'places', label: t('places.tabs.places'), children: <PlacesTab /> },
          ...(can('place.write') ? [{ key: 'exemptions', label: <span data-testid="tab-exemptions">{t('places.tabs.exemptions')}</span>, children: <ExemptionsTab /> }] : []),
        ]}
      />
    </PageContainer>
  );
}

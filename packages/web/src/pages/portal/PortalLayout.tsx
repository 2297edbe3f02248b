import { CarOutlined, HeartOutlined, HomeOutlined, MessageOutlined, QrcodeOutlined, UserOutlined } from '@ant-design/icons';
import { Flex, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router';
import { LoadingBlock } from '../../components/states';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { UserMenu } from '../../layout/UserMenu';

/** The resident's own phone-first portal: no console menu, tabs at the bottom. */
export default function PortalLayout() {
  const { t } = useTranslation();
  const tabs = [
    { to: '/portal', end: true, icon: <HomeOutlined />, label: t('portal.household'), key: 'household' },
    { to: '/portal/code', end: false, icon: <QrcodeOutlined />, label: t('places.portal.tab'), key: 'code' },
    { to: '/portal/health', end: false, icon: <HeartOutlined />, label: t('health.portal.tab'), key: 'health' },
    { to: '/portal/arrival', end: false, icon: <CarOutlined />, label: t('arrivals.portal.tab'), key: 'arrival' },
    { to: '/portal/requests', end: false, icon: <MessageOutlined />, label: t('inbox.portal.tab'), key: 'requests' },
    // Changing the phone is reached from "my details" (five tabs fit a 375 px screen; six did not).
    { to: '/portal/me', end: false, icon: <UserOutlined />, label: t('portal.me'), key: 'me', also: '/portal/phone' },
  ];
  const { pathname } = useLocation();
  return (
    <div className="portal" data-testid="portal">
      <Flex className="portal-header" align="center" justify="space-between">
        <Typography.Text strong style={{ color: '#fff', fontSize: 17 }}>
          {t('app.name')} · {t('portal.title')}
        </Typography.Text>
        <Flex align="center">
          <LanguageSwitch compact />
          <UserMenu compact passwordPath="/change-password" />
        </Flex>
      </Flex>
      <main className="portal-main">
        <Suspense fallback={<LoadingBlock rows={6} card />}>
          <Outlet />
        </Suspense>
      </main>
      <nav className="portal-tabs" data-testid="portal-tabs">
        {tabs.map((tab) => (
          <NavLink
            key={tab.key}
            to={tab.to}
            end={tab.end}
            className={({ isActive }) => (isActive || ('also' in tab && tab.also && pathname.startsWith(tab.also)) ? 'active' : '')}
            data-testid={`portal-tab-${tab.key}`}
          >
            {tab.icon}
            <span>{tab.label}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}

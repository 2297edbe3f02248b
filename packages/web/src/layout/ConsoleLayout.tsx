import { EnvironmentOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Drawer, Flex, Grid, Layout, Menu, Typography } from 'antd';
import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { LoadingBlock } from '../components/states';
import { store } from '../lib/storage';
import { GlobalSearch } from './GlobalSearch';
import { LanguageSwitch } from './LanguageSwitch';
import { menuKeyOf, visibleMenu } from './menu';
import { UserMenu } from './UserMenu';
import { NotificationBell } from '../pages/notifications/NotificationBell';

const { Header, Sider, Content } = Layout;

function Brand({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex align="center" gap={10} className="brand" data-testid="brand">
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden>
        <rect width="32" height="32" rx="6" fill="#1668dc" />
        <path d="M8 8h16v16H8z" fill="none" stroke="#fff" strokeWidth="2" />
        <path d="M16 8v16M8 16h16" stroke="#fff" strokeWidth="2" />
      </svg>
      {collapsed ? null : (
        <span className="brand-text">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-sub">{t('app.tagline')}</span>
        </span>
      )}
    </Flex>
  );
}

/** Pro-style console frame: role-aware side menu (a drawer on phones), jurisdiction breadcrumb, search, language, user. */
export default function ConsoleLayout() {
  const { t } = useTranslation();
  const { me, canAny } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const bp = Grid.useBreakpoint();
  const narrow = !bp.lg; // menu in a drawer below 992 px
  const phone = !bp.md;
  const [collapsed, setCollapsed] = useState(store.get('gridline.sider') === 'collapsed');
  const [drawer, setDrawer] = useState(false);
  const entries = visibleMenu(canAny);
  const selected = menuKeyOf(location.pathname);
  const showSearch = canAny('resident.read', 'region.read');

  useEffect(() => setDrawer(false), [location.pathname]);

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selected]}
      data-testid="side-menu"
      items={entries.map((m) => ({
        key: m.key,
        icon: m.icon,
        label: <span data-testid={`menu-${m.key}`}>{t(m.label)}</span>,
      }))}
      onClick={({ key }) => {
        const entry = entries.find((m) => m.key === key);
        if (entry) navigate(entry.path);
      }}
    />
  );

  const path = me?.nodePath ?? [];
  const jurisdiction = (
    <Flex align="center" gap={6} style={{ minWidth: 0 }} data-testid="jurisdiction">
      <EnvironmentOutlined style={{ color: '#1668dc' }} />
      {phone ? (
        <Typography.Text strong ellipsis style={{ maxWidth: 120 }}>
          {path[path.length - 1]?.name ?? ''}
        </Typography.Text>
      ) : (
        <Breadcrumb
          items={path.map((p, i) => ({
            key: p.code,
            title: i === path.length - 1 ? <Typography.Text strong>{p.name}</Typography.Text> : p.name,
          }))}
        />
      )}
    </Flex>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {narrow ? (
        <Drawer
          placement="left"
          open={drawer}
          onClose={() => setDrawer(false)}
          size={264}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' }, header: { display: 'none' } }}
          data-testid="menu-drawer"
        >
          <Brand collapsed={false} />
          {menu}
        </Drawer>
      ) : (
        <Sider
          width={224}
          collapsible
          collapsed={collapsed}
          trigger={null}
          style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
        >
          <Brand collapsed={collapsed} />
          {menu}
        </Sider>
      )}
      <Layout>
        <Header className="app-header">
          <Flex align="center" gap={8} style={{ height: '100%' }}>
            <Button
              type="text"
              className="touch"
              aria-label={t('layout.toggleMenu')}
              data-testid="menu-toggle"
              icon={narrow ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => {
                if (narrow) setDrawer(true);
                else {
                  store.set('gridline.sider', collapsed ? 'open' : 'collapsed');
                  setCollapsed(!collapsed);
                }
              }}
            />
            <div style={{ flex: 1, minWidth: 0 }}>{jurisdiction}</div>
            {showSearch ? <GlobalSearch compact={phone} /> : null}
            <NotificationBell compact={phone} />
            <LanguageSwitch compact={phone} />
            <UserMenu compact={phone} />
          </Flex>
        </Header>
        <Content className="app-content">
          <Suspense fallback={<LoadingBlock rows={8} card />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}

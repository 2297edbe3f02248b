import { AlertOutlined, ApiOutlined, SafetyOutlined, AuditOutlined, CarOutlined, CheckSquareOutlined, ClusterOutlined, DashboardOutlined, FileSearchOutlined, FundOutlined, HeartOutlined, InboxOutlined, NotificationOutlined, PartitionOutlined, QrcodeOutlined, RadarChartOutlined, ReadOutlined, ScanOutlined, SendOutlined, SwapOutlined, TeamOutlined, UserSwitchOutlined } from '@ant-design/icons';
import type { Permission } from '@gridline/shared';
import type { ReactNode } from 'react';

export interface MenuEntry {
  key: string;
  path: string;
  /** i18n key of the label */
  label: string;
  icon: ReactNode;
  /** Shown when the user has any of these (empty: every console user). */
  any: Permission[];
}

/** The console's modules; a user only ever sees the ones their role can use. */
export const MENU: MenuEntry[] = [
  { key: 'dashboard', path: '/dashboard', label: 'menu.dashboard', icon: <DashboardOutlined />, any: [] },
  { key: 'regions', path: '/regions', label: 'menu.regions', icon: <ClusterOutlined />, any: ['region.read'] },
  { key: 'residents', path: '/residents', label: 'menu.residents', icon: <TeamOutlined />, any: ['resident.read'] },
  { key: 'screening', path: '/screening', label: 'screening.menu', icon: <FileSearchOutlined />, any: ['screening.read'] },
  { key: 'tasks', path: '/tasks', label: 'tasks.menu', icon: <CheckSquareOutlined />, any: ['task.read'] },
  { key: 'health', path: '/health', label: 'health.menu', icon: <HeartOutlined />, any: ['health.read'] },
  { key: 'arrivals', path: '/arrivals', label: 'arrivals.menu', icon: <CarOutlined />, any: ['arrival.read'] },
  { key: 'whistles', path: '/whistles', label: 'whistles.menu', icon: <NotificationOutlined />, any: ['whistle.read'] },
  { key: 'inbox', path: '/inbox', label: 'inbox.menu', icon: <InboxOutlined />, any: ['inbox.read'] },
  { key: 'reports', path: '/reports', label: 'reports.menu', icon: <SendOutlined />, any: ['report.send', 'report.read'] },
  { key: 'cases', path: '/cases', label: 'cases.menu', icon: <AlertOutlined />, any: ['case.read'] },
  { key: 'tracing', path: '/tracing', label: 'tracing.menu', icon: <RadarChartOutlined />, any: ['trace.read', 'contact.followup'] },
  { key: 'measures', path: '/measures', label: 'measures.menu', icon: <SafetyOutlined />, any: ['measure.read', 'appeal.read'] },
  { key: 'protocol', path: '/protocol', label: 'protocol.menu', icon: <ReadOutlined />, any: ['protocol.read'] },
  { key: 'places', path: '/places', label: 'places.menu.places', icon: <QrcodeOutlined />, any: ['place.read'] },
  { key: 'checkpoint', path: '/checkpoint', label: 'places.menu.checkpoint', icon: <ScanOutlined />, any: ['checkpoint.operate'] },
  { key: 'transfer', path: '/transfer', label: 'menu.transfer', icon: <SwapOutlined />, any: ['resident.write', 'resident.read'] },
  { key: 'devices', path: '/devices', label: 'places.menu.devices', icon: <ApiOutlined />, any: ['device.manage'] },
  { key: 'departments', path: '/departments', label: 'departments.menu', icon: <PartitionOutlined />, any: ['department.read'] },
  { key: 'performance', path: '/performance', label: 'performance.menu', icon: <FundOutlined />, any: ['performance.read'] },
  { key: 'users', path: '/users', label: 'menu.users', icon: <UserSwitchOutlined />, any: ['user.manage'] },
  { key: 'audit', path: '/audit', label: 'menu.audit', icon: <AuditOutlined />, any: ['audit.read', 'audit.verify'] },
];

export function visibleMenu(canAny: (...p: Permission[]) => boolean): MenuEntry[] {
  return MENU.filter((m) => m.any.length === 0 || canAny(...m.any));
}

export function menuKeyOf(pathname: string): string {
  const first = pathname.split('/')[1] ?? '';
  return MENU.find((m) => m.path === `/${first}`)?.key ?? 'dashboard';
}

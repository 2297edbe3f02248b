import { ApartmentOutlined, RightOutlined, TeamOutlined } from '@ant-design/icons';
import { childLevel } from '@gridline/shared';
import { Button, Card, Col, Flex, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { regionsApi, type RegionNodeDetail } from '../../api/endpoints';
import { useApi } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { visibleMenu } from '../../layout/menu';
import { useLabels } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';
import { TracingClockCard } from '../tracing/TracingClockCard';

type Child = RegionNodeDetail['children'][number];

/** 工作台: my jurisdiction at a glance, the resident count of each unit below it, and where to go next. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const { me, can, canAny } = useAuth();
  const labels = useLabels();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const region = useApi((s) => regionsApi.mine(s), [], can('region.read'));
  const d = region.data;
  const max = Math.max(1, ...(d?.children.map((c) => c.residentCount) ?? [0]));
  const kids = d ? childLevel(d.node.level) : undefined;
  const links = visibleMenu(canAny).filter((m) => m.key !== 'dashboard');

  return (
    <PageContainer
      testId="dashboard"
      title={t('dashboard.greeting', { name: me?.displayName ?? '' })}
      subTitle={`${labels.role(me?.role)} · ${me?.nodePath.map((p) => p.name).join(' / ') ?? ''}`}
    >
      <TracingClockCard />
      {region.error ? <ErrorState error={region.error} onRetry={region.reload} /> : null}
      {!region.error && can('region.read') && !d ? <LoadingBlock rows={6} card /> : null}
      {d ? (
        <Row gutter={[16, 16]}>
          <Col xs={12} lg={6}>
            <Card data-testid="stat-residents" style={{ height: '100%' }}>
              <Statistic title={t('dashboard.residentsInJurisdiction')} value={d.node.residentCount} prefix={<TeamOutlined />} suffix={t('common.personUnit')} />
            </Card>
          </Col>
          <Col xs={12} lg={6}>
            <Card style={{ height: '100%' }}>
              <Statistic title={t('dashboard.childUnits', { level: kids ? labels.level(kids) : '' })} value={d.node.childCount} prefix={<ApartmentOutlined />} />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('dashboard.jurisdiction')} size="small" style={{ height: '100%' }}>
              <Typography.Paragraph style={{ marginBottom: 4 }}>
                <Typography.Text strong>{d.node.name}</Typography.Text> <Tag>{labels.level(d.node.level)}</Tag>
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('dashboard.code')}: {d.node.code} · {t('common.updatedAt')}: {formatDateTime(d.node.updatedAt)}
              </Typography.Text>
            </Card>
          </Col>
          <Col xs={24} xl={16}>
            <Card
              title={t('dashboard.childrenTitle', { level: kids ? labels.level(kids) : '' })}
              extra={can('region.read') ? <Button type="link" onClick={() => navigate('/regions')}>{t('dashboard.openTree')}</Button> : null}
              styles={{ body: { padding: mobile ? 8 : 16 } }}
            >
              {d.children.length === 0 ? (
                <EmptyState description={t('dashboard.noChildren')} />
              ) : (
                <Table<Child>
                  rowKey="code"
                  size="middle"
                  pagination={false}
                  data-testid="dashboard-children"
                  dataSource={d.children}
                  onRow={(r) => ({ onClick: () => navigate(`/regions/${r.code}`), style: { cursor: 'pointer' } })}
                  columns={[
                    { title: t('region.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
                    {
                      title: t('region.residents'),
                      dataIndex: 'residentCount',
                      align: 'right',
                      width: mobile ? 90 : 110,
                      render: (v: number) => <span className="nowrap">{v.toLocaleString()}</span>,
                    },
                    ...(mobile
                      ? []
                      : [
                          {
                            title: t('dashboard.share'),
                            key: 'bar',
                            render: (_: unknown, r: Child) => (
                              <div className="count-bar" style={{ minWidth: 120 }}>
                                <div style={{ width: `${Math.round((r.residentCount / max) * 100)}%` }} />
                              </div>
                            ),
                          },
                        ]),
                    { title: '', key: 'go', width: 32, render: () => <RightOutlined className="muted" /> },
                  ]}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Card title={t('dashboard.quickLinks')}>
              <Flex vertical gap={8}>
                {links.map((m) => (
                  <Button key={m.key} icon={m.icon} block style={{ justifyContent: 'flex-start', height: 44 }} onClick={() => navigate(m.path)} data-testid={`quick-${m.key}`}>
                    {t(m.label)}
                  </Button>
                ))}
                {links.length === 0 ? <EmptyState description={t('dashboard.noModules')} /> : null}
              </Flex>
            </Card>
          </Col>
        </Row>
      ) : null}
      {!can('region.read') ? <EmptyState description={t('dashboard.noRegionAccess')} /> : null}
    </PageContainer>
  );
}

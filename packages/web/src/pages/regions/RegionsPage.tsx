import { CloudUploadOutlined, EnvironmentOutlined, HomeOutlined, RightOutlined, TeamOutlined } from '@ant-design/icons';
import { childLevel } from '@gridline/shared';
import { Breadcrumb, Button, Card, Col, Flex, Row, Segmented, Statistic, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { toApiError } from '../../api/client';
import { regionsApi, systemApi, type RegionNodeDetail } from '../../api/endpoints';
import { useApi } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { HouseholdDrawer } from '../residents/ResidentDrawer';
import { BoundaryImport } from './BoundaryImport';

const RegionMap = lazy(() => import('./RegionMap'));

type Child = RegionNodeDetail['children'][number];
interface HouseholdRow {
  id: string;
  room: string;
  head: string;
  count: number;
  tags: number;
}

/** Households of a unit, empty ones included, with their heads and member counts. */
function UnitHouseholds({ code, onOpen }: { code: string; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const list = useApi((s) => regionsApi.households(code, s), [code], can('household.read'));
  const rows = useMemo<HouseholdRow[]>(
    () => (list.data ?? []).map((h) => ({ id: h.id, room: h.room, head: h.headName ?? '—', count: h.memberCount, tags: h.vulnerableCount })),
    [list.data],
  );
  if (!can('household.read')) return <EmptyState description={t('region.householdsNeedPermission')} />;
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} compact />;
  if (!list.data) return <LoadingBlock rows={5} />;
  if (rows.length === 0) return <EmptyState description={t('region.noHouseholds')} />;
  return (
    <Table<HouseholdRow>
      rowKey="id"
      size="middle"
      data-testid="unit-households"
      dataSource={rows}
      pagination={false}
      onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
      columns={[
        { title: t('region.room'), dataIndex: 'room', width: mobile ? 76 : 96, render: (v: string) => <Typography.Text strong className="nowrap">{t('residents.room', { room: v })}</Typography.Text> },
        { title: t('region.head'), dataIndex: 'head', render: (v: string) => <span className="nowrap">{v}</span> },
        { title: t('region.members'), dataIndex: 'count', align: 'right', width: mobile ? 52 : 80 },
        { title: t('region.vulnerable'), dataIndex: 'tags', align: 'right', width: mobile ? 60 : 90, render: (v: number) => (v ? <Tag color="orange" style={{ marginInlineEnd: 0 }}>{v}</Tag> : '—') },
        { title: '', key: 'go', width: 28, render: () => <RightOutlined className="muted" /> },
      ]}
    />
  );
}

function MapPanel({ code, onDrill, canWrite, onImport }: { code: string; onDrill: (c: string) => void; canWrite: boolean; onImport: () => void }) {
  const { t } = useTranslation();
  const map = useApi((s) => regionsApi.map(code, s), [code]);
  const config = useApi((s) => systemApi.config(s), []);
  const err = map.error ? toApiError(map.error) : undefined;
  const body = (() => {
    if (err && err.notAvailable && err.code === 'GRIDLINE_NOT_FOUND') return <EmptyState description={t('map.unavailable')} />;
    if (err) return <ErrorState error={err} onRetry={map.reload} compact />;
    if (!map.data) return <LoadingBlock rows={8} />;
    if (map.data.features.filter((f) => !f.properties.self).length === 0)
      return (
        <EmptyState description={t('map.noBoundaries')}>
          {canWrite ? (
            <Button icon={<CloudUploadOutlined />} onClick={onImport}>
              {t('boundaries.title')}
            </Button>
          ) : null}
        </EmptyState>
      );
    return (
      <Suspense fallback={<LoadingBlock rows={8} />}>
        <RegionMap data={map.data} config={config.data} onDrill={onDrill} />
      </Suspense>
    );
  })();
  return (
    <Card
      size="small"
      title={
        <span>
          <EnvironmentOutlined /> {t('map.title')}
        </span>
      }
      extra={map.data && map.data.features.length ? <Typography.Text type="secondary">{t('map.clickHint')}</Typography.Text> : null}
      data-testid="map-panel"
    >
      {body}
    </Card>
  );
}

/** 区划与地图: district → street → community → grid → building → unit → household, with counts and the map. */
export default function RegionsPage() {
  const { t } = useTranslation();
  const { code } = useParams();
  const { can } = useAuth();
  const labels = useLabels();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const [view, setView] = useState<'list' | 'map'>('list');
  const [household, setHousehold] = useState<string | undefined>(undefined);
  const [importing, setImporting] = useState(false);
  const [mapKey, setMapKey] = useState(0);
  const detail = useApi((s) => (code ? regionsApi.get(code, s) : regionsApi.mine(s)), [code]);
  const d = detail.data;
  const current = d && (!code || d.node.code === code) ? d : undefined;
  const isUnit = current?.node.level === 'unit';
  const kids = current ? childLevel(current.node.level) : undefined;
  const drill = (c: string) => navigate(`/regions/${c}`);
  const rootLength = useAuth().me?.nodeCode.length ?? 0;

  const list = current ? (
    <Card
      size="small"
      title={
        <span>
          {isUnit ? <HomeOutlined /> : <TeamOutlined />} {isUnit ? t('region.households') : t('region.children', { level: kids ? labels.level(kids) : '' })}
        </span>
      }
      styles={{ body: { padding: 0 } }}
    >
      {isUnit ? (
        <UnitHouseholds code={current.node.code} onOpen={setHousehold} />
      ) : current.children.length === 0 ? (
        <EmptyState description={t('region.noChildren')} />
      ) : (
        <Table<Child>
          rowKey="code"
          size="middle"
          data-testid="region-children"
          dataSource={current.children}
          pagination={current.children.length > 50 ? { pageSize: 50 } : false}
          onRow={(r) => ({ onClick: () => drill(r.code), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('region.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: t('region.residents'), dataIndex: 'residentCount', align: 'right', width: 90, render: (v: number) => v.toLocaleString() },
            {
              title: t('region.childCount'),
              dataIndex: 'childCount',
              align: 'right',
              width: 90,
              render: (v: number, r) => {
                const l = childLevel(r.level);
                return l === 'household' ? t('region.householdsCount', { count: v }) : v;
              },
            },
            { title: '', key: 'go', width: 32, render: () => <RightOutlined className="muted" /> },
          ]}
        />
      )}
    </Card>
  ) : null;

  const mapPanel = current ? (
    <MapPanel key={mapKey} code={current.node.code} onDrill={drill} canWrite={can('region.write')} onImport={() => setImporting(true)} />
  ) : null;

  return (
    <PageContainer
      testId="regions-page"
      title={current ? current.node.name : t('menu.regions')}
      subTitle={
        current ? (
          <Breadcrumb
            items={current.path.map((p, i) => ({
              key: p.code,
              title:
                i === current.path.length - 1 || p.code.length < rootLength ? (
                  p.name
                ) : (
                  <a onClick={() => drill(p.code)}>{p.name}</a>
                ),
            }))}
          />
        ) : undefined
      }
      extra={
        current ? (
          <>
            {can('resident.read') ? (
              <Button icon={<TeamOutlined />} onClick={() => navigate(`/residents?node=${current.node.code}`)} data-testid="region-residents">
                {t('region.viewResidents')}
              </Button>
            ) : null}
            {can('region.write') ? (
              <Button icon={<CloudUploadOutlined />} onClick={() => setImporting(true)} data-testid="boundaries-open">
                {t('boundaries.title')}
              </Button>
            ) : null}
          </>
        ) : undefined
      }
    >
      {detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : null}
      {!detail.error && !current ? <LoadingBlock rows={8} card /> : null}
      {current ? (
        <Flex vertical gap={16}>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('region.level')} value={labels.level(current.node.level)} styles={{ content: { fontSize: 20 } }} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('region.residents')} value={current.node.residentCount} styles={{ content: { fontSize: 20 } }} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={kids ? labels.level(kids) : t('region.childCount')} value={current.node.childCount} styles={{ content: { fontSize: 20 } }} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('region.code')} value={current.node.code} formatter={(v) => <span style={{ fontSize: 14, lineHeight: 1.5, display: 'inline-block', wordBreak: 'break-all' }}>{String(v)}</span>} />
              </Card>
            </Col>
          </Row>
          {mobile ? (
            <>
              <Segmented
                block
                value={view}
                onChange={(v) => setView(v as 'list' | 'map')}
                options={[
                  { value: 'list', label: t('region.listView') },
                  { value: 'map', label: t('map.title') },
                ]}
                data-testid="region-view"
              />
              {view === 'list' ? list : mapPanel}
            </>
          ) : (
            <Row gutter={16}>
              <Col lg={10} xs={24}>
                {list}
              </Col>
              <Col lg={14} xs={24}>
                {mapPanel}
              </Col>
            </Row>
          )}
        </Flex>
      ) : null}
      <HouseholdDrawer householdId={household} onClose={() => setHousehold(undefined)} onOpenResident={(id) => navigate(`/residents?resident=${id}`)} />
      <BoundaryImport open={importing} onClose={() => setImporting(false)} onDone={() => setMapKey((k) => k + 1)} />
    </PageContainer>
  );
}

import { DownloadOutlined, ExportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Pagination, Select, Table, Tabs, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { residentsApi, type Household, type Resident } from '../../api/endpoints';
import { useApi } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { useAuth } from '../../auth/AuthContext';
import { ExportModal } from '../../components/ExportModal';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { roomOf, unitOf, useRegionName, useUnitPlaces, type UnitPlace } from '../../lib/address';
import { useLabels } from '../../lib/labels';
import { ageOf, formatDateTime, todayInShanghai } from '../../lib/time';
import { downloadCsv } from './csv';
import { DuplicatesTab } from './DuplicatesTab';
import { hasFilters, readListState, toFilters, toQuery, writeListState, type ListState, type SortKey } from './filters';
import { HouseholdDrawer, ResidentDrawer } from './ResidentDrawer';
import { ResidentFilters } from './ResidentFilters';
import { ResidentForm } from './ResidentForm';
import { VulnerabilityTags } from '../../components/VulnerabilityTags';
import { HealthBadge, useHealthFlags } from '../health/ResidentHealth';

const SORT_CHOICES = ['', 'name:asc', 'birthDate:asc', 'birthDate:desc', 'updatedAt:desc', 'regionCode:asc'] as const;

type FormState = { open: false } | { open: true; resident?: Resident; address?: string | undefined; householdId?: string; unitCode?: string };

/** 居民管理: the register under my jurisdiction (server-side paging, filters in the URL), drawers, forms, export, duplicates. */
/** "1,234", "10,000+" (a count that stopped), "≈ 23,000" (an estimate over a street or more; the list label says "约" itself). */
function formatTotal(page: { total: number; totalKind: 'exact' | 'atLeast' | 'estimate' }, inLabel = false): string {
  const n = page.total.toLocaleString();
  return page.totalKind === 'atLeast' ? `${n}+` : page.totalKind === 'estimate' && !inLabel ? `≈ ${n}` : n;
}

export default function ResidentsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { can, me } = useAuth();
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const state = useMemo(() => readListState(sp), [sp]);
  const tab = sp.get('tab') === 'duplicates' ? 'duplicates' : 'list';
  const residentId = sp.get('resident') ?? undefined;
  const householdId = sp.get('household') ?? undefined;
  const [refreshKey, setRefreshKey] = useState(0);
  const [listKey, setListKey] = useState(0);
  const [selected, setSelected] = useState<Map<string, Resident>>(new Map());
  const [form, setForm] = useState<FormState>({ open: false });
  const [exportOpen, setExportOpen] = useState(false);

  const list = useApi((s) => residentsApi.list(toQuery(state), s), [JSON.stringify(toQuery(state)), refreshKey, listKey], tab === 'list');
  const page = list.data;
  // Colleagues' changes under this list's node, pushed live: offered as a refresh, never applied under the user's hands.
  const [changedElsewhere, setChangedElsewhere] = useState(0);
  useEffect(() => setChangedElsewhere(0), [page]);
  useLiveEvents(
    ['resident.changed', 'household.changed'],
    (e) => {
      if (e.data.by === me?.id || (state.node && !(e.node ?? '').startsWith(state.node))) return;
      setChangedElsewhere((n) => n + 1);
    },
    tab === 'list',
  );
  const places = useUnitPlaces(page?.items.map((r) => r.regionCode) ?? []);
  const healthFlags = useHealthFlags(page?.items.map((r) => r.id) ?? []);
  const nodeName = useRegionName(state.node);

  const patchState = useCallback(
    (patch: Partial<ListState>) => {
      setSp((prev) => writeListState(prev, { ...readListState(prev), ...patch }));
    },
    [setSp],
  );
  const setParam = useCallback(
    (key: string, value: string | undefined) => {
      setSp((prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      });
    },
    [setSp],
  );
  const openResident = (id: string) =>
    setSp((prev) => {
      const next = new URLSearchParams(prev);
      next.delete('household');
      next.set('resident', id);
      return next;
    });

  const filterSummary = useMemo(() => {
    const out: { label: string; value: string }[] = [];
    if (state.node) out.push({ label: t('residents.filterNode'), value: nodeName ?? state.node });
    if (state.q) out.push({ label: t('residents.search'), value: state.q });
    if (state.tags.length) out.push({ label: t('fields.tags'), value: state.tags.map((x) => labels.tag(x)).join(t('common.listSep')) });
    if (state.age) out.push({ label: t('residents.filterAge'), value: t(`ageBands.${state.age}`) });
    if (state.status) out.push({ label: t('fields.residenceStatus'), value: labels.residence(state.status) });
    return out;
  }, [state, t, labels, nodeName]);

  const place = (r: Resident): { p?: UnitPlace | undefined; room: string } => ({ p: places.get(unitOf(r.regionCode)), room: roomOf(r.regionCode) });

  const exportSelection = () => {
    const today = todayInShanghai();
    const rows = [...selected.values()].map((r) => {
      const { p, room } = place(r);
      return [
        r.name, t(`sex.${r.sex}`), r.birthDate, String(ageOf(r.birthDate, today)), labels.docType(r.docType), r.docNumberMasked, r.phoneMasked ?? '',
        p?.grid ?? '', `${p?.unit ?? ''} ${t('residents.room', { room })}`.trim(), labels.relation(r.relationToHead), labels.residence(r.residenceStatus),
        r.tags.map((x) => labels.tag(x)).join(t('common.listSep')),
      ];
    });
    downloadCsv(
      `${t('residents.csvName')}-${today}.csv`,
      [t('fields.name'), t('fields.sex'), t('fields.birthDate'), t('fields.age'), t('fields.docType'), t('fields.docNumber'), t('fields.phone'), t('fields.grid'), t('fields.address'), t('fields.relationToHead'), t('fields.residenceStatus'), t('fields.tags')],
      rows,
    );
  };

  const sortOrder = (key: SortKey) => (state.sort === key ? (state.order === 'desc' ? 'descend' : 'ascend') : null);
  const columns: TableProps<Resident>['columns'] = [
    {
      title: t('fields.name'),
      dataIndex: 'name',
      key: 'name',
      fixed: 'left',
      width: 110,
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (v: string, r) => (
        <Flex gap={4} wrap="wrap" align="center">
          <a onClick={() => openResident(r.id)} data-testid="resident-name">
            {v}
          </a>
          <HealthBadge flag={healthFlags.get(r.id)} />
        </Flex>
      ),
    },
    { title: t('fields.sex'), dataIndex: 'sex', key: 'sex', width: 64, render: (v: Resident['sex']) => t(`sex.${v}`) },
    {
      title: t('fields.age'),
      dataIndex: 'birthDate',
      key: 'birthDate',
      width: 120,
      sorter: true,
      sortOrder: sortOrder('birthDate'),
      render: (v: string) => (
        <span className="nowrap">
          {ageOf(v)} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v}</Typography.Text>
        </span>
      ),
    },
    { title: t('fields.docNumber'), dataIndex: 'docNumberMasked', key: 'doc', width: 180, render: (v: string) => <span className="nowrap">{v}</span> },
    { title: t('fields.phone'), dataIndex: 'phoneMasked', key: 'phone', width: 130, render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text> },
    {
      title: t('fields.address'),
      dataIndex: 'regionCode',
      key: 'regionCode',
      width: 200,
      sorter: true,
      sortOrder: sortOrder('regionCode'),
      render: (_: string, r) => {
        const { p, room } = place(r);
        return (
          <span>
            {p ? `${p.unit} ` : ''}
            {t('residents.room', { room })}
            {p ? <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{p.grid}</Typography.Text> : null}
          </span>
        );
      },
    },
    { title: t('fields.relationToHead'), dataIndex: 'relationToHead', key: 'rel', width: 100, responsive: ['xxl'], render: (v: Resident['relationToHead']) => labels.relation(v) },
    { title: t('fields.residenceStatus'), dataIndex: 'residenceStatus', key: 'status', width: 90, render: (v: Resident['residenceStatus']) => labels.residence(v) },
    {
      title: t('fields.tags'),
      dataIndex: 'tags',
      key: 'tags',
      width: 180,
      render: (tags: Resident['tags']) => <VulnerabilityTags tags={tags} />,
    },
    {
      title: t('common.updatedAt'),
      dataIndex: 'updatedAt',
      key: 'updatedAt',
      width: 150,
      responsive: ['xxl'],
      sorter: true,
      sortOrder: sortOrder('updatedAt'),
      render: (v: number) => <span className="nowrap">{formatDateTime(v)}</span>,
    },
  ];

  const toggle = (r: Resident, on: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (on) next.set(r.id, r);
      else next.delete(r.id);
      return next;
    });

  const cards = (
    <div data-testid="residents-cards">
      {page?.items.map((r) => {
        const { p, room } = place(r);
        return (
          <Card key={r.id} className="resident-card" onClick={() => openResident(r.id)} hoverable data-testid="resident-card">
            <Flex justify="space-between" align="flex-start" gap={8}>
              <div style={{ minWidth: 0 }}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {r.name}
                </Typography.Text>{' '}
                <HealthBadge flag={healthFlags.get(r.id)} />{' '}
                <Typography.Text type="secondary">
                  {t(`sex.${r.sex}`)} · {t('common.ageYears', { age: ageOf(r.birthDate) })} · {labels.relation(r.relationToHead)}
                </Typography.Text>
                <div>
                  <Typography.Text type="secondary">
                    {p ? `${p.grid} ${p.unit} ` : ''}
                    {t('residents.room', { room })}
                  </Typography.Text>
                </div>
                <div>
                  <Typography.Text type="secondary">{r.phoneMasked ?? r.docNumberMasked}</Typography.Text>
                </div>
              </div>
              <span onClick={(e) => e.stopPropagation()} style={{ padding: 12, margin: -12, display: 'inline-flex' }}>
                <Checkbox checked={selected.has(r.id)} onChange={(e) => toggle(r, e.target.checked)} aria-label={t('residents.select')} />
              </span>
            </Flex>
            <VulnerabilityTags tags={r.tags} marginTop={6} />
          </Card>
        );
      })}
    </div>
  );

  const listTab = (
    <>
      <ResidentFilters state={state} onChange={patchState} />
      {selected.size > 0 ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="bulk-bar"
          title={t('residents.selectedCount', { count: selected.size })}
          action={
            <Flex gap={8} wrap="wrap">
              <Button size="small" icon={<DownloadOutlined />} onClick={exportSelection} data-testid="bulk-export-selection">
                {t('residents.exportSelection')}
              </Button>
              <Button size="small" onClick={() => setSelected(new Map())}>
                {t('residents.clearSelection')}
              </Button>
            </Flex>
          }
        />
      ) : null}
      {changedElsewhere > 0 && !list.error ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="live-changed"
          title={t('residents.liveChanged', { count: changedElsewhere })}
          action={
            <Button size="small" type="primary" icon={<ReloadOutlined />} onClick={list.reload}>
              {t('residents.liveRefresh')}
            </Button>
          }
        />
      ) : null}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !page ? <LoadingBlock rows={10} card /> : null}
      {!list.error && page ? (
        <Card styles={{ body: { padding: mobile ? 0 : 0 } }} variant={mobile ? 'borderless' : 'outlined'} style={mobile ? { background: 'transparent', boxShadow: 'none' } : undefined}>
          <Flex justify="space-between" align="center" style={{ padding: mobile ? '0 0 8px' : '12px 16px' }} wrap="wrap" gap={8}>
            <Typography.Text data-testid="residents-total">
              {t(page.totalKind === 'estimate' ? 'residents.totalEstimate' : 'residents.total', { count: page.total, formatted: formatTotal(page, true) })}
              {hasFilters(state) ? <Typography.Text type="secondary">{t('residents.filtered')}</Typography.Text> : null}
            </Typography.Text>
            <Flex gap={8} align="center">
              <Select
                size={mobile ? undefined : 'small'}
                style={{ width: mobile ? 150 : 180 }}
                value={state.sort ? `${state.sort}:${state.order ?? 'asc'}` : ''}
                onChange={(v: string) => {
                  const [sort, order] = v.split(':') as [SortKey | '', 'asc' | 'desc' | undefined];
                  patchState(sort ? { sort, order, page: 1 } : { sort: undefined, order: undefined, page: 1 });
                }}
                options={[
                  ...SORT_CHOICES.map((c) => ({ value: c as string, label: t(`residents.sort.${c.replace(':', '_') || 'default'}`) })),
                  ...(state.sort && !(SORT_CHOICES as readonly string[]).includes(`${state.sort}:${state.order ?? 'asc'}`)
                    ? [{ value: `${state.sort}:${state.order ?? 'asc'}`, label: t('residents.sort.custom') }]
                    : []),
                ]}
                aria-label={t('residents.sortLabel')}
                data-testid="residents-sort"
              />
              <Button size={mobile ? undefined : 'small'} type="text" icon={<ReloadOutlined spin={list.loading} />} onClick={list.reload} aria-label={t('common.refresh')}>
                {mobile ? null : t('common.refresh')}
              </Button>
            </Flex>
          </Flex>
          {page.items.length === 0 ? (
            <EmptyState description={hasFilters(state) ? t('residents.emptyFiltered') : t('residents.empty')}>
              {hasFilters(state) ? (
                <Button onClick={() => patchState({ node: undefined, q: undefined, tags: [], age: undefined, status: undefined, page: 1 })}>{t('residents.clearFilters')}</Button>
              ) : null}
            </EmptyState>
          ) : mobile ? (
            cards
          ) : (
            <Table<Resident>
              data-testid="residents-table"
              rowKey="id"
              size="middle"
              loading={list.loading}
              dataSource={page.items}
              columns={columns}
              scroll={{ x: 'max-content' }}
              pagination={false}
              onRow={(r) => ({ onDoubleClick: () => openResident(r.id) })}
              rowSelection={{
                selectedRowKeys: [...selected.keys()],
                preserveSelectedRowKeys: true,
                onChange: (_keys, rows) => {
                  setSelected((prev) => {
                    const next = new Map<string, Resident>();
                    const onPage = new Set(page.items.map((r) => r.id));
                    for (const [id, r] of prev) if (!onPage.has(id)) next.set(id, r);
                    for (const r of rows) if (r) next.set(r.id, r);
                    return next;
                  });
                },
              }}
              onChange={(_p, _f, sorter) => {
                const s = Array.isArray(sorter) ? sorter[0] : sorter;
                const key = (s?.columnKey ?? s?.field) as string | undefined;
                if (!s?.order || !key) patchState({ sort: undefined, order: undefined, page: 1 });
                else patchState({ sort: key as SortKey, order: s.order === 'descend' ? 'desc' : 'asc', page: 1 });
              }}
            />
          )}
          {page.total > 0 ? (
            <Flex justify={mobile ? 'center' : 'flex-end'} style={{ padding: mobile ? '12px 0' : '12px 16px' }}>
              <Pagination
                current={state.page}
                pageSize={state.pageSize}
                total={page.total}
                showSizeChanger={!mobile}
                simple={mobile}
                pageSizeOptions={[10, 20, 50, 100]}
                onChange={(p, ps) => patchState({ page: ps !== state.pageSize ? 1 : p, pageSize: ps })}
                data-testid="residents-pagination"
              />
            </Flex>
          ) : null}
        </Card>
      ) : null}
    </>
  );

  return (
    <PageContainer
      testId="residents-page"
      title={t('menu.residents')}
      subTitle={t('residents.subtitle')}
      extra={
        <>
          <Button icon={<ExportOutlined />} onClick={() => setExportOpen(true)} data-testid="residents-export" disabled={tab !== 'list'}>
            {t('residents.exportFilter')}
          </Button>
          {can('resident.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ open: true })} data-testid="resident-create">
              {t('residents.create')}
            </Button>
          ) : null}
        </>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setParam('tab', k === 'duplicates' ? 'duplicates' : undefined)}
        items={[
          { key: 'list', label: <span data-testid="tab-list">{t('residents.tabList')}</span>, children: listTab },
          ...(can('resident.write')
            ? [{ key: 'duplicates', label: <span data-testid="tab-duplicates">{t('residents.tabDuplicates')}</span>, children: <DuplicatesTab node={state.node} onOpenResident={openResident} /> }]
            : []),
        ]}
      />
      <ResidentDrawer
        residentId={residentId}
        refreshKey={refreshKey}
        onClose={() => setParam('resident', undefined)}
        onOpenResident={openResident}
        onEdit={(r, address) => setForm({ open: true, resident: r, address })}
        onAddMember={(h: Household) => setForm({ open: true, householdId: h.id, unitCode: h.unitCode })}
        onDeleted={() => {
          setParam('resident', undefined);
          setListKey((k) => k + 1);
        }}
      />
      <HouseholdDrawer
        householdId={householdId}
        onClose={() => setParam('household', undefined)}
        onOpenResident={openResident}
        onAddMember={can('resident.write') ? (h) => setForm({ open: true, householdId: h.id, unitCode: h.unitCode }) : undefined}
      />
      <ResidentForm
        open={form.open}
        resident={form.open ? form.resident : undefined}
        householdAddress={form.open ? form.address : undefined}
        householdId={form.open ? form.householdId : undefined}
        unitCode={form.open ? form.unitCode : undefined}
        onClose={() => setForm({ open: false })}
        onReload={() => {
          setForm({ open: false });
          setRefreshKey((k) => k + 1);
        }}
        onSaved={(r) => {
          setForm({ open: false });
          setRefreshKey((k) => k + 1);
          openResident(r.id);
        }}
      />
      <ExportModal open={exportOpen} onClose={() => setExportOpen(false)} filters={toFilters(state)} summary={filterSummary} total={page ? formatTotal(page) : undefined} />
    </PageContainer>
  );
}

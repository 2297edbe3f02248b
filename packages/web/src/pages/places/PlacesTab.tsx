import { DownloadOutlined, EditOutlined, LinkOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { PLACE_KIND_LABELS, PLACE_KINDS, type PlaceKind } from '@gridline/shared';
import { App, Button, Card, Checkbox, Dropdown, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { useApi } from '../../api/hooks';
import { placesApi, posterUrl, type Place } from '../../api/places';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState } from '../../components/states';
import { useRegionNames } from '../../lib/address';
import { useLabels } from '../../lib/labels';
import { PlaceForm } from './PlaceForm';
import { PlaceScansDrawer } from './PlaceScansDrawer';

/** The places under my node: find, register, edit, print posters, see scans. */
export function PlacesTab() {
  const { t } = useTranslation();
  const labels = useLabels();
  const mobile = useIsMobile();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState<string | undefined>(undefined);
  const [kind, setKind] = useState<PlaceKind | undefined>(undefined);
  const [checkpointOnly, setCheckpointOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [form, setForm] = useState<{ open: boolean; place?: Place }>({ open: false });
  const [scansOf, setScansOf] = useState<Place | undefined>(undefined);
  const list = useApi((s) => placesApi.list({ q: search, kind, checkpoint: checkpointOnly ? true : undefined, page, pageSize: 20 }, s), [search, kind, checkpointOnly, page]);
  const regionNames = useRegionNames(list.data?.items.map((p) => p.regionCode) ?? []);
  const writable = can('place.write');

  const copyLink = async (p: Place) => {
    await navigator.clipboard?.writeText(p.url).catch(() => undefined);
    void message.success(t('places.list.copied'));
  };

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap="wrap" align="center">
          <Input.Search
            style={{ flex: 1, minWidth: 200, maxWidth: 360 }}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => {
              setSearch(v.trim() || undefined);
              setPage(1);
            }}
            allowClear
            enterButton
            placeholder={t('places.list.search')}
            data-testid="places-search"
          />
          <Select
            allowClear
            style={{ width: mobile ? '100%' : 200 }}
            placeholder={t('places.list.kind')}
            value={kind}
            options={labels.options(PLACE_KIND_LABELS, PLACE_KINDS)}
            onChange={(k) => {
              setKind(k);
              setPage(1);
            }}
          />
          <Checkbox checked={checkpointOnly} onChange={(e) => { setCheckpointOnly(e.target.checked); setPage(1); }}>
            {t('places.list.checkpointOnly')}
          </Checkbox>
          {writable ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ open: true })} data-testid="place-create" style={{ marginLeft: mobile ? 0 : 'auto' }}>
              {t('places.list.create')}
            </Button>
          ) : null}
        </Flex>
      </Card>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<Place>
            rowKey="id"
            data-testid="places-table"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 960 }}
            locale={{ emptyText: <EmptyState description={t('places.list.empty')} /> }}
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, simple: mobile, showSizeChanger: false, style: { paddingInline: 16 } }}
            columns={[
              {
                title: t('places.list.name'),
                dataIndex: 'name',
                fixed: 'left',
                width: 200,
                render: (v: string, p) => (
                  <span data-testid="place-row-name">
                    <Typography.Text strong>{v}</Typography.Text>
                    <br />
                    <Flex gap={4} wrap="wrap" style={{ marginTop: 2 }}>
                      {p.checkpoint ? <Tag color="blue">{t('places.list.checkpoint')}</Tag> : null}
                      {p.active ? null : <Tag>{t('places.list.inactive')}</Tag>}
                    </Flex>
                  </span>
                ),
              },
              { title: t('places.list.kind'), dataIndex: 'kind', width: 140, render: (v: PlaceKind) => labels.options(PLACE_KIND_LABELS, [v])[0]?.label },
              { title: t('places.list.region'), dataIndex: 'regionCode', width: 200, render: (v: string) => regionNames.get(v) ?? v },
              { title: t('places.list.address'), dataIndex: 'address', width: 180, render: (v: string) => v || '—' },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 300,
                render: (_: unknown, p) => (
                  <Flex gap={4} wrap="wrap">
                    <Button size="small" icon={<UnorderedListOutlined />} onClick={() => setScansOf(p)} data-testid="place-scans-open">
                      {t('places.list.scans')}
                    </Button>
                    <Dropdown
                      menu={{
                        items: [
                          { key: 'pdf', label: <a href={posterUrl(p.id, 'pdf')} download data-testid="poster-pdf">{t('places.list.posterPdf')}</a> },
                          { key: 'png', label: <a href={posterUrl(p.id, 'png')} download data-testid="poster-png">{t('places.list.posterPng')}</a> },
                          { key: 'link', icon: <LinkOutlined />, label: t('places.list.copyLink'), onClick: () => void copyLink(p) },
                        ],
                      }}
                    >
                      <Button size="small" icon={<DownloadOutlined />} data-testid="place-poster">
                        {t('places.list.poster')}
                      </Button>
                    </Dropdown>
                    {writable ? (
                      <Button size="small" icon={<EditOutlined />} onClick={() => setForm({ open: true, place: p })} data-testid="place-edit">
                        {t('places.list.edit')}
                      </Button>
                    ) : null}
                  </Flex>
                ),
              },
            ]}
          />
        </Card>
      )}
      <PlaceForm
        open={form.open}
        place={form.place}
        onClose={() => setForm({ open: false })}
        onSaved={() => {
          setForm({ open: false });
          list.reload();
        }}
      />
      <PlaceScansDrawer place={scansOf} onClose={() => setScansOf(undefined)} />
    </>
  );
}

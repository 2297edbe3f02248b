import { SCAN_SOURCE_LABELS } from '@gridline/shared';
import { Drawer, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/hooks';
import { placesApi, type Place, type Scan } from '../../api/places';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState } from '../../components/states';
import { pick } from '../../lib/labels';
import { formatDateTimeSeconds } from '../../lib/time';

/** A place's scans, newest first, masked (what tracing starts from). */
export function PlaceScansDrawer({ place, onClose }: { place: Place | undefined; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  const scans = useApi((s) => placesApi.scans(place!.id, { page, pageSize: 20 }, s), [place?.id, page], !!place);
  return (
    <Drawer open={!!place} onClose={onClose} title={t('places.scans.title', { name: place?.name ?? '' })} size={mobile ? '100%' : 760} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('places.scans.window')}</Typography.Paragraph>
      {scans.error ? <ErrorState error={scans.error} onRetry={scans.reload} compact /> : null}
      <Table<Scan>
        rowKey="id"
        size="small"
        data-testid="place-scans"
        loading={scans.loading}
        dataSource={scans.data?.items ?? []}
        scroll={{ x: 620 }}
        locale={{ emptyText: <EmptyState description={t('places.scans.empty')} /> }}
        pagination={{ current: page, pageSize: 20, total: scans.data?.total ?? 0, onChange: setPage, simple: mobile, showSizeChanger: false }}
        columns={[
          { title: t('places.scans.at'), dataIndex: 'at', width: 170, render: (v: number) => formatDateTimeSeconds(v) },
          { title: t('places.scans.person'), dataIndex: 'personMasked', width: 100 },
          { title: t('places.scans.kind'), dataIndex: 'personKind', width: 80, render: (v: Scan['personKind']) => (v === 'resident' ? t('places.scans.resident') : <Tag>{t('places.scans.visitor')}</Tag>) },
          { title: t('places.scans.phone'), dataIndex: 'phoneMasked', width: 130, render: (v: string | null) => v ?? '—' },
          { title: t('places.scans.source'), dataIndex: 'source', width: 100, render: (v: Scan['source']) => pick(SCAN_SOURCE_LABELS[v], i18n.language, v) },
          {
            title: t('places.scans.temperature'),
            key: 'temperature',
            width: 110,
            render: (_: unknown, s) => (s.temperature === null ? '—' : <span>{s.temperature.toFixed(1)}℃ {s.fever ? <Tag color="red">{t('places.scans.fever')}</Tag> : null}</span>),
          },
        ]}
      />
    </Drawer>
  );
}

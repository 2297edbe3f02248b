import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { SITE_KINDS, untilZh } from '@gridline/shared';
import { Alert, App, Button, Card, Drawer, Flex, Form, Input, InputNumber, List, Progress, Select, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { useApi, useErrorText } from '../../api/hooks';
import { measureSitesApi, type IsolationSite } from '../../api/measure-sites';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';

/** Places in use out of the capacity, as a bar that turns red when the site is full. */
function Occupancy({ s }: { s: IsolationSite }) {
  const { t } = useTranslation();
  const pct = Math.round((s.inUse / s.capacity) * 100);
  return (
    <div style={{ minWidth: 160 }} data-testid="site-occupancy">
      <Progress percent={pct} showInfo={false} size="small" status={s.free <= 0 ? 'exception' : 'normal'} strokeColor={s.free <= 0 ? '#cf1322' : pct >= 80 ? '#d46b08' : undefined} />
      <Typography.Text type={s.free <= 0 ? 'danger' : 'secondary'} style={{ fontSize: 13 }}>
        {t('measures.sites.usage', { inUse: s.inUse, capacity: s.capacity })} · {s.free > 0 ? t('measures.sites.freeShort', { free: s.free }) : t('measures.sites.full')}
      </Typography.Text>
    </div>
  );
}

interface SiteValues {
  name: string;
  address: string;
  kind: IsolationSite['kind'];
  capacity: number;
  contactPhone: string;
  note?: string;
  active: boolean;
}

/** Designate a site at my street (or district), or change one; deactivating keeps the people already there. */
function SiteDrawer(props: { site: IsolationSite | null; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const [form] = Form.useForm<SiteValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const s = props.site;
  const submit = async (v: SiteValues) => {
    setSaving(true);
    setError(null);
    try {
      const common = { name: v.name.trim(), address: v.address?.trim() ?? '', kind: v.kind, capacity: v.capacity, contactPhone: v.contactPhone?.trim() ?? '', note: v.note?.trim() ?? '' };
      if (s) await measureSitesApi.update(s.id, { ...common, active: v.active, version: s.version });
      else await measureSitesApi.create({ ...common, regionCode: me?.nodeCode ?? '' });
      props.onSaved();
    } catch (err) {
      const e = toApiError(err);
      const byPath: Record<string, keyof SiteValues> = { '/body/name': 'name', '/body/capacity': 'capacity', '/body/contactPhone': 'contactPhone', '/body/address': 'address' };
      const fields = e.fields.filter((f) => byPath[f.path]);
      if (fields.length) form.setFields(fields.map((f) => ({ name: byPath[f.path]!, errors: [f.message] })));
      else setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={s ? t('measures.sites.edit') : t('measures.sites.add')}
      size={mobile ? '100%' : 460}
      destroyOnHidden
      data-testid="site-drawer"
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="site-save">{t('common.save')}</Button>
        </Flex>
      }
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => void submit(v)}
        initialValues={s ? { name: s.name, address: s.address, kind: s.kind, capacity: s.capacity, contactPhone: s.contactPhone, note: s.note, active: s.active } : { kind: 'hotel', active: true }}
      >
        <Form.Item name="name" label={t('measures.sites.name')} rules={[{ required: true, min: 2, message: t('measures.sites.nameRequired') }]}>
          <Input maxLength={100} data-testid="site-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('measures.sites.kindLabel')}>
          <Select options={SITE_KINDS.map((k) => ({ value: k, label: t(`measures.sites.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="capacity" label={t('measures.sites.capacity')} rules={[{ required: true, message: t('measures.sites.capacityRequired') }]} extra={s ? t('measures.sites.capacityNote', { inUse: s.inUse }) : undefined}>
          <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} data-testid="site-capacity" />
        </Form.Item>
        <Form.Item name="address" label={t('measures.sites.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('measures.sites.phone')}>
          <Input maxLength={40} inputMode="tel" />
        </Form.Item>
        <Form.Item name="note" label={t('measures.sites.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {s ? (
          <Form.Item name="active" label={t('measures.sites.active')} valuePropName="checked" extra={t('measures.sites.activeNote')}>
            <Switch />
          </Form.Item>
        ) : null}
      </Form>
    </Drawer>
  );
}

/** The people at one site now (names only of measures in my jurisdiction; the others are counted). */
function SiteOccupants({ site, onClose, onMeasure }: { site: IsolationSite | null; onClose: () => void; onMeasure: (id: string) => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const detail = useApi((sig) => measureSitesApi.get(site!.id, sig), [site?.id], !!site);
  return (
    <Drawer open={!!site} onClose={onClose} title={site?.name} size={mobile ? '100%' : 460} destroyOnHidden data-testid="site-occupants">
      {site ? <Occupancy s={site} /> : null}
      {detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : null}
      {detail.data ? (
        <List
          style={{ marginTop: 12 }}
          locale={{ emptyText: t('measures.sites.nobody') }}
          dataSource={detail.data.occupants}
          renderItem={(o) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={() => onMeasure(o.measureId)} data-testid="site-occupant">
              <List.Item.Meta
                title={<Flex gap={8} align="center"><Typography.Text strong>{o.residentName}</Typography.Text>{o.status === 'pending' ? <Tag color="gold">{t('measures.status.pending')}</Tag> : null}</Flex>}
                description={`${t('measures.kind.centralized_isolation')} · ${t('measures.until', { date: untilZh(o.plannedEndAt) })}`}
              />
            </List.Item>
          )}
        />
      ) : null}
      {detail.data && detail.data.othersInUse > 0 ? <Typography.Text type="secondary">{t('measures.sites.others', { count: detail.data.othersInUse })}</Typography.Text> : null}
    </Drawer>
  );
}

/**
 * 隔离点: the designated sites serving my jurisdiction with their occupancy (in use / capacity, free places); street
 * officials add and edit them; a click shows who is at the site now.
 */
export function SitesTab({ onMeasure }: { onMeasure: (id: string) => void }) {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<IsolationSite | 'new' | null>(null);
  const [viewing, setViewing] = useState<IsolationSite | null>(null);
  const list = useApi((s) => measureSitesApi.list(showInactive, s), [showInactive]);
  // Street officials and above designate sites (the server checks the level again).
  const canAdd = can('measure.approve') && !!me?.nodeCode && me.nodeCode.length <= 9;

  const edit = (s: IsolationSite) => (s.editable ? <Button size="small" icon={<EditOutlined />} onClick={(e) => { e.stopPropagation(); setEditing(s); }} aria-label={t('measures.sites.edit')} data-testid="site-edit" /> : null);
  const title = (s: IsolationSite) => (
    <Flex gap={6} align="center" wrap>
      <Typography.Text strong>{s.name}</Typography.Text>
      <Tag>{t(`measures.sites.kind.${s.kind}`)}</Tag>
      {s.active ? null : <Tag color="default">{t('measures.sites.inactive')}</Tag>}
    </Flex>
  );
  const toolbar = (
    <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 12 }}>
      <Flex gap={6} align="center">
        <Switch size="small" checked={showInactive} onChange={setShowInactive} aria-label={t('measures.sites.showInactive')} />
        <Typography.Text type="secondary">{t('measures.sites.showInactive')}</Typography.Text>
      </Flex>
      {canAdd ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="site-add">{t('measures.sites.add')}</Button> : null}
    </Flex>
  );

  let body: React.ReactNode;
  if (list.error) body = <ErrorState error={list.error} onRetry={list.reload} />;
  else if (!list.data) body = <LoadingBlock rows={4} card />;
  else if (!list.data.items.length) body = <EmptyState description={t('measures.sites.empty')} />;
  else if (mobile) {
    body = (
      <Flex vertical gap={10} data-testid="sites-cards">
        {list.data.items.map((s) => (
          <Card key={s.id} size="small" hoverable onClick={() => setViewing(s)} data-testid="site-card">
            <Flex justify="space-between" gap={8} align="start">{title(s)}{edit(s)}</Flex>
            <Typography.Text type="secondary" style={{ display: 'block', margin: '4px 0' }}>{s.regionName}{s.address ? ` · ${s.address}` : ''}{s.contactPhone ? ` · ${s.contactPhone}` : ''}</Typography.Text>
            <Occupancy s={s} />
          </Card>
        ))}
      </Flex>
    );
  } else {
    body = (
      <Card styles={{ body: { padding: 0 } }}>
        <Table<IsolationSite>
          rowKey="id"
          dataSource={list.data.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="sites-table"
          onRow={(s) => ({ onClick: () => setViewing(s), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('measures.sites.name'), key: 'name', render: (_: unknown, s) => title(s) },
            { title: t('measures.sites.designatedBy'), dataIndex: 'regionName', key: 'region' },
            { title: t('measures.sites.occupancy'), key: 'occupancy', render: (_: unknown, s) => <Occupancy s={s} /> },
            { title: t('measures.sites.address'), dataIndex: 'address', key: 'address' },
            { title: t('measures.sites.phone'), dataIndex: 'contactPhone', key: 'phone' },
            { title: '', key: 'edit', render: (_: unknown, s) => edit(s) },
          ]}
        />
      </Card>
    );
  }
  return (
    <div data-testid="sites-tab">
      {toolbar}
      {body}
      <SiteDrawer
        open={editing !== null}
        site={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void message.success(t('measures.sites.saved'));
          list.reload();
        }}
      />
      <SiteOccupants site={viewing} onClose={() => setViewing(null)} onMeasure={onMeasure} />
    </div>
  );
}

import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import type { RaiseWhistleBody, WhistleCategory, WhistleUrgency } from '@gridline/shared';
import { Alert, Button, Drawer, Flex, Form, Input, Radio, Select, Typography, Upload } from 'antd';
import type { GeoJsonObject } from 'geojson';
import type { LeafletMouseEvent } from 'leaflet';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CircleMarker, GeoJSON, useMapEvents } from 'react-leaflet';
import { regionsApi, systemApi } from '../../api/endpoints';
import { applyFieldErrors, useApi, useErrorText } from '../../api/hooks';
import { departmentsApi, whistlesApi } from '../../api/whistles';
import { useAuth } from '../../auth/AuthContext';
import { BaseMap, FitBounds } from '../../components/map-parts';
import { useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { useWhistleLabels } from './whistleLabels';

interface Values {
  category: WhistleCategory;
  urgency: WhistleUrgency;
  title: string;
  description: string;
  regionCode: string;
  address?: string;
  departmentId?: string;
}

function Pin({ onPick }: { onPick: (lat: number, lng: number) => void }) {
  useMapEvents({ click: (e: LeafletMouseEvent) => onPick(Math.round(e.latlng.lat * 1e6) / 1e6, Math.round(e.latlng.lng * 1e6) / 1e6) });
  return null;
}

/** 吹哨: a form a grid worker fills on a phone — category, urgency, what and where (map pin optional), photos. */
export function RaiseWhistleForm(props: { open: boolean; onClose: () => void; onRaised: (r: { id: string; no: string; departmentId: string | null }, uploadErrors: string[]) => void }) {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const labels = useWhistleLabels();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [pin, setPin] = useState<{ lat: number; lng: number } | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const config = useApi((s) => systemApi.config(s), [], props.open);
  const regionCode = Form.useWatch('regionCode', form) as string | undefined;
  // The chosen area's outline, so the pin lands in a recognisable place even without map tiles.
  const outline = useApi((s) => regionsApi.map(regionCode!, s), [regionCode], props.open && !!regionCode);
  const depts = useApi((s) => departmentsApi.list(s), [], props.open && can('inbox.manage'));
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      const body: RaiseWhistleBody = {
        category: v.category, urgency: v.urgency, title: v.title.trim(), description: v.description.trim(), regionCode: v.regionCode,
        ...(v.address?.trim() ? { address: v.address.trim() } : {}), ...(pin ? { lat: pin.lat, lng: pin.lng } : {}), ...(v.departmentId ? { departmentId: v.departmentId } : {}),
      };
      const r = await whistlesApi.raise(body);
      const failed: string[] = [];
      for (const f of files) {
        try {
          await whistlesApi.upload(r.id, f, 'raise');
        } catch (err) {
          failed.push(t('whistles.form.uploadFailed', { name: f.name, reason: errorText(err) }));
        }
      }
      form.resetFields();
      setFiles([]);
      setPin(null);
      props.onRaised(r, failed);
    } catch (err) {
      const { unmatched } = applyFieldErrors(form, err);
      if (unmatched.length || !(err as { fields?: unknown[] }).fields?.length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={t('whistles.raiseTitle')}
      width={mobile ? '100%' : 560}
      destroyOnHidden
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="primary" danger loading={busy} onClick={() => void submit()} data-testid="whistle-submit">
            {t('whistles.raise')}
          </Button>
        </Flex>
      }
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="whistle-form-error" /> : null}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ urgency: 'daily', category: 'medical', regionCode: me?.nodeCode }} data-testid="whistle-form">
        <Form.Item name="urgency" label={t('whistles.fields.urgency')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="whistle-urgency">
            {labels.urgencyOptions.map((o) => (
              <Radio.Button key={o.value} value={o.value} data-testid={`whistle-urgency-${o.value}`}>
                {o.label}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="category" label={t('whistles.fields.category')} rules={[{ required: true }]}>
          <Select options={labels.categoryOptions} data-testid="whistle-category" />
        </Form.Item>
        <Form.Item name="title" label={t('whistles.fields.title')} rules={[{ required: true, min: 2, max: 80 }]}>
          <Input placeholder={t('whistles.form.titlePlaceholder')} maxLength={80} data-testid="whistle-title" />
        </Form.Item>
        <Form.Item name="description" label={t('whistles.fields.description')} rules={[{ required: true, min: 2, max: 2000 }]}>
          <Input.TextArea rows={3} placeholder={t('whistles.form.descriptionPlaceholder')} maxLength={2000} data-testid="whistle-description" />
        </Form.Item>
        <Form.Item name="regionCode" label={t('whistles.form.regionHint')} rules={[{ required: true }]}>
          <RegionPicker maxLevel="grid" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="address" label={t('whistles.fields.address')}>
          <Input maxLength={200} data-testid="whistle-address" />
        </Form.Item>
        <Form.Item label={t('whistles.fields.pin')} extra={pin ? t('whistles.form.pinSet', { lat: pin.lat.toFixed(5), lng: pin.lng.toFixed(5) }) : t('whistles.form.pinHint')}>
          <div style={{ height: mobile ? 200 : 240 }} className="whistle-pin-map" data-testid="whistle-pin-map">
            <BaseMap config={config.data}>
              {outline.data?.features.length ? (
                <>
                  <GeoJSON key={regionCode} data={outline.data as unknown as GeoJsonObject} style={{ color: '#1668dc', weight: 1.5, fillOpacity: 0.04 }} interactive={false} />
                  <FitBounds data={outline.data} />
                </>
              ) : null}
              <Pin onPick={(lat, lng) => setPin({ lat, lng })} />
              {pin ? <CircleMarker center={[pin.lat, pin.lng]} radius={9} pathOptions={{ color: '#cf1322', fillOpacity: 0.6 }} /> : null}
            </BaseMap>
          </div>
          {pin ? (
            <Button size="small" type="link" onClick={() => setPin(null)} style={{ paddingInline: 0 }}>
              {t('whistles.form.clearPin')}
            </Button>
          ) : null}
        </Form.Item>
        <Form.Item label={t('whistles.fields.photos')} extra={t('whistles.form.photosHint')}>
          <Upload
            accept="image/*,.pdf,.docx,.xlsx,.txt"
            multiple
            showUploadList={false}
            beforeUpload={(f) => {
              setFiles((prev) => [...prev, f as unknown as File]);
              return false;
            }}
          >
            <Button icon={<CameraOutlined />} data-testid="whistle-photo">{t('whistles.form.addPhoto')}</Button>
          </Upload>
          <Flex vertical gap={4} style={{ marginTop: 8 }}>
            {files.map((f, i) => (
              <Flex key={`${f.name}-${i}`} justify="space-between" align="center" data-testid="whistle-photo-item">
                <Typography.Text ellipsis style={{ maxWidth: '80%' }}>{f.name}</Typography.Text>
                <Button size="small" type="text" icon={<DeleteOutlined />} onClick={() => setFiles((prev) => prev.filter((_, j) => j !== i))} aria-label={t('common.delete')} />
              </Flex>
            ))}
          </Flex>
        </Form.Item>
        {can('inbox.manage') ? (
          <Form.Item name="departmentId" label={t('whistles.form.department')}>
            <Select allowClear options={(depts.data?.items ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        ) : null}
      </Form>
    </Drawer>
  );
}

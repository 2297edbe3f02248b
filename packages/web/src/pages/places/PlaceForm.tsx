import { DEFAULT_PASSAGE_RULES, PLACE_KIND_LABELS, PLACE_KINDS, type PlaceKind } from '@gridline/shared';
import { Alert, App, Checkbox, Drawer, Flex, Form, Input, InputNumber, Select, Space, Switch, Button, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { applyFieldErrors, useErrorText } from '../../api/hooks';
import { placesApi, type Place } from '../../api/places';
import { useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { useLabels } from '../../lib/labels';

interface Values {
  kind: PlaceKind;
  name: string;
  address?: string;
  regionCode: string;
  lat?: number | null;
  lng?: number | null;
  checkpoint: boolean;
  requireTemperature: boolean;
  feverDenies: boolean;
  residentsOnly: boolean;
  active: boolean;
}

/** Register or change a place; a checkpoint also gets its passage rules. Field errors land under their inputs. */
export function PlaceForm({ open, place, onClose, onSaved }: { open: boolean; place?: Place | undefined; onClose: () => void; onSaved: (p: Place, created: boolean) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const checkpoint = Form.useWatch('checkpoint', form) as boolean | undefined;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (!open) return;
    setError(undefined);
    form.resetFields();
    const p = place;
    form.setFieldsValue(
      p
        ? { kind: p.kind, name: p.name, address: p.address, regionCode: p.regionCode, lat: p.lat, lng: p.lng, checkpoint: p.checkpoint, active: p.active, ...p.passageRules }
        : { kind: 'gate', checkpoint: false, active: true, ...DEFAULT_PASSAGE_RULES },
    );
  }, [open, place, form]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    const body = {
      kind: v.kind, name: v.name.trim(), address: (v.address ?? '').trim(), regionCode: v.regionCode, lat: v.lat ?? null, lng: v.lng ?? null,
      checkpoint: !!v.checkpoint, active: !!v.active,
      passageRules: { requireTemperature: !!v.requireTemperature, feverDenies: !!v.feverDenies, residentsOnly: !!v.residentsOnly },
    };
    try {
      const saved = place ? await placesApi.update(place.id, { version: place.version, ...body }) : await placesApi.create(body);
      void message.success(place ? t('places.form.saved') : t('places.form.created'));
      onSaved(saved, !place);
    } catch (err) {
      const e = toApiError(err);
      const { matched, unmatched } = applyFieldErrors(form, e);
      if (!matched || unmatched.length) setError([errorText(e), ...unmatched].join(' '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      title={place ? t('places.form.editTitle') : t('places.form.createTitle')}
      onClose={onClose}
      size={mobile ? '100%' : 520}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="place-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <div data-testid="place-form">
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label={t('places.form.kind')} rules={[{ required: true }]}>
            <Select options={labels.options(PLACE_KIND_LABELS, PLACE_KINDS)} data-testid="pf-kind" />
          </Form.Item>
          <Form.Item name="name" label={t('places.form.name')} rules={[{ required: true, whitespace: true, message: t('places.form.namePlaceholder') }, { max: 60 }]}>
            <Input maxLength={60} placeholder={t('places.form.namePlaceholder')} data-testid="pf-name" />
          </Form.Item>
          <Form.Item name="regionCode" label={t('places.form.region')} rules={[{ required: true, message: t('places.form.region') }]}>
            <RegionPicker maxLevel="unit" testId="pf-region" />
          </Form.Item>
          <Form.Item name="address" label={t('places.form.address')} rules={[{ max: 200 }]}>
            <Input maxLength={200} data-testid="pf-address" />
          </Form.Item>
          <Flex gap={12}>
            <Form.Item name="lat" label={t('places.form.lat')} style={{ flex: 1 }}>
              <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="lng" label={t('places.form.lng')} style={{ flex: 1 }}>
              <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: -12, marginBottom: 16, fontSize: 12 }}>
            {t('places.form.mapHint')}
          </Typography.Text>
          <Form.Item name="checkpoint" valuePropName="checked">
            <Checkbox data-testid="pf-checkpoint">{t('places.form.checkpoint')}</Checkbox>
          </Form.Item>
          {checkpoint ? (
            <div style={{ background: '#f5f7fa', padding: '12px 12px 0', borderRadius: 6, marginBottom: 16 }}>
              <Typography.Text strong>{t('places.form.rules')}</Typography.Text>
              <Form.Item name="requireTemperature" valuePropName="checked" style={{ margin: '8px 0' }}>
                <Checkbox>{t('places.form.requireTemperature')}</Checkbox>
              </Form.Item>
              <Form.Item name="feverDenies" valuePropName="checked" style={{ margin: '8px 0' }}>
                <Checkbox>{t('places.form.feverDenies')}</Checkbox>
              </Form.Item>
              <Form.Item name="residentsOnly" valuePropName="checked" style={{ margin: '8px 0' }}>
                <Checkbox>{t('places.form.residentsOnly')}</Checkbox>
              </Form.Item>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, paddingBottom: 12, margin: 0 }}>
                {t('places.form.rulesHint')}
              </Typography.Paragraph>
            </div>
          ) : null}
          <Form.Item name="active" label={t('places.form.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </div>
    </Drawer>
  );
}

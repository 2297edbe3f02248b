import {
  CARE_SETTING_LABELS, CARE_SETTINGS, diffProtocols, MEASURE_LABELS, ORIGIN_RISK_LABELS, PLACE_KIND_LABELS, PLACE_KINDS, PROTOCOL_GROUP_LABELS, RISK_AREA_LEVEL_LABELS,
  RISK_AREA_UNIT_LABELS, RISK_AREA_UNITS, SYMPTOM_LABELS, SYMPTOMS, ARRIVAL_MEASURES, type ProtocolValues, type ProtocolVersionDetail,
} from '@gridline/shared';
import { Alert, Button, Collapse, DatePicker, Drawer, Flex, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { useErrorText } from '../../api/hooks';
import { protocolApi } from '../../api/protocol';
import { useIsMobile } from '../../components/PageContainer';
import { useLabels } from '../../lib/labels';
import { todayInShanghai } from '../../lib/time';
import { DiffTable } from './DiffTable';
import { formPathOf, fromForm, toForm, type ProtocolForm } from './protocolForm';

interface Values {
  name: string;
  document: string;
  effectiveFrom: Dayjs;
  note?: string;
  v: ProtocolForm;
}

function MeasureFields({ base, label }: { base: (string | number)[]; label: string }) {
  const { t } = useTranslation();
  return (
    <Flex gap={8} wrap="wrap">
      <Form.Item name={[...base, 'centralizedDays']} label={`${label}${t('protocol.form.centralizedDays')}`} style={{ minWidth: 120 }}>
        <InputNumber min={0} max={60} precision={0} addonAfter={t('protocol.form.days')} />
      </Form.Item>
      <Form.Item name={[...base, 'homeIsolationDays']} label={t('protocol.form.homeIsolationDays')} style={{ minWidth: 120 }}>
        <InputNumber min={0} max={60} precision={0} addonAfter={t('protocol.form.days')} />
      </Form.Item>
      <Form.Item name={[...base, 'homeMonitoringDays']} label={t('protocol.form.homeMonitoringDays')} style={{ minWidth: 120 }}>
        <InputNumber min={0} max={60} precision={0} addonAfter={t('protocol.form.days')} />
      </Form.Item>
      <Form.Item name={[...base, 'testDays']} label={t('protocol.form.testDays')} extra={t('protocol.form.testDaysHint')} style={{ minWidth: 160, flex: 1 }}>
        <Input placeholder="1,2,3,5,7" />
      </Form.Item>
    </Flex>
  );
}

/** 基于此版本新建: every value of the base version, editable, with the diff against the base shown as it is typed. */
export function NewVersionDrawer(props: { base: ProtocolVersionDetail | undefined; open: boolean; onClose: () => void; onSaved: (d: ProtocolVersionDetail) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const base = props.base?.values;
  // Every value, mounted or not (preserve), for the live diff.
  const watched = Form.useWatch((all: Values) => all.v, { form, preserve: true }) as ProtocolForm | undefined;
  const secondaryApplies = Form.useWatch(['v', 'contactManagement', 'secondaryApplies'], form) as boolean | undefined;
  const highRiskApplies = Form.useWatch(['v', 'isolation', 'highRiskApplies'], form) as boolean | undefined;
  const codeChecksAll = Form.useWatch(['v', 'codeChecksAll'], form) as boolean | undefined;
  const levels = (Form.useWatch(['v', 'riskAreas', 'levels'], form) as ProtocolValues['riskAreas']['levels'] | undefined) ?? base?.riskAreas.levels ?? [];

  const preview = useMemo(() => {
    if (!base || !watched) return [];
    try {
      return diffProtocols(base, { ...base, ...fromForm(watched), sources: base.sources } as ProtocolValues);
    } catch {
      return [];
    }
  }, [base, watched]);

  if (!base || !props.base) return null;
  const initial: Values = { name: '', document: '', effectiveFrom: dayjs(todayInShanghai()).add(1, 'day'), note: '', v: toForm(base) };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await protocolApi.create({
        basedOn: base.id, name: v.name.trim(), document: v.document.trim(), effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}), values: fromForm(v.v),
      });
      form.resetFields();
      props.onSaved(saved);
    } catch (err) {
      const e = toApiError(err);
      const placed: { name: (string | number)[]; errors: string[] }[] = [];
      const rest: string[] = [];
      for (const f of e.fields) {
        const top = /^\/body\/(name|document|effectiveFrom|note)$/.exec(f.path)?.[1];
        const inValues = formPathOf(f.path);
        if (top) placed.push({ name: [top], errors: [f.message] });
        else if (inValues && inValues[0] !== 'codeChecksAt') placed.push({ name: ['v', ...inValues], errors: [f.message] });
        else rest.push(f.message);
      }
      form.setFields(placed as never);
      if (!placed.length || rest.length) setError(rest.length ? rest.join('；') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const settingOptions = labels.options(CARE_SETTING_LABELS, CARE_SETTINGS);
  const levelOptions = levels.map((l) => ({ value: l.level, label: labels.options(RISK_AREA_LEVEL_LABELS, [l.level])[0]!.label }));

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      size={mobile ? '100%' : 760}
      destroyOnHidden
      title={t('protocol.form.title', { name: base.name })}
      data-testid="protocol-form"
      footer={
        <Flex justify="space-between" align="center" gap={8} wrap="wrap">
          <Typography.Text type="secondary" data-testid="protocol-form-count">{t('protocol.form.changedCount', { count: preview.length })}</Typography.Text>
          <Flex gap={8}>
            <Button onClick={props.onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="protocol-submit">
              {t('protocol.form.submit')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="protocol-form-error" /> : null}
      <Alert type="info" showIcon title={t('protocol.form.hint')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" initialValues={initial} onFinish={() => void submit(form.getFieldsValue(true) as Values)} requiredMark={false}>
        <Form.Item name="name" label={t('protocol.fields.name')} rules={[{ required: true, min: 2, message: t('protocol.form.nameRequired') }]}>
          <Input maxLength={120} placeholder={t('protocol.form.namePlaceholder')} data-testid="protocol-name" />
        </Form.Item>
        <Flex gap={8} wrap="wrap">
          <Form.Item name="document" label={t('protocol.fields.document')} rules={[{ required: true, min: 2, message: t('protocol.form.documentRequired') }]} style={{ flex: 2, minWidth: 220 }}>
            <Input maxLength={120} placeholder="某防指发〔2026〕1号" data-testid="protocol-document" />
          </Form.Item>
          <Form.Item name="effectiveFrom" label={t('protocol.fields.effectiveFrom')} rules={[{ required: true, message: t('protocol.form.dateRequired') }]} style={{ flex: 1, minWidth: 160 }}>
            <DatePicker inputReadOnly style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') < todayInShanghai()} data-testid="protocol-date" />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('protocol.fields.note')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Collapse
          defaultActiveKey={['testing']}
          items={[
            {
              key: 'testing',
              forceRender: true,
              label: labels.options(PROTOCOL_GROUP_LABELS, ['testing'])[0]!.label,
              children: (
                <>
                  <Flex gap={8} wrap="wrap">
                    <Form.Item name={['v', 'feverThresholdC']} label={t('protocol.form.feverThresholdC')} style={{ minWidth: 150 }}>
                      <InputNumber min={36} max={40} step={0.1} precision={1} addonAfter="℃" data-testid="protocol-fever" />
                    </Form.Item>
                    <Form.Item name={['v', 'checkpointTestHours']} label={t('protocol.form.checkpointTestHours')} extra={t('protocol.form.emptyIsNone')} style={{ minWidth: 150 }}>
                      <InputNumber min={1} max={168} precision={0} addonAfter={t('protocol.form.hours')} />
                    </Form.Item>
                  </Flex>
                  <Form.Item name={['v', 'abnormalSymptoms']} label={t('protocol.form.abnormalSymptoms')}>
                    <Select mode="multiple" options={labels.options(SYMPTOM_LABELS, SYMPTOMS)} />
                  </Form.Item>
                  <Flex gap={12} align="center" wrap="wrap">
                    <Form.Item name={['v', 'codeChecksAll']} label={t('protocol.form.codeChecksAll')} valuePropName="checked">
                      <Switch />
                    </Form.Item>
                    {!codeChecksAll ? (
                      <Form.Item name={['v', 'codeChecksAt']} label={t('protocol.form.codeChecksAt')} style={{ flex: 1, minWidth: 220 }}>
                        <Select mode="multiple" options={labels.options(PLACE_KIND_LABELS, PLACE_KINDS)} />
                      </Form.Item>
                    ) : null}
                  </Flex>
                  <Flex gap={8} wrap="wrap">
                    <Form.Item name={['v', 'isolation', 'confirmedSetting']} label={t('protocol.form.confirmedSetting')} style={{ minWidth: 160 }}>
                      <Select options={settingOptions} />
                    </Form.Item>
                    <Form.Item name={['v', 'isolation', 'asymptomaticSetting']} label={t('protocol.form.asymptomaticSetting')} style={{ minWidth: 160 }}>
                      <Select options={settingOptions} />
                    </Form.Item>
                    <Form.Item name={['v', 'isolation', 'releaseTestDays']} label={t('protocol.form.releaseTestDays')} style={{ minWidth: 140 }}>
                      <Input placeholder="6,7" />
                    </Form.Item>
                    <Form.Item name={['v', 'isolation', 'releaseCt']} label={t('protocol.form.releaseCt')} style={{ minWidth: 100 }}>
                      <InputNumber min={20} max={45} />
                    </Form.Item>
                  </Flex>
                  <MeasureFields base={['v', 'isolation', 'inbound']} label={t('protocol.form.inbound')} />
                  <Form.Item name={['v', 'isolation', 'highRiskApplies']} label={t('protocol.form.highRiskApplies')} valuePropName="checked">
                    <Switch />
                  </Form.Item>
                  {highRiskApplies ? (
                    <Flex gap={8} wrap="wrap">
                      <Form.Item name={['v', 'isolation', 'highRiskWorkers', 'homeMonitoringDays']} label={t('protocol.form.homeMonitoringDays')}>
                        <InputNumber min={0} max={60} precision={0} addonAfter={t('protocol.form.days')} />
                      </Form.Item>
                      <Form.Item name={['v', 'isolation', 'highRiskWorkers', 'testDays']} label={t('protocol.form.testDays')} style={{ flex: 1 }}>
                        <Input placeholder="1,3,5" />
                      </Form.Item>
                    </Flex>
                  ) : null}
                </>
              ),
            },
            {
              key: 'arrivals',
              forceRender: true,
              label: labels.options(PROTOCOL_GROUP_LABELS, ['arrivals'])[0]!.label,
              children: base.arrivalRules.map((r, i) => (
                <div key={r.origin}>
                  <Typography.Text strong>{t('protocol.form.from', { level: labels.options(ORIGIN_RISK_LABELS, [r.origin])[0]!.label })}</Typography.Text>
                  <Flex gap={8} wrap="wrap" style={{ marginTop: 8 }}>
                    <Form.Item name={['v', 'arrivalRules', i, 'measure']} label={t('protocol.form.measure')} style={{ minWidth: 180 }}>
                      <Select options={labels.options(MEASURE_LABELS, ARRIVAL_MEASURES)} />
                    </Form.Item>
                    <Form.Item name={['v', 'arrivalRules', i, 'days']} label={t('protocol.form.duration')}>
                      <InputNumber min={0} max={60} precision={0} addonAfter={t('protocol.form.days')} />
                    </Form.Item>
                    <Form.Item name={['v', 'arrivalRules', i, 'testDays']} label={t('protocol.form.testDays')} style={{ flex: 1, minWidth: 140 }}>
                      <Input />
                    </Form.Item>
                  </Flex>
                </div>
              )),
            },
            {
              key: 'tracing',
              forceRender: true,
              label: labels.options(PROTOCOL_GROUP_LABELS, ['tracing'])[0]!.label,
              children: (
                <Flex gap={8} wrap="wrap">
                  <Form.Item name={['v', 'tracing', 'lookbackDays']} label={t('protocol.form.lookbackDays')}>
                    <InputNumber min={1} max={14} precision={0} addonAfter={t('protocol.form.days')} />
                  </Form.Item>
                  <Form.Item name={['v', 'tracing', 'assumedStayMinutes']} label={t('protocol.form.assumedStayMinutes')}>
                    <InputNumber min={1} max={480} precision={0} addonAfter={t('protocol.form.minutes')} />
                  </Form.Item>
                  <Form.Item name={['v', 'tracing', 'minOverlapMinutes']} label={t('protocol.form.minOverlapMinutes')}>
                    <InputNumber min={1} max={480} precision={0} addonAfter={t('protocol.form.minutes')} />
                  </Form.Item>
                  <Form.Item name={['v', 'tracing', 'householdAreClose']} label={t('protocol.form.householdAreClose')} valuePropName="checked">
                    <Switch />
                  </Form.Item>
                  <Form.Item name={['v', 'tracing', 'secondaryContacts']} label={t('protocol.form.secondaryContacts')} style={{ minWidth: 180 }}>
                    <Select options={[{ value: 'household', label: t('protocol.form.secondaryHousehold') }, { value: 'none', label: t('protocol.form.secondaryNone') }]} />
                  </Form.Item>
                </Flex>
              ),
            },
            {
              key: 'contacts',
              forceRender: true,
              label: labels.options(PROTOCOL_GROUP_LABELS, ['contacts'])[0]!.label,
              children: (
                <>
                  <MeasureFields base={['v', 'contactManagement', 'close']} label={t('protocol.form.close')} />
                  <Form.Item name={['v', 'contactManagement', 'secondaryApplies']} label={t('protocol.form.secondaryApplies')} valuePropName="checked">
                    <Switch />
                  </Form.Item>
                  {secondaryApplies ? <MeasureFields base={['v', 'contactManagement', 'secondary']} label={t('protocol.form.secondary')} /> : null}
                </>
              ),
            },
            {
              key: 'riskAreas',
              forceRender: true,
              label: labels.options(PROTOCOL_GROUP_LABELS, ['riskAreas'])[0]!.label,
              children: base.riskAreas.levels.map((l, i) => (
                <div key={l.level}>
                  <Typography.Text strong>{labels.options(RISK_AREA_LEVEL_LABELS, [l.level])[0]!.label}</Typography.Text>
                  <Flex gap={8} wrap="wrap" style={{ marginTop: 8 }}>
                    <Form.Item name={['v', 'riskAreas', 'levels', i, 'unit']} label={t('protocol.form.unit')} style={{ minWidth: 180 }}>
                      <Select options={labels.options(RISK_AREA_UNIT_LABELS, RISK_AREA_UNITS)} />
                    </Form.Item>
                    <Form.Item name={['v', 'riskAreas', 'levels', i, 'liftAfterDays']} label={t('protocol.form.liftAfterDays')} extra={t('protocol.form.liftEmpty')}>
                      <InputNumber min={0} max={60} precision={0} addonAfter={t('protocol.form.days')} />
                    </Form.Item>
                    <Form.Item name={['v', 'riskAreas', 'levels', i, 'liftNeedsNegativeRound']} label={t('protocol.form.liftNeedsNegativeRound')} valuePropName="checked">
                      <Switch />
                    </Form.Item>
                    <Form.Item name={['v', 'riskAreas', 'levels', i, 'stepsDownTo']} label={t('protocol.form.stepsDownTo')} style={{ minWidth: 150 }}>
                      <Select allowClear placeholder={t('protocol.form.normal')} options={levelOptions.filter((o) => o.value !== l.level)} />
                    </Form.Item>
                  </Flex>
                  <Form.Item name={['v', 'riskAreas', 'levels', i, 'measure']} label={t('protocol.form.areaMeasure')}>
                    <Input maxLength={200} />
                  </Form.Item>
                </div>
              )),
            },
          ]}
        />
      </Form>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('protocol.form.preview')}
      </Typography.Title>
      <DiffTable changes={preview} empty={t('protocol.form.noChanges')} testId="protocol-form-preview" />
    </Drawer>
  );
}

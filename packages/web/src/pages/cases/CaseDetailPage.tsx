import { ArrowLeftOutlined } from '@ant-design/icons';
import { CASE_OUTCOMES, CASE_RECLASSIFY, type CaseOutcome, type CaseView } from '@gridline/shared';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Flex, Form, Input, Modal, Row, Select, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { casesApi } from '../../api/cases';
import { useApi, useErrorText } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime, todayInShanghai } from '../../lib/time';
import CaseTracingSection from '../tracing/CaseTracingSection';
import { CLASSIFICATION_COLORS, useCaseLabels } from './caseLabels';

type Action = { kind: 'reclassify' } | { kind: 'close' };

/** Reclassify (suspected → confirmed/asymptomatic, asymptomatic → confirmed) or close with an outcome; both with a reason. */
function ActionModal(props: { c: CaseView; action: Action | undefined; onClose: () => void; onDone: (c: CaseView) => void }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ classification?: string; outcome?: CaseOutcome; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const targets = CASE_RECLASSIFY[props.c.classification];
  const outcomes = CASE_OUTCOMES.filter((o) => o !== 'ruled_out' || props.c.classification === 'suspected');
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      const done =
        props.action?.kind === 'reclassify'
          ? await casesApi.reclassify(props.c.id, { version: props.c.version, classification: v.classification as CaseView['classification'], reason: v.reason.trim() })
          : await casesApi.close(props.c.id, { version: props.c.version, outcome: v.outcome!, reason: v.reason.trim() });
      form.resetFields();
      props.onDone(done);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!props.action}
      onCancel={props.onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      destroyOnHidden
      title={props.action?.kind === 'reclassify' ? t('cases.reclassify') : t('cases.close')}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'case-action-submit' } as never}
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ classification: targets[0], outcome: outcomes[0] }}>
        {props.action?.kind === 'reclassify' ? (
          <Form.Item name="classification" label={t('cases.reclassifyTo')} rules={[{ required: true }]}>
            <Select options={targets.map((c) => ({ value: c, label: labels.classification(c) }))} data-testid="case-reclassify-to" />
          </Form.Item>
        ) : (
          <Form.Item name="outcome" label={t('cases.fields.outcome')} rules={[{ required: true }]}>
            <Select options={outcomes.map((o) => ({ value: o, label: labels.outcome(o) }))} data-testid="case-outcome" />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('cases.reason')} rules={[{ required: true, min: 2, message: t('cases.reasonRequired') }]}>
          <Input.TextArea maxLength={300} autoSize={{ minRows: 2, maxRows: 4 }} data-testid="case-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 补充信息: onset and sampling dates (they decide the protocol version and the tracing window), address, note. */
function EditModal(props: { c: CaseView; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ onsetDate?: Dayjs | null; samplingDate?: Dayjs | null; address: string; note: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const today = todayInShanghai();
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      await casesApi.update(props.c.id, {
        version: props.c.version,
        ...(props.c.classification === 'asymptomatic' ? {} : { onsetDate: v.onsetDate ? v.onsetDate.format('YYYY-MM-DD') : null }),
        samplingDate: v.samplingDate ? v.samplingDate.format('YYYY-MM-DD') : null,
        address: v.address ?? '',
        note: v.note ?? '',
      });
      props.onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={props.open} onCancel={props.onClose} onOk={() => void submit()} confirmLoading={busy} destroyOnHidden title={t('cases.edit')} okText={t('common.save')}>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ onsetDate: props.c.onsetDate ? dayjs(props.c.onsetDate) : null, samplingDate: props.c.samplingDate ? dayjs(props.c.samplingDate) : null, address: props.c.address, note: props.c.note }}
      >
        <Flex gap={8} wrap="wrap">
          {props.c.classification !== 'asymptomatic' ? (
            <Form.Item name="onsetDate" label={t('cases.fields.onsetDate')} style={{ flex: 1, minWidth: 150 }}>
              <DatePicker inputReadOnly style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
            </Form.Item>
          ) : null}
          <Form.Item name="samplingDate" label={t('cases.fields.samplingDate')} style={{ flex: 1, minWidth: 150 }}>
            <DatePicker inputReadOnly style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
          </Form.Item>
        </Flex>
        <Form.Item name="address" label={t('cases.fields.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="note" label={t('cases.fields.note')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('cases.editHint')}</Typography.Text>
      </Form>
    </Modal>
  );
}

/** One case: who, what, when, under which protocol version; its timeline of changes; reclassify and close. */
export default function CaseDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const labels = useCaseLabels();
  const { id = '' } = useParams<{ id: string }>();
  const detail = useApi((s) => casesApi.get(id, s), [id]);
  const [action, setAction] = useState<Action | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const c = detail.data?.case;

  return (
    <PageContainer
      testId="case-detail"
      title={c ? `${c.personName} · ${c.caseNo}` : t('cases.detail')}
      subTitle={
        <Link to="/cases">
          <ArrowLeftOutlined /> {t('cases.backToList')}
        </Link>
      }
      extra={
        c && c.status === 'open' && can('case.write') ? (
          <>
            <Button onClick={() => setEditing(true)} data-testid="case-edit">
              {t('cases.edit')}
            </Button>
            {CASE_RECLASSIFY[c.classification].length ? (
              <Button onClick={() => setAction({ kind: 'reclassify' })} data-testid="case-reclassify">
                {t('cases.reclassify')}
              </Button>
            ) : null}
            <Button danger onClick={() => setAction({ kind: 'close' })} data-testid="case-close">
              {t('cases.close')}
            </Button>
          </>
        ) : null
      }
    >
      {detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : null}
      {!detail.data && !detail.error ? <LoadingBlock rows={8} card /> : null}
      {c && detail.data ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={15}>
            <Card size="small" title={t('cases.basics')}>
              <Flex gap={8} style={{ marginBottom: 12 }} wrap="wrap">
                <Tag color={c.status === 'closed' ? undefined : CLASSIFICATION_COLORS[c.classification]} data-testid="case-classification-tag">{labels.classification(c.classification)}</Tag>
                <Tag color={c.status === 'open' ? 'processing' : 'default'}>{labels.status(c.status)}{c.outcome ? `·${labels.outcome(c.outcome)}` : ''}</Tag>
                {c.residentId ? <Tag>{t('cases.resident')}</Tag> : <Tag>{t('cases.person')}</Tag>}
              </Flex>
              <Descriptions
                size="small"
                column={mobile ? 1 : 2}
                items={[
                  { key: 'no', label: t('cases.fields.caseNo'), children: c.caseNo },
                  { key: 'name', label: t('fields.name'), children: c.residentId ? <Link to={`/residents?resident=${c.residentId}`}>{c.personName}</Link> : c.personName },
                  { key: 'phone', label: t('fields.phone'), children: c.phoneMasked ?? '—' },
                  { key: 'region', label: t('cases.fields.region'), children: c.regionName },
                  { key: 'address', label: t('cases.fields.address'), children: c.address || '—' },
                  { key: 'onset', label: t('cases.fields.onsetDate'), children: c.onsetDate ?? '—' },
                  { key: 'sampling', label: t('cases.fields.samplingDate'), children: c.samplingDate ?? '—' },
                  { key: 'confirmed', label: t('cases.fields.confirmedAt'), children: c.confirmedAt ? formatDateTime(c.confirmedAt) : '—' },
                  { key: 'source', label: t('cases.fields.reportSource'), children: t(`cases.sources.${c.reportSource}`, { defaultValue: c.reportSource }) },
                  { key: 'protocol', label: t('cases.fields.protocol'), children: <Link to={`/protocol/${c.protocolId}`} data-testid="case-protocol">{c.protocolName}</Link> },
                  { key: 'by', label: t('cases.fields.createdBy'), children: `${c.createdBy} · ${formatDateTime(c.createdAt)}` },
                  ...(c.note ? [{ key: 'note', label: t('cases.fields.note'), children: c.note }] : []),
                ]}
              />
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
                {t('cases.protocolHint')}
              </Typography.Paragraph>
            </Card>
            {/* 流调 (tracing): the tracing module's section for this case (issue #6, part 2), for those who may read traces. */}
            {can('trace.read') ? (
              <div style={{ marginTop: 16 }}>
                <CaseTracingSection caseId={c.id} />
              </div>
            ) : null}
          </Col>
          <Col xs={24} lg={9}>
            <Card size="small" title={t('cases.timeline')} data-testid="case-timeline">
              <Timeline
                items={detail.data.changes.map((x) => ({
                  key: x.id,
                  color: x.field === 'created' ? 'blue' : x.field === 'classification' ? 'red' : 'gray',
                  children: (
                    <div data-testid="case-change">
                      <Typography.Text strong>
                        {x.field === 'created' ? t('cases.changes.created', { to: labels.value('created', x.to) }) : t(`cases.changes.${x.field}`, { from: labels.value(x.field, x.from), to: labels.value(x.field, x.to) })}
                      </Typography.Text>
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTime(x.at)} · {x.actorName}
                        </Typography.Text>
                      </div>
                      {x.reason ? <Typography.Text style={{ fontSize: 13 }}>{x.reason}</Typography.Text> : null}
                    </div>
                  ),
                }))}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
      {c ? (
        <EditModal
          c={c}
          open={editing}
          onClose={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            void message.success(t('cases.saved'));
            detail.reload();
          }}
        />
      ) : null}
      {c ? (
        <ActionModal
          c={c}
          action={action}
          onClose={() => setAction(undefined)}
          onDone={() => {
            setAction(undefined);
            void message.success(t('cases.saved'));
            detail.reload();
          }}
        />
      ) : null}
    </PageContainer>
  );
}

import { ArrowLeftOutlined, PaperClipOutlined, PhoneOutlined } from '@ant-design/icons';
import type { WhistleAction, WhistleDetail, WhistleEvent, WhistleRating } from '@gridline/shared';
import { WHISTLE_RATINGS } from '@gridline/shared';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Image, Input, Modal, Radio, Row, Select, Timeline, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi, useErrorText } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { departmentsApi, whistlesApi } from '../../api/whistles';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { WhistleBadges } from './WhistlesPage';
import { useWhistleLabels } from './whistleLabels';

type Dialog = Exclude<WhistleAction, 'upload'>;

/** One step's dialog: a note (all), a rating (confirm), a department (reroute). */
function StepModal(props: { w: WhistleDetail; action: Dialog | undefined; onClose: () => void; onDone: (w: WhistleDetail) => void }) {
  const { t } = useTranslation();
  const labels = useWhistleLabels();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ note?: string; rating?: WhistleRating; solved?: boolean; departmentId?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const depts = useApi((s) => departmentsApi.list(s), [], props.action === 'reroute');
  const a = props.action;
  const noteRequired = a === 'progress' || a === 'resolve' || a === 'reopen' || a === 'reroute';
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    const { id, version } = props.w;
    const note = v.note?.trim() ?? '';
    try {
      const done =
        a === 'acknowledge' ? await whistlesApi.acknowledge(id, { version, ...(note ? { note } : {}) })
        : a === 'progress' ? await whistlesApi.progress(id, { version, note })
        : a === 'resolve' ? await whistlesApi.resolve(id, { version, note })
        : a === 'reopen' ? await whistlesApi.reopen(id, { version, note })
        : a === 'confirm' ? await whistlesApi.confirm(id, { version, rating: v.rating!, solved: v.solved!, ...(note ? { note } : {}) })
        : await whistlesApi.reroute(id, { version, departmentId: v.departmentId === '__command' ? null : v.departmentId!, note });
      form.resetFields();
      props.onDone(done);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const noteLabel = { acknowledge: 'prompts.note', progress: 'prompts.progressNote', resolve: 'prompts.resolveNote', reopen: 'prompts.reopenNote', reroute: 'prompts.rerouteNote', confirm: 'prompts.note' } as const;
  return (
    <Modal
      open={!!a}
      onCancel={props.onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      destroyOnHidden
      title={a ? t(`whistles.actions.${a}`) : ''}
      okText={a ? t(`whistles.actions.${a}`) : ''}
      okButtonProps={{ 'data-testid': 'whistle-step-submit', danger: a === 'reopen' } as never}
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="whistle-step-error" /> : null}
      {a === 'resolve' ? <Alert type="info" showIcon title={t('whistles.deptCannotClose')} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ rating: 'satisfied', solved: true }}>
        {a === 'confirm' ? (
          <>
            <Form.Item name="rating" label={t('whistles.prompts.ratingLabel')} rules={[{ required: true }]}>
              <Radio.Group optionType="button" buttonStyle="solid" data-testid="whistle-rating">
                {WHISTLE_RATINGS.map((r) => <Radio.Button key={r} value={r} data-testid={`whistle-rating-${r}`}>{labels.rating(r)}</Radio.Button>)}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="solved" label={t('whistles.prompts.solvedLabel')} rules={[{ required: true }]}>
              <Radio.Group>
                <Radio value={true}>{t('whistles.prompts.solvedYes')}</Radio>
                <Radio value={false}>{t('whistles.prompts.solvedNo')}</Radio>
              </Radio.Group>
            </Form.Item>
          </>
        ) : null}
        {a === 'reroute' ? (
          <Form.Item name="departmentId" label={t('whistles.prompts.rerouteTo')} rules={[{ required: true }]}>
            <Select
              data-testid="whistle-reroute-to"
              options={[{ value: '__command', label: t('whistles.prompts.toCommand') }, ...(depts.data?.items ?? []).filter((d) => d.active && d.id !== props.w.department?.id).map((d) => ({ value: d.id, label: d.name }))]}
            />
          </Form.Item>
        ) : null}
        {a ? (
          <Form.Item name="note" label={t(`whistles.${noteLabel[a]}`)} rules={noteRequired ? [{ required: true, min: 2 }] : []}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="whistle-step-note" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function eventText(e: WhistleEvent, t: (k: string, o?: Record<string, unknown>) => string, labels: ReturnType<typeof useWhistleLabels>, deptName: (id: unknown) => string): string {
  const d = e.data;
  const late = d.late === true ? t('whistles.eventDetail.late') : '';
  switch (e.kind) {
    case 'routed':
      return d.departmentId ? t('whistles.eventDetail.routedTo', { dept: deptName(d.departmentId) }) : t('whistles.eventDetail.routedFallback');
    case 'escalated':
      return t('whistles.eventDetail.escalated', { reason: t(d.reason === 'ack_overdue' ? 'whistles.eventDetail.ackOverdue' : 'whistles.eventDetail.resolveOverdue'), from: labels.level(String(d.from)), to: labels.level(String(d.to)) });
    case 'confirmed':
      return [t('whistles.eventDetail.rated', { rating: labels.rating(String(d.rating)), solved: t(d.solved ? 'whistles.prompts.solvedYes' : 'whistles.prompts.solvedNo') }), e.note].filter(Boolean).join('；');
    default:
      return `${e.note}${late}`;
  }
}

/** /whistles/:id — the timeline, photos, and the steps open to me (the server says which). */
export default function WhistleDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useWhistleLabels();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const [uploading, setUploading] = useState(false);
  const data = useApi((s) => whistlesApi.get(id, s), [id]);
  const depts = useApi((s) => departmentsApi.list(s).catch(() => ({ items: [] })), []);
  useLiveEvents(['whistle.changed'], () => data.reload());
  const w = data.data;
  const deptName = (x: unknown) => depts.data?.items.find((d) => d.id === x)?.name ?? (w?.department?.id === x ? w?.department?.name ?? '' : '');
  const stage = w?.status === 'acknowledged' ? 'resolve' : 'raise';

  return (
    <PageContainer
      testId="whistle-detail"
      title={w ? t('whistles.detailTitle', { no: w.no }) : t('whistles.title')}
      subTitle={w?.title}
      extra={
        <Link to="/whistles">
          <Button icon={<ArrowLeftOutlined />}>{t('whistles.back')}</Button>
        </Link>
      }
    >
      {data.error ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {!data.error && !w ? <LoadingBlock rows={8} card /> : null}
      {w ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <Card>
              <Flex vertical gap={12}>
                <WhistleBadges w={w} />
                <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }} data-testid="whistle-description">{w.description}</Typography.Paragraph>
                <Flex gap={8} wrap="wrap" data-testid="whistle-actions">
                  {w.actions.filter((a): a is Dialog => a !== 'upload').map((a) => (
                    <Button key={a} type={a === 'acknowledge' || a === 'resolve' || a === 'confirm' ? 'primary' : 'default'} danger={a === 'reopen'} onClick={() => setDialog(a)} data-testid={`whistle-action-${a}`} size={mobile ? 'large' : undefined}>
                      {t(`whistles.actions.${a}`)}
                    </Button>
                  ))}
                  {w.actions.includes('upload') ? (
                    <Upload
                      accept="image/*,.pdf,.docx,.xlsx,.txt"
                      showUploadList={false}
                      beforeUpload={(f) => {
                        setUploading(true);
                        whistlesApi.upload(w.id, f as unknown as File, stage).then(
                          (d) => data.setData(d),
                          (err: unknown) => void message.error(errorText(err)),
                        ).finally(() => setUploading(false));
                        return false;
                      }}
                    >
                      <Button icon={<PaperClipOutlined />} loading={uploading} data-testid="whistle-action-upload" size={mobile ? 'large' : undefined}>{t('whistles.actions.upload')}</Button>
                    </Upload>
                  ) : null}
                </Flex>
                <Descriptions size="small" column={mobile ? 1 : 2} bordered>
                  <Descriptions.Item label={t('whistles.fields.category')}>{labels.category(w.category)}</Descriptions.Item>
                  <Descriptions.Item label={t('whistles.fields.department')}>
                    <span data-testid="whistle-department">{w.department?.name ?? t('whistles.fallback')}</span>
                    {w.coDepartments.length ? <Typography.Text type="secondary">（{t('whistles.fields.coDepartments')}：{w.coDepartments.map((d) => d.name).join('、')}）</Typography.Text> : null}
                  </Descriptions.Item>
                  {w.dutyPhone ? (
                    <Descriptions.Item label={t('whistles.fields.dutyPhone')}>
                      <a href={`tel:${w.dutyPhone}`}><PhoneOutlined /> {w.dutyPhone}</a>
                    </Descriptions.Item>
                  ) : null}
                  <Descriptions.Item label={t('whistles.fields.region')}>{w.regionName}</Descriptions.Item>
                  {w.address ? <Descriptions.Item label={t('whistles.fields.address')}>{w.address}</Descriptions.Item> : null}
                  {w.lat !== null && w.lng !== null ? <Descriptions.Item label={t('whistles.fields.pin')}>{w.lat.toFixed(5)}, {w.lng.toFixed(5)}</Descriptions.Item> : null}
                  <Descriptions.Item label={t('whistles.fields.raisedBy')}>{w.raisedBy}</Descriptions.Item>
                  <Descriptions.Item label={t('whistles.fields.createdAt')}>{formatDateTime(w.createdAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('whistles.fields.ackDueAt')}>{formatDateTime(w.ackDueAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('whistles.fields.resolveDueAt')}>{formatDateTime(w.resolveDueAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('whistles.fields.level')}>{labels.level(w.level)}</Descriptions.Item>
                  {w.rating ? <Descriptions.Item label={t('whistles.fields.rating')}>{labels.rating(w.rating)} · {t(w.solved ? 'whistles.prompts.solvedYes' : 'whistles.prompts.solvedNo')}</Descriptions.Item> : null}
                </Descriptions>
              </Flex>
            </Card>
            <Card title={t('whistles.fields.photos')} size="small" style={{ marginTop: 16 }}>
              {w.files.length === 0 ? <Typography.Text type="secondary">{t('whistles.noFiles')}</Typography.Text> : null}
              <Image.PreviewGroup>
                <Flex gap={8} wrap="wrap" data-testid="whistle-files">
                  {w.files.map((f) =>
                    f.mime.startsWith('image/') ? (
                      <Image key={f.id} src={whistlesApi.fileUrl(w.id, f.id)} alt={f.fileName} width={96} height={96} style={{ objectFit: 'cover', borderRadius: 6 }} data-testid="whistle-file" />
                    ) : (
                      <a key={f.id} href={whistlesApi.fileUrl(w.id, f.id)} data-testid="whistle-file"><PaperClipOutlined /> {f.fileName}</a>
                    ),
                  )}
                </Flex>
              </Image.PreviewGroup>
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card title={t('whistles.timeline')} size="small">
              <Timeline
                data-testid="whistle-timeline"
                items={w.events.map((e) => ({
                  color: e.kind === 'escalated' ? 'red' : e.kind === 'confirmed' ? 'green' : e.kind === 'reopened' ? 'orange' : 'blue',
                  children: (
                    <div data-testid={`whistle-event-${e.kind}`}>
                      <Typography.Text strong>{t(`whistles.events.${e.kind}`)}</Typography.Text>
                      <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>{formatDateTime(e.at)} · {e.actor}</Typography.Text>
                      {eventText(e, t, labels, deptName) ? <div style={{ whiteSpace: 'pre-wrap' }}>{eventText(e, t, labels, deptName)}</div> : null}
                    </div>
                  ),
                }))}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
      {w ? (
        <StepModal
          w={w}
          action={dialog}
          onClose={() => setDialog(undefined)}
          onDone={(d) => {
            const done = dialog;
            setDialog(undefined);
            data.setData(d);
            if (done) void message.success(t('whistles.actionDone', { action: t(`whistles.actions.${done}`) }));
          }}
        />
      ) : null}
    </PageContainer>
  );
}

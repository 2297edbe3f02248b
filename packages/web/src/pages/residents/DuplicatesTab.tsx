import { MergeCellsOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Radio, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { residentsApi, type DuplicateGroups, type Resident } from '../../api/endpoints';
import { useApi, useErrorText } from '../../api/hooks';
import { RegionPicker } from '../../components/RegionPicker';
import { EmptyState, ErrorState, LoadingBlock, NotAvailable } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { ageOf, formatDateTime } from '../../lib/time';

type Group = DuplicateGroups['groups'][number];

function MergeModal({ group, keepId, onClose, onMerged }: { group: Group | undefined; keepId: string | undefined; onClose: () => void; onMerged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const keep = group?.residents.find((r) => r.id === keepId);
  const others = group?.residents.filter((r) => r.id !== keepId) ?? [];

  useEffect(() => {
    if (group) {
      form.resetFields();
      setError(undefined);
    }
  }, [group, form]);

  const merge = async () => {
    let reason: string;
    try {
      reason = (await form.validateFields()).reason.trim();
    } catch {
      return;
    }
    if (!keep) return;
    setBusy(true);
    setError(undefined);
    try {
      for (const d of others) await residentsApi.merge(keep.id, { duplicateId: d.id, reason });
      void message.success(t('duplicates.merged', { name: keep.name }));
      onMerged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!group}
      title={t('duplicates.mergeTitle')}
      onCancel={onClose}
      onOk={() => void merge()}
      okText={t('duplicates.mergeConfirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ danger: true }}
      destroyOnHidden
    >
      <div data-testid="merge-modal">
        <Typography.Paragraph>{t('duplicates.mergeKeep', { name: keep?.name ?? '', doc: keep?.docNumberMasked ?? '' })}</Typography.Paragraph>
        <Typography.Paragraph>{t('duplicates.mergeRemove', { names: others.map((o) => t('duplicates.nameDoc', { name: o.name, doc: o.docNumberMasked })).join(t('common.listSep')) })}</Typography.Paragraph>
        <Alert type="info" showIcon title={t('duplicates.mergeExplain')} style={{ marginBottom: 16 }} />
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('duplicates.reasonLabel')} rules={[{ required: true, whitespace: true, message: t('duplicates.reasonRequired') }, { min: 2, message: t('unmask.purposeMin') }]}>
            <Input.TextArea rows={2} maxLength={200} placeholder={t('duplicates.reasonPlaceholder')} data-testid="merge-reason" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

/** 疑似重复: groups the server found (same document, or same name + birth date + phone), merged one by one. */
export function DuplicatesTab({ node: initialNode, onOpenResident }: { node: string | undefined; onOpenResident: (id: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [node, setNode] = useState<string | undefined>(initialNode);
  const [keep, setKeep] = useState<Record<number, string>>({});
  const [merging, setMerging] = useState<{ group: Group; keepId: string } | undefined>(undefined);
  const dup = useApi((s) => residentsApi.duplicates(node, s), [node]);
  const err = dup.error ? toApiError(dup.error) : undefined;

  const row = (r: Resident) => (
    <Flex vertical gap={2}>
      <span>
        <a onClick={() => onOpenResident(r.id)}>{r.name}</a>{' '}
        <Typography.Text type="secondary">
          {t(`sex.${r.sex}`)} · {r.birthDate} · {t('common.ageYears', { age: ageOf(r.birthDate) })}
        </Typography.Text>
      </span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {labels.docType(r.docType)} {r.docNumberMasked} · {r.phoneMasked ?? t('common.none')} · {t('common.updatedAt')} {formatDateTime(r.updatedAt)}
      </Typography.Text>
    </Flex>
  );

  return (
    <div data-testid="duplicates-tab">
      <Flex gap={8} style={{ marginBottom: 16 }} wrap="wrap">
        <div style={{ flex: 1, minWidth: 220, maxWidth: 420 }}>
          <RegionPicker value={node} onChange={(c) => setNode(c)} maxLevel="grid" placeholder={t('duplicates.scope')} />
        </div>
        <Button icon={<ReloadOutlined />} onClick={dup.reload}>
          {t('common.refresh')}
        </Button>
      </Flex>
      {err && err.notAvailable && err.code === 'GRIDLINE_NOT_FOUND' ? <NotAvailable what={t('residents.tabDuplicates')} /> : null}
      {err && !(err.notAvailable && err.code === 'GRIDLINE_NOT_FOUND') ? <ErrorState error={err} onRetry={dup.reload} /> : null}
      {!err && dup.loading && !dup.data ? <LoadingBlock rows={6} card /> : null}
      {!err && dup.data && dup.data.groups.length === 0 ? <EmptyState description={t('duplicates.none')} /> : null}
      {!err && dup.data
        ? dup.data.groups.map((g, i) => {
            const keepId = keep[i] ?? g.residents[0]?.id;
            return (
              <Card
                key={g.residents.map((r) => r.id).join()}
                size="small"
                style={{ marginBottom: 12 }}
                title={<Tag color={g.reason === 'same_document' ? 'red' : 'gold'}>{t(`duplicates.reason.${g.reason}`)}</Tag>}
                extra={
                  <Button type="primary" ghost icon={<MergeCellsOutlined />} disabled={!keepId} onClick={() => keepId && setMerging({ group: g, keepId })} data-testid="merge-open">
                    {t('duplicates.merge')}
                  </Button>
                }
              >
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
                  {t('duplicates.pickKeep')}
                </Typography.Text>
                <Radio.Group value={keepId} onChange={(e) => setKeep((k) => ({ ...k, [i]: String(e.target.value) }))} style={{ width: '100%' }}>
                  <Flex vertical gap={8}>
                    {g.residents.map((r) => (
                      <Radio key={r.id} value={r.id} style={{ alignItems: 'flex-start' }}>
                        {row(r)}
                      </Radio>
                    ))}
                  </Flex>
                </Radio.Group>
              </Card>
            );
          })
        : null}
      <MergeModal
        group={merging?.group}
        keepId={merging?.keepId}
        onClose={() => setMerging(undefined)}
        onMerged={() => {
          setMerging(undefined);
          dup.reload();
        }}
      />
    </div>
  );
}

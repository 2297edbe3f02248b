import { STAFF_DELIVERY_CHANNELS, type DeliveryDocument } from '@gridline/shared';
import { Alert, App, Button, Flex, Input, Modal, Radio, Segmented, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { measureLifecycleApi } from '../../api/measures-lifecycle';
import { useAuth } from '../../auth/AuthContext';
import { formatDateTime } from '../../lib/time';

/** Records one delivery channel of one document for one or many measures (当面送达签收, 张贴, 短信/电话告知). */
export function DeliveryModal(props: { open: boolean; measureIds: string[]; documents: DeliveryDocument[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [document, setDocument] = useState<DeliveryDocument>(props.documents[0] ?? 'notice');
  const [channel, setChannel] = useState<(typeof STAFF_DELIVERY_CHANNELS)[number]>('in_person');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const doc = props.documents.includes(document) ? document : props.documents[0] ?? 'notice';

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await measureLifecycleApi.recordDeliveries({ measureIds: props.measureIds, document: doc, channel, ...(note.trim() ? { note: note.trim() } : {}) });
      message.success(t('measures.lifecycle.deliverySaved', { recorded: r.recorded, already: r.already }));
      setNote('');
      props.onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      onCancel={props.onClose}
      title={t('measures.lifecycle.recordDelivery', { count: props.measureIds.length })}
      okText={t('measures.lifecycle.saveDelivery')}
      onOk={() => void save()}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'delivery-save' }}
    >
      <Flex vertical gap={12} data-testid="delivery-modal">
        {props.documents.length > 1 ? (
          <Segmented block value={doc} onChange={(v) => setDocument(v as DeliveryDocument)} options={props.documents.map((d) => ({ value: d, label: t(`measures.lifecycle.document.${d}`) }))} data-testid="delivery-document" />
        ) : (
          <Typography.Text strong>{t(`measures.lifecycle.document.${doc}`)}</Typography.Text>
        )}
        <Radio.Group value={channel} onChange={(e) => setChannel(e.target.value as typeof channel)} data-testid="delivery-channel">
          <Flex vertical gap={8}>
            {STAFF_DELIVERY_CHANNELS.map((c) => (
              <Radio key={c} value={c} style={{ fontSize: 15 }}>{t(`measures.lifecycle.channel.${c}`)}</Radio>
            ))}
          </Flex>
        </Radio.Group>
        <Input maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('measures.lifecycle.deliveryNote')} data-testid="delivery-note" />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('measures.lifecycle.portalAuto')}</Typography.Text>
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Flex>
    </Modal>
  );
}

/** In the measure drawer: how its notice and release certificate reached the person, and recording another delivery. */
export function DeliveriesSection(props: { measureId: string; status: string; personMeasure: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [refresh, setRefresh] = useState(0);
  const [open, setOpen] = useState(false);
  const list = useApi((s) => measureLifecycleApi.deliveries(props.measureId, s), [props.measureId, refresh], props.personMeasure);
  if (!props.personMeasure || props.status === 'pending' || props.status === 'refused') return null;
  const documents: DeliveryDocument[] = props.status === 'ended' ? ['notice', 'release'] : ['notice'];
  const rows = list.data ?? [];
  const noticeDelivered = rows.some((d) => d.document === 'notice');
  return (
    <Flex vertical gap={8} data-testid="measure-deliveries">
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong>{t('measures.lifecycle.deliveries')}</Typography.Text>
        {can('measure.write') ? (
          <Button size="small" onClick={() => setOpen(true)} data-testid="delivery-open">{t('measures.lifecycle.recordDeliveryShort')}</Button>
        ) : null}
      </Flex>
      {list.data && !noticeDelivered ? <Alert type="warning" showIcon title={t('measures.lifecycle.noticeNotDelivered')} /> : null}
      {rows.map((d) => (
        <Flex key={d.id} gap={6} align="center" wrap data-testid="delivery-row">
          <Tag color={d.document === 'release' ? 'green' : 'blue'}>{t(`measures.lifecycle.document.${d.document}`)}</Tag>
          <span>{t(`measures.lifecycle.channel.${d.channel}`)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.recordedBy} · {formatDateTime(d.deliveredAt)}{d.note ? ` · ${d.note}` : ''}</Typography.Text>
        </Flex>
      ))}
      <DeliveryModal open={open} measureIds={[props.measureId]} documents={documents} onClose={() => setOpen(false)} onDone={() => { setOpen(false); setRefresh((n) => n + 1); }} />
    </Flex>
  );
}

import { CameraOutlined, DeleteOutlined, SendOutlined } from '@ant-design/icons';
import type { WhistleCategory } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Form, Input, List, Select, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { inboxApi } from '../../api/inbox';
import { formatDateTime } from '../../lib/time';
import { useInboxLabels } from '../inbox/inboxLabels';

const PHOTO_MAX = 700 * 1024;
const STATUS_COLOR: Record<string, string> = { new: 'blue', routed: 'green', duplicate: 'default', dismissed: 'default' };

/** 我要反映: a resident tells the community about a problem or need (with an optional photo) and follows it. */
export default function MyRequestsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const labels = useInboxLabels();
  const [tick, setTick] = useState(0);
  const mine = useApi((s) => inboxApi.myRequests(s), [tick]);
  const [form] = Form.useForm<{ category?: WhistleCategory; text: string }>();
  const [photo, setPhoto] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const fileRef = useRef<HTMLInputElement>(null);

  const pickPhoto = (file: File | undefined) => {
    if (!file) return;
    if (file.size > PHOTO_MAX) {
      setError(t('inbox.portal.photoTooLarge'));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => setPhoto(String(reader.result));
    reader.readAsDataURL(file);
  };
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      await inboxApi.submit({ text: v.text.trim(), ...(v.category ? { category: v.category } : {}), ...(photo ? { photo } : {}) });
      message.success(t('inbox.portal.submitted'));
      form.resetFields();
      setPhoto(undefined);
      setTick((n) => n + 1);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={16} data-testid="my-requests">
      <Card size="small" title={t('inbox.portal.title')}>
        <Typography.Paragraph type="secondary">{t('inbox.portal.intro')}</Typography.Paragraph>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
        <Form form={form} layout="vertical">
          <Form.Item name="category" label={t('inbox.portal.category')}>
            <Select allowClear options={labels.categoryOptions} placeholder={t('inbox.portal.categoryPlaceholder')} data-testid="request-category" />
          </Form.Item>
          <Form.Item name="text" label={t('inbox.portal.text')} rules={[{ required: true, min: 5, max: 2000, message: t('inbox.portal.textRequired') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('inbox.portal.textPlaceholder')} data-testid="request-text" />
          </Form.Item>
          <Form.Item label={t('inbox.portal.photo')}>
            <input ref={fileRef} type="file" accept="image/jpeg,image/png,image/webp" style={{ display: 'none' }} onChange={(e) => pickPhoto(e.target.files?.[0])} data-testid="request-photo" />
            {photo ? (
              <Flex gap={8} align="center">
                <img src={photo} alt="" style={{ width: 96, height: 96, objectFit: 'cover', borderRadius: 6 }} />
                <Button icon={<DeleteOutlined />} onClick={() => setPhoto(undefined)} aria-label={t('common.delete')} />
              </Flex>
            ) : (
              <Button icon={<CameraOutlined />} onClick={() => fileRef.current?.click()}>{t('inbox.portal.addPhoto')}</Button>
            )}
          </Form.Item>
          <Button type="primary" block size="large" icon={<SendOutlined />} loading={busy} onClick={() => void submit()} data-testid="request-submit">
            {t('inbox.portal.submit')}
          </Button>
        </Form>
      </Card>
      <Card size="small" title={t('inbox.portal.mine')}>
        <List
          loading={!mine.data && !mine.error}
          dataSource={mine.data ?? []}
          locale={{ emptyText: t('inbox.portal.empty') }}
          data-testid="my-requests-list"
          renderItem={(r) => (
            <List.Item>
              <Flex vertical gap={4} style={{ width: '100%' }}>
                <Flex gap={4} wrap="wrap">
                  <Tag color={STATUS_COLOR[r.status]}>{t(`inbox.portal.status.${r.status}`)}</Tag>
                  {r.category ? <Tag>{labels.category(r.category)}</Tag> : null}
                  {r.whistleNo ? <Tag color="green">{t('inbox.portal.whistleNo', { no: r.whistleNo })}</Tag> : null}
                </Flex>
                <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{r.text}</Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(r.receivedAt)}</Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      </Card>
    </Flex>
  );
}

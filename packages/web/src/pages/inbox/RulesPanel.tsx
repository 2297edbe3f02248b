import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { InboxRule, WhistleCategory, WhistleUrgency } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { inboxApi, type RuleTest } from '../../api/inbox';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState } from '../../components/states';
import { URGENCY_COLORS, useInboxLabels } from './inboxLabels';

interface RuleForm {
  name: string;
  category: WhistleCategory;
  urgency: WhistleUrgency;
  keywords: string[];
  minHits: number;
  autoRoute: boolean;
  active: boolean;
  priority: number;
}

/** The editable Chinese keyword rules, and a tester that shows how a text would be classified. */
export function RulesPanel() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const labels = useInboxLabels();
  const errorText = useErrorText();
  const [tick, setTick] = useState(0);
  const rules = useApi((s) => inboxApi.rules(s), [tick]);
  const [editing, setEditing] = useState<InboxRule | 'new' | undefined>(undefined);
  const [form] = Form.useForm<RuleForm>();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState('');
  const [test, setTest] = useState<RuleTest | undefined>(undefined);
  const manage = can('inbox.manage');
  const myNode = me?.nodePath[me.nodePath.length - 1]?.code ?? '';
  const mine = (r: InboxRule) => r.nodeCode.startsWith(myNode);

  const openEdit = (r: InboxRule | 'new') => {
    setEditing(r);
    setError(undefined);
    form.setFieldsValue(r === 'new' ? { name: '', category: 'other', urgency: 'daily', keywords: [], minHits: 1, autoRoute: false, active: true, priority: 100 } : { ...r });
  };
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      if (editing === 'new') await inboxApi.createRule(v);
      else if (editing) await inboxApi.updateRule(editing.id, { version: editing.version, ...v });
      message.success(t('inbox.rules.saved'));
      setEditing(undefined);
      setTick((n) => n + 1);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const runTest = async () => {
    try {
      setTest(await inboxApi.testRules(text));
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <Flex vertical gap={16}>
      <Card size="small" title={t('inbox.rules.tester')}>
        <Flex vertical gap={8}>
          <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} rows={2} placeholder={t('inbox.rules.testPlaceholder')} data-testid="rule-test-text" />
          <Button onClick={() => void runTest()} disabled={!text.trim()} style={{ alignSelf: 'flex-start' }} data-testid="rule-test">
            {t('inbox.rules.test')}
          </Button>
          {test ? (
            <Alert
              type={test.category ? (test.confidence === 'high' ? 'success' : 'warning') : 'info'}
              showIcon
              data-testid="rule-test-result"
              message={test.category ? t('inbox.rules.result', { category: labels.category(test.category), rule: test.ruleName ?? '', confidence: t(`inbox.confidence.${test.confidence}`) }) : t('inbox.rules.noMatch')}
              description={test.category ? (
                <span>
                  {test.matched.map((k) => <Tag key={k}>{k}</Tag>)} {labels.urgency(test.urgency)} · {test.autoRoute ? t('inbox.rules.willRoute') : t('inbox.rules.wontRoute')}
                </span>
              ) : undefined}
            />
          ) : null}
        </Flex>
      </Card>
      <Typography.Text type="secondary">{t('inbox.rules.hint')}</Typography.Text>
      {manage ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => openEdit('new')} style={{ alignSelf: 'flex-start' }} data-testid="rule-add">
          {t('inbox.rules.add')}
        </Button>
      ) : null}
      {rules.error ? <ErrorState error={rules.error} onRetry={rules.reload} /> : null}
      <Table<InboxRule>
        rowKey="id"
        size="small"
        loading={!rules.data && !rules.error}
        dataSource={rules.data ?? []}
        pagination={false}
        scroll={{ x: mobile ? 640 : undefined }}
        data-testid="rules-table"
        columns={[
          { title: t('inbox.rules.name'), dataIndex: 'name', render: (v: string, r) => <>{v}{!mine(r) ? <Tag style={{ marginLeft: 6 }}>{t('inbox.rules.inherited')}</Tag> : null}</> },
          { title: t('inbox.category'), dataIndex: 'category', render: (v: string) => labels.category(v) },
          { title: t('inbox.rules.keywords'), dataIndex: 'keywords', render: (v: string[]) => v.map((k) => <Tag key={k}>{k}</Tag>) },
          { title: t('inbox.urgency'), dataIndex: 'urgency', render: (v: string) => <Tag color={URGENCY_COLORS[v]}>{labels.urgency(v)}</Tag> },
          { title: t('inbox.rules.autoRoute'), dataIndex: 'autoRoute', render: (v: boolean) => (v ? '✓' : '') },
          { title: t('inbox.rules.active'), dataIndex: 'active', render: (v: boolean) => (v ? '✓' : '—') },
          ...(manage
            ? [{
                title: '', key: 'actions', width: 96,
                render: (_: unknown, r: InboxRule) => mine(r) ? (
                  <Flex gap={4}>
                    <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => openEdit(r)} />
                    <Popconfirm title={t('inbox.rules.deleteConfirm', { name: r.name })} onConfirm={() => void inboxApi.deleteRule(r.id).then(() => setTick((n) => n + 1), (err: unknown) => message.error(errorText(err)))}>
                      <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  </Flex>
                ) : null,
              }]
            : []),
        ]}
      />
      <Modal open={!!editing} title={editing === 'new' ? t('inbox.rules.add') : t('inbox.rules.edit')} onCancel={() => setEditing(undefined)} onOk={() => void save()} confirmLoading={busy} okText={t('common.save')} destroyOnHidden>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('inbox.rules.name')} rules={[{ required: true, max: 40 }]}>
            <Input />
          </Form.Item>
          <Flex gap={8}>
            <Form.Item name="category" label={t('inbox.category')} style={{ flex: 1 }} rules={[{ required: true }]}>
              <Select options={labels.categoryOptions} />
            </Form.Item>
            <Form.Item name="urgency" label={t('inbox.urgency')} style={{ width: 130 }}>
              <Select options={labels.urgencyOptions} />
            </Form.Item>
          </Flex>
          <Form.Item name="keywords" label={t('inbox.rules.keywords')} extra={t('inbox.rules.keywordsHint')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Select mode="tags" open={false} tokenSeparators={[',', '，', '、', ' ']} data-testid="rule-keywords" />
          </Form.Item>
          <Flex gap={16} wrap="wrap">
            <Form.Item name="minHits" label={t('inbox.rules.minHits')}>
              <InputNumber min={1} max={10} />
            </Form.Item>
            <Form.Item name="priority" label={t('inbox.rules.priority')}>
              <InputNumber min={0} max={10000} />
            </Form.Item>
            <Form.Item name="autoRoute" label={t('inbox.rules.autoRoute')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="active" label={t('inbox.rules.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Flex>
        </Form>
      </Modal>
    </Flex>
  );
}

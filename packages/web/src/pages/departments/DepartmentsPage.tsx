import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { DEPARTMENT_KINDS, WHISTLE_URGENCIES, type Department, type DepartmentKind, type WhistleCategory, type WhistleUrgency } from '@gridline/shared';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { departmentsApi } from '../../api/whistles';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { useWhistleLabels } from '../whistles/whistleLabels';

interface DeptValues {
  name: string;
  kind: DepartmentKind;
  nodeCode: string;
  dutyContact: string;
  dutyPhone: string;
  categories: WhistleCategory[];
  active?: boolean;
}

function DepartmentModal(props: { open: boolean; editing: Department | undefined; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const labels = useWhistleLabels();
  const errorText = useErrorText();
  const [form] = Form.useForm<DeptValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const e = props.editing;
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      if (e) await departmentsApi.update(e.id, { version: e.version, name: v.name, kind: v.kind, dutyContact: v.dutyContact, dutyPhone: v.dutyPhone, categories: v.categories, active: v.active ?? true });
      else await departmentsApi.create({ name: v.name, kind: v.kind, nodeCode: v.nodeCode, dutyContact: v.dutyContact, dutyPhone: v.dutyPhone, categories: v.categories ?? [] });
      props.onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={props.open} onCancel={props.onClose} onOk={() => void submit()} confirmLoading={busy} destroyOnHidden title={e ? t('departments.edit') : t('departments.create')} okText={t('common.save')} okButtonProps={{ 'data-testid': 'dept-save' } as never}>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={e ? { name: e.name, kind: e.kind, nodeCode: e.nodeCode, dutyContact: e.dutyContact, dutyPhone: e.dutyPhone, categories: e.categories, active: e.active } : { kind: 'health', nodeCode: me?.nodeCode, categories: [] }}
      >
        <Form.Item name="name" label={t('departments.fields.name')} rules={[{ required: true, min: 2, max: 60 }]}>
          <Input maxLength={60} data-testid="dept-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('departments.fields.kind')} rules={[{ required: true }]}>
          <Select options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: labels.kind(k) }))} />
        </Form.Item>
        {!e ? (
          <Form.Item name="nodeCode" label={t('departments.fields.node')} rules={[{ required: true }]}>
            <RegionPicker maxLevel="community" style={{ width: '100%' }} />
          </Form.Item>
        ) : null}
        <Flex gap={12}>
          <Form.Item name="dutyContact" label={t('departments.fields.dutyContact')} rules={[{ required: true, max: 40 }]} style={{ flex: 1 }}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="dutyPhone" label={t('departments.fields.dutyPhone')} rules={[{ required: true, pattern: /^[0-9+\- ]{3,20}$/ }]} style={{ flex: 1 }}>
            <Input maxLength={20} inputMode="tel" />
          </Form.Item>
        </Flex>
        <Form.Item name="categories" label={t('departments.fields.categories')}>
          <Select mode="multiple" options={labels.categoryOptions} />
        </Form.Item>
        {e ? (
          <Form.Item name="active" valuePropName="checked">
            <Checkbox>{t('departments.active')}</Checkbox>
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function Registry() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const labels = useWhistleLabels();
  const mobile = useIsMobile();
  const list = useApi((s) => departmentsApi.list(s), []);
  const [editing, setEditing] = useState<Department | undefined>();
  const [open, setOpen] = useState(false);
  const manage = can('department.manage');
  return (
    <>
      {manage ? (
        <Flex justify="end" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing(undefined); setOpen(true); }} data-testid="dept-create">{t('departments.create')}</Button>
        </Flex>
      ) : null}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={5} card /> : null}
      {list.data && list.data.items.length === 0 ? <EmptyState description={t('departments.empty')} /> : null}
      {list.data && list.data.items.length > 0 ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<Department>
            rowKey="id"
            size={mobile ? 'small' : 'middle'}
            dataSource={list.data.items}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="dept-table"
            columns={[
              { title: t('departments.fields.name'), key: 'name', render: (_: unknown, d) => <Typography.Text strong>{d.name}</Typography.Text> },
              { title: t('departments.fields.kind'), key: 'kind', render: (_: unknown, d) => labels.kind(d.kind) },
              { title: t('departments.fields.node'), dataIndex: 'nodeName', key: 'node' },
              { title: t('departments.fields.dutyContact'), key: 'duty', render: (_: unknown, d) => `${d.dutyContact} · ${d.dutyPhone}` },
              { title: t('departments.fields.categories'), key: 'cats', render: (_: unknown, d) => <Flex gap={4} wrap="wrap">{d.categories.map((c) => <Tag key={c} style={{ marginInlineEnd: 0 }}>{labels.category(c)}</Tag>)}</Flex> },
              { title: t('departments.fields.staffCount'), key: 'staff', render: (_: unknown, d) => d.staffCount },
              { title: t('departments.fields.active'), key: 'active', render: (_: unknown, d) => (d.active ? <Tag color="green">{t('departments.active')}</Tag> : <Tag>{t('departments.inactive')}</Tag>) },
              ...(manage ? [{ title: '', key: 'edit', render: (_: unknown, d: Department) => <Button size="small" icon={<EditOutlined />} onClick={() => { setEditing(d); setOpen(true); }} aria-label={t('departments.edit')} /> }] : []),
            ]}
          />
        </Card>
      ) : null}
      <DepartmentModal open={open} editing={editing} onClose={() => setOpen(false)} onSaved={() => { setOpen(false); list.reload(); }} />
    </>
  );
}

function Routes() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const labels = useWhistleLabels();
  const errorText = useErrorText();
  const rules = useApi((s) => departmentsApi.routes(s), []);
  const depts = useApi((s) => departmentsApi.list(s), []);
  const [form] = Form.useForm<{ category: WhistleCategory; nodeCode: string; departmentId: string; lead: boolean }>();
  const manage = can('department.manage');
  const add = async () => {
    const v = await form.validateFields();
    try {
      rules.setData(await departmentsApi.addRoute({ category: v.category, nodeCode: v.nodeCode, departmentId: v.departmentId, ...(v.lead ? { lead: true } : {}) }));
      form.resetFields(['departmentId', 'lead']);
    } catch (err) {
      void message.error(errorText(err));
    }
  };
  return (
    <Flex vertical gap={12}>
      <Alert type="info" showIcon title={t('departments.routes.explain')} />
      {manage ? (
        <Card size="small">
          <Form form={form} layout="inline" initialValues={{ category: 'medical', nodeCode: me?.nodeCode, lead: false }} style={{ rowGap: 8 }}>
            <Form.Item name="category" rules={[{ required: true }]}><Select options={labels.categoryOptions} style={{ width: 130 }} /></Form.Item>
            <Form.Item name="nodeCode" rules={[{ required: true }]}><RegionPicker maxLevel="grid" style={{ width: 200 }} /></Form.Item>
            <Form.Item name="departmentId" rules={[{ required: true }]}><Select placeholder={t('departments.routes.department')} options={(depts.data?.items ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))} style={{ width: 200 }} data-testid="route-dept" /></Form.Item>
            <Form.Item name="lead" valuePropName="checked" tooltip={t('departments.routes.leadHint')}><Checkbox>{t('departments.routes.lead')}</Checkbox></Form.Item>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void add()} data-testid="route-add">{t('departments.routes.add')}</Button>
          </Form>
        </Card>
      ) : null}
      {rules.error ? <ErrorState error={rules.error} onRetry={rules.reload} /> : null}
      {rules.data && rules.data.items.length === 0 ? <EmptyState description={t('departments.routes.empty')} /> : null}
      {rules.data && rules.data.items.length > 0 ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table
            rowKey="id"
            dataSource={rules.data.items}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="route-table"
            columns={[
              { title: t('departments.routes.category'), key: 'cat', render: (_: unknown, r) => labels.category(r.category) },
              { title: t('departments.routes.node'), dataIndex: 'nodeName', key: 'node' },
              { title: t('departments.routes.department'), dataIndex: 'departmentName', key: 'dept' },
              { title: '', key: 'lead', render: (_: unknown, r) => (r.lead ? <Tag color="blue">{t('departments.routes.lead')}</Tag> : <Tag>{t('departments.routes.co')}</Tag>) },
              ...(manage
                ? [{
                    title: '', key: 'rm',
                    render: (_: unknown, r: { id: string }) => (
                      <Popconfirm title={t('departments.routes.removeConfirm')} onConfirm={() => departmentsApi.removeRoute(r.id).then((x) => rules.setData(x), (err: unknown) => void message.error(errorText(err)))}>
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('departments.routes.remove')} />
                      </Popconfirm>
                    ),
                  }]
                : []),
            ]}
          />
        </Card>
      ) : null}
    </Flex>
  );
}

function Deadlines() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const labels = useWhistleLabels();
  const errorText = useErrorText();
  const data = useApi((s) => departmentsApi.deadlines(s), []);
  const [values, setValues] = useState<Record<string, { ackMinutes: number; resolveHours: number }>>({});
  const manage = can('department.manage');
  const rows = data.data?.items ?? [];
  const value = (u: WhistleUrgency) => values[u] ?? rows.find((r) => r.urgency === u) ?? { ackMinutes: 0, resolveHours: 0 };
  const save = async () => {
    try {
      data.setData(await departmentsApi.setDeadlines({ items: WHISTLE_URGENCIES.map((u) => ({ urgency: u, ackMinutes: value(u).ackMinutes, resolveHours: value(u).resolveHours })) }));
      setValues({});
      void message.success(t('departments.deadlines.saved'));
    } catch (err) {
      void message.error(errorText(err));
    }
  };
  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />;
  if (!data.data) return <LoadingBlock rows={3} card />;
  return (
    <Card>
      <Table
        rowKey="urgency"
        dataSource={[...rows].reverse()}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="deadline-table"
        columns={[
          { title: t('departments.deadlines.urgency'), key: 'u', render: (_: unknown, r) => <Typography.Text strong>{labels.urgency(r.urgency)}</Typography.Text> },
          {
            title: t('departments.deadlines.ack'), key: 'ack',
            render: (_: unknown, r) => manage ? <InputNumber min={5} max={10080} value={value(r.urgency).ackMinutes} onChange={(v) => setValues((p) => ({ ...p, [r.urgency]: { ...value(r.urgency), ackMinutes: Number(v ?? 0) } }))} data-testid={`deadline-ack-${r.urgency}`} /> : r.ackMinutes,
          },
          {
            title: t('departments.deadlines.resolve'), key: 'res',
            render: (_: unknown, r) => manage ? <InputNumber min={1} max={2160} value={value(r.urgency).resolveHours} onChange={(v) => setValues((p) => ({ ...p, [r.urgency]: { ...value(r.urgency), resolveHours: Number(v ?? 0) } }))} /> : r.resolveHours,
          },
          {
            title: t('departments.deadlines.source'), key: 'src',
            render: (_: unknown, r) => (
              <Flex vertical>
                <span>{r.source === null ? t('departments.deadlines.default') : r.source === data.data?.nodeCode ? t('departments.deadlines.own') : t('departments.deadlines.inherited', { code: r.source })}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('departments.deadlines.defaults', { ack: r.defaultAckMinutes, resolve: r.defaultResolveHours })}</Typography.Text>
              </Flex>
            ),
          },
        ]}
      />
      {manage ? (
        <Flex justify="end" style={{ marginTop: 12 }}>
          <Button type="primary" onClick={() => void save()} data-testid="deadline-save">{t('departments.deadlines.save')}</Button>
        </Flex>
      ) : null}
    </Card>
  );
}

/** /departments: the registry, the routing rules and the deadlines (editable with department.manage). */
export default function DepartmentsPage() {
  const { t } = useTranslation();
  return (
    <PageContainer testId="departments-page" title={t('departments.title')} subTitle={t('departments.subtitle')}>
      <Tabs
        items={[
          { key: 'registry', label: t('departments.tabs.registry'), children: <Registry /> },
          { key: 'routes', label: t('departments.tabs.routes'), children: <Routes /> },
          { key: 'deadlines', label: t('departments.tabs.deadlines'), children: <Deadlines /> },
        ]}
      />
    </PageContainer>
  );
}

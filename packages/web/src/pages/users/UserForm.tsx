import { ROLE_LABELS, ROLES, type Role } from '@gridline/shared';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { usersApi, type User } from '../../api/endpoints';
import { departmentsApi } from '../../api/whistles';
import { applyFieldErrors, useApi, useErrorText } from '../../api/hooks';
import { RegionPicker } from '../../components/RegionPicker';
import { useLabels } from '../../lib/labels';
import { passwordProblem } from '../../lib/password';

interface Values {
  username: string;
  displayName: string;
  role: Role;
  nodeCode: string;
  residentId?: string;
  /** Department staff: their department. */
  departmentId?: string;
  password: string;
  disabled?: boolean;
}

/** A temporary password that meets the rule: letters and digits, no look-alikes. */
function generatePassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const buf = new Uint32Array(12);
  crypto.getRandomValues(buf);
  const chars = [...buf].map((n) => all[n % all.length] ?? 'a');
  chars[0] = letters[(buf[0] ?? 0) % letters.length] ?? 'a';
  chars[1] = digits[(buf[1] ?? 0) % digits.length] ?? '2';
  return chars.join('');
}

/** Create or change an account; the server's field errors land under their inputs. */
export function UserForm({ open, user, onClose, onSaved }: { open: boolean; user?: User | undefined; onClose: () => void; onSaved: (u: User, password?: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form) as Role | undefined;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const editing = !!user;
  const departments = useApi((s) => departmentsApi.list(s).catch(() => ({ items: [] })), [], open && role === 'department_staff');

  useEffect(() => {
    if (!open) return;
    setError(undefined);
    form.resetFields();
    if (user) form.setFieldsValue({ username: user.username, displayName: user.displayName, role: user.role, nodeCode: user.nodeCode, disabled: user.disabled, departmentId: user.departmentId ?? undefined });
  }, [open, user, form]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      if (user) {
        const body: { displayName?: string; role?: Role; nodeCode?: string; disabled?: boolean; departmentId?: string | null } = {};
        if (v.displayName !== user.displayName) body.displayName = v.displayName.trim();
        if (v.role !== user.role) body.role = v.role;
        if (v.nodeCode !== user.nodeCode && user.role !== 'resident') body.nodeCode = v.nodeCode;
        if (!!v.disabled !== user.disabled) body.disabled = !!v.disabled;
        if (v.role === 'department_staff' && (v.departmentId ?? null) !== (user.departmentId ?? null)) body.departmentId = v.departmentId ?? null;
        if (Object.keys(body).length === 0) {
          onClose();
          return;
        }
        const u = await usersApi.update(user.id, body);
        void message.success(t('users.updated'));
        onSaved(u);
      } else {
        const u = await usersApi.create({
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          role: v.role,
          nodeCode: v.nodeCode,
          password: v.password,
          ...(v.role === 'resident' && v.residentId ? { residentId: v.residentId.trim() } : {}),
          ...(v.role === 'department_staff' && v.departmentId ? { departmentId: v.departmentId } : {}),
        });
        void message.success(t('users.created'));
        onSaved(u, v.password);
      }
    } catch (err) {
      const e = toApiError(err);
      const { matched, unmatched } = applyFieldErrors(form, e);
      if (e.code === 'GRIDLINE_CONFLICT') form.setFields([{ name: 'username', errors: [t('users.usernameTaken')] }]);
      else if (!matched || unmatched.length) setError([errorText(e), ...unmatched].join(' '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? t('users.editTitle', { name: user?.username ?? '' }) : t('users.createTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={editing ? t('common.save') : t('users.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      width={560}
    >
      <div data-testid="user-form">
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical" initialValues={{ role: 'grid_worker' }}>
          <Form.Item
            name="username"
            label={t('users.username')}
            extra={editing ? undefined : t('users.usernameRule')}
            rules={[{ required: true, message: t('users.usernameRequired') }, { pattern: /^[a-zA-Z0-9_.-]{3,32}$/, message: t('users.usernameRule') }]}
          >
            <Input disabled={editing} autoComplete="off" autoCapitalize="off" spellCheck={false} data-testid="uf-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }, { max: 50 }]}>
            <Input maxLength={50} data-testid="uf-displayname" />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
            <Select options={labels.options(ROLE_LABELS, ROLES)} data-testid="uf-role" />
          </Form.Item>
          {role === 'resident' && !editing ? (
            <Form.Item name="residentId" label={t('users.residentId')} extra={t('users.residentIdHint')} rules={[{ required: true, message: t('users.residentIdRequired') }]}>
              <Input autoComplete="off" spellCheck={false} />
            </Form.Item>
          ) : (
            <Form.Item name="nodeCode" label={t('users.node')} extra={t('users.nodeHint')} rules={[{ required: role !== 'resident', message: t('users.nodeRequired') }]}>
              <RegionPicker maxLevel="unit" disabled={editing && user?.role === 'resident'} testId="uf-node" />
            </Form.Item>
          )}
          {role === 'department_staff' ? (
            <Form.Item name="departmentId" label={t('departments.fields.name')} extra={t('departments.staffHint')}>
              <Select allowClear options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.name} · ${d.nodeName}` }))} data-testid="uf-department" />
            </Form.Item>
          ) : null}
          {editing ? (
            <Form.Item name="disabled" label={t('users.disabled')} valuePropName="checked" extra={t('users.disabledHint')}>
              <Switch />
            </Form.Item>
          ) : (
            <Form.Item label={t('users.initialPassword')} required extra={t('users.initialPasswordHint')}>
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item
                  name="password"
                  noStyle
                  rules={[
                    { required: true, message: t('password.newRequired') },
                    {
                      validator: async (_, value: string | undefined) => {
                        const p = passwordProblem(value ?? '');
                        if (value && p) throw new Error(t(`password.problem.${p}`));
                      },
                    },
                  ]}
                >
                  <Input autoComplete="new-password" spellCheck={false} data-testid="uf-password" />
                </Form.Item>
                <Button onClick={() => form.setFieldsValue({ password: generatePassword() })}>{t('users.generate')}</Button>
              </Space.Compact>
            </Form.Item>
          )}
        </Form>
      </div>
    </Modal>
  );
}

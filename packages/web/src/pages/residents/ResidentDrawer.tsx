import { DeleteOutlined, EditOutlined, EyeInvisibleOutlined, EyeOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Flex, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { residentsApi, type Household, type Resident, type UnmaskedResidentT } from '../../api/endpoints';
import { useApi, useNotifyError } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { ageOf, formatDateTime } from '../../lib/time';
import { HouseholdSection } from './HouseholdSection';
import { UnmaskModal } from './UnmaskModal';
import { VulnerabilityTags } from '../../components/VulnerabilityTags';
import { ResidentHealthSection } from '../health/ResidentHealth';

const REVEAL_SECONDS = 60;

/** One resident: details (masked), household members, move history; edit, reveal (audited), remove. */
export function ResidentDrawer(props: {
  residentId: string | undefined;
  onClose: () => void;
  onOpenResident: (id: string) => void;
  onEdit: (r: Resident, householdAddress: string | undefined) => void;
  onAddMember: (h: Household) => void;
  onDeleted: () => void;
  refreshKey: number;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const labels = useLabels();
  const mobile = useIsMobile();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const id = props.residentId;
  const resident = useApi((s) => residentsApi.get(id ?? '', s), [id, props.refreshKey], !!id);
  const [household, setHousehold] = useState<Household | undefined>(undefined);
  const [unmaskOpen, setUnmaskOpen] = useState(false);
  const [revealed, setRevealed] = useState<{ v: UnmaskedResidentT; purpose: string; left: number } | undefined>(undefined);

  useEffect(() => {
    setRevealed(undefined);
    setHousehold(undefined);
  }, [id]);

  // Full values are shown briefly, then masked again.
  useEffect(() => {
    if (!revealed) return undefined;
    if (revealed.left <= 0) {
      setRevealed(undefined);
      return undefined;
    }
    const timer = setTimeout(() => setRevealed((r) => (r ? { ...r, left: r.left - 1 } : r)), 1000);
    return () => clearTimeout(timer);
  }, [revealed]);

  const r = resident.data && resident.data.id === id ? resident.data : undefined;

  const remove = () => {
    if (!r) return;
    modal.confirm({
      title: t('residents.deleteTitle', { name: r.name }),
      content: t('residents.deleteBody'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await residentsApi.remove(r.id);
          void message.success(t('residents.deleted', { name: r.name }));
          props.onDeleted();
        } catch (err) {
          notifyError(err);
        }
      },
    });
  };

  return (
    <Drawer
      open={!!id}
      onClose={props.onClose}
      size={mobile ? '100%' : 560}
      destroyOnHidden
      title={r ? r.name : t('residents.detail')}
      data-testid="resident-drawer"
      extra={
        r ? (
          <Flex gap={4} wrap="wrap" justify="flex-end">
            {can('resident.write') ? (
              <Button icon={<EditOutlined />} onClick={() => props.onEdit(r, household?.address)} data-testid="resident-edit">
                {mobile ? null : t('common.edit')}
              </Button>
            ) : null}
            {can('resident.write') ? (
              <Button danger icon={<DeleteOutlined />} onClick={remove} data-testid="resident-delete" aria-label={t('common.delete')} />
            ) : null}
          </Flex>
        ) : null
      }
    >
      <div data-testid="resident-drawer-body">
        {resident.error ? <ErrorState error={resident.error} onRetry={resident.reload} /> : null}
        {!r && !resident.error ? <LoadingBlock rows={8} /> : null}
        {r ? (
          <Flex vertical gap={16}>
            <Flex gap={6} wrap="wrap">
              <Tag color="blue">{labels.residence(r.residenceStatus)}</Tag>
              <VulnerabilityTags tags={r.tags} inline />
            </Flex>
            {revealed ? (
              <Alert
                type="warning"
                showIcon
                icon={<SafetyCertificateOutlined />}
                title={t('unmask.revealedNotice', { seconds: revealed.left })}
                description={
                  <Flex vertical gap={8} align="flex-start">
                    <span>{t('unmask.revealedPurpose', { purpose: revealed.purpose })}</span>
                    <Button size="small" icon={<EyeInvisibleOutlined />} onClick={() => setRevealed(undefined)} data-testid="unmask-hide">
                      {t('unmask.hide')}
                    </Button>
                  </Flex>
                }
                data-testid="unmask-revealed"
              />
            ) : null}
            <Descriptions
              column={1}
              size="small"
              bordered
              styles={{ label: { width: mobile ? 96 : 120 } }}
              items={[
                { key: 'sex', label: t('fields.sex'), children: t(`sex.${r.sex}`) },
                { key: 'birth', label: t('fields.birthDate'), children: t('residents.birthWithAge', { date: r.birthDate, age: ageOf(r.birthDate) }) },
                { key: 'docType', label: t('fields.docType'), children: labels.docType(r.docType) },
                {
                  key: 'doc',
                  label: t('fields.docNumber'),
                  children: (
                    <Flex align="center" gap={8} wrap="wrap">
                      <Typography.Text code copyable={revealed ? { text: revealed.v.docNumber } : false} data-testid="resident-doc">
                        {revealed ? revealed.v.docNumber : r.docNumberMasked}
                      </Typography.Text>
                    </Flex>
                  ),
                },
                {
                  key: 'phone',
                  label: t('fields.phone'),
                  children: revealed?.v.phone ? (
                    <Typography.Text copyable={{ text: revealed.v.phone }}>
                      <a href={`tel:${revealed.v.phone}`}>{revealed.v.phone}</a>
                    </Typography.Text>
                  ) : (
                    (r.phoneMasked ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text>)
                  ),
                },
                { key: 'rel', label: t('fields.relationToHead'), children: labels.relation(r.relationToHead) },
                { key: 'addr', label: t('fields.address'), children: household?.address ?? '…' },
                { key: 'notes', label: t('fields.notes'), children: r.notes || <Typography.Text type="secondary">{t('common.none')}</Typography.Text> },
                { key: 'updated', label: t('common.updatedAt'), children: formatDateTime(r.updatedAt) },
                { key: 'created', label: t('common.createdAt'), children: formatDateTime(r.createdAt) },
              ]}
            />
            {can('resident.unmask') && !revealed ? (
              <Button icon={<EyeOutlined />} onClick={() => setUnmaskOpen(true)} block data-testid="resident-unmask">
                {t('unmask.button')}
              </Button>
            ) : null}
            <ResidentHealthSection resident={{ id: r.id, name: r.name }} />
            <HouseholdSection
              householdId={r.householdId}
              currentId={r.id}
              onOpenResident={props.onOpenResident}
              onAddMember={can('resident.write') ? props.onAddMember : undefined}
              onLoaded={setHousehold}
              key={`${r.householdId}-${props.refreshKey}`}
            />
            <UnmaskModal
              open={unmaskOpen}
              residentId={r.id}
              name={r.name}
              onClose={() => setUnmaskOpen(false)}
              onUnmasked={(v, purpose) => {
                setUnmaskOpen(false);
                setRevealed({ v, purpose, left: REVEAL_SECONDS });
              }}
            />
          </Flex>
        ) : null}
      </div>
    </Drawer>
  );
}

/** A household on its own (from search or the region tree). */
export function HouseholdDrawer(props: { householdId: string | undefined; onClose: () => void; onOpenResident: (id: string) => void; onAddMember?: ((h: Household) => void) | undefined }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const [h, setH] = useState<Household | undefined>(undefined);
  return (
    <Drawer
      open={!!props.householdId}
      onClose={props.onClose}
      size={mobile ? '100%' : 520}
      destroyOnHidden
      title={h?.address ?? t('household.title')}
      data-testid="household-drawer"
    >
      {props.householdId ? (
        <HouseholdSection householdId={props.householdId} onOpenResident={props.onOpenResident} onAddMember={props.onAddMember} onLoaded={setH} />
      ) : null}
    </Drawer>
  );
}

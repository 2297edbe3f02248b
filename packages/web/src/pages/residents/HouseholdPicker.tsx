import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { householdsApi, residentsApi, type Resident } from '../../api/endpoints';
import { useApi, useErrorText } from '../../api/hooks';
import { RegionPicker } from '../../components/RegionPicker';
import { roomOf } from '../../lib/address';

interface Option {
  id: string;
  room: string;
  head: string;
  count: number;
}

/**
 * Unit → room: pick the unit in my jurisdiction, then one of its households, or register a new one
 * (POST /api/households {unitCode, room}).
 */
export function HouseholdPicker(props: { value?: string | undefined; onChange?: (id: string | undefined) => void; initialUnit?: string | undefined; initialLabel?: string | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [unit, setUnit] = useState<string | undefined>(props.initialUnit);
  const [adding, setAdding] = useState(false);
  const [room, setRoom] = useState('');
  const [roomError, setRoomError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Option[]>([]);

  useEffect(() => {
    if (props.initialUnit) setUnit(props.initialUnit);
  }, [props.initialUnit]);

  const members = useApi((s) => residentsApi.list({ node: unit, pageSize: 200, sort: 'regionCode', order: 'asc' }, s), [unit], !!unit);

  const options = useMemo<Option[]>(() => {
    const byHousehold = new Map<string, Resident[]>();
    for (const r of members.data?.items ?? []) byHousehold.set(r.householdId, [...(byHousehold.get(r.householdId) ?? []), r]);
    const list: Option[] = [...byHousehold.entries()].map(([id, rs]) => ({
      id,
      room: roomOf(rs[0]?.regionCode ?? ''),
      head: rs.find((r) => r.relationToHead === 'head')?.name ?? rs[0]?.name ?? '',
      count: rs.length,
    }));
    for (const c of created) if (!byHousehold.has(c.id) && unit && c.id) list.push(c);
    return list.sort((a, b) => a.room.localeCompare(b.room));
  }, [members.data, created, unit]);

  const addHousehold = async () => {
    if (!unit) return;
    if (!/^\d{4}$/.test(room)) {
      setRoomError(t('household.roomRule'));
      return;
    }
    setBusy(true);
    setRoomError(undefined);
    try {
      const h = await householdsApi.create({ unitCode: unit, room });
      setCreated((c) => [...c, { id: h.id, room: h.room, head: '', count: 0 }]);
      props.onChange?.(h.id);
      setAdding(false);
      setRoom('');
      void message.success(t('household.created', { address: h.address }));
    } catch (err) {
      setRoomError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const valueKnown = props.value && options.some((o) => o.id === props.value);

  return (
    <Flex vertical gap={8} data-testid="household-picker">
      <RegionPicker
        value={unit}
        maxLevel="unit"
        selectable={['unit']}
        placeholder={t('household.pickUnit')}
        testId="household-unit"
        onChange={(code) => {
          setUnit(code);
          if (props.value) props.onChange?.(undefined);
        }}
      />
      <Select
        data-testid="household-room"
        disabled={!unit}
        loading={members.loading}
        placeholder={unit ? t('household.pickRoom') : t('household.pickUnitFirst')}
        value={valueKnown ? props.value : undefined}
        onChange={(v: string) => props.onChange?.(v)}
        showSearch={{ optionFilterProp: 'search' }}
        options={options.map((o) => ({
          value: o.id,
          search: `${o.room} ${o.head}`,
          label: (
            <span>
              {t('residents.room', { room: o.room })}
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                {o.count ? t('household.headAndCount', { head: o.head, count: o.count }) : t('household.empty')}
              </Typography.Text>
            </span>
          ),
        }))}
        notFoundContent={members.loading ? t('common.loading') : t('household.noneInUnit')}
      />
      {!valueKnown && props.value && props.initialLabel ? (
        <Typography.Text type="secondary">{t('household.current', { address: props.initialLabel })}</Typography.Text>
      ) : null}
      {unit ? (
        adding ? (
          <Flex vertical gap={4}>
            <Space.Compact style={{ width: '100%' }}>
              <Input
                value={room}
                maxLength={4}
                inputMode="numeric"
                placeholder={t('household.roomPlaceholder')}
                status={roomError ? 'error' : undefined}
                onChange={(e) => setRoom(e.target.value.replace(/[^\d]/g, ''))}
                onPressEnter={() => void addHousehold()}
                data-testid="household-new-room"
              />
              <Button type="primary" loading={busy} onClick={() => void addHousehold()} data-testid="household-new-submit">
                {t('household.create')}
              </Button>
              <Button onClick={() => setAdding(false)}>{t('common.cancel')}</Button>
            </Space.Compact>
            <Typography.Text type={roomError ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
              {roomError ?? t('household.roomRule')}
            </Typography.Text>
          </Flex>
        ) : (
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => setAdding(true)} block>
            {t('household.addNew')}
          </Button>
        )
      ) : null}
    </Flex>
  );
}


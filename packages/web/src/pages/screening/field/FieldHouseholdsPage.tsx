import { CheckCircleFilled, ClockCircleOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Flex, Segmented, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { EmptyState, ErrorState, LoadingBlock } from '../../../components/states';
import { formatDateTime, todayInShanghai } from '../../../lib/time';
import type { LocalHousehold } from '../../../offline/field-store';
import { useFieldList, useFieldUser, useLocalHouseholds } from './field-data';

type Filter = 'unvisited' | 'due' | 'all';

/** The state of a household as a tag: visited, nobody home (revisit on …), not visited; and whether it still waits to be sent. */
export function HouseholdStateTag({ h }: { h: LocalHousehold }) {
  const { t } = useTranslation();
  const today = todayInShanghai();
  const state =
    h.state === 'visited' ? (
      <Tag color="success" icon={<CheckCircleFilled />}>{t('screening.state.visited')}</Tag>
    ) : h.state === 'nobody_home' ? (
      <Tag color={h.revisitOn && h.revisitOn <= today ? 'orange' : 'default'} icon={<ClockCircleOutlined />}>
        {h.revisitOn ? t('screening.state.revisitOn', { date: h.revisitOn.slice(5) }) : t('screening.state.nobody_home')}
      </Tag>
    ) : (
      <Tag>{t('screening.state.pending')}</Tag>
    );
  return (
    <Flex gap={4} wrap="wrap" justify="flex-end">
      {state}
      {h.queued === 'pending' ? <Tag color="processing">{t('screening.queued.pending')}</Tag> : null}
      {h.queued === 'failed' ? <Tag color="error">{t('screening.queued.failed')}</Tag> : null}
      {h.queued === 'conflict' ? <Tag color="warning">{t('screening.queued.conflict')}</Tag> : null}
    </Flex>
  );
}

/** 我的住户: the households of my grids by building and unit, with what is left to do first. */
export default function FieldHouseholdsPage() {
  const { t } = useTranslation();
  const { campaignId = '' } = useParams();
  const { me } = useFieldUser();
  const navigate = useNavigate();
  const list = useFieldList(me.id, campaignId);
  const households = useLocalHouseholds(me.id, list.data);
  const [filter, setFilter] = useState<Filter>('unvisited');
  const today = todayInShanghai();

  const counts = useMemo(() => {
    const hs = households ?? [];
    return {
      unvisited: hs.filter((h) => h.state !== 'visited').length,
      due: hs.filter((h) => h.state === 'nobody_home' && h.revisitOn !== null && h.revisitOn <= today).length,
      all: hs.length,
      done: hs.filter((h) => h.state === 'visited').length,
    };
  }, [households, today]);

  const groups = useMemo(() => {
    const shown = (households ?? []).filter((h) =>
      filter === 'all' ? true : filter === 'due' ? h.state === 'nobody_home' && h.revisitOn !== null && h.revisitOn <= today : h.state !== 'visited',
    );
    const byBuilding = new Map<string, { name: string; units: Map<string, { name: string; rows: LocalHousehold[] }> }>();
    for (const h of shown) {
      const b = byBuilding.get(h.buildingCode) ?? { name: h.buildingName, units: new Map() };
      const u = b.units.get(h.unitCode) ?? { name: h.unitName, rows: [] };
      u.rows.push(h);
      b.units.set(h.unitCode, u);
      byBuilding.set(h.buildingCode, b);
    }
    return [...byBuilding.entries()];
  }, [households, filter, today]);

  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (!list.data || !households) return <LoadingBlock rows={8} card />;
  return (
    <div data-testid="field-households">
      {list.savedAt !== null ? <Alert type="info" showIcon title={t('screening.field.fromPhone', { at: formatDateTime(list.savedAt) })} style={{ marginBottom: 10 }} data-testid="field-offline-list" /> : null}
      <Flex justify="space-between" align="baseline" style={{ marginBottom: 8 }}>
        <Typography.Text strong style={{ fontSize: 16 }}>{list.data.grids.map((g) => g.name).join('、') || t('screening.field.noGrids')}</Typography.Text>
        <Typography.Text type="secondary" data-testid="field-done">{t('screening.field.doneOf', { done: counts.done, total: counts.all })}</Typography.Text>
      </Flex>
      <Segmented<Filter>
        block
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'unvisited', label: t('screening.field.filterUnvisited', { count: counts.unvisited }) },
          { value: 'due', label: t('screening.field.filterDue', { count: counts.due }) },
          { value: 'all', label: t('screening.field.filterAll', { count: counts.all }) },
        ]}
        data-testid="field-filter"
      />
      {groups.length === 0 ? <EmptyState description={filter === 'unvisited' ? t('screening.field.allDone') : t('screening.field.noneHere')} /> : null}
      {groups.map(([code, b]) => (
        <section key={code}>
          <div className="field-building">{b.name}</div>
          {[...b.units.entries()].map(([unitCode, u]) => (
            <div key={unitCode}>
              <div className="field-unit">{u.name}</div>
              {u.rows.map((h) => (
                <button type="button" key={h.id} className="field-row" onClick={() => navigate(`/field/${campaignId}/${h.id}`)} data-testid="field-household" data-id={h.id} data-state={h.state}>
                  <span className="field-room">{h.room}</span>
                  <span style={{ flex: 1, minWidth: 0 }}>
                    <span>{h.members.length ? h.members.map((m) => m.name).slice(0, 3).join('、') + (h.members.length > 3 ? '…' : '') : t('screening.field.noMembers')}</span>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('screening.field.memberCount', { count: h.members.length })}</Typography.Text>
                  </span>
                  <HouseholdStateTag h={h} />
                  <RightOutlined className="muted" />
                </button>
              ))}
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}

import { CalendarOutlined, RightOutlined } from '@ant-design/icons';
import type { Campaign } from '@gridline/shared';
import { Alert, Card, Flex, Progress, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { screeningApi } from '../../../api/screening';
import { EmptyState, ErrorState, LoadingBlock } from '../../../components/states';
import { formatDateTime, todayInShanghai } from '../../../lib/time';
import { fieldStore, withQueued } from '../../../offline/field-store';
import { useSyncState, visitQueue } from '../../../offline/visit-queue';
import { useFieldUser, useMyCampaigns } from './field-data';

interface Tally {
  total: number;
  done: number;
  due: number;
  savedAt: number;
}

/**
 * 我的排查: the campaigns whose grids are mine. Opening it online also downloads each campaign's household list,
 * so that the lists and the questionnaire are on the phone before the worker walks into a stairwell without signal.
 */
export default function FieldHomePage() {
  const { t } = useTranslation();
  const { me } = useFieldUser();
  const navigate = useNavigate();
  const sync = useSyncState();
  const campaigns = useMyCampaigns(me.id);
  const [tallies, setTallies] = useState<Record<string, Tally>>({});

  // Online: bring the phone's copy of each campaign's list up to date (once per load of the campaigns).
  const [downloaded, setDownloaded] = useState(0);
  useEffect(() => {
    const list = campaigns.data;
    if (!list || campaigns.savedAt !== null) return;
    let live = true;
    void (async () => {
      for (const c of list) {
        try {
          const requestedAt = Date.now();
          await fieldStore.saveList(me.id, await screeningApi.households(c.id), requestedAt);
        } catch {
          /* the copy already kept (if any) still serves */
        }
        if (live) setDownloaded((n) => n + 1);
      }
    })();
    return () => {
      live = false;
    };
  }, [campaigns.data, campaigns.savedAt, me.id]);

  // Progress per campaign from the phone's copy and the visits waiting to be sent.
  useEffect(() => {
    const list = campaigns.data;
    if (!list) return;
    let live = true;
    void (async () => {
      const out: Record<string, Tally> = {};
      const queue = await visitQueue.items();
      const today = todayInShanghai();
      for (const c of list) {
        const kept = await fieldStore.list(me.id, c.id);
        if (!kept) continue;
        const hs = withQueued(kept.list.households, queue.filter((q) => q.campaignId === c.id), kept.requestedAt);
        out[c.id] = {
          total: hs.length,
          done: hs.filter((h) => h.state === 'visited').length,
          due: hs.filter((h) => h.state === 'nobody_home' && h.revisitOn !== null && h.revisitOn <= today).length,
          savedAt: kept.savedAt,
        };
      }
      if (live) setTallies(out);
    })();
    return () => {
      live = false;
    };
  }, [campaigns.data, me.id, downloaded, sync.lastSyncedAt, sync.pending]);

  if (campaigns.error) return <ErrorState error={campaigns.error} onRetry={campaigns.reload} />;
  if (!campaigns.data) return <LoadingBlock rows={5} card />;
  return (
    <Flex vertical gap={10} data-testid="field-campaigns">
      {campaigns.savedAt !== null ? <Alert type="info" showIcon title={t('screening.field.fromPhone', { at: formatDateTime(campaigns.savedAt) })} /> : null}
      <Typography.Text type="secondary">{t('screening.field.homeIntro')}</Typography.Text>
      {campaigns.data.length === 0 ? <EmptyState description={t('screening.field.noCampaigns')} /> : null}
      {campaigns.data.map((c) => (
        <CampaignCard key={c.id} c={c} tally={tallies[c.id]} onOpen={() => navigate(`/field/${c.id}`)} />
      ))}
    </Flex>
  );
}

function CampaignCard({ c, tally, onOpen }: { c: Campaign; tally: Tally | undefined; onOpen: () => void }) {
  const { t } = useTranslation();
  const pct = tally && tally.total ? Math.round((tally.done / tally.total) * 100) : 0;
  return (
    <Card className="field-card" hoverable onClick={onOpen} data-testid="field-campaign" data-id={c.id}>
      <Flex justify="space-between" align="center" gap={8}>
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 16 }}>{c.name}</Typography.Text>
          <div>
            <Typography.Text type="secondary">
              <CalendarOutlined /> {c.startsOn} ~ {c.endsOn} · {c.nodeName}
            </Typography.Text>
          </div>
        </div>
        <RightOutlined className="muted" />
      </Flex>
      {tally ? (
        <>
          <Progress percent={pct} size="small" style={{ margin: '8px 0 2px' }} />
          <Flex gap={6} wrap="wrap" align="center">
            <Typography.Text>{t('screening.field.doneOf', { done: tally.done, total: tally.total })}</Typography.Text>
            {tally.due ? <Tag color="orange" data-testid="field-due">{t('screening.field.revisitsDue', { count: tally.due })}</Tag> : null}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('screening.field.keptAt', { at: formatDateTime(tally.savedAt) })}</Typography.Text>
          </Flex>
        </>
      ) : (
        <Typography.Text type="secondary">{t('screening.field.notKept')}</Typography.Text>
      )}
    </Card>
  );
}

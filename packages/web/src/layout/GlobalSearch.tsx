import { ApartmentOutlined, HomeOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Flex, Input, Modal, Tag, Typography, type AutoCompleteProps } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isAbort, toApiError } from '../api/client';
import { searchApi, type SearchResult } from '../api/endpoints';
import { useLabels } from '../lib/labels';
import { ageOf } from '../lib/time';

type Hit = { kind: 'resident' | 'household' | 'region'; id: string };

/**
 * One box for everything within my jurisdiction (GET /api/search): residents open their drawer,
 * households by address open the household, regions open the tree at that node.
 */
function SearchBox({ onDone, autoFocus, fullWidth }: { onDone?: () => void; autoFocus?: boolean; fullWidth?: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [result, setResult] = useState<SearchResult | undefined>(undefined);
  const [state, setState] = useState<'idle' | 'loading' | 'error' | 'unavailable'>('idle');
  const [errorText, setErrorText] = useState('');
  const acRef = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    const q = text.trim();
    acRef.current?.abort();
    if (!q) {
      setResult(undefined);
      setState('idle');
      return undefined;
    }
    const ac = new AbortController();
    acRef.current = ac;
    const timer = setTimeout(() => {
      setState('loading');
      searchApi.search(q, ac.signal).then(
        (r) => {
          setResult(r);
          setState('idle');
        },
        (err: unknown) => {
          if (isAbort(err)) return;
          const e = toApiError(err);
          setState(e.notAvailable && e.code === 'GRIDLINE_NOT_FOUND' ? 'unavailable' : 'error');
          setErrorText(e.text(labels.lang));
        },
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [text, labels.lang]);

  const options = useMemo<AutoCompleteProps['options']>(() => {
    if (state === 'unavailable') return [{ value: '__na', disabled: true, label: <Typography.Text type="secondary">{t('search.unavailable')}</Typography.Text> }];
    if (state === 'error') return [{ value: '__err', disabled: true, label: <Typography.Text type="danger">{errorText}</Typography.Text> }];
    if (state === 'loading' && !result) return [{ value: '__loading', disabled: true, label: <Typography.Text type="secondary">{t('search.searching')}</Typography.Text> }];
    if (!result || !text.trim()) return [];
    const groups: NonNullable<AutoCompleteProps['options']> = [];
    if (result.residents.length)
      groups.push({
        label: <span><UserOutlined /> {t('search.residents')}</span>,
        options: result.residents.map((r) => ({
          value: JSON.stringify({ kind: 'resident', id: r.id } satisfies Hit),
          label: (
            <Flex justify="space-between" gap={8} data-testid="search-hit-resident">
              <span>
                {r.name} <Typography.Text type="secondary">{t(`sex.${r.sex}`)} · {t('common.ageYears', { age: ageOf(r.birthDate) })}</Typography.Text>
              </span>
              <Typography.Text type="secondary">{r.phoneMasked ?? r.docNumberMasked}</Typography.Text>
            </Flex>
          ),
        })),
      });
    if (result.households.length)
      groups.push({
        label: <span><HomeOutlined /> {t('search.households')}</span>,
        options: result.households.map((h) => ({
          value: JSON.stringify({ kind: 'household', id: h.id } satisfies Hit),
          label: (
            <Flex justify="space-between" gap={8}>
              <span>{h.address}</span>
              <Typography.Text type="secondary">{t('search.members', { count: h.memberCount })}</Typography.Text>
            </Flex>
          ),
        })),
      });
    if (result.regions.length)
      groups.push({
        label: <span><ApartmentOutlined /> {t('search.regions')}</span>,
        options: result.regions.map((g) => ({
          value: JSON.stringify({ kind: 'region', id: g.code } satisfies Hit),
          label: (
            <Flex justify="space-between" gap={8}>
              <span>{g.name}</span>
              <Tag>{labels.level(g.level)}</Tag>
            </Flex>
          ),
        })),
      });
    if (!groups.length) return [{ value: '__none', disabled: true, label: <Typography.Text type="secondary">{t('search.noResults')}</Typography.Text> }];
    return groups;
  }, [result, state, errorText, text, t, labels]);

  const go = (value: string) => {
    let hit: Hit;
    try {
      hit = JSON.parse(value) as Hit;
    } catch {
      return;
    }
    setText('');
    onDone?.();
    if (hit.kind === 'resident') navigate(`/residents?resident=${hit.id}`);
    else if (hit.kind === 'household') navigate(`/residents?household=${hit.id}`);
    else navigate(`/regions/${hit.id}`);
  };

  return (
    <AutoComplete
      value={text}
      options={options}
      onSearch={setText}
      onChange={(v: string) => {
        if (!v.startsWith('{')) setText(v);
      }}
      onSelect={(v: string) => go(v)}
      popupMatchSelectWidth={fullWidth ? true : 360}
      style={{ width: '100%' }}
      data-testid="global-search"
    >
      <Input
        prefix={<SearchOutlined />}
        placeholder={t('search.placeholder')}
        allowClear
        autoFocus={autoFocus}
        aria-label={t('search.placeholder')}
        data-testid="global-search-input"
      />
    </AutoComplete>
  );
}

export function GlobalSearch({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!compact) return <div style={{ width: 'min(340px, 32vw)' }}><SearchBox /></div>;
  return (
    <>
      <Button type="text" icon={<SearchOutlined />} className="touch" aria-label={t('search.open')} data-testid="global-search-open" onClick={() => setOpen(true)} />
      <Modal open={open} onCancel={() => setOpen(false)} footer={null} title={t('search.title')} destroyOnHidden style={{ top: 16 }}>
        <SearchBox autoFocus fullWidth onDone={() => setOpen(false)} />
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('search.hint')}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}

import { ancestorCodes, REGION_LEVELS, type RegionLevel } from '@gridline/shared';
import { TreeSelect, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { regionsApi, type RegionNodeDetail } from '../api/endpoints';
import { useNotifyError } from '../api/hooks';
import { useLabels } from '../lib/labels';

interface FlatNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  level: RegionLevel;
  count: number;
  isLeaf: boolean;
  selectable: boolean;
}

const levelIndex = (l: RegionLevel) => REGION_LEVELS.indexOf(l);

export interface RegionPickerProps {
  value?: string | undefined;
  onChange?: (code: string | undefined, node?: { name: string; level: RegionLevel }) => void;
  /** Deepest level shown (e.g. 'grid' for filters, 'unit' to pick a unit). */
  maxLevel?: RegionLevel;
  /** Only these levels may be picked (others just open). */
  selectable?: RegionLevel[];
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  testId?: string;
  disabled?: boolean;
}

/** Jurisdiction tree picker: starts at my node, loads children on demand, shows resident counts. */
export function RegionPicker({ value, onChange, maxLevel = 'unit', selectable, placeholder, allowClear = true, style, testId, disabled }: RegionPickerProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const notifyError = useNotifyError();
  const [nodes, setNodes] = useState<Map<string, FlatNode>>(new Map());
  const [rootCode, setRootCode] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [expanded, setExpanded] = useState<(string | number)[]>([]);
  const loaded = useRef(new Set<string>());

  const add = useCallback(
    (detail: RegionNodeDetail, isRoot: boolean) => {
      loaded.current.add(detail.node.code);
      setNodes((prev) => {
        const next = new Map(prev);
        const toFlat = (n: RegionNodeDetail['node'], pId: string | null): FlatNode => ({
          id: n.code,
          pId,
          value: n.code,
          title: n.name,
          level: n.level,
          count: n.residentCount,
          isLeaf: n.childCount === 0 || n.level === maxLevel,
          selectable: !selectable || selectable.includes(n.level),
        });
        if (isRoot) next.set(detail.node.code, toFlat(detail.node, null));
        for (const c of detail.children) {
          if (levelIndex(c.level) <= levelIndex(maxLevel) && !next.has(c.code)) next.set(c.code, toFlat(c, detail.node.code));
        }
        return next;
      });
    },
    [maxLevel, selectable],
  );

  useEffect(() => {
    const ac = new AbortController();
    regionsApi.mine(ac.signal).then(
      (d) => {
        setRootCode(d.node.code);
        setExpanded([d.node.code]);
        add(d, true);
        setLoading(false);
      },
      (err: unknown) => {
        if (ac.signal.aborted) return;
        setLoading(false);
        notifyError(err);
      },
    );
    return () => ac.abort();
  }, [add, notifyError]);

  // A value set from outside (URL, edit form) that is not loaded yet: load its ancestors' children.
  useEffect(() => {
    if (!value || !rootCode || nodes.has(value) || !value.startsWith(rootCode)) return;
    const chain = ancestorCodes(value).filter((c) => c.length >= rootCode.length && c !== value && !loaded.current.has(c));
    let cancelled = false;
    setExpanded((keys) => [...new Set([...keys, ...ancestorCodes(value).filter((c) => c.length >= rootCode.length && c !== value)])]);
    void (async () => {
      for (const code of chain) {
        if (cancelled) return;
        try {
          add(await regionsApi.get(code), false);
        } catch {
          return;
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [value, rootCode, nodes, add]);

  /** "第1网格 / 1栋 / 1单元": the path below my node, so a picked unit is never ambiguous. */
  const pathLabel = useCallback(
    (n: FlatNode): string => {
      const names: string[] = [];
      let cur: FlatNode | undefined = n;
      while (cur && (cur.id !== rootCode || names.length === 0)) {
        names.unshift(cur.title);
        cur = cur.pId ? nodes.get(cur.pId) : undefined;
      }
      return names.join(' / ');
    },
    [nodes, rootCode],
  );

  const treeData = useMemo(
    () =>
      [...nodes.values()].map((n) => ({
        id: n.id,
        pId: n.pId,
        value: n.value,
        isLeaf: n.isLeaf,
        selectable: n.selectable,
        name: n.title,
        label: pathLabel(n),
        title: (
          <span>
            {n.title}
            <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
              {labels.level(n.level)} · {t('region.residentsCount', { count: n.count })}
            </Typography.Text>
          </span>
        ),
      })),
    [nodes, labels, t, pathLabel],
  );

  return (
    <TreeSelect
      data-testid={testId}
      style={{ width: '100%', ...style }}
      treeDataSimpleMode
      treeData={treeData}
      value={value && nodes.has(value) ? value : value ? undefined : undefined}
      placeholder={placeholder ?? t('region.pick')}
      allowClear={allowClear}
      disabled={disabled}
      loading={loading}
      showSearch={{ treeNodeFilterProp: 'name' }}
      treeNodeLabelProp="label"
      treeExpandedKeys={expanded}
      onTreeExpand={(keys) => setExpanded(keys.map((k) => (typeof k === 'number' ? k : String(k))))}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', minWidth: 260 } } }}
      loadData={async (node) => {
        const code = String((node as { value?: unknown }).value);
        if (loaded.current.has(code)) return;
        try {
          add(await regionsApi.get(code), false);
        } catch (err) {
          notifyError(err);
        }
      }}
      onChange={(v: string | undefined) => {
        const n = v ? nodes.get(v) : undefined;
        onChange?.(v, n ? { name: n.title, level: n.level } : undefined);
      }}
    />
  );
}

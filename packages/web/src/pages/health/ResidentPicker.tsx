import { Select, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { residentsApi, type Resident } from '../../api/endpoints';

/** A registered resident in my jurisdiction, found by name, or the last four digits of phone or document. */
export function ResidentPicker(props: { value?: string | undefined; onChange?: (id: string | undefined, r?: Resident) => void; initial?: { id: string; name: string } | undefined; testId?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Resident[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (timer.current) clearTimeout(timer.current);
    if (!q.trim()) {
      setOptions([]);
      return undefined;
    }
    const ac = new AbortController();
    timer.current = setTimeout(() => {
      setLoading(true);
      residentsApi
        .list({ q: q.trim(), pageSize: 20 }, ac.signal)
        .then((p) => setOptions(p.items))
        .catch(() => setOptions([]))
        .finally(() => setLoading(false));
    }, 250);
    return () => ac.abort();
  }, [q]);

  const items = options.map((r) => ({ value: r.id, label: `${r.name}（${r.phoneMasked ?? r.docNumberMasked}）` }));
  if (props.initial && !items.some((i) => i.value === props.initial?.id)) items.unshift({ value: props.initial.id, label: props.initial.name });

  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={props.value}
      onChange={(v: string | undefined) => props.onChange?.(v, options.find((o) => o.id === v))}
      placeholder={t('health.picker.placeholder')}
      notFoundContent={loading ? <Spin size="small" /> : q ? t('health.picker.none') : t('health.picker.hint')}
      options={items}
      allowClear
      style={{ width: '100%' }}
      data-testid={props.testId ?? 'resident-picker'}
    />
  );
}

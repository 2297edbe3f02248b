import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IsolationSite } from '../../api/measure-sites';

/** A designated isolation site to isolate someone at: each option shows its free places; a full site cannot be chosen. */
export function SiteSelect(props: { sites: IsolationSite[]; value?: string; onChange?: (id: string) => void; size?: 'small' | 'middle'; testId?: string; style?: React.CSSProperties }) {
  const { t } = useTranslation();
  return (
    <Select
      value={props.value}
      onChange={props.onChange}
      size={props.size}
      style={props.style}
      placeholder={t('measures.sites.choose')}
      aria-label={t('measures.sites.choose')}
      data-testid={props.testId ?? 'site-select'}
      popupMatchSelectWidth={false}
      options={props.sites.map((s) => ({
        value: s.id,
        disabled: s.free <= 0,
        label: `${s.name}（${s.free > 0 ? t('measures.sites.freeCount', { free: s.free, capacity: s.capacity }) : t('measures.sites.full')}）`,
      }))}
    />
  );
}

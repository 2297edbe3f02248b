import { COVERAGE_BANDS } from '@gridline/shared';
import type { GeoJsonObject } from 'geojson';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { GeoJSON } from 'react-leaflet';
import type { ClientConfig } from '../../api/endpoints';
import type { CampaignMap } from '../../api/screening';
import { BaseMap, FitBounds, hoverOutline, MapLegend, textLabel } from '../../components/map-parts';
import { BAND_COLOURS } from './coverage-colours';


type Feature = CampaignMap['features'][number];

/** The campaign's grids coloured by coverage (visited ÷ households); tap a grid for its numbers. */
export default function CoverageMap({ data, config, onPick }: { data: CampaignMap; config: ClientConfig | undefined; onPick?: (code: string) => void }) {
  const { t } = useTranslation();
  const key = useMemo(() => data.features.map((f) => `${f.properties.code}:${f.properties.visited}:${f.properties.nobodyHome}`).join(','), [data]);
  const many = data.features.length > 30;
  const legend = BAND_COLOURS.map((colour, i) => {
    const lo = Math.round(COVERAGE_BANDS[i]! * 100);
    const hi = i + 1 < COVERAGE_BANDS.length ? Math.round(COVERAGE_BANDS[i + 1]! * 100) : null;
    return { colour, label: hi === null ? `≥ ${lo}%` : `${lo}–${hi}%` };
  });
  return (
    <div data-testid="coverage-map">
      <BaseMap config={config}>
        <GeoJSON
          key={key}
          data={data as unknown as GeoJsonObject}
          style={(f) => {
            const p = (f as unknown as Feature | undefined)?.properties;
            return { color: '#ffffff', weight: 1.5, fillColor: BAND_COLOURS[p?.band ?? 0], fillOpacity: 0.78 };
          }}
          onEachFeature={(f, layer) => {
            const p = (f as unknown as Feature).properties;
            const pct = `${Math.round(p.coverage * 100)}%`;
            const detail = t('screening.map.tooltip', { visited: p.visited, total: p.householdsTotal, nobody: p.nobodyHome, abnormal: p.abnormalResidents });
            if (!many) layer.bindTooltip(textLabel([p.name, pct]), { permanent: true, direction: 'center', className: 'map-label' });
            layer.bindPopup(textLabel([`${p.name} · ${pct}`, detail]));
            if (onPick) layer.on('click', () => onPick(p.code));
            hoverOutline(layer);
          }}
        />
        <FitBounds data={data} />
        <MapLegend title={t('screening.map.legend')} rows={legend} />
      </BaseMap>
    </div>
  );
}

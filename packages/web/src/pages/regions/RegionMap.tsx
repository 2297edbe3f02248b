import type { GeoJsonObject } from 'geojson';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { GeoJSON } from 'react-leaflet';
import type { ClientConfig, RegionMap as RegionMapData } from '../../api/endpoints';
import { BaseMap, FitBounds, hoverOutline, MapLegend, textLabel } from '../../components/map-parts';
import { useLabels } from '../../lib/labels';

const COLOURS = ['#e8f1ff', '#b8d3ff', '#7fb0ff', '#3f84f0', '#1a58c4'];

type Feature = RegionMapData['features'][number];

/**
 * The node and its children as polygons coloured by resident count; click a child to drill down.
 * Tiles only when the server configures a tile URL; otherwise boundaries on a plain background.
 */
export default function RegionMap({ data, config, onDrill }: { data: RegionMapData; config: ClientConfig | undefined; onDrill: (code: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const children = data.features.filter((f) => !f.properties.self);
  const max = Math.max(1, ...children.map((f) => f.properties.residentCount));
  const key = useMemo(() => `${data.features.map((f) => f.properties.code).join(',')}|${labels.lang}`, [data, labels.lang]);

  const step = Math.max(1, Math.ceil(max / COLOURS.length));
  const legend = COLOURS.map((c, i) => ({ colour: c, label: i === COLOURS.length - 1 ? `≥ ${i * step}` : `${i * step}–${(i + 1) * step - 1}` }));
  const colour = (n: number) => COLOURS[Math.min(COLOURS.length - 1, Math.floor((n / (max + 1)) * COLOURS.length))] ?? COLOURS[0];

  return (
    <div data-testid="region-map">
    <BaseMap config={config}>
      <GeoJSON
        key={key}
        data={data as unknown as GeoJsonObject}
        style={(f) => {
          const p = (f as unknown as Feature | undefined)?.properties;
          if (p?.self) return { color: '#1f2329', weight: 2, dashArray: '6 4', fill: false };
          return { color: '#ffffff', weight: 1.5, fillColor: colour(p?.residentCount ?? 0), fillOpacity: 0.85 };
        }}
        onEachFeature={(f, layer) => {
          const p = (f as unknown as Feature).properties;
          if (p.self) return;
          // Few areas: name them on the map; many: name on hover/tap.
          const count = t('region.residentsCount', { count: p.residentCount });
          if (children.length <= 30) layer.bindTooltip(textLabel([p.name, count]), { permanent: true, direction: 'center', className: 'map-label' });
          else layer.bindTooltip(textLabel([`${p.name} · ${count}`]), { sticky: true });
          layer.on('click', () => onDrill(p.code));
          hoverOutline(layer);
        }}
      />
      <FitBounds data={data} />
      {children.length ? <MapLegend title={t('map.legend')} rows={legend} /> : null}
    </BaseMap>
    </div>
  );
}

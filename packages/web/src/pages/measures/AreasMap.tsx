import type { RiskAreaLevel } from '@gridline/shared';
import type { GeoJsonObject } from 'geojson';
import L from 'leaflet';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { GeoJSON, useMap } from 'react-leaflet';
import type { ClientConfig, RegionMap } from '../../api/endpoints';
import type { AreaControl } from '../../api/measure-areas';
import { BaseMap, MapLegend, textLabel } from '../../components/map-parts';
import { LEVEL_COLOURS } from './area-colours';

/** Zooms to the controlled shapes, but not closer than a few buildings' width (one building would fill the map). */
function FitControlled({ data }: { data: unknown }) {
  const map = useMap();
  useEffect(() => {
    const b = L.geoJSON(data as GeoJsonObject).getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [24, 24], maxZoom: 18.5 });
  }, [map, data]);
  return null;
}

/** Which colour wins when several controls share one shape. */
const RANK: Record<RiskAreaLevel, number> = { high: 3, lockdown: 3, medium: 2, control: 2, low: 1, prevention: 1 };

interface Shape {
  code: string;
  level: RiskAreaLevel;
  inherited: boolean;
  lines: string[];
  ids: string[];
}

/**
 * Controlled nodes on the map, coloured by level. A node without a boundary of its own (a building, unit or
 * household) is drawn with its nearest ancestor's shape, dashed and lighter, and says so; several controls on one
 * shape are drawn once, in the colour of the harshest.
 */
export default function AreasMap({ items, config, context, onPick }: { items: AreaControl[]; config: ClientConfig | undefined; context: RegionMap | undefined; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const data = useMemo(() => {
    const shapes = new Map<string, Shape & { geometry: unknown }>();
    for (const c of items) {
      if (!c.map) continue;
      // Short labels (they sit on the map at 375 px); a borrowed shape is shown dashed and explained under the map and in the table.
      const line = `${c.nodeName} · ${t(`measures.level.${c.areaLevel}`)}`;
      const s = shapes.get(c.map.code);
      if (s) {
        s.lines.push(line);
        s.ids.push(c.id);
        if (RANK[c.areaLevel] > RANK[s.level]) s.level = c.areaLevel;
        s.inherited = s.inherited && c.map.inherited;
      } else {
        shapes.set(c.map.code, { code: c.map.code, level: c.areaLevel, inherited: c.map.inherited, lines: [line], ids: [c.id], geometry: c.map.geometry });
      }
    }
    return {
      type: 'FeatureCollection',
      features: [...shapes.values()].map(({ geometry, ...p }) => ({ type: 'Feature', geometry, properties: p })),
    };
  }, [items, t]);
  const key = useMemo(() => data.features.map((f) => `${f.properties.code}:${f.properties.level}:${f.properties.lines.join('|')}`).join(','), [data]);
  const legend = [
    { colour: LEVEL_COLOURS.high, label: t('measures.areas.map.high') },
    { colour: LEVEL_COLOURS.medium, label: t('measures.areas.map.medium') },
    { colour: LEVEL_COLOURS.low, label: t('measures.areas.map.low') },
  ];
  return (
    <div data-testid="areas-map">
      <BaseMap config={config}>
        {/* My node and its children as faint outlines: where the controlled areas lie, even without map tiles. */}
        {context?.features.length ? (
          <GeoJSON
            key={`ctx:${context.features.map((f) => f.properties.code).join(',')}`}
            data={context as unknown as GeoJsonObject}
            interactive={false}
            style={(f) => ((f as unknown as RegionMap['features'][number] | undefined)?.properties.self ? { color: '#595959', weight: 2, dashArray: '6 4', fill: false } : { color: '#8c8c8c', weight: 1, fillColor: '#ffffff', fillOpacity: 0.55 })}
          />
        ) : null}
        <GeoJSON
          key={key}
          data={data as unknown as GeoJsonObject}
          style={(f) => {
            const p = (f as unknown as { properties: Shape } | undefined)?.properties;
            const colour = LEVEL_COLOURS[p?.level ?? 'low'];
            return p?.inherited ? { color: colour, weight: 2, dashArray: '6 4', fillColor: colour, fillOpacity: 0.3 } : { color: '#ffffff', weight: 1.5, fillColor: colour, fillOpacity: 0.7 };
          }}
          onEachFeature={(f, layer) => {
            const p = (f as unknown as { properties: Shape }).properties;
            layer.bindTooltip(textLabel(p.lines), { permanent: data.features.length <= 12, direction: 'center', className: 'map-label' });
            layer.on('click', () => onPick(p.ids[0]!));
          }}
        />
        <FitControlled data={data} />
        <MapLegend title={t('measures.areas.map.legend')} rows={legend} />
      </BaseMap>
    </div>
  );
}

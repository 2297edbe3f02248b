import 'leaflet/dist/leaflet.css';
import type { GeoJsonObject } from 'geojson';
import L from 'leaflet';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { AttributionControl, GeoJSON, MapContainer, TileLayer, useMap } from 'react-leaflet';
import type { ClientConfig, RegionMap as RegionMapData } from '../../api/endpoints';
import { useLabels } from '../../lib/labels';

const COLOURS = ['#e8f1ff', '#b8d3ff', '#7fb0ff', '#3f84f0', '#1a58c4'];

type Feature = RegionMapData['features'][number];

/** Tooltip content as text nodes (region names come from users: never parsed as HTML). */
function textLabel(lines: string[]): HTMLElement {
  const el = document.createElement('div');
  lines.forEach((line, i) => {
    if (i) el.appendChild(document.createElement('br'));
    el.appendChild(document.createTextNode(line));
  });
  return el;
}

function FitBounds({ data }: { data: RegionMapData }) {
  const map = useMap();
  useEffect(() => {
    const layer = L.geoJSON(data as unknown as GeoJsonObject);
    const b = layer.getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [16, 16] });
  }, [map, data]);
  return null;
}

function Legend({ max }: { max: number }) {
  const map = useMap();
  const { t } = useTranslation();
  useEffect(() => {
    const control = new L.Control({ position: 'bottomright' });
    control.onAdd = () => {
      const div = L.DomUtil.create('div', 'map-legend');
      const step = Math.max(1, Math.ceil(max / COLOURS.length));
      const title = document.createElement('div');
      title.textContent = t('map.legend');
      title.style.fontWeight = '600';
      div.appendChild(title);
      COLOURS.forEach((c, i) => {
        const row = document.createElement('div');
        const sw = document.createElement('i');
        sw.style.background = c;
        row.appendChild(sw);
        const lo = i * step;
        row.appendChild(document.createTextNode(i === COLOURS.length - 1 ? `≥ ${lo}` : `${lo}–${(i + 1) * step - 1}`));
        div.appendChild(row);
      });
      return div;
    };
    control.addTo(map);
    return () => {
      control.remove();
    };
  }, [map, max, t]);
  return null;
}

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

  const colour = (n: number) => COLOURS[Math.min(COLOURS.length - 1, Math.floor((n / (max + 1)) * COLOURS.length))] ?? COLOURS[0];

  return (
    <div data-testid="region-map">
    <MapContainer
      className="region-map"
      center={[31.82, 117.23]}
      zoom={14}
      zoomSnap={0.25}
      attributionControl={false}
      scrollWheelZoom={false}
    >
      {config?.tileUrl ? <TileLayer url={config.tileUrl} attribution={config.tileAttribution} /> : null}
      {config?.tileUrl ? <AttributionControl prefix={false} /> : null}
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
          layer.on('mouseover', () => (layer as L.Path).setStyle({ weight: 3, color: '#1668dc' }));
          layer.on('mouseout', () => (layer as L.Path).setStyle({ weight: 1.5, color: '#ffffff' }));
        }}
      />
      <FitBounds data={data} />
      {children.length ? <Legend max={max} /> : null}
    </MapContainer>
    </div>
  );
}

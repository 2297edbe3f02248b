import 'leaflet/dist/leaflet.css';
import type { GeoJsonObject } from 'geojson';
import L from 'leaflet';
import { useEffect, type ReactNode } from 'react';
import { AttributionControl, MapContainer, TileLayer, useMap } from 'react-leaflet';
import type { ClientConfig } from '../api/endpoints';

/** Tooltip/popup content as text nodes (region and place names come from users: never parsed as HTML). */
export function textLabel(lines: string[]): HTMLElement {
  const el = document.createElement('div');
  lines.forEach((line, i) => {
    if (i) el.appendChild(document.createElement('br'));
    el.appendChild(document.createTextNode(line));
  });
  return el;
}

/** Zooms the map to the drawn features whenever they change. */
export function FitBounds({ data }: { data: unknown }) {
  const map = useMap();
  useEffect(() => {
    const b = L.geoJSON(data as GeoJsonObject).getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [16, 16] });
  }, [map, data]);
  return null;
}

/** A colour legend in the map's corner: a title and one swatch row per band. */
export function MapLegend({ title, rows }: { title: string; rows: { colour: string; label: string }[] }) {
  const map = useMap();
  const key = JSON.stringify(rows);
  useEffect(() => {
    const control = new L.Control({ position: 'bottomright' });
    control.onAdd = () => {
      const div = L.DomUtil.create('div', 'map-legend');
      const head = document.createElement('div');
      head.textContent = title;
      head.style.fontWeight = '600';
      div.appendChild(head);
      for (const r of JSON.parse(key) as { colour: string; label: string }[]) {
        const row = document.createElement('div');
        const sw = document.createElement('i');
        sw.style.background = r.colour;
        row.appendChild(sw);
        row.appendChild(document.createTextNode(r.label));
        div.appendChild(row);
      }
      return div;
    };
    control.addTo(map);
    return () => {
      control.remove();
    };
  }, [map, title, key]);
  return null;
}

/** Boundaries on a plain background; tiles only when the server configures a tile URL (none can be fetched otherwise). */
export function BaseMap({ config, children }: { config: ClientConfig | undefined; children: ReactNode }) {
  return (
    <MapContainer className="region-map" center={[31.82, 117.23]} zoom={14} zoomSnap={0.25} attributionControl={false} scrollWheelZoom={false}>
      {config?.tileUrl ? <TileLayer url={config.tileUrl} attribution={config.tileAttribution} /> : null}
      {config?.tileUrl ? <AttributionControl prefix={false} /> : null}
      {children}
    </MapContainer>
  );
}

/** Outline emphasis on hover, shared by every clickable area map. */
export function hoverOutline(layer: L.Layer): void {
  layer.on('mouseover', () => (layer as L.Path).setStyle({ weight: 3, color: '#1668dc' }));
  layer.on('mouseout', () => (layer as L.Path).setStyle({ weight: 1.5, color: '#ffffff' }));
}

import 'leaflet/dist/leaflet.css';
import { COVERAGE_BANDS } from '@gridline/shared';
import type { GeoJsonObject } from 'geojson';
import L from 'leaflet';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { AttributionControl, GeoJSON, MapContainer, TileLayer, useMap } from 'react-leaflet';
import type { ClientConfig } from '../../api/endpoints';
import type { CampaignMap } from '../../api/screening';
import { BAND_COLOURS } from './coverage-colours';


type Feature = CampaignMap['features'][number];

function textLabel(lines: string[]): HTMLElement {
  const el = document.createElement('div');
  lines.forEach((line, i) => {
    if (i) el.appendChild(document.createElement('br'));
    el.appendChild(document.createTextNode(line));
  });
  return el;
}

function FitBounds({ data }: { data: CampaignMap }) {
  const map = useMap();
  useEffect(() => {
    const b = L.geoJSON(data as unknown as GeoJsonObject).getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [16, 16] });
  }, [map, data]);
  return null;
}

function Legend() {
  const map = useMap();
  const { t } = useTranslation();
  useEffect(() => {
    const control = new L.Control({ position: 'bottomright' });
    control.onAdd = () => {
      const div = L.DomUtil.create('div', 'map-legend');
      const title = document.createElement('div');
      title.textContent = t('screening.map.legend');
      title.style.fontWeight = '600';
      div.appendChild(title);
      BAND_COLOURS.forEach((c, i) => {
        const row = document.createElement('div');
        const sw = document.createElement('i');
        sw.style.background = c;
        row.appendChild(sw);
        const lo = Math.round(COVERAGE_BANDS[i]! * 100);
        const hi = i + 1 < COVERAGE_BANDS.length ? Math.round(COVERAGE_BANDS[i + 1]! * 100) : null;
        row.appendChild(document.createTextNode(hi === null ? `≥ ${lo}%` : `${lo}–${hi}%`));
        div.appendChild(row);
      });
      return div;
    };
    control.addTo(map);
    return () => {
      control.remove();
    };
  }, [map, t]);
  return null;
}

/** The campaign's grids coloured by coverage (visited ÷ households); tap a grid for its numbers. */
export default function CoverageMap({ data, config, onPick }: { data: CampaignMap; config: ClientConfig | undefined; onPick?: (code: string) => void }) {
  const { t } = useTranslation();
  const key = useMemo(() => data.features.map((f) => `${f.properties.code}:${f.properties.visited}:${f.properties.nobodyHome}`).join(','), [data]);
  const many = data.features.length > 30;
  return (
    <div data-testid="coverage-map">
      <MapContainer className="region-map" center={[31.82, 117.23]} zoom={14} zoomSnap={0.25} attributionControl={false} scrollWheelZoom={false}>
        {config?.tileUrl ? <TileLayer url={config.tileUrl} attribution={config.tileAttribution} /> : null}
        {config?.tileUrl ? <AttributionControl prefix={false} /> : null}
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
            layer.on('mouseover', () => (layer as L.Path).setStyle({ weight: 3, color: '#1668dc' }));
            layer.on('mouseout', () => (layer as L.Path).setStyle({ weight: 1.5, color: '#ffffff' }));
          }}
        />
        <FitBounds data={data} />
        <Legend />
      </MapContainer>
    </div>
  );
}

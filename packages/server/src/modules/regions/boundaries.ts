/** Checks a GeoJSON Polygon/MultiPolygon: rings of ≥ 4 [lon, lat] positions, closed, within WGS-84 ranges. */
export function validGeometry(g: { type: string; coordinates: unknown[] }): boolean {
  const position = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
  const ring = (r: unknown) => {
    if (!Array.isArray(r) || r.length < 4 || !r.every(position)) return false;
    const first = r[0] as number[];
    const last = r[r.length - 1] as number[];
    return first[0] === last[0] && first[1] === last[1];
  };
  const polygon = (p: unknown) => Array.isArray(p) && p.length >= 1 && p.every(ring);
  return g.type === 'Polygon' ? polygon(g.coordinates) : g.coordinates.length >= 1 && g.coordinates.every(polygon);
}

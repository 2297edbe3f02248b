import { CODE_LENGTH } from '@gridline/shared';
import { useEffect, useRef, useState } from 'react';
import { regionsApi } from '../api/endpoints';

/** Floor+room of a household code (its last 4 digits), e.g. 0602. */
export function roomOf(householdCode: string): string {
  return householdCode.length >= CODE_LENGTH.household ? householdCode.slice(CODE_LENGTH.unit, CODE_LENGTH.household) : '';
}

export function unitOf(householdCode: string): string {
  return householdCode.slice(0, CODE_LENGTH.unit);
}

export interface UnitPlace {
  /** grid name */
  grid: string;
  /** "1栋 1单元" */
  unit: string;
}

const cache = new Map<string, Promise<UnitPlace | undefined>>();

function loadUnit(code: string): Promise<UnitPlace | undefined> {
  let p = cache.get(code);
  if (!p) {
    p = regionsApi.get(code).then(
      (d) => {
        const names = (lvl: string) => d.path.find((x) => x.level === lvl)?.name ?? '';
        return { grid: names('grid'), unit: [names('building'), names('unit')].filter(Boolean).join(' ') };
      },
      () => {
        cache.delete(code);
        return undefined;
      },
    );
    cache.set(code, p);
  }
  return p;
}

/** Names of the units the given household codes lie in (cached for the session; one request per unit). */
export function useUnitPlaces(householdCodes: string[]): Map<string, UnitPlace> {
  const [places, setPlaces] = useState<Map<string, UnitPlace>>(new Map());
  const key = [...new Set(householdCodes.map(unitOf))].sort().join(',');
  useEffect(() => {
    let alive = true;
    const units = key ? key.split(',') : [];
    void Promise.all(units.map(async (u) => [u, await loadUnit(u)] as const)).then((pairs) => {
      if (!alive) return;
      const m = new Map<string, UnitPlace>();
      for (const [u, p] of pairs) if (p) m.set(u, p);
      setPlaces(m);
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return places;
}

const names = new Map<string, Promise<string | undefined>>();

/** A region node's name, for showing a code picked elsewhere (URL, filter). */
export function useRegionName(code: string | undefined): string | undefined {
  const [name, setName] = useState<string | undefined>(undefined);
  useEffect(() => {
    setName(undefined);
    if (!code) return undefined;
    const p = loadName(code);
    let alive = true;
    void p.then((n) => alive && setName(n));
    return () => {
      alive = false;
    };
  }, [code]);
  return name;
}

function loadName(code: string): Promise<string | undefined> {
  let p = names.get(code);
  if (!p) {
    p = regionsApi.get(code).then(
      (d) => d.path.map((x) => x.name).slice(-3).join(' '),
      () => {
        names.delete(code);
        return undefined;
      },
    );
    names.set(code, p);
  }
  return p;
}

/**
 * Names of several region codes (one cached request per node). A household code (24 digits) is named
 * by its unit plus `roomLabel(room)`.
 */
export function useRegionNames(codes: (string | null | undefined)[], roomLabel?: (room: string) => string): Map<string, string> {
  const [map, setMap] = useState<Map<string, string>>(new Map());
  const key = [...new Set(codes.filter((c): c is string => !!c && /^\d{6,24}$/.test(c)))].sort().join(',');
  const labelRef = useRef(roomLabel);
  labelRef.current = roomLabel;
  useEffect(() => {
    let alive = true;
    const list = key ? key.split(',') : [];
    void Promise.all(
      list.map(async (c) => {
        if (c.length < CODE_LENGTH.household) return [c, await loadName(c)] as const;
        const unit = await loadName(unitOf(c));
        const room = roomOf(c);
        return [c, unit ? `${unit} ${labelRef.current ? labelRef.current(room) : room}` : undefined] as const;
      }),
    ).then((pairs) => {
      if (!alive) return;
      const m = new Map<string, string>();
      for (const [c, n] of pairs) if (n) m.set(c, n);
      setMap(m);
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return map;
}

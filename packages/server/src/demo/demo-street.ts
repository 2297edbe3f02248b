import { Faker, base, zh_CN } from '@faker-js/faker';
import {
  buildResidentId, type Relation, type ResidenceStatus, type Sex, type VulnerabilityTag,
} from '@gridline/shared';

/**
 * A synthetic but plausible street, deterministic from a seed: one street of five communities,
 * eight grids each, residential buildings with units, floors and rooms, households of realistic size
 * and age structure, valid resident IDs and phones, and vulnerability tags at realistic rates.
 * Pure: returns plain records; seed.ts writes them through the repositories.
 */
export const DEMO_DISTRICT = { code: '340104', name: '蜀山区' };
export const DEMO_STREET = { code: '340104008', name: '清溪街道' };
const COMMUNITY_NAMES = ['梅园社区', '桂苑社区', '翠竹社区', '荷塘社区', '枫林社区'];
const GRIDS_PER_COMMUNITY = 8;

// The most common surnames cover a large share of the population; the rest come from faker's long tail.
const COMMON_SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const ADDRESS_CODES: [string, number][] = [
  ['340104', 40], ['340102', 8], ['340103', 8], ['340111', 6], ['340121', 5], ['340122', 5], ['341122', 4], ['342401', 4], ['340823', 4],
  ['320102', 2], ['410102', 3], ['370102', 2], ['510104', 2], ['420102', 2], ['330106', 2], ['440106', 1],
];
const PHONE_PREFIXES = ['138', '139', '135', '136', '150', '151', '152', '158', '159', '182', '183', '187', '188', '130', '131', '132', '155', '156', '185', '186', '133', '153', '180', '181', '189', '177', '199', '166', '191', '195'];

export interface DemoNode {
  code: string;
  parentCode: string | null;
  level: 'district' | 'street' | 'community' | 'grid' | 'building' | 'unit';
  name: string;
  /** GeoJSON Polygon for the street, communities, grids and buildings (lon/lat). */
  geometry?: { type: 'Polygon'; coordinates: [number, number][][] };
}

/**
 * Plausible boundaries around a real-looking spot in Hefei: communities of ~650 m × 550 m in rows of three,
 * each cut into 4 × 2 grids, with building footprints laid out in rows inside each grid.
 */
const ORIGIN = { lng: 117.226, lat: 31.866 };
const COMMUNITY_SIZE = { w: 0.007, h: 0.005 };
const GAP = 0.0006;

function rect(x1: number, y1: number, x2: number, y2: number): NonNullable<DemoNode['geometry']> {
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  return { type: 'Polygon', coordinates: [[[r(x1), r(y1)], [r(x2), r(y1)], [r(x2), r(y2)], [r(x1), r(y2)], [r(x1), r(y1)]]] };
}

function communityBox(ci: number) {
  const col = ci % 3;
  const row = Math.floor(ci / 3);
  const x = ORIGIN.lng + col * (COMMUNITY_SIZE.w + GAP);
  const y = ORIGIN.lat - row * (COMMUNITY_SIZE.h + GAP);
  return { x, y, w: COMMUNITY_SIZE.w, h: COMMUNITY_SIZE.h };
}

function gridBox(ci: number, g: number) {
  const c = communityBox(ci);
  const gw = c.w / 4;
  const gh = c.h / 2;
  return { x: c.x + ((g - 1) % 4) * gw, y: c.y - Math.floor((g - 1) / 4) * gh, w: gw, h: gh };
}

/** Building footprints in rows inside their grid cell: 3 × 3 for the usual 5–7 buildings, denser for large demos. */
function buildingBox(ci: number, g: number, b: number, count: number) {
  const cell = gridBox(ci, g);
  const n = Math.max(3, Math.ceil(Math.sqrt(count)));
  const col = (b - 1) % n;
  const row = Math.floor((b - 1) / n);
  const w = (cell.w / n) * 0.62;
  const h = (cell.h / n) * 0.42;
  const x = cell.x + (cell.w / n) * col + (cell.w / n - w) / 2;
  const y = cell.y - (cell.h / n) * row - (cell.h / n - h) / 2;
  return rect(x, y - h, x + w, y);
}
export interface DemoHousehold { code: string; unitCode: string; room: string; address: string }
export interface DemoResident {
  householdCode: string;
  name: string;
  sex: Sex;
  birthDate: string;
  docNumber: string;
  phone: string | null;
  relationToHead: Relation;
  residenceStatus: ResidenceStatus;
  tags: VulnerabilityTag[];
}
export interface DemoStreet { nodes: DemoNode[]; households: DemoHousehold[]; residents: DemoResident[] }

export function generateDemoStreet(seed: number, targetResidents: number, today: string): DemoStreet {
  const f = new Faker({ locale: [zh_CN, base] });
  f.seed(seed);
  const int = (min: number, max: number) => f.number.int({ min, max });
  const chance = (p: number) => f.number.float({ min: 0, max: 1 }) < p;
  const todayYear = Number(today.slice(0, 4));

  const nodes: DemoNode[] = [
    { code: DEMO_DISTRICT.code, parentCode: null, level: 'district', name: DEMO_DISTRICT.name },
    {
      code: DEMO_STREET.code, parentCode: DEMO_DISTRICT.code, level: 'street', name: DEMO_STREET.name,
      geometry: rect(ORIGIN.lng - GAP, ORIGIN.lat - 2 * COMMUNITY_SIZE.h - 2 * GAP, ORIGIN.lng + 3 * COMMUNITY_SIZE.w + 3 * GAP, ORIGIN.lat + GAP),
    },
  ];
  const slots: { unitCode: string; room: string; address: string }[] = [];
  const buildingScale = Math.max(1, Math.ceil(targetResidents / 25_000));
  COMMUNITY_NAMES.forEach((communityName, ci) => {
    const communityCode = `${DEMO_STREET.code}${String(ci + 1).padStart(3, '0')}`;
    const cb = communityBox(ci);
    nodes.push({ code: communityCode, parentCode: DEMO_STREET.code, level: 'community', name: communityName, geometry: rect(cb.x, cb.y - cb.h, cb.x + cb.w, cb.y) });
    let buildingNo = 0;
    for (let g = 1; g <= GRIDS_PER_COMMUNITY; g++) {
      const gridCode = `${communityCode}${String(g).padStart(3, '0')}`;
      const gb = gridBox(ci, g);
      nodes.push({ code: gridCode, parentCode: communityCode, level: 'grid', name: `第${g}网格`, geometry: rect(gb.x, gb.y - gb.h, gb.x + gb.w, gb.y) });
      // ~25,000 residents fit the usual 5–7 buildings a grid; larger demos get proportionally more buildings.
      const buildings = int(5, 7) * buildingScale;
      for (let b = 1; b <= buildings; b++) {
        buildingNo++;
        const buildingCode = `${gridCode}${String(b).padStart(3, '0')}`;
        const buildingName = `${buildingNo}栋`;
        nodes.push({ code: buildingCode, parentCode: gridCode, level: 'building', name: buildingName, geometry: buildingBox(ci, g, b, buildings) });
        const units = int(2, 3);
        const floors = f.helpers.arrayElement([6, 6, 7, 11, 18]);
        for (let u = 1; u <= units; u++) {
          const unitCode = `${buildingCode}${String(u).padStart(2, '0')}`;
          nodes.push({ code: unitCode, parentCode: buildingCode, level: 'unit', name: `${u}单元` });
          for (let fl = 1; fl <= floors; fl++) {
            for (let r = 1; r <= 2; r++) {
              const room = `${String(fl).padStart(2, '0')}${String(r).padStart(2, '0')}`;
              slots.push({ unitCode, room, address: `${communityName} ${buildingName} ${u}单元 ${room}室` });
            }
          }
        }
      }
    }
  });

  const usedIds = new Set<string>();
  const residentId = (birthDate: string, sex: Sex): string => {
    for (;;) {
      const addr = f.helpers.weightedArrayElement(ADDRESS_CODES.map(([value, weight]) => ({ value, weight })));
      const seq = int(0, 499) * 2 + (sex === 'male' ? 1 : 0);
      const id = buildResidentId(addr, birthDate, seq);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const birthDateFor = (age: number): string => {
    const year = todayYear - age - (chance(0.5) ? 1 : 0);
    const d = new Date(Date.UTC(year, 0, 1) + int(0, 364) * 86400_000);
    const s = d.toISOString().slice(0, 10);
    return s > today ? `${year - 1}${s.slice(4)}` : s;
  };
  const ageOf = (birthDate: string): number => {
    const a = todayYear - Number(birthDate.slice(0, 4));
    return birthDate.slice(5) > today.slice(5) ? a - 1 : a;
  };
  const surname = () => (chance(0.55) ? f.helpers.arrayElement(COMMON_SURNAMES) : f.person.lastName());
  const given = (sex: Sex) => f.person.firstName(sex);
  const phone = (age: number) => (age < 12 || (age >= 85 && chance(0.5)) ? null : `${f.helpers.arrayElement(PHONE_PREFIXES)}${String(int(0, 99_999_999)).padStart(8, '0')}`);

  const avgSize = 2.5;
  const occupancy = Math.min(0.95, targetResidents / (slots.length * avgSize));
  const households: DemoHousehold[] = [];
  const residents: DemoResident[] = [];
  const occupied = new Set<number>();

  const fill = (slotIndex: number) => {
    const slot = slots[slotIndex]!;
    const code = slot.unitCode + slot.room;
    households.push({ code, unitCode: slot.unitCode, room: slot.room, address: slot.address });
    occupied.add(slotIndex);
    const size = Math.min(targetResidents - residents.length, f.helpers.weightedArrayElement([
      { value: 1, weight: 25 }, { value: 2, weight: 30 }, { value: 3, weight: 25 }, { value: 4, weight: 12 }, { value: 5, weight: 8 },
    ]));
    const status = f.helpers.weightedArrayElement<ResidenceStatus>([
      { value: 'registered', weight: 60 }, { value: 'permanent', weight: 15 }, { value: 'floating', weight: 10 }, { value: 'tenant', weight: 15 },
    ]);
    const lowIncome = chance(0.03);
    const headAge = size === 1 ? (chance(0.4) ? int(65, 92) : int(22, 64)) : int(26, 82);
    const headSex: Sex = chance(0.6) ? 'male' : 'female';
    const family = surname();
    const members: { sex: Sex; age: number; relation: Relation; surname: string }[] = [{ sex: headSex, age: headAge, relation: 'head', surname: family }];
    if (size >= 2 && chance(0.8)) members.push({ sex: headSex === 'male' ? 'female' : 'male', age: Math.max(20, headAge + int(-4, 4)), relation: 'spouse', surname: surname() });
    while (members.length < size) {
      const childAge = headAge - int(22, 36);
      if (childAge >= 0 && members.filter((m) => m.relation === 'child').length < 3) {
        members.push({ sex: chance(0.51) ? 'male' : 'female', age: childAge, relation: 'child', surname: family });
      } else if (headAge < 55 && members.every((m) => m.relation !== 'parent')) {
        members.push({ sex: chance(0.45) ? 'male' : 'female', age: Math.min(98, headAge + int(24, 32)), relation: 'parent', surname: family });
      } else if (headAge >= 55) {
        members.push({ sex: chance(0.5) ? 'male' : 'female', age: int(0, 14), relation: 'grandchild', surname: family });
      } else {
        members.push({ sex: chance(0.5) ? 'male' : 'female', age: int(18, 60), relation: status === 'tenant' ? 'non_relative' : 'other_relative', surname: surname() });
      }
    }
    const hasParentGeneration = members.some((m) => m.relation === 'head' && m.age < 55) || members.some((m) => m.relation === 'child' && m.age >= 22);
    for (const m of members) {
      const birthDate = birthDateFor(m.age);
      const age = ageOf(birthDate);
      const tags = new Set<VulnerabilityTag>();
      if (age >= 80) tags.add('elderly_80_plus');
      if (size === 1 && age >= 65) tags.add('elderly_alone');
      if (age >= 45 && chance(0.05 + (age - 45) * 0.006)) tags.add('chronic_disease');
      if (chance(0.04)) tags.add('disabled');
      if (m.sex === 'female' && age >= 20 && age <= 40 && chance(0.03)) tags.add('pregnant');
      if (age < 3) tags.add('infant');
      if (age >= 40 && chance(0.0015)) tags.add('dialysis');
      if (age >= 80 && chance(0.08)) tags.add('bedridden');
      if (age >= 16 && chance(0.006)) tags.add('mental_illness');
      if (lowIncome) tags.add('low_income');
      if (m.relation === 'grandchild' && age >= 3 && age <= 14 && !hasParentGeneration && chance(0.5)) tags.add('left_behind_child');
      residents.push({
        householdCode: code,
        name: m.surname + given(m.sex),
        sex: m.sex,
        birthDate,
        docNumber: residentId(birthDate, m.sex),
        phone: phone(age),
        relationToHead: m.relation,
        residenceStatus: status,
        tags: [...tags].sort(),
      });
    }
  };

  for (let i = 0; i < slots.length && residents.length < targetResidents; i++) if (chance(occupancy)) fill(i);
  for (let i = 0; i < slots.length && residents.length < targetResidents; i++) if (!occupied.has(i)) fill(i);
  households.sort((a, b) => (a.code < b.code ? -1 : 1));
  return { nodes, households, residents };
}


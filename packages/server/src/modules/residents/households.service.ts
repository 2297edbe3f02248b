import { CODE_LENGTH, levelOfCode, type CreateHouseholdBody, type Household, type HouseholdMove, type MoveHouseholdBody, type UnitHousehold } from '@gridline/shared';
import type { Executor, HouseholdsTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { announce } from '../events/event-bus.js';
import type { Scope } from '../../security/scope.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { usersRepository } from '../users/users.repository.js';
import { householdsRepository } from './households.repository.js';
import { residentsRepository, toResident } from './residents.repository.js';
import type { ResidentsDeps } from './residents.service.js';

/** "梅园社区 3栋 2单元 0302室": the community, building and unit names and the room. */
export async function householdAddress(db: Executor, unitCode: string, room: string): Promise<string> {
  const path = await regionsRepository.path(db, unitCode);
  const names = path.filter((p) => p.code.length >= CODE_LENGTH.community && p.level !== 'grid').map((p) => p.name);
  return `${names.join(' ')} ${room}室`;
}

export class HouseholdsService {
  constructor(private readonly deps: ResidentsDeps) {}

  async get(scope: Scope, id: string): Promise<Household> {
    scope.require('household.read');
    const h = await householdsRepository.byId(this.deps.db, id);
    if (!h) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(h.code);
    return this.withMembers(this.deps.db, h);
  }

  /** For the resident portal: the household the signed-in resident belongs to. */
  async mine(scope: Scope): Promise<Household> {
    scope.require('self.read');
    const h = scope.actor.householdId ? await householdsRepository.byId(this.deps.db, scope.actor.householdId) : undefined;
    if (!h) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(h.code);
    return this.withMembers(this.deps.db, h);
  }

  async withMembers(db: Executor, h: HouseholdsTable): Promise<Household> {
    const members = (await residentsRepository.byHousehold(db, h.id)).map(toResident);
    return { id: h.id, code: h.code, unitCode: h.unit_code, room: h.room, address: h.address, members, createdAt: h.created_at, updatedAt: h.updated_at };
  }

  async create(scope: Scope, body: CreateHouseholdBody): Promise<Household> {
    scope.require('household.write');
    const { db, clock, audit } = this.deps;
    const created = await db.transaction().execute(async (tx) => {
      await this.assertUnit(tx, scope, body.unitCode);
      const code = body.unitCode + body.room;
      if (await householdsRepository.byCode(tx, code)) {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/room', code: 'duplicate', message: `该单元已登记 ${body.room} 室` }] });
      }
      const now = clock.now();
      const row: HouseholdsTable = { id: newId(), code, unit_code: body.unitCode, room: body.room, address: await householdAddress(tx, body.unitCode, body.room), created_at: now, updated_at: now };
      await householdsRepository.insert(tx, row);
      await audit.record(tx, scope, { action: 'household.create', entityType: 'household', entityId: row.id, regionCode: code, diff: { address: [null, row.address] } });
      return { ...(await this.withMembers(tx, row)) };
    });
    announce(this.deps.bus, scope, 'household.changed', created.code, { action: 'create', householdId: created.id });
    return created;
  }

  /**
   * Moves a household to another unit/room. Its code changes (codes are paths), so members, their tag
   * index and bound resident accounts move with it; the move is kept in the household's history.
   */
  async move(scope: Scope, id: string, body: MoveHouseholdBody): Promise<Household> {
    scope.require('household.write');
    const { db, clock, audit } = this.deps;
    let from = '';
    const moved = await db.transaction().execute(async (tx) => {
      const h = await householdsRepository.byId(tx, id);
      if (!h) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(h.code);
      from = h.code;
      await this.assertUnit(tx, scope, body.unitCode);
      const code = body.unitCode + body.room;
      if (code === h.code) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/room', code: 'same', message: '新地址与原地址相同' }] });
      if (await householdsRepository.byCode(tx, code)) {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/room', code: 'occupied', message: '目标房号已有登记的户' }] });
      }
      const now = clock.now();
      const address = await householdAddress(tx, body.unitCode, body.room);
      await householdsRepository.relocate(tx, id, { code, unit_code: body.unitCode, room: body.room, address, updated_at: now });
      await residentsRepository.recodeHousehold(tx, id, code, now);
      await usersRepository.rebindHousehold(tx, id, code, now);
      await householdsRepository.insertMove(tx, {
        id: newId(), household_id: id, from_code: h.code, to_code: code, from_address: h.address, to_address: address, reason: body.reason,
        moved_by: scope.actor.userId, moved_at: now,
      });
      await audit.record(tx, scope, { action: 'household.move', entityType: 'household', entityId: id, regionCode: code, purpose: body.reason, diff: { code: [h.code, code], address: [h.address, address] } });
      const row = await householdsRepository.byId(tx, id);
      return this.withMembers(tx, row!);
    });
    for (const node of [from, moved.code]) announce(this.deps.bus, scope, 'household.changed', node, { action: 'move', householdId: id });
    return moved;
  }

  async inUnit(scope: Scope, unitCode: string): Promise<UnitHousehold[]> {
    scope.require('household.read');
    scope.reach(unitCode);
    if (levelOfCode(unitCode) !== 'unit') {
      throw new AppError('GRIDLINE_REGION_INVALID_CODE', { fields: [{ path: '/params/code', code: 'level', message: '须为单元（20 位编码）' }] });
    }
    return (await householdsRepository.inUnit(this.deps.db, unitCode)).map((h) => ({
      id: h.id, code: h.code, room: h.room, address: h.address, memberCount: Number(h.members), headName: h.head, vulnerableCount: Number(h.vulnerable ?? 0),
    }));
  }

  async history(scope: Scope, id: string): Promise<HouseholdMove[]> {
    scope.require('household.read');
    const h = await householdsRepository.byId(this.deps.db, id);
    if (!h) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(h.code);
    return (await householdsRepository.moves(this.deps.db, id)).map((m) => ({
      id: m.id, fromCode: m.from_code, toCode: m.to_code, fromAddress: m.from_address, toAddress: m.to_address, reason: m.reason, movedBy: m.moved_by, movedAt: m.moved_at,
    }));
  }

  private async assertUnit(tx: Executor, scope: Scope, unitCode: string) {
    if (levelOfCode(unitCode) !== 'unit') {
      throw new AppError('GRIDLINE_REGION_INVALID_CODE', { fields: [{ path: '/body/unitCode', code: 'level', message: '须选择一个单元（20 位编码）' }] });
    }
    scope.target(unitCode);
    if (!(await regionsRepository.byCode(tx, unitCode))) {
      throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/unitCode', code: 'missing', message: `单元 ${unitCode} 不存在` }] });
    }
  }
}

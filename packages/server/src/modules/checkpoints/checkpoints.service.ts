import {
  maskName, PERSONAL_CODE_REFUSALS, PLACE_KIND_LABELS, roundTemperature, type Checkpoint, type CheckpointDecision, type CheckpointResult, type DecisionBody,
  type DecisionListQuery, type PlaceKind, type ProtocolValues,
} from '@gridline/shared';
import type { Db, Executor, PlacesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import { passageRulesOf, placesRepository } from '../places/places.repository.js';
import { scanRow } from '../places/scans.service.js';
import { scansRepository } from '../places/scans.repository.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { checkpointsRepository, type DecisionRow, type NewDecision } from './checkpoints.repository.js';
import { passes, type PassageChecks, type PassageFinding } from './passage-checks.js';
import type { PersonalCodes } from './personal-codes.js';

export interface CheckpointsDeps {
  db: Db;
  clock: Clock;
  protocol: ProtocolProvider;
  passageChecks: PassageChecks;
  personalCodes: PersonalCodes;
}

type Refusal = keyof typeof PERSONAL_CODE_REFUSALS;

/**
 * 卡口: staff scan a resident's personal code and get pass or deny with every reason. The decision comes from the
 * passage checks the modules registered, under the protocol in force; the place adds its own rules (fever,
 * residents only). Where the protocol checks no codes at this kind of place, the person passes unchecked — a
 * checkpoint cannot be stricter than the protocol. Every decision is recorded (who, where, when, result, reasons,
 * protocol, temperature); a forged, tampered, expired or replayed code is refused and recorded as a refused attempt.
 */
export class CheckpointsService {
  constructor(private readonly deps: CheckpointsDeps) {}

  async list(scope: Scope): Promise<Checkpoint[]> {
    scope.require('checkpoint.operate');
    const rows = await placesRepository.checkpoints(this.deps.db, scope);
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as Checkpoint['kind'], address: r.address, regionCode: r.region_code, passageRules: passageRulesOf(r) }));
  }

  private async checkpoint(db: Executor, scope: Scope, id: string): Promise<PlacesTable> {
    const place = await placesRepository.byId(db, id);
    if (!place || place.checkpoint !== 1 || place.active !== 1) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(place.region_code);
    return place;
  }

  async decide(scope: Scope, placeId: string, body: DecisionBody): Promise<CheckpointDecision> {
    scope.require('checkpoint.operate');
    const { db, clock, protocol, personalCodes } = this.deps;
    const place = await this.checkpoint(db, scope, placeId);
    const rules = passageRulesOf(place);
    const temperature = body.temperature === undefined ? null : roundTemperature(body.temperature);
    if (rules.requireTemperature && temperature === null) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/temperature', code: 'required', message: '本卡口须先测量并填写体温' }] });
    }
    const at = clock.now();
    const p = await protocol.inForce(at);
    const fever = temperature !== null && temperature >= p.feverThresholdC;
    const base = {
      at, place_id: place.id, region_code: place.region_code, operator_id: scope.actor.userId, operator_name: scope.actor.displayName, protocol_id: p.id,
      temperature_tenths: temperature === null ? null : Math.round(temperature * 10), fever: fever ? 1 : 0,
    };
    const refuse = async (tx: Executor, why: Refusal) => {
      const row: NewDecision = {
        ...base, resident_id: null, person_masked: null, result: 'refused', checked: 1, note: null, scan_id: null,
        reasons: JSON.stringify([{ effect: 'deny', code: `code_${why}`, reason: PERSONAL_CODE_REFUSALS[why], until: null }]),
      };
      return this.view({ ...row, id: await checkpointsRepository.insert(tx, row) }, p);
    };

    const code = personalCodes.verify(body.code, at);
    if (!code.ok) return refuse(db, code.reason);
    return db.transaction().execute(async (tx) => {
      const resident = await residentsRepository.byId(tx, code.residentId);
      if (!resident) return refuse(tx, 'unknown_resident');
      if (!(await personalCodes.consume(tx, place.id, code.nonce, code.expiresAt))) return refuse(tx, 'replayed');

      const checked = p.codeChecksAt === 'all' || p.codeChecksAt.includes(place.kind as PlaceKind);
      const findings: PassageFinding[] = [];
      let note: string | null = null;
      let pass = true;
      if (!checked) {
        // The protocol's name is on the decision already (protocolName); the note says what it means here.
        note = `现行防控方案不要求在此类场所（${PLACE_KIND_LABELS[place.kind as PlaceKind]?.zh ?? place.kind}）查验通行码，直接通行`;
      } else {
        const evaluated = await this.deps.passageChecks.evaluate({ db: tx, residentId: resident.id, at, place: { id: place.id, kind: place.kind, regionCode: place.region_code }, protocol: p });
        findings.push(...evaluated.findings);
        if (rules.residentsOnly && !resident.region_code.startsWith(place.region_code)) {
          const area = (await regionsRepository.byCode(tx, place.region_code))?.name ?? place.region_code;
          findings.push({ effect: 'deny', code: 'not_resident_here', reason: `非本辖区居民：本卡口仅限${area}登记居民通行`, until: null });
        }
        pass = passes(findings);
        // A fever is a health matter, not a measure: no exemption lets a feverish person through.
        if (fever && rules.feverDenies) {
          findings.push({ effect: 'deny', code: 'fever', reason: `体温 ${temperature!.toFixed(1)}℃，达到发热标准（≥ ${p.feverThresholdC}℃）：请引导至发热门诊或临时留观点`, until: null });
          pass = false;
        }
      }
      const scanId = await scansRepository.insertOne(tx, scanRow(place, { kind: 'resident', id: resident.id }, at, 'checkpoint', { temperatureTenths: base.temperature_tenths, fever }));
      const row: NewDecision = {
        ...base, resident_id: resident.id, person_masked: maskName(resident.name), result: pass ? 'pass' : 'deny',
        reasons: JSON.stringify(findings.map((f) => ({ effect: f.effect, code: f.code, reason: f.reason, until: f.until ?? null }))), checked: checked ? 1 : 0, note, scan_id: scanId,
      };
      return this.view({ ...row, id: await checkpointsRepository.insert(tx, row) }, p);
    });
  }

  async decisions(scope: Scope, placeId: string, q: DecisionListQuery) {
    scope.require('checkpoint.operate');
    const place = await this.checkpoint(this.deps.db, scope, placeId);
    const { rows, ...page } = await checkpointsRepository.byPlace(this.deps.db, place.id, q);
    const items: CheckpointDecision[] = [];
    for (const r of rows) items.push(this.view(r, await this.deps.protocol.inForce(r.at)));
    return { items, ...page };
  }

  private view(r: DecisionRow, inForce: ProtocolValues): CheckpointDecision {
    return {
      id: Number(r.id),
      at: r.at,
      placeId: r.place_id,
      result: r.result as CheckpointResult,
      personMasked: r.person_masked,
      reasons: JSON.parse(r.reasons) as CheckpointDecision['reasons'],
      checked: r.checked === 1,
      note: r.note,
      protocolId: r.protocol_id,
      protocolName: inForce.id === r.protocol_id ? inForce.name : r.protocol_id,
      temperature: r.temperature_tenths === null ? null : r.temperature_tenths / 10,
      fever: r.fever === 1,
      feverThresholdC: inForce.feverThresholdC,
      operatorName: r.operator_name,
    };
  }
}

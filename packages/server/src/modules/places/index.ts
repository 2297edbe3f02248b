import type { PostgresAccess, SqliteAccess } from '../../db/database.js';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { AuditService } from '../audit/audit.service.js';
import { CheckpointsService } from '../checkpoints/checkpoints.service.js';
import { exemptionCheck, ExemptionsService } from '../checkpoints/exemptions.service.js';
import type { PassageChecks } from '../checkpoints/passage-checks.js';
import { PersonalCodes } from '../checkpoints/personal-codes.js';
import { DeviceTokens } from '../devices/device-tokens.js';
import { DevicesService } from '../devices/devices.service.js';
import { PostgresIngestLedger } from '../devices/ingest-ledger.postgres.js';
import { SqliteIngestLedger } from '../devices/ingest-ledger.sqlite.js';
import { IngestService } from '../devices/ingest.service.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { PlacesService } from './places.service.js';
import { scansRepository } from './scans.repository.js';
import { ScansService } from './scans.service.js';

/** Places and scans, personal codes, checkpoints and exemptions, gate devices: the services, built together. */
export interface PlacesServices {
  places: PlacesService;
  scans: ScansService;
  personalCodes: PersonalCodes;
  checkpoints: CheckpointsService;
  exemptions: ExemptionsService;
  devices: DevicesService;
  ingest: IngestService;
  /** Housekeeping: forget used personal-code nonces past their expiry, old device receipts, and scans (and the
   * visitors they named) older than the scan retention period. */
  sweep(now: number): Promise<void>;
}

export function createPlaces(deps: {
  db: Db; sqlite: SqliteAccess | null; postgres: PostgresAccess | null; clock: Clock; audit: AuditService; cipher: PersonalDataCipher; protocol: ProtocolProvider; passageChecks: PassageChecks; publicUrl: string;
  cjkFont?: string | undefined;
  /** Scans are kept this long (days), then forgotten. */
  scanRetentionDays: number;
}): PlacesServices {
  const { db, clock, audit, cipher, protocol, passageChecks, publicUrl, cjkFont } = deps;
  const personalCodes = new PersonalCodes({ db, clock, cipher });
  passageChecks.register(exemptionCheck);
  const tokens = new DeviceTokens({ db, cipher });
  const ledger = deps.sqlite ? new SqliteIngestLedger(deps.sqlite) : deps.postgres ? new PostgresIngestLedger({ db, postgres: deps.postgres }) : null;
  if (!ledger) throw new Error('createPlaces: the database handle gives neither SQLite nor PostgreSQL access');
  const ingest = new IngestService({ db, ledger, clock, protocol, personalCodes, tokens });
  return {
    places: new PlacesService({ db, clock, audit, publicUrl, cjkFont }),
    scans: new ScansService({ db, clock, cipher }),
    personalCodes,
    checkpoints: new CheckpointsService({ db, clock, protocol, passageChecks, personalCodes }),
    exemptions: new ExemptionsService({ db, clock, audit }),
    devices: new DevicesService({ db, clock, audit, cipher, tokens }),
    ingest,
    async sweep(now) {
      await personalCodes.sweep(now);
      await ingest.sweep(now);
      await scansRepository.purgeBefore(db, now - deps.scanRetentionDays * 86_400_000);
    },
  };
}

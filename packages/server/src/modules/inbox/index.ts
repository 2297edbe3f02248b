import type { Config } from '../../config/config.js';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Notifier } from '../notifications/notifier.js';
import { InboxIntake } from './inbox-intake.js';
import { inboxRepository } from './inbox.repository.js';
import { InboxService } from './inbox.service.js';
import type { WhistleRaiser } from './whistle-raiser.js';

export interface InboxServices {
  inbox: InboxService;
  intake: InboxIntake;
}

export function createInbox(deps: { db: Db; clock: Clock; audit: AuditService; cipher: PersonalDataCipher; notifier: Notifier; config: Config; whistles: () => WhistleRaiser | null }): InboxServices {
  const { db, clock, audit, cipher, notifier, config } = deps;
  const inbox = new InboxService({ db, clock, audit, cipher, notifier, whistles: deps.whistles });
  const emailNode = async () => config.notifications.inboundNode || (await inboxRepository.topNode(db))?.code || null;
  return { inbox, intake: new InboxIntake({ db, clock, audit, cipher, inbox, emailNode }) };
}

import type { FileStore } from '../jobs/job-files.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { CampaignsService } from './campaigns.service.js';
import { FieldService } from './field.service.js';
import { ProgressService } from './progress.service.js';
import { ScreeningReports } from './screening-report.job.js';
import type { ScreeningDeps } from './screening-deps.js';
import { VisitsService } from './visits.service.js';

/** The screening module's services, built once with what they need. */
export interface ScreeningServices {
  campaigns: CampaignsService;
  progress: ProgressService;
  visits: VisitsService;
  field: FieldService;
  reports: ScreeningReports;
}

export function createScreening(deps: ScreeningDeps & { files: FileStore; queue: JobQueue }): ScreeningServices {
  const progress = new ProgressService(deps);
  return {
    campaigns: new CampaignsService(deps),
    progress,
    visits: new VisitsService(deps),
    field: new FieldService(deps),
    reports: new ScreeningReports({ ...deps, progress }),
  };
}

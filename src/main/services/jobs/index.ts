export { JobService, type JobContext, type JobInfo, type JobKind, type JobServiceOptions } from './job-service';

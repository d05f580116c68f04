export * from './catalog';
export * from './importer';
export type { Json, ParsedSample, ParsedTask } from './eval-package';

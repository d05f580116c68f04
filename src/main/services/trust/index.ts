export * from './trust-store';

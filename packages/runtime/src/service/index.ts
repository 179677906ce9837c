// What every service needs whichever side it runs on: config, logging, errors → HTTP, health, the main.ts body.
export * from './app-error.ts';
export * from './http-errors.ts';
export * from './load-config.ts';
export * from './create-logger.ts';
export * from './operational-router.ts';
export * from './kubernetes-config.ts';
export * from './object-store-settings.ts';
export { runService } from './run-service.ts';

export { startPlatform } from './create-platform.ts';
export type { Platform, PlatformOptions } from './create-platform.ts';
export { loadStandaloneConfig, standaloneConfigSchema } from './config.ts';
export type { StandaloneConfig } from './config.ts';

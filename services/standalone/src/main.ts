import { ConfigError, createLogger } from '@app/runtime/service';
import { loadStandaloneConfig } from './config.ts';
import { startPlatform } from './create-platform.ts';

const bootLogger = createLogger({ service: 'platform' });
try {
  const platform = await startPlatform({ config: loadStandaloneConfig() });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void platform.stop().then(() => process.exit(0)));
  }
} catch (error) {
  if (error instanceof ConfigError) bootLogger.fatal({ event: 'platform.invalid_config', problems: error.problems }, error.message);
  else bootLogger.fatal({ event: 'platform.start_failed', err: error }, 'platform failed to start');
  process.exit(1);
}

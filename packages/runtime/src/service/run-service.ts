import { createLogger } from './create-logger.ts';
import { ConfigError } from './load-config.ts';

/**
 * The body of a service's `main.ts`: starts it, stops it gracefully on SIGTERM/SIGINT, and exits 1 naming the
 * problem (config keys, never values) when it cannot start.
 */
export async function runService(service: string, start: () => Promise<{ stop(): Promise<void> }>): Promise<void> {
  const bootLogger = createLogger({ service });
  try {
    const running = await start();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        bootLogger.info({ event: `${service}.signal`, signal }, `received ${signal}`);
        running.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            bootLogger.error({ event: `${service}.stop_failed`, err: error }, 'graceful stop failed');
            process.exit(1);
          },
        );
      });
    }
  } catch (error) {
    if (error instanceof ConfigError) bootLogger.fatal({ event: `${service}.invalid_config`, problems: error.problems }, error.message);
    else bootLogger.fatal({ event: `${service}.start_failed`, err: error }, `${service} failed to start`);
    process.exit(1);
  }
}

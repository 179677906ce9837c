import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDaprSidecarDouble, type DaprSidecarDoubleOptions } from '@app/testkit/dapr-sidecar';
import express from 'express';
import pino from 'pino';
import { describeActorHostContract, type ActorHostHarnessOptions } from '@app/runtime/test-support';
import { createDaprActorHost, type DaprActorHost } from './dapr-actor-host.ts';
import { createDaprPubSub } from './dapr-pub-sub.ts';

const logger = pino({ level: 'silent' });
const tokens = { daprApiToken: 'sidecar-token', appApiToken: 'app-token' };

/** The contract holds however daprd treats the app: 1.17 as is, and 1.16 with reminders up to 1 s early (1.15.x). */
const modes: { name: string; sidecar: DaprSidecarDoubleOptions }[] = [
  { name: 'Dapr 1.17', sidecar: {} },
  { name: 'Dapr 1.16, early reminders', sidecar: { pubsub: { semantics: '1.16' }, roundReminderDueTimesDown: true } },
];

for (const mode of modes)
  describeActorHostContract(`Dapr adapter behind the sidecar double (${mode.name})`, async (options: ActorHostHarnessOptions) => {
    const sidecar = await startDaprSidecarDouble({
      ...mode.sidecar,
      apiToken: tokens.daprApiToken,
      appApiToken: tokens.appApiToken,
      reminderRetry: options.reminderRetry,
      duplicateReminderDeliveries: options.duplicateReminderDeliveries,
    });

    async function startApp(): Promise<{ host: DaprActorHost; server: Server }> {
      const publisher = createDaprPubSub({ pubsubName: 'pubsub', daprHttpUrl: sidecar.url, logger, ...tokens });
      const host = createDaprActorHost({ daprHttpUrl: sidecar.url, publisher, logger, ...tokens });
      for (const definition of options.definitions) host.register(definition);
      const app = express();
      app.use(host.router);
      app.use(publisher.router);
      const server: Server = await new Promise((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      await host.start();
      await sidecar.connectApp(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      return { host, server };
    }

    async function stopApp(app: { host: DaprActorHost; server: Server }) {
      sidecar.disconnectApp();
      await app.host.stop();
      app.server.closeAllConnections();
      await new Promise((resolve) => app.server.close(resolve));
    }

    let current = await startApp();
    const harness = {
      host: current.host,
      async restart() {
        await stopApp(current);
        current = await startApp();
        harness.host = current.host;
        return current.host;
      },
      async publishedEventIds() {
        return sidecar.published.map((message) => (message.cloudEvent.data as { id: string }).id);
      },
      async reminderNames(actorType: string, actorId: string) {
        return sidecar
          .reminders()
          .filter((entry) => entry.actorType === actorType && entry.actorId === actorId)
          .map((entry) => entry.name);
      },
      async close() {
        await stopApp(current);
        await sidecar.stop();
      },
    };
    return harness;
  });

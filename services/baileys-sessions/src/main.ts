// Kubernetes entry (Dapr app id `baileys-sessions`, a StatefulSet: one pod per slot); the standalone launcher runs
// every session in its one process through createBaileysSessions.
import { runService } from '@app/runtime/service';
import { loadBaileysSessionsKubernetesConfig } from './config.ts';
import { startBaileysSessionsService } from './kubernetes/start-baileys-sessions-service.ts';

await runService('baileys-sessions', () => startBaileysSessionsService({ config: loadBaileysSessionsKubernetesConfig() }));

// Kubernetes entry (Dapr app id `conversation-actors`); the standalone launcher uses registerConversationActors instead.
import { runService } from '@app/runtime/service';
import { loadConversationActorsKubernetesConfig } from './config.ts';
import { startConversationActorsService } from './kubernetes/start-conversation-actors-service.ts';

await runService('conversation-actors', () => startConversationActorsService({ config: loadConversationActorsKubernetesConfig() }));

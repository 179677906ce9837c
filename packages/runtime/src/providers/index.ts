// What every provider service (Cloud API, Baileys, the sandbox) shares: the outbound egress subscription and the
// inbound media download queue. Their rows are read and written through @app/db's repositories.
export { providerEgressSubscription } from './provider-egress.subscription.ts';
export type { ProviderEgressOptions, SendRequest } from './provider-egress.subscription.ts';
export { createMediaDownloadQueue } from './media-download-queue.ts';
export type { MediaDownloadQueue, MediaDownloadQueueDependencies, MediaDownloadTimers } from './media-download-queue.ts';
export type { DownloadedMedia, MediaDownloader, MediaSourceCodec } from './media-downloader.ts';
// A business's HTTP tools: the guarded caller, the shared call, header secrets at rest, the operator's settings.
export { createDirectHttpToolCaller } from './http-tools/direct-http-tool-caller.ts';
export type { DirectHttpToolCallerOptions } from './http-tools/direct-http-tool-caller.ts';
export type { HttpToolCaller, HttpToolRequest, HttpToolResponse } from './http-tools/http-tool-caller.ts';
export { runHttpTool, redactedHeaders, redactedValue, toToolOutcome } from './http-tools/run-http-tool.ts';
export type { HttpToolDefinition, HttpToolInvocation, HttpToolRun, SentHttpToolRequest } from './http-tools/run-http-tool.ts';
export { openHttpToolHeaders, sealHttpToolHeaders } from './http-tools/http-tool-headers.ts';
export {
  defaultHttpToolSettings,
  directHttpToolCallerFromSettings,
  httpToolCallerFromSettings,
  httpToolSettingsShape,
} from './http-tools/http-tool-settings.ts';
export type { HttpToolSettings } from './http-tools/http-tool-settings.ts';
// What a stored file really is (magic numbers), for every upload path that keeps customer or operator bytes.
export { sniffMediaType } from './sniff-media-type.ts';

export { createOpenAiTestServer } from './openai-test-server.ts';
export type { OpenAiTestServer, OpenAiTestServerOptions, RecordedRequest, ReplyFunction, ReplyResult } from './openai-test-server.ts';
export type { ChatCompletionRequestBody, InjectedFailure, ScriptedToolCall, Usage } from './openai-wire.ts';

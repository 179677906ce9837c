import type { DaprClient } from '@dapr/dapr';
import type { BindingRequest, BindingResponse, OutputBinding } from '../ports/binding.ts';
import { AppError } from '../service/app-error.ts';

/**
 * Output bindings through the sidecar (`POST /v1.0/bindings/{name}` via DaprClient). Our binding components set
 * `errorIfNot2XX: true`, so a non-2xx target answer arrives as an error; the SDK hides response headers, so a
 * success is reported as 200 with the target's body.
 */
export function createDaprOutputBinding(options: { daprClient: DaprClient }): OutputBinding {
  return {
    async invoke(name: string, request: BindingRequest): Promise<BindingResponse> {
      try {
        const body = await options.daprClient.binding.send(name, request.operation, request.data, request.metadata ?? {});
        return { statusCode: 200, body: (body as unknown) === '' ? null : body };
      } catch (error) {
        throw new AppError('UNAVAILABLE', `Output binding "${name}" failed.`, null, { cause: error });
      }
    },
  };
}

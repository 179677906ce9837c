import { parseOutboundAllowList } from '@app/domain';
import { z } from 'zod';
import { createDaprHttpToolCaller } from '../../dapr/dapr-http-tool-caller.ts';
import { ConfigError } from '../../service/load-config.ts';
import { createDirectHttpToolCaller } from './direct-http-tool-caller.ts';
import type { HttpToolCaller } from './http-tool-caller.ts';

/** The operator's settings of HTTP tools, shared by every deployable that calls them (tenant-api's test, the reply loop). */
export const httpToolSettingsShape = {
  /** Let tools call plain http:// URLs (a local n8n); default: https only. */
  HTTP_TOOLS_ALLOW_HTTP: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  /**
   * Hosts, wildcard suffixes, addresses and CIDR blocks the SSRF guard lets through although they are loopback,
   * private, link-local … (`localhost,n8n.internal,*.svc.cluster.local,10.0.0.0/8`).
   */
  HTTP_TOOLS_ALLOW_LIST: z
    .string()
    .default('')
    .superRefine((value, context) => {
      try {
        parseOutboundAllowList(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /**
   * Kubernetes: the `bindings.http` component tools go out through (deploy/dapr/http-tools-binding.yaml), and its
   * `url` (n8n's webhook base URL). Tool URLs must start with it. Unset: tools are called directly, under the guard.
   */
  HTTP_TOOLS_BINDING: z.string().min(1).optional(),
  HTTP_TOOLS_BINDING_URL: z.url().optional(),
};

export type HttpToolSettings = z.infer<z.ZodObject<typeof httpToolSettingsShape>>;

export const defaultHttpToolSettings: HttpToolSettings = z.object(httpToolSettingsShape).parse({});

/** Kubernetes: through the Dapr HTTP binding when HTTP_TOOLS_BINDING names one, else directly like standalone. */
export function httpToolCallerFromSettings(settings: HttpToolSettings, sidecar: { daprHttpUrl: string; apiToken?: string }): HttpToolCaller {
  if (!settings.HTTP_TOOLS_BINDING) return directHttpToolCallerFromSettings(settings);
  if (!settings.HTTP_TOOLS_BINDING_URL) throw new ConfigError(['HTTP_TOOLS_BINDING_URL: is required with HTTP_TOOLS_BINDING (the component’s url)']);
  return createDaprHttpToolCaller({
    daprHttpUrl: sidecar.daprHttpUrl,
    ...(sidecar.apiToken ? { apiToken: sidecar.apiToken } : {}),
    bindingName: settings.HTTP_TOOLS_BINDING,
    baseUrl: settings.HTTP_TOOLS_BINDING_URL,
  });
}

/** Standalone: calls go out directly under the SSRF guard. */
export function directHttpToolCallerFromSettings(settings: HttpToolSettings): HttpToolCaller {
  return createDirectHttpToolCaller({ allowHttp: settings.HTTP_TOOLS_ALLOW_HTTP, allowList: parseOutboundAllowList(settings.HTTP_TOOLS_ALLOW_LIST) });
}

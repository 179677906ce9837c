import type { PrismaClient, SecretBox } from '@app/db';
import type { ToolProvider } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import type { HttpToolCaller } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';
import { createAppointmentToolProvider } from './appointments/appointment-tools.ts';
import { createContactFieldsToolProvider } from './contact-fields/contact-fields.tool-provider.ts';
import { createFileToolProvider } from './files/send-file.tool.ts';
import { createHttpToolProvider } from './http-tools/http-tool-provider.ts';
import { createSalesToolProvider } from './sales/sales-tools.ts';

export interface ToolProviderDependencies {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  /** The businesses' HTTP tools: how their secrets are opened and how they are called; absent → no HTTP tools. */
  httpTools?: { credentials: SecretBox; caller: HttpToolCaller };
}

/**
 * Every source of the agent's tools, asked in this order once per reply. One line per feature. The platform's own
 * come first: on a name clash the first wins, so a business's HTTP tool cannot shadow a built-in.
 */
export function createToolProviders(dependencies: ToolProviderDependencies): ToolProvider[] {
  return [
    createContactFieldsToolProvider(dependencies),
    createFileToolProvider(dependencies),
    // Objective SALES: buscar_producto, crear_pedido, consultar_pedido (generar_link_pago on plans that allow it).
    createSalesToolProvider(dependencies),
    // Objective APPOINTMENTS: consultar_disponibilidad, agendar_cita, cancelar_cita, reprogramar_cita.
    createAppointmentToolProvider(dependencies),
    ...(dependencies.httpTools ? [createHttpToolProvider({ ...dependencies, ...dependencies.httpTools })] : []),
  ];
}

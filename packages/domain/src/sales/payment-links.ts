/**
 * Payment links (the `generar_link_pago` tool) belong to paid plans. Billing defines the plans; until it does,
 * every business is on 'free' and none gets the tool.
 */
const plansWithPaymentLinks: ReadonlySet<string> = new Set(['pro']);

export function planAllowsPaymentLinks(plan: string): boolean {
  return plansWithPaymentLinks.has(plan);
}

import { formatMoney, type Money } from './money.ts';

/** How an order is named to people: the first eight characters of its id, upper case ("#3F9A0C21"). */
export function orderReference(orderId: string): string {
  return `#${orderId.replaceAll('-', '').slice(0, 8).toUpperCase()}`;
}

/**
 * The WhatsApp messages the platform itself sends about an order. Spanish: the businesses this platform serves
 * talk to their customers in Spanish; a business-defined wording can replace these later.
 */
export const orderNotices = {
  voucherReceived: (orderId: string) =>
    `¡Gracias! Recibimos tu comprobante de pago para el pedido ${orderReference(orderId)}. Lo revisamos y te confirmamos en breve.`,
  voucherConfirmed: (orderId: string, total: Money) =>
    `¡Pago confirmado! Tu pedido ${orderReference(orderId)} (${formatMoney(total)}) ya está pagado y lo estamos preparando.`,
  voucherRejected: (orderId: string) =>
    `No pudimos validar el comprobante del pedido ${orderReference(orderId)}. ¿Puedes enviarnos una foto nueva y legible del comprobante de pago?`,
};

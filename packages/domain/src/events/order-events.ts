import { z } from 'zod';
import { orderStatuses } from '../sales/order-status.ts';
import { defineEvent } from './define-event.ts';
import { Topics } from './topics.ts';

/** An order was created, changed status, or its voucher arrived or was rejected (the console's Orders page follows it). */
export const OrderChanged = defineEvent(
  'order.changed',
  Topics.orders,
  z.object({
    businessId: z.string(),
    orderId: z.string(),
    contactId: z.string(),
    status: z.enum(orderStatuses),
    change: z.enum(['created', 'status', 'voucher-received', 'voucher-rejected', 'delivery-agent']),
  }),
);

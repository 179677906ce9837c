import {
  confirmVoucher,
  createOrder,
  rejectVoucher,
  setDeliveryAgent,
  transitionOrder,
  VoucherStateError,
  type OrderNoticeOutcome,
  type Prisma,
  type PrismaClient,
} from '@app/db';
import { OrderTransitionError, orderTransitions } from '@app/domain';
import { AppError } from '@app/runtime/service';
import type { Router } from 'express';
import type { ApiServices } from '../api-services.ts';
import { tenantOf, type TenantContext } from '../http/tenant-context.ts';
import { notFound, parseInput, resourceId } from '../http/validate.ts';
import {
  changeOrderStatusBodySchema,
  createOrderBodySchema,
  deliveryAgentBodySchema,
  orderListQuerySchema,
  type OrderView,
} from './orders.schema.ts';
import { toOrderView, withContact } from './order-views.ts';

/** An illegal move is a 409 that names where the order is and where it may go. */
function conflictOf(error: unknown): never {
  if (error instanceof OrderTransitionError) {
    throw new AppError('CONFLICT', error.message, {
      reason: 'invalid_transition',
      currentStatus: error.current,
      requested: error.requested,
      allowed: orderTransitions[error.current],
    });
  }
  if (error instanceof VoucherStateError) throw new AppError('CONFLICT', error.message, { reason: 'voucher_state', currentStatus: error.current });
  throw error;
}

async function view(prisma: PrismaClient, tenant: TenantContext, id: string): Promise<OrderView> {
  const order = await prisma.order.findFirst({ where: { id, businessId: tenant.businessId }, include: withContact });
  if (!order) throw notFound('Order');
  return toOrderView(order);
}

const notified = (notice: OrderNoticeOutcome) => ({ sent: notice?.sent ?? false, reason: notice && !notice.sent ? notice.reason : null });

export function registerOrderRoutes(router: Router, services: ApiServices): void {
  const { authenticate, prisma, clock } = services;

  router.get('/orders', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const query = parseInput(orderListQuerySchema, request.query, 'query');
    const where: Prisma.OrderWhereInput = {
      businessId: tenant.businessId,
      ...(query.status ? { status: { in: query.status } } : {}),
      ...(query.contactId ? { contactId: query.contactId } : {}),
      ...(query.from || query.to
        ? { createdAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) } }
        : {}),
    };
    const [orders, total] = await Promise.all([
      prisma.order.findMany({ where, include: withContact, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit, skip: query.offset }),
      prisma.order.count({ where }),
    ]);
    response.json({ items: orders.map(toOrderView), total });
  });

  router.post('/orders', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const input = parseInput(createOrderBodySchema, request.body);
    const result = await createOrder(prisma, {
      businessId: tenant.businessId,
      contactId: input.contactId,
      conversationId: input.conversationId,
      items: input.items,
      customer: input.customer,
      initialStatus: input.awaitVoucher ? 'AWAITING_VOUCHER' : 'PENDING',
      by: 'OPERATOR',
      idempotencyKey: null,
      now: clock.now(),
    });
    if (!result.ok) {
      const stock = result.problems.every((problem) => problem.code === 'OUT_OF_STOCK');
      throw new AppError(
        stock ? 'CONFLICT' : 'VALIDATION_FAILED',
        stock ? 'Not enough stock for this order; nothing was ordered.' : 'The order cannot be placed; nothing was ordered.',
        result.problems,
      );
    }
    response.status(201).json(await view(prisma, tenant, result.order.id));
  });

  router.get('/orders/:orderId', authenticate, async (request, response) => {
    response.json(await view(prisma, tenantOf(response), resourceId(request.params.orderId, 'Order')));
  });

  router.post('/orders/:orderId/status', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params.orderId, 'Order');
    const { status } = parseInput(changeOrderStatusBodySchema, request.body);
    const moved = await transitionOrder(prisma, { businessId: tenant.businessId, orderId: id, to: status, by: 'OPERATOR', now: clock.now() }).catch(
      conflictOf,
    );
    if (!moved) throw notFound('Order');
    services.logger.info({ event: 'order.status_changed', businessId: tenant.businessId, orderId: id, status }, 'order status changed');
    response.json(await view(prisma, tenant, id));
  });

  router.put('/orders/:orderId/delivery-agent', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params.orderId, 'Order');
    const { deliveryAgent } = parseInput(deliveryAgentBodySchema, request.body);
    if (!(await setDeliveryAgent(prisma, { businessId: tenant.businessId, orderId: id, deliveryAgent, now: clock.now() }))) throw notFound('Order');
    response.json(await view(prisma, tenant, id));
  });

  router.post('/orders/:orderId/voucher/confirm', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params.orderId, 'Order');
    const result = await confirmVoucher(prisma, { businessId: tenant.businessId, orderId: id, now: clock.now() }).catch(conflictOf);
    if (!result) throw notFound('Order');
    services.logger.info({ event: 'order.voucher_confirmed', businessId: tenant.businessId, orderId: id }, 'voucher confirmed');
    response.json({ ...(await view(prisma, tenant, id)), customerNotified: notified(result.notice) });
  });

  router.post('/orders/:orderId/voucher/reject', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params.orderId, 'Order');
    const result = await rejectVoucher(prisma, { businessId: tenant.businessId, orderId: id, now: clock.now() }).catch(conflictOf);
    if (!result) throw notFound('Order');
    services.logger.info({ event: 'order.voucher_rejected', businessId: tenant.businessId, orderId: id }, 'voucher rejected');
    response.json({ ...(await view(prisma, tenant, id)), customerNotified: notified(result.notice) });
  });
}

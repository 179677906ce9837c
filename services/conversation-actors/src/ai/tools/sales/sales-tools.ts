import { createOrder, orderItems, searchProducts, type OrderProblem, type OrderWithItems, type PrismaClient } from '@app/db';
import {
  formatMoney,
  orderReference,
  planAllowsPaymentLinks,
  type AgentTool,
  type ToolCallContext,
  type ToolOutcome,
  type ToolProvider,
} from '@app/domain';
import type { Clock } from '@app/runtime/ports';

export interface SalesToolDependencies {
  prisma: PrismaClient;
  clock: Clock;
}

const searchLimit = 5;
const recentOrders = 5;

function orderSummary(order: OrderWithItems) {
  return {
    reference: orderReference(order.id),
    status: order.status,
    total: formatMoney({ amountMinor: order.totalMinor, currency: order.currency }),
    items: order.items.map((item) => ({
      name: item.name,
      quantity: item.quantity,
      unitPrice: formatMoney({ amountMinor: item.unitPriceMinor, currency: order.currency }),
    })),
    customerName: order.customerName,
    address: order.customerAddress,
    deliveryAgent: order.deliveryAgent,
    voucherReceived: order.voucherMessageId !== null,
    createdAt: order.createdAt.toISOString(),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** What the model is told when an order cannot be placed: each problem, and what to do about it. */
function problemsForModel(problems: OrderProblem[]): string {
  return `The order was not placed. ${problems.map((problem) => problem.message).join(' ')} Tell the customer, and search again (buscar_producto) for the right product ids.`;
}

/** buscar_producto: the catalogue's best matches for what the customer wrote, typos and accents included. */
function searchProductTool({ prisma }: SalesToolDependencies): AgentTool {
  return {
    name: 'buscar_producto',
    description:
      'Search the catalogue (search_product). Use it before quoting any price or availability, and to get product ids for crear_pedido. Typos are fine. Returns the top matches with price and stock (null stock = not tracked).',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', description: 'What the customer is looking for, in their words (e.g. "camisa azul talla M").' } },
      required: ['query'],
      additionalProperties: false,
    },
    sideEffects: false,
    timeoutMs: 5_000,
    async run(args, call): Promise<ToolOutcome> {
      const query = text(args['query']);
      if (query === '') return { ok: false, error: 'query is empty: say what to search for.' };
      const hits = await searchProducts(prisma, { businessId: call.businessId, query: query.slice(0, 200), limit: searchLimit, activeOnly: true });
      return {
        ok: true,
        result: {
          matches: hits.map((hit) => ({
            productId: hit.id,
            name: hit.name,
            description: hit.description.slice(0, 300),
            category: hit.category,
            sku: hit.sku,
            price: formatMoney({ amountMinor: hit.priceMinor, currency: hit.currency }),
            stock: hit.stock,
          })),
          ...(hits.length === 0
            ? { note: 'Nothing matches: ask the customer to describe it differently; never offer products that are not listed.' }
            : {}),
        },
      };
    },
  };
}

/**
 * crear_pedido: places an order for the contact being answered. Totals come from the catalogue, never from the
 * model; missing customer data is asked for, never invented; the call's idempotency key makes a retried call
 * return the first order.
 */
function createOrderTool({ prisma, clock }: SalesToolDependencies, paymentLinks: boolean): AgentTool {
  return {
    name: 'crear_pedido',
    description:
      'Place the customer’s order (create_order) once they confirmed the products, quantities, their name and delivery address. Prices and the total are computed by the shop. If data is missing the tool says what to ask for.',
    parameters: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: { productId: { type: 'string', description: 'From buscar_producto.' }, quantity: { type: 'integer', minimum: 1 } },
            required: ['productId', 'quantity'],
            additionalProperties: false,
          },
        },
        customerName: { type: 'string', description: 'As the customer gave it; empty if they did not.' },
        address: { type: 'string', description: 'Delivery address as the customer gave it; empty if they did not.' },
        notes: { type: 'string', description: 'Anything else the customer asked for (optional).' },
      },
      required: ['items', 'customerName', 'address'],
      additionalProperties: false,
    },
    sideEffects: true,
    timeoutMs: 10_000,
    async run(args, call): Promise<ToolOutcome> {
      const missing = [
        ...(text(args['customerName']) === '' ? ['the customer’s name'] : []),
        ...(text(args['address']) === '' ? ['the delivery address'] : []),
      ];
      const items = Array.isArray(args['items']) ? (args['items'] as Array<Record<string, unknown>>) : [];
      if (items.length === 0) missing.push('which products and how many');
      if (missing.length > 0) {
        return { ok: false, error: `Not placed: ask the customer for ${missing.join(' and ')}. Never make them up.` };
      }
      const result = await createOrder(prisma, {
        businessId: call.businessId,
        contactId: call.contactId,
        conversationId: call.conversationId,
        items: items.map((item) => ({ productId: text(item['productId']), quantity: typeof item['quantity'] === 'number' ? item['quantity'] : NaN })),
        customer: {
          name: text(args['customerName']).slice(0, 200),
          address: text(args['address']).slice(0, 500),
          notes: text(args['notes']).slice(0, 2_000) || null,
        },
        initialStatus: paymentLinks ? 'PENDING' : 'AWAITING_VOUCHER',
        by: 'AI',
        idempotencyKey: `crear_pedido:${call.idempotencyKey}`,
        now: clock.now(),
      });
      if (!result.ok) return { ok: false, error: problemsForModel(result.problems) };
      return {
        ok: true,
        result: {
          order: orderSummary(result.order),
          next:
            result.order.status === 'AWAITING_VOUCHER'
              ? 'Give the customer the reference and total, and ask them to send a photo of the payment voucher (bank transfer receipt) here.'
              : 'Give the customer the reference and total.',
        },
      };
    },
  };
}

/** consultar_pedido: the orders of the contact being answered, never anyone else's. */
function orderStatusTool({ prisma }: SalesToolDependencies): AgentTool {
  return {
    name: 'consultar_pedido',
    description: 'Look up this customer’s orders (order_status): status, items, total, courier. Without a reference: their latest orders.',
    parameters: {
      type: 'object',
      properties: { reference: { type: 'string', description: 'The order reference, e.g. #3F9A0C21 (optional).' } },
      additionalProperties: false,
    },
    sideEffects: false,
    timeoutMs: 5_000,
    async run(args, call: ToolCallContext): Promise<ToolOutcome> {
      const orders = await prisma.order.findMany({
        where: { businessId: call.businessId, contactId: call.contactId },
        include: orderItems,
        orderBy: { createdAt: 'desc' },
        take: 50,
      });
      const wanted = text(args['reference']).replace(/^#/, '').toUpperCase();
      const selected = wanted === '' ? orders.slice(0, recentOrders) : orders.filter((order) => orderReference(order.id) === `#${wanted}`);
      if (selected.length === 0) {
        return { ok: true, result: { orders: [], note: wanted ? `This customer has no order ${wanted}.` : 'This customer has no orders.' } };
      }
      return { ok: true, result: { orders: selected.map(orderSummary) } };
    },
  };
}

/**
 * generar_link_pago: offered only on plans with payment links. The payment provider's side belongs to billing; until
 * it exists the tool says so rather than pretend.
 */
function paymentLinkTool(): AgentTool {
  return {
    name: 'generar_link_pago',
    description: 'Create a payment link for one of this customer’s orders.',
    parameters: {
      type: 'object',
      properties: { reference: { type: 'string', description: 'The order reference, e.g. #3F9A0C21.' } },
      required: ['reference'],
      additionalProperties: false,
    },
    sideEffects: true,
    timeoutMs: 10_000,
    async run(): Promise<ToolOutcome> {
      return { ok: false, error: 'Payment links are not available yet: ask the customer to pay by transfer and send the voucher.' };
    },
  };
}

/**
 * The SALES objective's built-in tools; a business on APPOINTMENTS gets none of them, and neither does one with no
 * active product yet and no order for this customer (the agent would only be told to sell what is not there).
 */
export function createSalesToolProvider(dependencies: SalesToolDependencies): ToolProvider {
  return {
    async load(scope) {
      const business = await dependencies.prisma.business.findUnique({
        where: { id: scope.businessId },
        select: {
          objective: true,
          plan: true,
          products: { where: { active: true }, select: { id: true }, take: 1 },
          orders: { where: { contactId: scope.contactId }, select: { id: true }, take: 1 },
        },
      });
      if (!business || business.objective !== 'SALES') return { tools: [] };
      if (business.products.length === 0 && business.orders.length === 0) return { tools: [] };
      const paymentLinks = planAllowsPaymentLinks(business.plan);
      return {
        tools: [
          searchProductTool(dependencies),
          createOrderTool(dependencies, paymentLinks),
          orderStatusTool(dependencies),
          ...(paymentLinks ? [paymentLinkTool()] : []),
        ],
        promptNotes: [
          'You sell this business’s products. Quote prices and stock only from buscar_producto; never invent products, prices or totals.',
          'To order: confirm products and quantities, ask for the customer’s name and delivery address if you do not have them, then call crear_pedido.',
          ...(paymentLinks
            ? []
            : [
                'Payment is by bank transfer: after the order, the customer sends a photo of the voucher in this chat. The platform attaches it to their order and confirms receipt itself; the shop then checks it.',
              ]),
        ],
      };
    },
  };
}

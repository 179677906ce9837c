import type { RouteDoc } from '../openapi/route-doc.ts';
import { pairingCodeBodySchema } from './instance-session.router.ts';
import { podRestartViewSchema, sessionStatusViewSchema } from './instance-session.schema.ts';
import {
  createInstanceBodySchema,
  instanceListSchema,
  instanceParamsSchema,
  instanceViewSchema,
  updateInstanceBodySchema,
} from './instances.schema.ts';

const tag = 'instances';
const capacityDetails = 'details: {quota: "whatsappWebSessions", limit, current, setBy: "deployment"}.';

export const instanceRouteDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/instances',
    tag,
    authenticated: true,
    summary: 'Connect a WhatsApp number (META: Cloud API credentials; BAILEYS: WhatsApp Web, then scan) or create a SANDBOX instance',
    description:
      'Refused with 403 EMAIL_NOT_VERIFIED until the owner verified the e-mail address. Credentials are encrypted at rest and never returned. ' +
      'Limits: instances per business (MAX_INSTANCES_PER_BUSINESS), WhatsApp Web instances per business (MAX_BAILEYS_INSTANCES_PER_BUSINESS), ' +
      'each lowered by the business’s plan where it has one, and WhatsApp Web sessions on the whole platform (BAILEYS_MAX_SESSIONS). ' +
      'A refused creation stores nothing.',
    body: createInstanceBodySchema,
    success: { status: 201, description: 'Created.', schema: instanceViewSchema },
    errors: [
      400,
      401,
      {
        status: 403,
        description:
          'EMAIL_NOT_VERIFIED; or INSTANCE_LIMIT_REACHED: the business has as many instances as it may. details: {quota: "instancesPerBusiness" | ' +
          '"whatsappWebInstancesPerBusiness", limit, current, setBy: "plan" | "deployment"}.',
      },
      {
        status: 409,
        description:
          'CONFLICT: the phone number id is already connected; or PLATFORM_CAPACITY_REACHED: every WhatsApp Web session slot of the platform is taken. ' +
          capacityDetails,
      },
    ],
  },
  {
    method: 'get',
    path: '/instances',
    tag,
    authenticated: true,
    summary: 'The business’s instances',
    success: { status: 200, description: 'Instances, oldest first.', schema: instanceListSchema },
    errors: [401],
  },
  {
    method: 'get',
    path: '/instances/:id',
    tag,
    authenticated: true,
    summary: 'One instance',
    params: instanceParamsSchema,
    success: { status: 200, description: 'The instance.', schema: instanceViewSchema },
    errors: [401, 404],
  },
  {
    method: 'patch',
    path: '/instances/:id',
    tag,
    authenticated: true,
    summary: 'Rename an instance, or change a WhatsApp Web number’s sending settings (business owner only)',
    description:
      'baileys (BAILEYS only, else 409): maxPerMinute 1–60, minGapPerRecipientMs 1000–600000, newContactsPerDay 0–200, typing. ' +
      'Omitted settings are kept; null restores the deployment’s default (BAILEYS_* settings). The sending path picks a change up within about 10 s. 403 for agents.',
    params: instanceParamsSchema,
    body: updateInstanceBodySchema,
    success: { status: 200, description: 'The updated instance.', schema: instanceViewSchema },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'delete',
    path: '/instances/:id',
    tag,
    authenticated: true,
    summary: 'Delete an instance with its conversations and messages',
    params: instanceParamsSchema,
    success: { status: 204, description: 'Deleted.' },
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/instances/:id/session',
    tag,
    authenticated: true,
    summary: 'WhatsApp Web session status (BAILEYS): state, QR code string, pairing code',
    description:
      'State "over-capacity": the platform runs as many WhatsApp Web sessions as it may and this number has no pod (POST …/session/restart moves it to a freed slot).',
    params: instanceParamsSchema,
    success: { status: 200, description: 'The live session status.', schema: sessionStatusViewSchema },
    errors: [401, 404, 409, 503],
  },
  {
    method: 'post',
    path: '/instances/:id/session/pairing-code',
    tag,
    authenticated: true,
    summary: 'Link by phone number instead of QR: returns the code to type on the phone',
    params: instanceParamsSchema,
    body: pairingCodeBodySchema,
    success: { status: 200, description: 'The status, with pairingCode set.', schema: sessionStatusViewSchema },
    errors: [400, 401, 404, 409, 503],
  },
  {
    method: 'post',
    path: '/instances/:id/session/logout',
    tag,
    authenticated: true,
    summary: 'Unlink the device and wipe the stored session keys (a new scan is needed)',
    params: instanceParamsSchema,
    success: { status: 200, description: 'The status (logged-out).', schema: sessionStatusViewSchema },
    errors: [401, 404, 409, 503],
  },
  {
    method: 'post',
    path: '/instances/:id/session/restart',
    tag,
    authenticated: true,
    summary: 'Start or restart the session (new QR when unpaired, resume when paired)',
    description:
      'Kubernetes: when the pod that runs the session is not up yet (a new instance’s pod is still being created), the answer is ' +
      '202 with state "pending": the start is recorded and happens when the pod is up (GET …/session says "pending" meanwhile, then shows the QR). ' +
      'A number left without a pod by the platform’s cap (state "over-capacity") moves to a free slot under it first.',
    params: instanceParamsSchema,
    success: {
      status: 200,
      description: 'The status after the restart.',
      schema: sessionStatusViewSchema,
      also: [{ status: 202, description: 'State "pending": the start is recorded and happens when the session\'s pod is up.' }],
    },
    errors: [
      401,
      404,
      {
        status: 409,
        description:
          'CONFLICT: not a BAILEYS instance; or PLATFORM_CAPACITY_REACHED: the number has no pod and no slot under the cap is free. ' +
          capacityDetails,
      },
      503,
    ],
  },
  {
    method: 'post',
    path: '/instances/:id/session/restart-pod',
    tag,
    authenticated: true,
    summary: 'Restart the pod that runs the WhatsApp Web session (Kubernetes; business owner only)',
    description:
      'Deletes the baileys-sessions StatefulSet pod that owns the session; Kubernetes starts it again and the session resumes. ' +
      'Every session on that pod reconnects. 409 NOT_SUPPORTED when sessions run in-process (standalone), 403 for agents.',
    params: instanceParamsSchema,
    success: { status: 202, description: 'The pod was asked to restart.', schema: podRestartViewSchema },
    errors: [401, 403, 404, 409, 503],
  },
];

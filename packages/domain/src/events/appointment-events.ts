import { z } from 'zod';
import { defineEvent } from './define-event.ts';
import { Topics } from './topics.ts';

/** An appointment was booked, moved or changed status (by the agent or in the console): open consoles redraw it. */
export const AppointmentChanged = defineEvent(
  'appointment.changed',
  Topics.appointments,
  z.object({
    businessId: z.string(),
    appointmentId: z.string(),
    change: z.enum(['booked', 'moved', 'status']),
  }),
);

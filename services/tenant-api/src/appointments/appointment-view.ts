import type { AppointmentRecord } from '@app/db';
import type { AppointmentView } from './appointments.schema.ts';

/** An appointment as the REST routes and the live stream show it. */
export function toAppointmentView(row: AppointmentRecord): AppointmentView {
  return {
    id: row.id,
    contact: row.contact,
    service: row.service,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status,
    notes: row.notes,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

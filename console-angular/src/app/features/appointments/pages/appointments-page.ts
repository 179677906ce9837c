import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { appointmentTransitions, type AppointmentStatus } from '@app/domain/appointment-status';
import { addDays, formatClock, parseClock, toLocal, type LocalDate } from '@app/domain/zoned-time';
import { map } from 'rxjs';
import { ApiClient } from '../../../core/api/api-client';
import { toApiProblem } from '../../../core/api/api-error';
import type { AppointmentView, ConversationView, ServiceView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { LiveUpdates } from '../../../core/live/live-updates';
import { Icon } from '../../../shared/ui/icon';
import { dropInstant, gridDays, gridSpan, placeAppointments, visibleHours, type PlacedAppointment } from '../data/calendar-layout';

const pixelsPerMinute = 1;
const slotMinutes = 30;

/** Whom an appointment is for, as both the conversations list and an appointment name them. */
type Person = Pick<ConversationView['contact'], 'id' | 'name' | 'phone'>;

type Editing = { mode: 'create' } | { mode: 'edit'; appointment: AppointmentView };

/** The appointment book: a week (a day on phones) in the business's time zone; drag to move, click to edit or book. */
@Component({
  selector: 'app-appointments-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, Icon],
  templateUrl: './appointments-page.html',
  styleUrl: './appointments-page.scss',
})
export class AppointmentsPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  protected readonly phone = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly view = computed(() => (this.phone() ? 'day' : 'week'));
  protected readonly anchor = signal<LocalDate>(this.today());
  protected readonly appointments = signal<AppointmentView[]>([]);
  protected readonly services = signal<ServiceView[]>([]);
  protected readonly contacts = signal<Person[]>([]);
  private readonly ranges = signal<{ start: string; end: string }[]>([]);
  protected readonly problem = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly editing = signal<Editing | null>(null);
  protected readonly busy = signal(false);
  private dragged: string | null = null;

  constructor() {
    // The agent books while the operator looks: a booked, moved or cancelled appointment is redrawn in place.
    inject(LiveUpdates)
      .events.pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe((event) => {
        if (event.type === 'appointment.updated') this.upsert(event.appointment);
        if (event.type === 'resync') void this.load();
      });
  }

  private upsert(appointment: AppointmentView): void {
    const span = gridSpan(this.days(), this.i18n.timeZone());
    const visible = Date.parse(appointment.startsAt) < span.to.getTime() && Date.parse(appointment.endsAt) > span.from.getTime();
    this.appointments.update((current) => {
      const others = current.filter((entry) => entry.id !== appointment.id);
      return visible ? [...others, appointment].sort((a, b) => a.startsAt.localeCompare(b.startsAt)) : others;
    });
  }

  /** The dialog's choice of customers; an edited appointment's own customer is among them even when not in the list. */
  protected readonly contactChoices = computed<Person[]>(() => {
    const editing = this.editing();
    const own = editing?.mode === 'edit' ? editing.appointment.contact : null;
    return own && !this.contacts().some((contact) => contact.id === own.id) ? [own, ...this.contacts()] : this.contacts();
  });
  protected readonly days = computed(() => gridDays(this.anchor(), this.view()));
  protected readonly hours = computed(() => visibleHours(this.ranges()));
  protected readonly grid = computed(() => ({ days: this.days(), ...this.hours(), slotMinutes }));
  protected readonly slots = computed(() => {
    const { firstHour, lastHour } = this.hours();
    return Array.from({ length: ((lastHour - firstHour) * 60) / slotMinutes }, (_, index) => firstHour * 60 + index * slotMinutes);
  });
  protected readonly columnHeight = computed(() => (this.hours().lastHour - this.hours().firstHour) * 60 * pixelsPerMinute);
  protected readonly placed = computed(() => placeAppointments(this.appointments(), this.grid(), this.i18n.timeZone()));
  protected readonly pixelsPerMinute = pixelsPerMinute;
  protected readonly slotHeight = slotMinutes * pixelsPerMinute;

  protected readonly form = inject(NonNullableFormBuilder).group({
    contactId: ['', Validators.required],
    serviceId: ['', Validators.required],
    date: ['', Validators.required],
    time: ['', Validators.required],
    notes: [''],
  });

  async ngOnInit(): Promise<void> {
    try {
      const [services, availability, conversations] = await Promise.all([
        this.api.listServices(),
        this.api.availability(),
        this.api.listConversations({ limit: 100 }),
      ]);
      this.services.set(services.items.filter((service) => service.active));
      this.ranges.set(availability.weekly);
      this.i18n.timeZone.set(availability.timezone);
      this.anchor.set(this.today());
      this.contacts.set(conversations.items.map((conversation) => conversation.contact));
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
    await this.load();
  }

  protected async load(): Promise<void> {
    const span = gridSpan(this.days(), this.i18n.timeZone());
    try {
      this.appointments.set((await this.api.listAppointments(span.from.toISOString(), span.to.toISOString())).items);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }

  protected shift(direction: -1 | 0 | 1): void {
    this.anchor.set(direction === 0 ? this.today() : addDays(this.anchor(), direction * (this.view() === 'week' ? 7 : 1)));
    void this.load();
  }

  protected dayLabel(day: LocalDate): string {
    return new Intl.DateTimeFormat(this.i18n.locale(), { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(
      new Date(`${day}T12:00:00Z`),
    );
  }
  protected clock(minute: number): string {
    return formatClock(minute);
  }
  protected inDay(day: LocalDate): PlacedAppointment[] {
    return this.placed().filter((entry) => entry.day === day);
  }
  protected statusLabel(status: AppointmentStatus): string {
    return this.i18n.t(`appointments.status.${status}` as const);
  }
  protected actions(status: AppointmentStatus): AppointmentStatus[] {
    return [...appointmentTransitions[status]];
  }
  protected actionLabel(status: AppointmentStatus): string {
    return this.i18n.t(`appointments.action.${status}` as 'appointments.action.CONFIRMED');
  }

  // Dragging -----------------------------------------------------------------------------------------------------------
  protected dragStart(event: DragEvent, appointment: AppointmentView): void {
    this.dragged = appointment.id;
    event.dataTransfer?.setData('text/plain', appointment.id);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
  }
  protected dragOver(event: DragEvent): void {
    if (this.dragged) event.preventDefault();
  }
  protected async drop(event: DragEvent, day: LocalDate, minute: number): Promise<void> {
    event.preventDefault();
    const id = this.dragged ?? event.dataTransfer?.getData('text/plain');
    this.dragged = null;
    if (!id) return;
    await this.move(id, dropInstant(day, minute, this.i18n.timeZone()));
  }

  private async move(id: string, startsAt: Date): Promise<void> {
    this.problem.set(null);
    this.notice.set(null);
    try {
      const moved = await this.api.updateAppointment(id, { startsAt: startsAt.toISOString() });
      this.notice.set(this.i18n.t('appointments.moved', { time: this.i18n.time(moved.startsAt) }));
    } catch (error) {
      this.showProblem(error);
    }
    await this.load();
  }

  private showProblem(error: unknown): void {
    const problem = toApiProblem(error);
    const alternatives = (problem.details as { alternatives?: { start: string }[] } | null)?.alternatives;
    if (problem.status === 409 && alternatives) {
      const times = alternatives.map(
        (slot) => `${this.dayLabel(toLocal(new Date(slot.start), this.i18n.timeZone()).date)} ${this.i18n.time(slot.start)}`,
      );
      this.problem.set(`${this.i18n.t('appointments.conflict')} ${this.i18n.t('appointments.alternatives', { times: times.join(', ') })}`);
      return;
    }
    this.problem.set(problem.message);
  }

  // The dialog ---------------------------------------------------------------------------------------------------------
  protected openNew(day?: LocalDate, minute?: number): void {
    this.problem.set(null);
    this.form.reset({
      contactId: this.contacts()[0]?.id ?? '',
      serviceId: this.services()[0]?.id ?? '',
      date: day ?? this.anchor(),
      time: minute !== undefined ? formatClock(minute) : '',
      notes: '',
    });
    this.form.controls.contactId.enable();
    this.editing.set({ mode: 'create' });
  }

  protected openEdit(appointment: AppointmentView): void {
    this.problem.set(null);
    const local = toLocal(new Date(appointment.startsAt), this.i18n.timeZone());
    this.form.reset({
      contactId: appointment.contact.id,
      serviceId: appointment.service.id,
      date: local.date,
      time: formatClock(local.minute),
      notes: appointment.notes ?? '',
    });
    this.form.controls.contactId.disable();
    this.editing.set({ mode: 'edit', appointment });
  }

  protected close(): void {
    this.editing.set(null);
  }

  protected async save(): Promise<void> {
    const editing = this.editing();
    const minute = parseClock(this.form.controls.time.value);
    if (!editing || this.form.invalid || minute === null) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const startsAt = dropInstant(value.date, minute, this.i18n.timeZone()).toISOString();
    this.busy.set(true);
    this.problem.set(null);
    try {
      if (editing.mode === 'create') {
        await this.api.createAppointment({
          contactId: value.contactId,
          serviceId: value.serviceId,
          startsAt,
          notes: value.notes || null,
          status: 'CONFIRMED',
        });
      } else {
        await this.api.updateAppointment(editing.appointment.id, { startsAt, serviceId: value.serviceId, notes: value.notes || null });
      }
      this.editing.set(null);
      this.anchor.set(value.date);
      await this.load();
    } catch (error) {
      this.showProblem(error);
    } finally {
      this.busy.set(false);
    }
  }

  protected async setStatus(appointment: AppointmentView, status: AppointmentStatus): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await this.api.setAppointmentStatus(appointment.id, status);
      this.editing.set(null);
      await this.load();
    } catch (error) {
      this.showProblem(error);
    } finally {
      this.busy.set(false);
    }
  }

  protected contactName(contact: Person): string {
    return contact.name ?? contact.phone ?? contact.id.slice(0, 8);
  }

  private today(): LocalDate {
    return toLocal(new Date(), this.i18n.timeZone()).date;
  }
}

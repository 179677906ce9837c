import { ChangeDetectionStrategy, Component, type OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ApiClient } from '../../../core/api/api-client';
import { toApiProblem } from '../../../core/api/api-error';
import type { BlockedRangeView, ServiceView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import type { TranslationKey } from '../../../core/i18n/translations';

interface Range {
  start: string;
  end: string;
}

/** Monday first, as the calendar shows the week. */
const weekOrder = [1, 2, 3, 4, 5, 6, 0];

/** What the business books, its weekly opening ranges for appointments and its closed days. */
@Component({
  selector: 'app-availability-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './availability-page.html',
  styleUrl: './availability-page.scss',
})
export class AvailabilityPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  protected readonly weekOrder = weekOrder;
  protected readonly services = signal<ServiceView[]>([]);
  protected readonly week = signal<Record<number, Range[]>>({});
  protected readonly blocked = signal<BlockedRangeView[]>([]);
  protected readonly problem = signal<string | null>(null);
  protected readonly saved = signal(false);
  protected readonly timeZone = signal('UTC');
  protected newService = { name: '', durationMinutes: 30, price: '' };
  protected newBlocked = { fromDate: '', toDate: '', reason: '' };

  async ngOnInit(): Promise<void> {
    try {
      const [services, availability, blocked] = await Promise.all([this.api.listServices(), this.api.availability(), this.api.listBlockedRanges()]);
      this.services.set(services.items);
      this.timeZone.set(availability.timezone);
      const week: Record<number, Range[]> = {};
      for (const range of availability.weekly) (week[range.weekday] ??= []).push({ start: range.start, end: range.end });
      this.week.set(week);
      this.blocked.set(blocked.items);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }

  protected weekdayLabel(weekday: number): string {
    return this.i18n.t(`weekday.${weekday}` as TranslationKey);
  }
  protected rangesOf(weekday: number): Range[] {
    return this.week()[weekday] ?? [];
  }
  protected addRange(weekday: number): void {
    const ranges = this.rangesOf(weekday);
    const start = ranges.at(-1)?.end ?? '09:00';
    this.week.update((week) => ({ ...week, [weekday]: [...ranges, { start, end: start < '20:00' ? '20:00' : '23:45' }] }));
    this.saved.set(false);
  }
  protected removeRange(weekday: number, index: number): void {
    this.week.update((week) => ({ ...week, [weekday]: this.rangesOf(weekday).filter((_, position) => position !== index) }));
    this.saved.set(false);
  }
  protected setRange(weekday: number, index: number, field: keyof Range, value: string): void {
    this.week.update((week) => ({
      ...week,
      [weekday]: this.rangesOf(weekday).map((range, position) => (position === index ? { ...range, [field]: value } : range)),
    }));
    this.saved.set(false);
  }

  protected async saveHours(): Promise<void> {
    this.problem.set(null);
    const weekly = Object.entries(this.week()).flatMap(([weekday, ranges]) => ranges.map((range) => ({ weekday: Number(weekday), ...range })));
    try {
      await this.api.updateAvailability({ weekly });
      this.saved.set(true);
    } catch (error) {
      const problem = toApiProblem(error);
      const details = Array.isArray(problem.details) ? (problem.details as { message: string }[]).map((detail) => detail.message).join('; ') : '';
      this.problem.set(details ? `${problem.message} ${details}` : problem.message);
    }
  }

  protected async addService(): Promise<void> {
    this.problem.set(null);
    const amount = this.newService.price.trim() ? Math.round(Number(this.newService.price.replace(',', '.')) * 100) : null;
    try {
      const created = await this.api.createService({
        name: this.newService.name,
        durationMinutes: Number(this.newService.durationMinutes),
        price: amount !== null && Number.isFinite(amount) ? { amountMinor: amount, currency: 'EUR' } : null,
        active: true,
      });
      this.services.update((services) => [...services, created].sort((a, b) => a.name.localeCompare(b.name)));
      this.newService = { name: '', durationMinutes: 30, price: '' };
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }

  protected async toggleService(service: ServiceView): Promise<void> {
    try {
      const { name, durationMinutes, price } = service;
      const updated = await this.api.updateService(service.id, { name, durationMinutes, price, active: !service.active });
      this.services.update((services) => services.map((entry) => (entry.id === updated.id ? updated : entry)));
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }

  protected async addBlocked(): Promise<void> {
    this.problem.set(null);
    try {
      const created = await this.api.addBlockedRange({
        fromDate: this.newBlocked.fromDate,
        ...(this.newBlocked.toDate ? { toDate: this.newBlocked.toDate } : {}),
        ...(this.newBlocked.reason.trim() ? { reason: this.newBlocked.reason.trim() } : {}),
      });
      this.blocked.update((ranges) => [...ranges, created].sort((a, b) => a.startsAt.localeCompare(b.startsAt)));
      this.newBlocked = { fromDate: '', toDate: '', reason: '' };
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }

  protected async removeBlocked(range: BlockedRangeView): Promise<void> {
    try {
      await this.api.removeBlockedRange(range.id);
      this.blocked.update((ranges) => ranges.filter((entry) => entry.id !== range.id));
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }

  protected blockedLabel(range: BlockedRangeView): string {
    const format = new Intl.DateTimeFormat(this.i18n.locale(), { timeZone: this.timeZone(), dateStyle: 'medium', timeStyle: 'short' });
    return `${format.format(new Date(range.startsAt))} – ${format.format(new Date(range.endsAt))}`;
  }
}

import { Injectable, computed, signal } from '@angular/core';
import { spanish } from './spanish';
import { english, type TranslationKey, type Translations } from './translations';

export type Language = 'en' | 'es';
const dictionaries: Record<Language, Translations> = { en: english, es: spanish };
const storageKey = 'console.language';

/**
 * Runtime-switchable words and dates. Everything reads signals, so switching the language or the business's
 * time zone re-renders what depends on it without a reload.
 */
@Injectable({ providedIn: 'root' })
export class I18n {
  readonly language = signal<Language>(initialLanguage());
  /** The business's IANA time zone; every date and time in the console is shown in it. */
  readonly timeZone = signal<string>('UTC');
  readonly locale = computed(() => (this.language() === 'es' ? 'es-ES' : 'en-GB'));

  t(key: TranslationKey, parameters: Record<string, string | number> = {}): string {
    const template = dictionaries[this.language()][key];
    return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in parameters ? String(parameters[name]) : match));
  }

  use(language: Language): void {
    this.language.set(language);
    localStorage.setItem(storageKey, language);
    document.documentElement.lang = language;
  }

  // Formatters are costly to build and a long chat formats thousands of dates: one per language and time zone.
  private readonly timeFormat = computed(
    () => new Intl.DateTimeFormat(this.locale(), { timeZone: this.timeZone(), hour: '2-digit', minute: '2-digit' }),
  );
  private readonly dayFormat = computed(
    () => new Intl.DateTimeFormat('en-CA', { timeZone: this.timeZone(), year: 'numeric', month: '2-digit', day: '2-digit' }),
  );

  /** 14:05 in the business's time zone. */
  time(value: string | Date): string {
    return this.timeFormat().format(new Date(value));
  }

  /** "4 Mar 2026, 14:05" in the business's time zone (order dates and timelines). */
  dateTime(value: string | Date): string {
    return new Intl.DateTimeFormat(this.locale(), { timeZone: this.timeZone(), dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
  }

  /** Time for today's messages, the weekday within a week, the date before that (WhatsApp's list style). */
  listTimestamp(value: string, now = new Date()): string {
    const days = this.dayNumber(now) - this.dayNumber(new Date(value));
    if (days <= 0) return this.time(value);
    if (days === 1) return this.t('chat.yesterday');
    const options: Intl.DateTimeFormatOptions = days < 7 ? { weekday: 'long' } : { day: '2-digit', month: '2-digit', year: '2-digit' };
    return new Intl.DateTimeFormat(this.locale(), { timeZone: this.timeZone(), ...options }).format(new Date(value));
  }

  /** "Today", "Yesterday" or a full date: the label of a day separator in the chat. */
  dayLabel(value: string, now = new Date()): string {
    const days = this.dayNumber(now) - this.dayNumber(new Date(value));
    if (days === 0) return this.t('chat.today');
    if (days === 1) return this.t('chat.yesterday');
    return new Intl.DateTimeFormat(this.locale(), { timeZone: this.timeZone(), dateStyle: 'long' }).format(new Date(value));
  }

  /** A calendar-day number in the business's time zone, so day separators follow the business's midnight. */
  dayNumber(value: Date): number {
    const parts = this.dayFormat().format(value);
    return Math.round(Date.parse(`${parts}T00:00:00Z`) / 86_400_000);
  }

  /** "3 h 20 min" / "12 min": how long until a time. */
  duration(milliseconds: number): string {
    const minutes = Math.max(0, Math.floor(milliseconds / 60_000));
    const hours = Math.floor(minutes / 60);
    return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
  }
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(storageKey);
  if (stored === 'en' || stored === 'es') return stored;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

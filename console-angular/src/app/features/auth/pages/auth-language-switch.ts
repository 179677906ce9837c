import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { I18n } from '../../../core/i18n/i18n';

/** EN/ES on the signed-out pages, where the shell's switch is not shown. */
@Component({
  selector: 'app-auth-language-switch',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="switch" role="group" [attr.aria-label]="i18n.t('nav.language')">
      <button type="button" lang="en" [attr.aria-pressed]="i18n.language() === 'en'" (click)="i18n.use('en')">English</button>
      <button type="button" lang="es" [attr.aria-pressed]="i18n.language() === 'es'" (click)="i18n.use('es')">Español</button>
    </div>
  `,
  styles: `
    .switch {
      display: flex;
      justify-content: flex-end;
      gap: 4px;
      margin-bottom: 8px;
    }
    button {
      background: none;
      border: 0;
      color: #0b6e4f;
      cursor: pointer;
      padding: 4px 6px;
      font: inherit;
    }
    button[aria-pressed='true'] {
      font-weight: 700;
      text-decoration: underline;
    }
  `,
})
export class AuthLanguageSwitch {
  protected readonly i18n = inject(I18n);
}

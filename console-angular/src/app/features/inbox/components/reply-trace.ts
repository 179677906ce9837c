import { ChangeDetectionStrategy, Component, inject, input, signal, viewChild, type ElementRef } from '@angular/core';
import { ApiClient } from '../../../core/api/api-client';
import type { ReplyTraceView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { Icon } from '../../../shared/ui/icon';

type TraceState = { kind: 'idle' | 'loading' | 'not-found' | 'failed' } | { kind: 'loaded'; trace: ReplyTraceView };

/**
 * "Why this reply?" on an AI bubble: a button that opens, in an in-page dialog, what the agent did — model, tool
 * calls with their arguments, results and errors, tokens, estimated cost and where the time went. Fetched when
 * first opened (most operators never open one; the timeline stays one request per page).
 */
@Component({
  selector: 'app-reply-trace',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon],
  template: `
    <button type="button" class="open" (click)="open()" data-testid="reply-trace-open">
      <app-icon name="robot" [size]="12" />{{ i18n.t('trace.open') }}
    </button>
    <!-- A modal <dialog> closes on Escape by itself. -->
    <dialog #dialog class="trace" [attr.aria-label]="i18n.t('trace.title')" data-testid="reply-trace">
      <header>
        <h2>{{ i18n.t('trace.title') }}</h2>
        <button type="button" class="close" (click)="dialog.close()" data-testid="reply-trace-close">{{ i18n.t('trace.close') }}</button>
      </header>
      @switch (state().kind) {
        @case ('loading') {
          <p class="muted">{{ i18n.t('trace.loading') }}</p>
        }
        @case ('not-found') {
          <p class="muted" role="note" data-testid="reply-trace-missing">{{ i18n.t('trace.notFound') }}</p>
        }
        @case ('failed') {
          <p class="error" role="alert">{{ i18n.t('trace.failed') }}</p>
        }
      }
      @if (loaded(); as trace) {
        <dl class="summary">
          <dt>{{ i18n.t('trace.model') }}</dt>
          <dd data-testid="reply-trace-model">{{ trace.model }} ({{ trace.provider }})</dd>
          <dt>{{ i18n.t('trace.tokens') }}</dt>
          <dd data-testid="reply-trace-tokens">
            {{
              i18n.t('trace.tokensDetail', {
                total: trace.tokens.total,
                prompt: trace.tokens.prompt,
                completion: trace.tokens.completion,
                calls: trace.modelCalls.length,
              })
            }}
          </dd>
          <dt>{{ i18n.t('trace.cost') }}</dt>
          <dd data-testid="reply-trace-cost">{{ trace.costUsd === null ? i18n.t('trace.costUnknown') : usd(trace.costUsd) }}</dd>
          <dt>{{ i18n.t('trace.latency') }}</dt>
          <dd data-testid="reply-trace-latency">
            {{
              i18n.t('trace.latencyDetail', {
                wait: seconds(trace.latency.bufferWaitMs),
                model: seconds(trace.latency.modelMs),
                tools: seconds(trace.latency.toolMs),
                total: seconds(trace.latency.totalMs),
              })
            }}
          </dd>
        </dl>
        <h3>{{ i18n.t('trace.tools') }}</h3>
        @for (call of trace.toolCalls; track $index) {
          <section class="tool" [class.failed]="call.error !== null" data-testid="reply-trace-tool">
            <strong>{{ call.name }}</strong> <span class="muted">{{ seconds(call.durationMs) }}</span>
            <span class="label">{{ i18n.t('trace.arguments') }}</span>
            <pre>{{ json(call.arguments) }}</pre>
            @if (call.error !== null) {
              <span class="label">{{ i18n.t('trace.error') }}</span>
              <pre class="error" data-testid="reply-trace-tool-error">{{ call.error }}</pre>
            } @else {
              <span class="label">{{ i18n.t('trace.result') }}</span>
              <pre data-testid="reply-trace-tool-result">{{ call.result }}</pre>
            }
          </section>
        } @empty {
          <p class="muted">{{ i18n.t('trace.noTools') }}</p>
        }
        <details>
          <summary>{{ i18n.t('trace.prompt') }}</summary>
          @for (message of trace.prompt; track $index) {
            <div class="prompt-message">
              <span class="label">{{ message.role }}</span>
              <pre>{{ message.content ?? json(message.toolCalls ?? []) }}</pre>
            </div>
          }
        </details>
      }
    </dialog>
  `,
  styles: `
    :host {
      display: contents;
      white-space: normal;
    }
    .open {
      align-self: flex-start;
      display: inline-flex;
      align-items: center;
      gap: 3px;
      padding: 0;
      border: 0;
      background: none;
      color: #00577f;
      font-size: 0.7rem;
      cursor: pointer;
      text-decoration: underline;
    }
    .trace {
      width: min(640px, 95vw);
      max-height: 90vh;
      border: 0;
      border-radius: 8px;
      padding: 12px 16px;
      white-space: normal;
    }
    .trace::backdrop {
      background: rgb(0 0 0 / 50%);
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: center;
    }
    h2 {
      font-size: 1.05rem;
      margin: 0;
    }
    h3 {
      font-size: 0.9rem;
      margin: 12px 0 4px;
    }
    .summary {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 12px;
      margin: 8px 0;
      font-size: 0.85rem;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
    .tool {
      border-left: 3px solid #06cf9c;
      padding: 4px 8px;
      margin: 6px 0;
      font-size: 0.85rem;
    }
    .tool > .muted {
      margin-left: 6px;
    }
    .tool.failed {
      border-left-color: var(--console-danger);
    }
    .label {
      display: block;
      font-size: 0.7rem;
      color: var(--console-muted);
      text-transform: uppercase;
    }
    pre {
      margin: 0 0 4px;
      white-space: pre-wrap;
      word-break: break-word;
      font-size: 0.78rem;
      background: rgb(0 0 0 / 4%);
      padding: 4px 6px;
      border-radius: 4px;
      max-height: 200px;
      overflow: auto;
    }
    .error {
      color: var(--console-danger);
    }
    .muted {
      color: var(--console-muted);
      font-size: 0.8rem;
    }
    .prompt-message {
      margin: 4px 0;
    }
  `,
})
export class ReplyTrace {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  readonly conversationId = input.required<string>();
  readonly messageId = input.required<string>();
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  protected readonly state = signal<TraceState>({ kind: 'idle' });
  protected readonly loaded = () => {
    const state = this.state();
    return state.kind === 'loaded' ? state.trace : null;
  };

  async open(): Promise<void> {
    this.dialog().nativeElement.showModal();
    if (this.state().kind === 'loaded' || this.state().kind === 'loading') return;
    this.state.set({ kind: 'loading' });
    try {
      this.state.set({ kind: 'loaded', trace: await this.api.replyTrace(this.conversationId(), this.messageId()) });
    } catch (error) {
      this.state.set({ kind: toApiProblem(error).status === 404 ? 'not-found' : 'failed' });
    }
  }

  protected seconds(milliseconds: number): string {
    return `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1)} s`;
  }

  protected usd(value: number): string {
    return `US$ ${value < 0.01 ? value.toFixed(6) : value.toFixed(4)}`;
  }

  protected json(value: unknown): string {
    return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  }
}

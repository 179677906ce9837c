import { type CdkVirtualScrollViewport, VIRTUAL_SCROLL_STRATEGY, type VirtualScrollStrategy } from '@angular/cdk/scrolling';
import { Directive, forwardRef, input, signal } from '@angular/core';
import { Subject, distinctUntilChanged } from 'rxjs';
import { VariableHeightLayout } from '../data/variable-height-layout';

/** Within this many pixels of the end counts as "at the bottom" (a messenger keeps following new messages there). */
const bottomSlack = 32;

/**
 * CDK virtual scrolling for rows of different heights, with a messenger's anchoring: rows are measured as they
 * render (and when they resize, e.g. an image loads); while the reader is at the bottom, new rows keep the view at
 * the bottom; otherwise the first visible row stays exactly where it is on screen, whether older pages are prepended,
 * new messages are appended or estimated heights above are replaced by measured ones.
 */
export class ChatScrollStrategy implements VirtualScrollStrategy {
  private readonly scrolledIndex = new Subject<number>();
  readonly scrolledIndexChange = this.scrolledIndex.pipe(distinctUntilChanged());
  /** Whether the reader is at the newest message (the "jump to latest" button shows otherwise). */
  readonly atBottom = signal(true);
  /** The row keys in display order; the timeline points this at its entries. */
  keys: () => readonly string[] = () => [];
  /** Rows that should not anchor the view (day separators move when older messages of that day arrive). */
  isAnchorable: (key: string) => boolean = () => true;

  private viewport: CdkVirtualScrollViewport | null = null;
  private layoutKeys: readonly string[] = [];
  private readonly layout: VariableHeightLayout;
  private anchor: { key: string; delta: number } | null = null;
  private programmaticOffset: number | null = null;
  /** The reader scrolled to rows that may not be measured yet: take the anchor from what the screen shows. */
  private anchorFromScreen = false;
  private resizeObserver: ResizeObserver | null = null;

  constructor(
    estimate = 64,
    private readonly bufferPx = 900,
  ) {
    this.layout = new VariableHeightLayout(estimate);
  }

  attach(viewport: CdkVirtualScrollViewport): void {
    this.viewport = viewport;
    if (typeof ResizeObserver !== 'undefined') this.resizeObserver = new ResizeObserver((entries) => this.onResized(entries));
    this.sync();
  }

  detach(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.viewport = null;
  }

  onDataLengthChanged(): void {
    this.sync();
  }

  onContentScrolled(): void {
    if (!this.viewport) return;
    const offset = this.viewport.measureScrollOffset();
    // Our own restore scrolls must not decide whether the reader left the bottom.
    if (this.programmaticOffset === null || Math.abs(offset - this.programmaticOffset) > 1) {
      this.programmaticOffset = null;
      this.anchorFromScreen = true;
      this.atBottom.set(offset + this.viewport.getViewportSize() >= this.layout.total() - bottomSlack);
    }
    this.captureAnchor(offset);
    this.updateRange();
  }

  onContentRendered(): void {
    // Rows replaced without a length change (cdkVirtualFor rendered them already): lay them out first.
    if (this.keys() !== this.layoutKeys) this.sync();
    this.measureRendered();
  }

  onRenderedOffsetChanged(): void {}

  scrollToIndex(index: number, behavior: ScrollBehavior): void {
    this.viewport?.scrollToOffset(this.layout.offsetOf(index), behavior);
  }

  scrollToBottom(): void {
    this.atBottom.set(true);
    this.restore();
    this.updateRange();
  }

  /** New data: lay it out, keep the reader's place (or the bottom), render the rows around it. */
  private sync(): void {
    if (!this.viewport) return;
    this.layoutKeys = this.keys();
    this.layout.setKeys(this.layoutKeys);
    // New rows: keep the place the reader saw, not where the newly rendered (estimated) rows put it.
    this.anchorFromScreen = false;
    this.restore();
    this.updateRange();
  }

  private restore(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    const total = this.layout.total();
    viewport.setTotalContentSize(total);
    // The spacer's height is applied on the next change detection; set it now so the scroll below is not clamped.
    const spacer = viewport.getElementRef().nativeElement.querySelector<HTMLElement>('.cdk-virtual-scroll-spacer');
    if (spacer) spacer.style.height = `${total}px`;
    let target: number | null = null;
    if (this.atBottom()) target = Math.max(0, total - viewport.getViewportSize());
    else if (this.anchor) {
      const index = this.layout.indexOf(this.anchor.key);
      if (index !== -1) target = this.layout.offsetOf(index) + this.anchor.delta;
    }
    if (target === null || Math.abs(target - viewport.measureScrollOffset()) < 1) return;
    this.programmaticOffset = target;
    viewport.scrollToOffset(target);
  }

  private captureAnchor(offset: number): void {
    let index = this.layout.indexAt(offset);
    const last = Math.min(this.layout.length, index + 4);
    for (let candidate = index; candidate < last; candidate++) {
      if (this.isAnchorable(this.layout.keyAt(candidate) ?? '')) {
        index = candidate;
        break;
      }
    }
    const key = this.layout.keyAt(index);
    this.anchor = key === undefined ? null : { key, delta: offset - this.layout.offsetOf(index) };
  }

  private updateRange(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    const count = this.layout.length;
    const offset = viewport.measureScrollOffset();
    const start = this.layout.indexAt(Math.max(0, offset - this.bufferPx));
    const end = count === 0 ? 0 : Math.min(count, this.layout.indexAt(offset + viewport.getViewportSize() + this.bufferPx) + 1);
    viewport.setRenderedRange({ start, end });
    viewport.setRenderedContentOffset(this.layout.offsetOf(start));
    this.scrolledIndex.next(this.layout.indexAt(offset));
    if (!this.anchor) this.captureAnchor(offset);
  }

  /** Reads the real heights of the rendered rows (one element per row in the content wrapper). */
  private measureRendered(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    const { start } = viewport.getRenderedRange();
    const rows = Array.from(viewport._contentWrapper.nativeElement.children) as HTMLElement[];
    if (this.anchorFromScreen) {
      // Where the reader's first visible row really is (rows above it may have been drawn at estimated heights).
      this.anchorFromScreen = false;
      const top = viewport.getElementRef().nativeElement.getBoundingClientRect().top;
      for (const [position, row] of rows.entries()) {
        const key = this.layout.keyAt(start + position);
        const box = row.getBoundingClientRect();
        if (key === undefined || box.bottom <= top || !this.isAnchorable(key)) continue;
        this.anchor = { key, delta: top - box.top };
        break;
      }
    }
    let changed = false;
    this.resizeObserver?.disconnect();
    rows.forEach((row, position) => {
      const key = this.layout.keyAt(start + position);
      if (key === undefined) return;
      row.dataset['rowKey'] = key;
      changed = this.layout.setHeight(key, row.getBoundingClientRect().height) || changed;
      this.resizeObserver?.observe(row);
    });
    if (changed) this.relayout();
  }

  private onResized(entries: ResizeObserverEntry[]): void {
    let changed = false;
    for (const entry of entries) {
      const key = (entry.target as HTMLElement).dataset['rowKey'];
      const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
      if (key !== undefined && this.layout.indexOf(key) !== -1) changed = this.layout.setHeight(key, height) || changed;
    }
    if (changed) this.relayout();
  }

  private relayout(): void {
    this.restore();
    this.updateRange();
  }
}

/** `<cdk-virtual-scroll-viewport appChatScroll>`: plugs the strategy above into the CDK viewport. */
@Directive({
  selector: 'cdk-virtual-scroll-viewport[appChatScroll]',
  exportAs: 'chatScroll',
  providers: [
    {
      provide: VIRTUAL_SCROLL_STRATEGY,
      useFactory: (directive: ChatScrollDirective) => directive.strategy,
      deps: [forwardRef(() => ChatScrollDirective)],
    },
  ],
})
export class ChatScrollDirective {
  /** The row keys in display order, read lazily so the strategy lays out exactly what cdkVirtualFor renders. */
  readonly appChatScroll = input.required<() => readonly string[]>();
  readonly chatScrollAnchorable = input<(key: string) => boolean>(() => true);
  readonly strategy = new ChatScrollStrategy();

  constructor() {
    // Read only once the viewport attaches (after the inputs are set).
    this.strategy.keys = () => this.appChatScroll()();
    this.strategy.isAnchorable = (key) => this.chatScrollAnchorable()(key);
  }
}

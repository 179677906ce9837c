/**
 * Offsets of a list whose rows have different heights (chat bubbles): measured heights are remembered by row key,
 * rows not measured yet count as an estimate. Keyed by row, not index, so prepending older messages keeps every
 * measurement. Pure, so the arithmetic the chat's scroll anchoring relies on is unit-tested.
 */
export class VariableHeightLayout {
  private keys: readonly string[] = [];
  private readonly heights = new Map<string, number>();
  private readonly indexByKey = new Map<string, number>();
  /** offsets[i] is where row i starts; offsets[length] is the total height. */
  private offsets = new Float64Array(1);
  private dirty = false;

  constructor(private readonly estimate: number) {}

  get length(): number {
    return this.keys.length;
  }

  setKeys(keys: readonly string[]): void {
    this.keys = keys;
    this.indexByKey.clear();
    keys.forEach((key, index) => this.indexByKey.set(key, index));
    this.dirty = true;
  }

  keyAt(index: number): string | undefined {
    return this.keys[index];
  }

  indexOf(key: string): number {
    return this.indexByKey.get(key) ?? -1;
  }

  /** Remembers a measured height; true when it differs from what the layout assumed. */
  setHeight(key: string, height: number): boolean {
    if (!(height > 0)) return false;
    const previous = this.heights.get(key) ?? this.estimate;
    this.heights.set(key, height);
    if (Math.abs(previous - height) < 0.5) return false;
    this.dirty = true;
    return true;
  }

  offsetOf(index: number): number {
    this.recompute();
    return this.offsets[Math.max(0, Math.min(index, this.keys.length))] ?? 0;
  }

  total(): number {
    return this.offsetOf(this.keys.length);
  }

  /** The row that covers this offset (the last row when past the end, 0 for an empty list). */
  indexAt(offset: number): number {
    this.recompute();
    const count = this.keys.length;
    if (count === 0) return 0;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.offsets[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private recompute(): void {
    if (!this.dirty) return;
    const offsets = new Float64Array(this.keys.length + 1);
    for (let index = 0; index < this.keys.length; index++) {
      offsets[index + 1] = (offsets[index] ?? 0) + (this.heights.get(this.keys[index]!) ?? this.estimate);
    }
    this.offsets = offsets;
    this.dirty = false;
  }
}

import { describe, expect, it } from 'vitest';
import { VariableHeightLayout } from './variable-height-layout';

describe('VariableHeightLayout', () => {
  it('places rows by their measured heights and estimates the rest', () => {
    const layout = new VariableHeightLayout(50);
    layout.setKeys(['a', 'b', 'c']);
    expect(layout.total()).toBe(150);
    expect(layout.setHeight('b', 120)).toBe(true);
    expect(layout.setHeight('b', 120)).toBe(false);
    expect([layout.offsetOf(0), layout.offsetOf(1), layout.offsetOf(2), layout.total()]).toEqual([0, 50, 170, 220]);
  });

  it('finds the row under an offset, clamped to the list', () => {
    const layout = new VariableHeightLayout(10);
    layout.setKeys(['a', 'b', 'c', 'd']);
    layout.setHeight('b', 30);
    expect([
      layout.indexAt(-5),
      layout.indexAt(0),
      layout.indexAt(9.9),
      layout.indexAt(10),
      layout.indexAt(39),
      layout.indexAt(40),
      layout.indexAt(10_000),
    ]).toEqual([0, 0, 0, 1, 1, 2, 3]);
    expect(new VariableHeightLayout(10).indexAt(100)).toBe(0);
  });

  it('keeps measurements by key when older rows are prepended, so an anchored row moves by exactly what was added', () => {
    const layout = new VariableHeightLayout(40);
    layout.setKeys(['m3', 'm4']);
    layout.setHeight('m3', 100);
    const before = layout.offsetOf(layout.indexOf('m4'));
    layout.setKeys(['m1', 'm2', 'm3', 'm4']);
    expect(layout.offsetOf(layout.indexOf('m4')) - before).toBe(80);
    expect(layout.indexOf('gone')).toBe(-1);
  });

  it('ignores zero heights (elements that are not laid out)', () => {
    const layout = new VariableHeightLayout(40);
    layout.setKeys(['a']);
    expect(layout.setHeight('a', 0)).toBe(false);
    expect(layout.total()).toBe(40);
  });
});

import { FormControl, FormGroup } from '@angular/forms';
import { describe, expect, it } from 'vitest';
import { knownTimeZone, maxWaitCoversBuffer } from './agent-form-rules';

describe('agent form rules', () => {
  it('wants the maximum wait to cover the buffer', () => {
    const group = (buffer: number, maximum: number) =>
      new FormGroup({ bufferSeconds: new FormControl(buffer), maxBufferSeconds: new FormControl(maximum) });
    expect(maxWaitCoversBuffer(group(10, 5))).toEqual({ maxBelowBuffer: true });
    expect(maxWaitCoversBuffer(group(10, 10))).toBeNull();
  });

  it('accepts IANA time zones only', () => {
    expect(knownTimeZone(new FormControl('Europe/Madrid'))).toBeNull();
    expect(knownTimeZone(new FormControl('Mars/Olympus'))).toEqual({ timeZone: true });
  });
});

import { createLogger } from '@app/runtime/service';
import { Boom } from '@hapi/boom';
import { describe, expect, it, vi } from 'vitest';
import { BaileysRejectionGuard, fromBaileys } from './rejection-guard.ts';

const logger = createLogger({ service: 'rejection-guard-test', level: 'silent' });

/** An error as thrown from inside Baileys' own code (its stack names the package). */
function baileysError(): Error {
  const error = new Error('Connection Closed');
  error.stack = `Error: Connection Closed\n    at sendRawMessage (/app/node_modules/@whiskeysockets/baileys/lib/Socket/socket.js:60:19)`;
  return error;
}

describe('BaileysRejectionGuard', () => {
  it('contains a rejection Baileys left unhandled: logged, counted, the process keeps running', () => {
    const guard = new BaileysRejectionGuard(logger);
    const nextTick = vi.spyOn(process, 'nextTick');
    expect(guard.handle(baileysError())).toBe('contained');
    expect(guard.contained).toBe(1);
    expect(nextTick).not.toHaveBeenCalled();
    nextTick.mockRestore();
  });

  it('keeps Node’s default for anything else: the rejection is thrown again (the process ends)', () => {
    const guard = new BaileysRejectionGuard(logger);
    const rethrown: unknown[] = [];
    const nextTick = vi.spyOn(process, 'nextTick').mockImplementation((callback) => {
      try {
        (callback as () => void)();
      } catch (error) {
        rethrown.push(error);
      }
    });
    const ours = new Error('a bug of ours');
    expect(guard.handle(ours)).toBe('rethrown');
    expect(rethrown).toEqual([ours]);
    expect(guard.contained).toBe(0);
    nextTick.mockRestore();
  });

  it('tells Baileys’ errors by their stack', () => {
    expect(fromBaileys(baileysError())).toBe(true);
    // A Boom made by our own code is ours.
    expect(fromBaileys(new Boom('x'))).toBe(false);
    expect(fromBaileys(new Error('plain'))).toBe(false);
    expect(fromBaileys('not an error')).toBe(false);
  });
});

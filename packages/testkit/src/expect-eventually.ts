/**
 * Polls `check` until it stops throwing (or returns something other than false), for at most `timeoutMs`.
 * The last failure is rethrown, so the test report shows the real assertion. Tests only.
 */
export async function expectEventually(check: () => unknown, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return;
      if (Date.now() > deadline) throw new Error('expectEventually: condition stayed false');
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

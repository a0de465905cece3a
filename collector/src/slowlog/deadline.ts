/** A wait bounded by a deadline, for `stop()`: the work goes on, the caller moves on. */

/**
 * Whether `work` settles before `deadlineMs` (epoch ms); it goes on either way. A rejection
 * counts as settled: the caller already handles it.
 */
export function settlesBy(work: Promise<unknown>, deadlineMs: number): Promise<boolean> {
  const left = deadlineMs - Date.now();
  if (left <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), left);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/**
 * Calls `start` and returns its promise, turning a synchronous throw into a
 * rejection. For hot paths that hand work to something slow (the audit log):
 * unlike an async function, nothing of the caller stays referenced while the
 * promise is pending, so large arguments (a chunk's contacts) can be collected
 * young instead of being promoted by the GC.
 */
export function promiseFrom<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

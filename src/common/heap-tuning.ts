import { setFlagsFromString } from 'node:v8';

/**
 * V8 grows the old generation up to about four times what survived the last full
 * collection before it collects again. Requests and stream chunks in flight outlive
 * young-generation collections, so the service promotes a steady flow of short-lived
 * data and its heap climbed to ~240 MB for ~45 MB live (peak RSS 340 MB for a
 * 1M-line stream, with the audit worker's own heap). A factor of 2 keeps the peak RSS
 * of that stream near 260 MB at no measurable cost in throughput (docs/performance.md).
 * Set at start-up, before the heap has grown; V8 reads it at every full collection.
 */
const HEAP_GROWING_PERCENT = 100;

export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

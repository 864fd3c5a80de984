/**
 * How far the JavaScript heap of a long-running process may grow past what is alive before V8
 * collects it whole. By default V8 picks that factor itself, up to 4× the live set when its
 * collections are cheap compared with the work between them (a quiet machine); at national scale,
 * with about 0.9 GB alive at the end of a cold build, the service then peaked at 3.3 GB of RSS
 * while a fixed factor keeps it near the live set whatever the machine's load (issue 17: ≤ 2 GB).
 * It is a factor, not a cap: a larger data set needs more memory, it never runs out of heap for it
 * (the cap tried before, 1.5 GB, did). The price is more full collections while the heap grows
 * (build, snapshot saving): a few seconds of a cold start.
 *
 * A factor alone starves a small data set: with 90 MB alive (the demo data), 1.5× leaves 45 MB
 * for what requests keep past two young collections (about 11 KB an explained match under load),
 * so a full collection came every 5 s, and each one's marking held the service's main thread for
 * 100-300 ms, which set the p99 of every request waiting behind it. So the heap also keeps at
 * least `minHeadroomBytes` above what is alive (at most 4×, V8's own largest factor): the demo
 * data's collections come every 30 s or so, while from about 512 MB alive (national scale) the
 * factor alone decides, as before.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The heap is collected when it reaches 1 + HEAP_GROWTH_PERCENT / 100 times what the last full collection left alive. */
export const HEAP_GROWTH_PERCENT = 50;
/** …or, when that leaves less room, when it has grown by this much (bytes). */
export const MIN_HEAP_HEADROOM = 256 * 2 ** 20;
/** V8's largest growth factor of its own choosing (4×). */
const MAX_GROWTH_PERCENT = 300;

/** The growth percent that gives `liveBytes` its room: the factor's, or more for a small live set, never past 4×. */
export function growthPercentFor(liveBytes: number, percent = HEAP_GROWTH_PERCENT, minHeadroomBytes = MIN_HEAP_HEADROOM): number {
  const forRoom = Math.ceil((minHeadroomBytes / Math.max(liveBytes, 1)) * 100);
  return Math.max(percent, Math.min(MAX_GROWTH_PERCENT, forRoom));
}

export interface HeapGrowthOptions {
  percent?: number;
  minHeadroomBytes?: number;
  /** Bytes alive, read just after a full collection (default: the old generation's, as V8 counts its limit). */
  liveBytes?: () => number;
  /** Sets a V8 flag (default `v8.setFlagsFromString`): a test gives its own. */
  setFlags?: (flags: string) => void;
}

/** What the old generation holds: every space but the young generation's, which the full collection's limit does not count. */
function oldGenerationBytes(): number {
  return getHeapSpaceStatistics().reduce((n, s) => (s.space_name.startsWith('new') ? n : n + s.space_used_size), 0);
}

/**
 * Sets the growth of this process's heap (V8 reads the flag at each full collection) and, after
 * each full collection, sets it again for the live set that collection left. Returns what stops
 * the watching.
 */
export function boundHeapGrowth(options: HeapGrowthOptions = {}): () => void {
  const percent = options.percent ?? HEAP_GROWTH_PERCENT;
  const minHeadroom = options.minHeadroomBytes ?? MIN_HEAP_HEADROOM;
  const liveBytes = options.liveBytes ?? oldGenerationBytes;
  const setFlags = options.setFlags ?? setFlagsFromString;
  let current = percent;
  setFlags(`--heap-growing-percent=${current}`);
  const observer = new PerformanceObserver((list) => {
    const major = list.getEntries().some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (!major) return;
    const next = growthPercentFor(liveBytes(), percent, minHeadroom);
    if (next === current) return;
    current = next;
    setFlags(`--heap-growing-percent=${current}`);
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

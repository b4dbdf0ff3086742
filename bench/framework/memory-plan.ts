// What one memory measurement does, shared by the process that runs it and the bench that reports it.
export const WARM_UP = 20_000;
export const WINDOW = 100_000;
export const SAMPLE_EVERY = 10_000;
export const CACHE_ENTRIES = 1_000;

export interface MemorySample {
  readonly predictions: number;
  readonly heapUsed: number;
  readonly rss: number;
}

export interface MemoryRun {
  readonly samples: MemorySample[];
  readonly peakRss: number;
  readonly cacheEntries: number;
}

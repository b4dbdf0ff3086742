// A progress bar on stderr for people (cli-progress); nothing with --json or when stderr is not a
// terminal, so scripts and logs get only the result.
import { SingleBar } from "cli-progress";

export interface Progress {
  update(value: number, payload: Record<string, string>): void;
  stop(): void;
}

export function createProgress(format: string, total: number, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false, barsize: 24 });
  let started = false;
  return {
    update(value, payload) {
      if (!started) {
        bar.start(total, 0, payload);
        started = true;
      }
      bar.update(Math.min(value, total), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

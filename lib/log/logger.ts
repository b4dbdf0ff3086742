import pino, { type Logger } from "pino";
import type { LogLevel } from "../config";

export type { Logger };

/** JSON logs, or readable lines when a person watches the terminal. */
export function createLogger(level: LogLevel, pretty = process.stdout.isTTY === true): Logger {
  if (pretty) {
    return pino({
      level,
      transport: { target: "pino-pretty", options: { colorize: true, translateTime: "HH:MM:ss", ignore: "pid,hostname" } },
    });
  }
  return pino({ level, base: { service: "dspex" } });
}

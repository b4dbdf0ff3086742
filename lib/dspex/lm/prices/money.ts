// Exact money: decimal strings in, bigint picodollars (1e-12 USD) inside, numbers only at the edge.

import { DspexError } from "../../errors";

export const PICO_PER_USD = 1_000_000_000_000n;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a non-negative decimal string into an integer scaled by 10^scale ("0.075", 12 -> 75_000_000_000n).
 * Throws when the text is not a plain decimal or has more than `scale` decimal places.
 */
export function parseDecimal(text: string, scale: number, what = "value"): bigint {
  const match = DECIMAL.exec(text.trim());
  if (match === null) {
    throw new DspexError("OPTION_INVALID", `${what} is "${text}"; write a non-negative decimal string such as "0.15"`);
  }
  const whole = match[1] as string;
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > scale) {
    throw new DspexError("OPTION_INVALID", `${what} is "${text}", finer than 1e-${scale}; round it to ${scale} decimal places`);
  }
  return BigInt(whole + fraction.padEnd(scale, "0"));
}

/** A number as the shortest exact-looking decimal string with at most 12 places (no exponent). */
export function decimalFromNumber(value: number): string {
  if (!Number.isFinite(value) || value < 0) {
    throw new DspexError("OPTION_INVALID", `price is ${value}; prices must be finite and non-negative`);
  }
  const text = value.toFixed(12).replace(/\.?0+$/, "");
  return text === "" ? "0" : text;
}

/** `n / d` rounded half up (both non-negative). */
export function divRound(n: bigint, d: bigint): bigint {
  return (n * 2n + d) / (d * 2n);
}

/** Picodollars as a JS number of dollars (exact to the nearest double). */
export function picoToUsd(pico: bigint): number {
  const whole = pico / PICO_PER_USD;
  const rest = pico % PICO_PER_USD;
  return Number(whole) + Number(rest) / 1e12;
}

/** Picodollars as an exact decimal string of dollars, e.g. 1_500_000n -> "0.0000015". */
export function formatUsd(pico: bigint): string {
  const negative = pico < 0n;
  const abs = negative ? -pico : pico;
  const whole = abs / PICO_PER_USD;
  const fraction = (abs % PICO_PER_USD).toString().padStart(12, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/** Dollars given as a decimal string -> picodollars. */
export function usdToPico(usd: string): bigint {
  return parseDecimal(usd, 12, "amount");
}

// Budgets in money: which limits apply to a call, the window each period counts in (UTC), and
// money as integer nanodollars (the ledger columns' scale: Decimal(18, 9)).

import { decimalFromNumber, parseDecimal } from "../../dspex";
import type { BudgetPeriod, BudgetScope } from "./errors";

export type { BudgetPeriod, BudgetScope } from "./errors";

/** The scopes of one call: the global budget always applies; the others when their id is given. */
export interface BudgetScopes {
  readonly programId?: string;
  readonly optimizationId?: string;
  readonly apiKeyId?: string;
}

/** One limit, as in the Budget table. */
export interface BudgetLimit {
  readonly scope: BudgetScope;
  /** The program, optimization or API key id; "" (or absent) for the global scope. */
  readonly scopeId?: string;
  readonly period: BudgetPeriod;
  /** USD as a number or a decimal string (e.g. a Prisma Decimal's toString()), at most 9 decimals. */
  readonly limitUsd: number | string;
}

/** One counter of the ledger: a scope's spend in one period's window. */
export interface SpendKey {
  readonly scope: BudgetScope;
  readonly scopeId: string;
  readonly period: BudgetPeriod;
  /** Start of the window (UTC midnight, first of the month, or the epoch for "total"). */
  readonly windowStart: Date;
}

export const NANO_PER_USD = 1_000_000_000n;

/** Start of the window containing `at` (epoch ms), in UTC. */
export function windowStart(period: BudgetPeriod, at: number): Date {
  const d = new Date(at);
  if (period === "day") return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  if (period === "month") return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  return new Date(0);
}

export function spendKeyText(key: SpendKey): string {
  return `${key.scope}|${key.scopeId}|${key.period}|${key.windowStart.toISOString()}`;
}

/** The scope id a call has for a scope, or undefined when the scope does not apply to it. */
export function scopeIdFor(scope: BudgetScope, scopes: BudgetScopes): string | undefined {
  switch (scope) {
    case "global":
      return "";
    case "program":
      return scopes.programId;
    case "optimization":
      return scopes.optimizationId;
    case "apiKey":
      return scopes.apiKeyId;
  }
}

/** USD (number or decimal string) -> nanodollars; throws DspexError OPTION_INVALID when finer than 1e-9. */
export function usdToNano(usd: number | string, what: string): bigint {
  const text = typeof usd === "number" ? decimalFromNumber(usd) : usd;
  return parseDecimal(text, 9, what);
}

export function nanoToUsd(nano: bigint): number {
  return Number(nano) / 1e9;
}

/** Nanodollars as an exact decimal string with 9 places ("0.000001500"). */
export function nanoToDecimal(nano: bigint): string {
  const sign = nano < 0n ? "-" : "";
  const abs = nano < 0n ? -nano : nano;
  return `${sign}${abs / NANO_PER_USD}.${(abs % NANO_PER_USD).toString().padStart(9, "0")}`;
}

/** Picodollars (the price table's unit) -> nanodollars, rounded up so spend is never understated. */
export function picoToNanoCeil(pico: bigint): bigint {
  return pico <= 0n ? 0n : (pico + 999n) / 1000n;
}

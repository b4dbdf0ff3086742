import { describe, expect, test } from "vitest";
import { decimalFromNumber, divRound, formatUsd, parseDecimal, picoToUsd, usdToPico } from ".";

describe("money", () => {
  test("parses decimal strings exactly at a scale", () => {
    expect(parseDecimal("0.075", 12)).toBe(75_000_000_000n);
    expect(parseDecimal("15", 12)).toBe(15_000_000_000_000n);
    expect(parseDecimal("0.000000000001", 12)).toBe(1n);
    expect(parseDecimal("2.50000000000000", 12)).toBe(2_500_000_000_000n);
  });

  test("refuses what is not a plain non-negative decimal, naming the value", () => {
    expect(() => parseDecimal("1e-6", 12, "prices.input")).toThrow(/prices\.input is "1e-6"/);
    expect(() => parseDecimal("-1", 12)).toThrow(/non-negative decimal/);
    expect(() => parseDecimal("0.0000000000001", 12)).toThrow(/finer than 1e-12/);
  });

  test("turns numbers into decimal strings without exponents or float noise", () => {
    expect(decimalFromNumber(0.075)).toBe("0.075");
    expect(decimalFromNumber(1e-7)).toBe("0.0000001");
    expect(decimalFromNumber(3)).toBe("3");
    expect(decimalFromNumber(0.1 + 0.2)).toBe("0.3");
  });

  test("rounds half up and formats picodollars exactly", () => {
    expect(divRound(5n, 10n)).toBe(1n);
    expect(divRound(4n, 10n)).toBe(0n);
    expect(divRound(15n, 10n)).toBe(2n);
    expect(formatUsd(37_800_000_000n)).toBe("0.0378");
    expect(formatUsd(1_000_000_000_000n)).toBe("1");
    expect(formatUsd(1n)).toBe("0.000000000001");
    expect(picoToUsd(37_800_000_000n)).toBe(0.0378);
    expect(usdToPico("12.5")).toBe(12_500_000_000_000n);
  });
});

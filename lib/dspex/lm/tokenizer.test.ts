import { describe, expect, it } from "vitest";
import { countTokens, EXACT_MAX_CHARS, loadEncoder, truncateToTokens } from "./tokenizer";

describe("token counting in bounded time", () => {
  it("is exact for prose and code-like text (every word shorter than a slice)", async () => {
    const enc = await loadEncoder();
    const texts = ["", "Hello, world!", "The quick brown fox jumps over the lazy dog. ".repeat(200), "def f(x):\n    return x * 2\n\n# comment\n".repeat(50), "naïve café — 東京 😀 <|endoftext|>"];
    for (const text of texts) expect(await countTokens(text)).toBe(enc.encode(text, [], []).length);
  });

  it("counts long runs of one character (quadratic in js-tiktoken) in slices, with the same result on these", async () => {
    expect(await countTokens("x".repeat(100_000))).toBe(12_500);
    expect(await countTokens("😀".repeat(25_000))).toBe(25_000);
    expect(await countTokens("x".repeat(1_000_000))).toBe(125_000);
  });

  it("yields to the event loop while it counts a long text", async () => {
    let ticks = 0;
    const tick = () => {
      ticks++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    await countTokens("😀".repeat(EXACT_MAX_CHARS / 2));
    done = true;
    expect(ticks).toBeGreaterThan(2);
  });

  it("scales texts longer than the exact limit from their prefix", async () => {
    const enc = await loadEncoder();
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(2_000);
    expect(text.length).toBeGreaterThan(EXACT_MAX_CHARS);
    const exact = enc.encode(text, [], []).length;
    const counted = await countTokens(text);
    expect(Math.abs(counted - exact) / exact).toBeLessThan(0.01);
  });

  it("truncates to a token budget without splitting surrogate pairs", async () => {
    const enc = await loadEncoder();
    expect(await truncateToTokens(enc, "one two three four", 2)).toBe("one two");
    expect(await truncateToTokens(enc, "short", 10)).toBe("short");
    const cut = await truncateToTokens(enc, "😀".repeat(10_000), 5);
    expect(cut).toBe("😀".repeat(5));
  });
});

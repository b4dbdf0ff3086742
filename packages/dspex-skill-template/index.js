// A DSPEx skill package: plain ES modules exporting `skills` (named groups of actions) and/or
// `actions`. An action is { name, description, input, output?, timeoutMs?, run(input, ctx) } with
// zod schemas; ctx.signal aborts when the call is cancelled or times out, and ctx.reportCost(usd)
// reports money the call spent. The package runs in a process of its own with only the
// permissions its package.json declares ("dspex.permissions").
import { z } from "zod";

const text = z.object({ text: z.string().max(100_000).describe("The text to work on") });

export const wordCount = {
  name: "word-count",
  description: "Counts the words of a text.",
  input: text,
  output: z.object({ words: z.number().int().nonnegative() }),
  run: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
};

export const slugify = {
  name: "slugify",
  description: "Turns a title into a URL slug: lowercase words joined by hyphens.",
  input: z.object({ title: z.string().min(1).max(500) }),
  output: z.string(),
  run: ({ title }) =>
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, ""),
};

export const defineWord = {
  name: "define-word",
  description: "Looks a word up in a public dictionary (network: api.dictionaryapi.dev only).",
  input: z.object({ word: z.string().regex(/^[A-Za-z-]{1,40}$/) }),
  output: z.object({ word: z.string(), definition: z.string().nullable() }),
  timeoutMs: 4000,
  run: async ({ word }, { signal }) => {
    const res = await globalThis.fetch(`https://api.dictionaryapi.dev/api/v2/entries/en/${encodeURIComponent(word)}`, { signal });
    if (res.status === 404) return { word, definition: null };
    if (!res.ok) throw new Error(`the dictionary answered ${res.status}`);
    const body = await res.json();
    return { word, definition: body?.[0]?.meanings?.[0]?.definitions?.[0]?.definition ?? null };
  },
};

export const skills = [{ name: "words", description: "Small text utilities.", actions: [wordCount, slugify, defineWord] }];

// An example agent system: an editor agent takes a title and a text, asks the clerks (by
// capability, agent to agent) to turn the title into a URL slug and to count the words, and
// answers with both. It needs no model, so it runs as it is. The server starts it at boot; call it
// with POST /api/v1/agent-systems/text-desk/call {"input": {"title": "...", "text": "..."}}, or from
// the Agents page. Its two actions are listed on the Marketplace page, where an administrator can
// turn either off (a call then answers with an error naming the action).
import type { ToolOutcome } from "dspex";
import { defineAction, defineAgentSystem, defineSkill } from "dspex/runtime";
import { z } from "zod";

export const titleSlug = defineAction({
  name: "title-slug",
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
});

export const countWords = defineAction({
  name: "count-words",
  description: "Counts the words of a text.",
  input: z.object({ text: z.string().max(100_000) }),
  output: z.object({ words: z.number().int().nonnegative() }),
  run: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
});

/** The actions of this file, registered with the marketplace (your own actions are on by default). */
export const actions = [titleSlug, countWords];

const HeadlineSchema = z.object({ title: z.string().min(1).max(500), text: z.string().max(100_000).default("") });

const editor = defineSkill({
  name: "editor",
  description: "Prepares an article's headline: its slug and its length.",
  handlers: {
    // Errors are answered as data ({ ok: false, error }): a handler that throws is restarted.
    headline: async (payload, ctx): Promise<ToolOutcome> => {
      const input = HeadlineSchema.safeParse(payload);
      if (!input.success) return { ok: false, error: `input: ${z.prettifyError(input.error)}` };
      const [slug, words] = await Promise.all([
        ctx.ask<ToolOutcome>({ capability: "title-slug" }, { type: "title-slug", payload: { title: input.data.title } }),
        ctx.ask<ToolOutcome>({ capability: "count-words" }, { type: "count-words", payload: { text: input.data.text } }),
      ]);
      if (!slug.ok) return slug;
      if (!words.ok) return words;
      return { ok: true, value: { slug: slug.value, words: (words.value as { words: number }).words } };
    },
  },
});

/** This file's skills, listed on the Marketplace page. */
export const skills = [editor];

export default defineAgentSystem({
  name: "text-desk",
  description: "An editor and two clerks: the editor asks the clerks for a title's slug and a text's word count.",
  agents: {
    editor: { skills: [editor] },
    clerk: { count: 2, actions: ["title-slug", "count-words"] },
  },
  entry: "headline",
});

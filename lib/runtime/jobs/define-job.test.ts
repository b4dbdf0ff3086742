import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidInputError } from "../store";
import { createJobRegistry, defineJob, JobConfigError, parsePayload } from "./index";
import { statusPath } from "./optimization-status";

const echo = defineJob({ kind: "echo", payload: z.object({ text: z.string(), times: z.number().int().min(1).default(1) }), run: ({ text, times }) => text.repeat(times) });

describe("defineJob", () => {
  it("checks the definition when declared, naming each field at fault", () => {
    const bad = () => defineJob({ kind: "has space", payload: {} as never, run: 3 as never, maxAttempts: 0 });
    expect(bad).toThrow(JobConfigError);
    try {
      bad();
    } catch (err) {
      const e = err as JobConfigError;
      expect(e.code).toBe("DEFINITION_INVALID");
      expect(e.issues.map((i) => i.field)).toEqual(["kind", "payload", "run", "maxAttempts"]);
      expect(e.message).toMatch(/^defineJob "has space": kind must use only letters/);
    }
    expect(() => defineJob({ kind: "x", payload: z.object({}), run: () => 1, retries: 2 } as never)).toThrow(/Unrecognized key/);
  });

  it("parses payloads with the kind's schema: defaults applied, issues named payload.<field>", () => {
    expect(parsePayload(echo, { text: "a" })).toEqual({ text: "a", times: 1 });
    try {
      parsePayload(echo, { text: 1, times: 0 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).issues.map((i) => i.field)).toEqual(["payload.text", "payload.times"]);
      expect((err as InvalidInputError).message).toMatch(/^job "echo" payload: payload\.text: /);
    }
  });

  it("refuses duplicate kinds and names the known ones for an unknown kind", () => {
    expect(() => createJobRegistry([echo, echo])).toThrow(/jobs\[1\]\.kind "echo" is defined twice/);
    const registry = createJobRegistry([echo]);
    expect(registry.kinds).toEqual(["echo"]);
    expect(() => registry.require("ehco")).toThrow(/unknown job kind "ehco"; this queue runs: "echo"/);
  });
});

describe("optimization status paths", () => {
  it("walks the allowed transitions from wherever a run was left", () => {
    expect(statusPath("queued", "running")).toEqual(["running"]);
    expect(statusPath("running", "running")).toEqual([]);
    expect(statusPath("stopped", "running")).toEqual(["queued", "running"]);
    expect(statusPath("stopping", "running")).toEqual(["stopped", "queued", "running"]);
    expect(statusPath("failed", "running")).toEqual(["queued", "running"]);
    expect(statusPath("completed", "running")).toBeUndefined();
  });
});

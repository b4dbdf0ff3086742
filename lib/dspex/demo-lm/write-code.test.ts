// The demo model's code-writing behaviour (write-code.ts): bundled functions get their flawed
// solution without feedback and the correct one with feedback; other functions get a stub.
import { describe, expect, it } from "vitest";
import { Predict } from "../modules";
import { createDemoLM } from "./index";
import { DEMO_CODE_FLAWS, functionNameIn, writeCode } from "./write-code";

describe("demo model: code-writing prompts", () => {
  it("finds the function a task names", () => {
    expect(functionNameIn("Write `fizzbuzz(n)`: return ...")).toBe("fizzbuzz");
    expect(functionNameIn("Write a function named clamp that ...")).toBe("clamp");
    expect(functionNameIn("Do something")).toBeUndefined();
  });

  it("answers the flawed solution first and the correct one once feedback is present", () => {
    expect(Object.keys(DEMO_CODE_FLAWS)).toHaveLength(8);
    const flawed = writeCode({ task: "Write `fizzbuzz(n)`", previous_code: "(none)", feedback: "(none)" });
    const fixed = writeCode({ task: "Write `fizzbuzz(n)`", previous_code: flawed, feedback: "Issue: 15 gives Fizz" });
    expect(flawed).toContain("function fizzbuzz(n)");
    expect(fixed).not.toBe(flawed);
    expect(fixed.indexOf("i % 15")).toBeLessThan(fixed.indexOf("i % 3"));
    expect(writeCode({ task: "Write `mystery(x)`" })).toContain('throw new Error("not implemented');
  });

  it("is reached through the demo LM for a signature with a code output", async () => {
    const coder = new Predict("task: string, previous_code: string, feedback: string -> code: string");
    const out = await coder.run({ task: "Write `clamp(x, min, max)`", previous_code: "(none)", feedback: "(none)" }, { lm: createDemoLM() });
    expect(out.code).toBe(writeCode({ task: "Write `clamp(x, min, max)`", feedback: "(none)" }));
  });
});

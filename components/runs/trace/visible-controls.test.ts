import { describe, expect, it } from "vitest";
import { showControls } from "./visible-controls";

describe("showControls", () => {
  it("shows direction controls as their code points and leaves other text alone", () => {
    expect(showControls("file \u202egnp.exe\u202c ok")).toBe("file [U+202E]gnp.exe[U+202C] ok");
    expect(showControls("\u2066a\u2069 \u200e\u200f\u061c")).toBe("[U+2066]a[U+2069] [U+200E][U+200F][U+061C]");
    expect(showControls("مرحبا 😀 plain")).toBe("مرحبا 😀 plain");
  });
});

import { describe, expect, it } from "vitest";
import { isStoreError, NotFoundError, StoreError } from "./index";

describe("isStoreError", () => {
  it("recognises store errors, including those thrown by another copy of the store module", () => {
    expect(isStoreError(new NotFoundError("run", "r1"))).toBe(true);
    // What a StoreError from the runtime looks like to a page bundled by Next: another class, same brand.
    class OtherCopy extends Error {
      get [Symbol.for("dspex.store-error")]() {
        return true;
      }
    }
    expect(new OtherCopy("x") instanceof StoreError).toBe(false);
    expect(isStoreError(new OtherCopy("x"))).toBe(true);
    expect(isStoreError(new Error("plain"))).toBe(false);
    expect(isStoreError({ code: "NOT_FOUND" })).toBe(false);
  });
});

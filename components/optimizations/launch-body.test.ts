import { describe, expect, it } from "vitest";
import { checkLaunch, fieldOf, type LaunchValues } from "./launch-body";

const valid: LaunchValues = { programName: "qa", datasetVersionId: "dv1", optimizer: "tpe", search: ["temperature"], seed: "3", budgetUsd: "0.5", budgetLmCalls: "100", budgetSeconds: "" };

describe("launch form body", () => {
  it("builds the API body from valid values", () => {
    expect(checkLaunch(valid)).toEqual({
      ok: true,
      body: { programName: "qa", datasetVersionId: "dv1", optimizer: "tpe", seed: 3, options: { search: ["temperature"] }, budget: { usd: 0.5, lmCalls: 100 } },
    });
  });

  it("puts each problem on its field, with the server's wording", () => {
    const r = checkLaunch({ ...valid, budgetUsd: "-1", budgetLmCalls: "abc", seed: "1.5", datasetVersionId: "", search: [] });
    expect(r).toEqual({
      ok: false,
      errors: { budgetUsd: "must be above 0", budgetLmCalls: "must be a number", seed: "must be a whole number", datasetVersionId: expect.stringContaining("is required"), search: "choose at least one variable to search" },
    });
  });

  it("maps the API's field paths to the form's fields", () => {
    expect(fieldOf("budget.usd")).toBe("budgetUsd");
    expect(fieldOf("options.search")).toBe("search");
    expect(fieldOf("options.valFraction")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { pathParamNames, route, routes } from "../../api/routes";
import { BACKENDS } from "../../db/testing";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { createRouter, implement } from "./router";
import { callApi, createTestServing, errorOf, startTestServer } from "./testing";

describe("the route table", () => {
  it("validates every path parameter: each {name} of a path is a key of its params schema", () => {
    for (const spec of Object.values(routes)) {
      const keys = Object.keys((spec as { params?: z.ZodObject }).params?.shape ?? {}).sort();
      expect({ route: spec.operationId, keys }).toEqual({ route: spec.operationId, keys: pathParamNames(spec.path).sort() });
    }
  });

  it("refuses a route whose path parameter has no schema", () => {
    const unchecked = route({ method: "GET", path: "/api/v1/things/{id}", operationId: "getThing", summary: "a thing", tag: "t", auth: true, success: { status: 200, name: "Thing", schema: z.object({}), description: "" }, errors: [] });
    expect(() => createRouter([implement(unchecked, async () => ({ status: 200, body: {} }))])).toThrow(/getThing .*path parameters without a schema: id/);
    const stray = route({ ...unchecked, params: z.object({ id: z.string(), other: z.string() }) });
    expect(() => createRouter([implement(stray, async () => ({ status: 200, body: {} }))])).toThrow(/params schema keys not in the path: other/);
  });
});

describe.each(BACKENDS)("path parameters on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);

  it("answers a bad path parameter with 400 naming it, after authentication", async () => {
    const s = await createTestServing({ prisma: t.prisma });
    const server = await startTestServer(s.api);
    try {
      const { key } = await createApiKey(t.prisma, { name: "params", scopes: ["read", "manage"] });
      const badName = errorOf(await callApi(server.url, "GET", "/api/v1/programs/Not%20A%20Name", { key }), 400, "INVALID_REQUEST");
      expect(badName.fields).toEqual([{ field: "name", message: expect.stringMatching(/must start with a lowercase letter/) }]);
      expect(badName.message).toMatch(/^the request path does not fit: name /);

      const longId = "x".repeat(129);
      const badId = errorOf(await callApi(server.url, "GET", `/api/v1/runs/${longId}`, { key }), 400, "INVALID_REQUEST");
      expect(badId.fields).toEqual([{ field: "id", message: "must be at most 128 characters" }]);

      const badBoth = errorOf(await callApi(server.url, "POST", `/api/v1/programs/-x/versions/%20/promote`, { key }), 400, "INVALID_REQUEST");
      expect(badBoth.fields?.map((f) => f.field)).toEqual(["name", "id"]);

      // A good parameter still reaches the handler (a program that does not exist is a 404).
      errorOf(await callApi(server.url, "GET", "/api/v1/programs/nope", { key }), 404, "NOT_FOUND");
      // Without a key the answer is 401, whatever the path says.
      errorOf(await callApi(server.url, "GET", "/api/v1/programs/Not%20A%20Name"), 401, "UNAUTHORIZED");
    } finally {
      await server.close();
    }
  });
});

// Declared agent systems over HTTP, on a real database and the project's own programs folder: the
// runtime's boot path (skill registry behind the marketplace's gate, systems loaded and resolved,
// started under a root supervisor), then list, call, scale, stop and restart through the API, each
// with the scope it needs, and the routes in the OpenAPI document; then the marketplace: what is
// installed and who uses it, an administrator disabling an action the system uses (its calls then
// fail naming it), enabling it again, and the calls counted.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { AgentSystemReplySchema, CSRF_COOKIE, CSRF_HEADER, DeclaredAgentSystemListSchema, DeclaredAgentSystemSchema, MarketplaceActionSchema, MarketplaceSchema, SESSION_COOKIE } from "../../schemas";
import { loadAgentSystems, loadSkillRegistry, startAgentSystems, type AgentSystemsService, type SkillRegistry } from "../agents";
import { createMarketplace, type Marketplace } from "../marketplace";
import { createApiKey, createSession, createUser } from "../store";
import { useTestDatabase } from "../store/testing";
import { startSupervisor, type Supervisor } from "../supervisor";
import { marketplaceControl } from "../services";
import { createServingApi } from "./api";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

const PROGRAMS = path.resolve(import.meta.dirname, "../../../programs");

describe.each(BACKENDS)("declared agent systems over HTTP on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let supervisor: Supervisor;
  let marketplace: Marketplace;
  let skills: SkillRegistry;
  let systems: AgentSystemsService;
  const keys: Record<"all" | "predict" | "read", string> = { all: "", predict: "", read: "" };
  const call = (method: "GET" | "POST", url: string, body?: unknown, key = keys.all) => callApi(server.url, method, url, { key, ...(body !== undefined && { body }) });
  const headline = (input: unknown, key = keys.all) => call("POST", "/api/v1/agent-systems/text-desk/call", { input }, key);
  const people: Record<"admin" | "maintainer", Record<string, string>> = { admin: {}, maintainer: {} };
  const asPerson = (role: "admin" | "maintainer", url: string, body: unknown) => callApi(server.url, "POST", url, { headers: people[role], body });

  beforeAll(async () => {
    marketplace = await createMarketplace(t.prisma, { refreshMs: 60_000 });
    skills = await loadSkillRegistry({ programsDir: PROGRAMS, packages: false, governance: marketplace.governance });
    marketplace.useRegistry(skills);
    const declared = await loadAgentSystems({ programsDir: PROGRAMS, lookup: skills });
    supervisor = await startSupervisor({ path: "root", flags: { intensity: 10 } });
    systems = await startAgentSystems({ systems: declared.systems, loadErrors: declared.errors, supervisor, govern: skills.govern });
    const s = await createTestServing({ prisma: t.prisma });
    const source = { store: s.deps.store, registry: skills, enabled: (action: string) => marketplace.enabled(action), systems: () => systems.definitions() };
    server = await startTestServer(createServingApi({ ...s.deps, agentSystems: systems, marketplace: marketplaceControl(source, (a, enabled, userId) => marketplace.setEnabled(a, enabled, userId)) }));
    for (const role of ["admin", "maintainer"] as const) {
      const user = await createUser(t.prisma, { name: `${role} person`, email: `${role}@example.com`, password: "a long enough password", role });
      const session = await createSession(t.prisma, user.id);
      people[role] = { cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.token)}; ${CSRF_COOKIE}=${session.csrfToken}`, [CSRF_HEADER]: session.csrfToken };
    }
    keys.all = (await createApiKey(t.prisma, { name: "all", scopes: ["predict", "read", "optimize", "manage"] })).key;
    keys.predict = (await createApiKey(t.prisma, { name: "predict only", scopes: ["predict"] })).key;
    keys.read = (await createApiKey(t.prisma, { name: "read only", scopes: ["read"] })).key;
  });
  afterAll(async () => {
    await server?.close();
    await systems?.close();
    await supervisor?.stop();
    await skills?.close();
    await marketplace?.stop();
  });

  it("lists the programs folder's system, started at boot under the root supervisor", async () => {
    const list = bodyOf(await call("GET", "/api/v1/agent-systems", undefined, keys.read), DeclaredAgentSystemListSchema);
    expect(list.loadErrors).toEqual([]);
    expect(list.items.map((s) => s.name)).toEqual(["text-desk"]);
    expect(list.items[0]).toMatchObject({
      source: "programs/text-desk.ts",
      entry: "headline",
      mode: "embedded",
      state: "running",
      groups: [
        { name: "editor", count: 1 },
        { name: "clerk", count: 2, capabilities: expect.arrayContaining(["title-slug", "count-words"]) },
      ],
    });
    expect(list.items[0]!.agents.map((a) => a.id)).toEqual(["editor-0", "clerk-0", "clerk-1"]);
    expect(supervisor.snapshot().children.map((c) => c.id)).toContain("agent-system:text-desk");
  });

  it("answers a call at its entry, its agents asking each other; bad calls name what is wrong", async () => {
    const reply = bodyOf(await headline({ title: "Agents: Beyond One Process!", text: "three small words" }, keys.predict), AgentSystemReplySchema);
    expect(reply.output).toEqual({ ok: true, value: { slug: "agents-beyond-one-process", words: 3 } });
    // The system's own validation answers as data; the API's validation answers 400 naming the field.
    expect(bodyOf(await headline({ title: "" }), AgentSystemReplySchema).output).toMatchObject({ ok: false, error: expect.stringContaining("title") });
    expect(errorOf(await call("POST", "/api/v1/agent-systems/text-desk/call", {}), 400, "INVALID_REQUEST").fields).toEqual([expect.objectContaining({ field: "input" })]);
    expect(errorOf(await call("POST", "/api/v1/agent-systems/text-desk/call", { input: 1, timeoutMs: 0 }), 400, "INVALID_REQUEST").fields).toEqual([expect.objectContaining({ field: "timeoutMs" })]);
    expect(errorOf(await call("POST", "/api/v1/agent-systems/nobody/call", { input: 1 }), 404, "NOT_FOUND").message).toContain("declared: text-desk");
    expect(errorOf(await call("GET", "/api/v1/agent-systems/Bad%20Name"), 400, "INVALID_REQUEST").fields).toEqual([expect.objectContaining({ field: "name" })]);
  });

  it("calling needs predict; scaling, stopping and restarting need manage", async () => {
    expect(errorOf(await headline({ title: "x" }, keys.read), 403, "FORBIDDEN").message).toContain('"predict"');
    expect(errorOf(await call("POST", "/api/v1/agent-systems/text-desk/scale", { group: "clerk", count: 3 }, keys.predict), 403, "FORBIDDEN").message).toContain('"manage"');
    expect(errorOf(await call("POST", "/api/v1/agent-systems/text-desk/stop", undefined, keys.predict), 403, "FORBIDDEN").message).toContain('"manage"');
    expect(errorOf(await call("POST", "/api/v1/agent-systems/text-desk/restart", undefined, keys.read), 403, "FORBIDDEN").message).toContain('"manage"');
  });

  it("scales a group, stops (calls refused with CONFLICT) and restarts with the counts kept", async () => {
    const scaled = bodyOf(await call("POST", "/api/v1/agent-systems/text-desk/scale", { group: "clerk", count: 3 }), DeclaredAgentSystemSchema);
    expect(scaled.groups.find((g) => g.name === "clerk")?.count).toBe(3);
    expect(scaled.agents.map((a) => a.id)).toEqual(["editor-0", "clerk-0", "clerk-1", "clerk-2"]);
    expect(errorOf(await call("POST", "/api/v1/agent-systems/text-desk/scale", { group: "typist", count: 1 }), 400, "INVALID_REQUEST").message).toContain('has no group "typist"');
    expect(errorOf(await call("POST", "/api/v1/agent-systems/text-desk/scale", { group: "clerk", count: -1 }), 400, "INVALID_REQUEST").fields).toEqual([expect.objectContaining({ field: "count" })]);

    const stopped = bodyOf(await call("POST", "/api/v1/agent-systems/text-desk/stop"), DeclaredAgentSystemSchema);
    expect(stopped).toMatchObject({ state: "stopped", agents: [] });
    expect(supervisor.snapshot().children.map((c) => c.id)).not.toContain("agent-system:text-desk");
    expect(errorOf(await headline({ title: "x" }), 409, "CONFLICT").message).toContain("restart it first");

    const restarted = bodyOf(await call("POST", "/api/v1/agent-systems/text-desk/restart"), DeclaredAgentSystemSchema);
    expect(restarted.state).toBe("running");
    expect(restarted.agents.map((a) => a.id)).toEqual(["editor-0", "clerk-0", "clerk-1", "clerk-2"]);
    expect(bodyOf(await headline({ title: "Back again", text: "one two" }), AgentSystemReplySchema).output).toEqual({ ok: true, value: { slug: "back-again", words: 2 } });
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await call("GET", "/api/v1/openapi.json")).json as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths["/api/v1/agent-systems"]?.get?.operationId).toBe("listDeclaredAgentSystems");
    expect(doc.paths["/api/v1/agent-systems/{name}/call"]?.post?.operationId).toBe("callAgentSystem");
    expect(doc.paths["/api/v1/agent-systems/{name}/scale"]?.post?.operationId).toBe("scaleAgentSystem");
    expect(doc.paths["/api/v1/agent-systems/{name}/stop"]?.post?.operationId).toBe("stopAgentSystem");
    expect(doc.paths["/api/v1/agent-systems/{name}/restart"]?.post?.operationId).toBe("restartAgentSystem");
  });

  it("the marketplace lists the folder's actions and skills with their schemas and the system that uses them", async () => {
    const market = bodyOf(await call("GET", "/api/v1/marketplace", undefined, keys.read), MarketplaceSchema);
    const slug = market.actions.find((a) => a.name === "title-slug");
    expect(slug).toMatchObject({
      source: "programs/text-desk.ts",
      origin: { kind: "folder", file: "programs/text-desk.ts" },
      enabled: true,
      enabledByDefault: true,
      decision: null,
      usedBy: ["text-desk"],
      input: { type: "object", properties: { title: { type: "string" } } },
      output: { type: "string" },
    });
    expect(market.actions.find((a) => a.name === "count-words")?.usedBy).toEqual(["text-desk"]);
    expect(market.skills.find((s) => s.name === "editor")).toMatchObject({ handles: ["headline"], usedBy: ["text-desk"] });
    expect(market.packages).toEqual([]);
  });

  it("only administrators decide; a disabled action fails the system's calls naming it, until it is enabled again", async () => {
    const path = "/api/v1/marketplace/actions/title-slug";
    expect((await call("POST", path, { enabled: false })).status).toBe(401);
    expect(errorOf(await asPerson("maintainer", path, { enabled: false }), 403, "FORBIDDEN").message).toContain("only administrators");
    expect(errorOf(await asPerson("admin", "/api/v1/marketplace/actions/no-such-action", { enabled: false }), 404, "NOT_FOUND").message).toContain('no action "no-such-action"');
    expect(errorOf(await asPerson("admin", path, { enabled: "no" }), 400, "INVALID_REQUEST").fields).toEqual([expect.objectContaining({ field: "enabled" })]);

    const disabled = bodyOf(await asPerson("admin", path, { enabled: false }), MarketplaceActionSchema);
    expect(disabled).toMatchObject({ enabled: false, decision: { by: expect.any(String) } });
    expect(bodyOf(await headline({ title: "Stopped here", text: "a b" }), AgentSystemReplySchema).output).toEqual({
      ok: false,
      error: 'action "title-slug" is disabled by an administrator; enable it on the Marketplace page to use it',
    });
    expect(bodyOf(await asPerson("admin", path, { enabled: true }), MarketplaceActionSchema).enabled).toBe(true);
    expect(bodyOf(await headline({ title: "Going again", text: "a b" }), AgentSystemReplySchema).output).toEqual({ ok: true, value: { slug: "going-again", words: 2 } });

    await marketplace.flushUsage();
    const usage = bodyOf(await call("GET", "/api/v1/marketplace"), MarketplaceSchema).actions.find((a) => a.name === "title-slug")!.usage;
    expect(usage.errors).toBe(1);
    expect(usage.calls).toBeGreaterThanOrEqual(usage.errors + 2);
    expect(usage.lastError).toContain("disabled by an administrator");
  });
});

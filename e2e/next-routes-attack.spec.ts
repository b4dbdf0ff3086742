// The attack suite's other half: every page and Next route of the dashboard, signed in and not,
// with hostile path segments (NUL, lone surrogates, escapes that decode to nothing), hostile query
// strings and other methods. fast-check, seeded and bounded; never a 5xx, always an answer.
import fc from "fast-check";
import { expect, request as playwrightRequest, test } from "@playwright/test";

const SEED = Number(process.env.DSPEX_FUZZ_SEED ?? 1207);
const RUNS = Number(process.env.DSPEX_FUZZ_RUNS ?? 300);
const NO_COOKIES = { cookies: [], origins: [] };

/** Next's routes, with {x} where a segment goes. */
const ROUTES = [
  "/",
  "/login",
  "/setup",
  "/programs",
  "/programs/{x}",
  "/runs",
  "/runs/{x}",
  "/runs/search",
  "/datasets",
  "/datasets/{x}",
  "/optimizations",
  "/optimizations/new",
  "/optimizations/compare",
  "/optimizations/{x}",
  "/agents",
  "/agents/{x}",
  "/annotation-queues/{x}",
  "/costs",
  "/settings",
  "/api/v1/system",
  "/{x}",
];

const SEGMENTS = ["qa", "%00", "a%00b", "%ED%A0%80", "%E0%A4%A", "%", "%zz", "..", "%2e%2e", "%2F", "%3Cscript%3E", "%E2%80%AE", "x".repeat(3000), "%F0%9F%98%80", "null", "-1", "9".repeat(40)];
const KEYS = ["page", "limit", "tab", "programName", "status", "source", "from", "to", "version", "split", "q", "ids", "groupBy", "program", "vpage", "__proto__"];
const VALUES = ["%00", "%ED%A0%80", "%", "-1", "0", "1e309", "NaN", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "2020-13-45", "x".repeat(2000), "true", "[]", "%7B%7D", ""];

const attack = fc.record({
  route: fc.constantFrom(...ROUTES),
  segment: fc.oneof(fc.constantFrom(...SEGMENTS), fc.string({ unit: "grapheme-ascii", maxLength: 20 }).map(encodeURIComponent)),
  query: fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)), { maxLength: 4 }),
  method: fc.oneof({ weight: 8, arbitrary: fc.constant("GET") }, { weight: 1, arbitrary: fc.constantFrom("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE") }),
  signedIn: fc.boolean(),
});

test("every page and Next route answers hostile requests without a 5xx", async ({ baseURL, request }) => {
  test.setTimeout(300_000);
  const anonymous = await playwrightRequest.newContext({ baseURL: baseURL!, storageState: NO_COOKIES });
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(attack, async (a) => {
      const path = a.route.replace("{x}", a.segment);
      const qs = a.query.map(([k, v]) => `${k}=${v}`).join("&");
      const url = qs ? `${path}?${qs}` : path;
      const client = a.signedIn ? request : anonymous;
      const res = await client.fetch(url, { method: a.method, maxRedirects: 0, timeout: 30_000, failOnStatusCode: false });
      statuses.set(res.status(), (statuses.get(res.status()) ?? 0) + 1);
      expect(res.status(), `${a.method} ${url.slice(0, 200)} (${a.signedIn ? "signed in" : "anonymous"}): ${(await res.text()).slice(0, 300)}`).toBeLessThan(500);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  await anonymous.dispose();
  test.info().annotations.push({ type: "figures", description: `${RUNS} requests; statuses ${[...statuses].sort((x, y) => x[0] - y[0]).map(([s, n]) => `${s}:${n}`).join(" ")}` });
});

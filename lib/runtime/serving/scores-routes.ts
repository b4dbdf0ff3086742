// Scores over the API: a run's scores, a person's score, an LM judge's, a metric's; annotation
// queues of runs waiting for a person.
import { JudgeRunBodySchema } from "../../schemas";
import type { Values } from "../../dspex";
import type { Store } from "../store";
import { ServingError, toServingError } from "./errors";
import { judgeRun, metricScore } from "./run-judge";
import { routes } from "../../api/routes";
import { implement, type Caller, type Route } from "./router";
import type { ServingDeps } from "./types";

type ScoreStore = Pick<Store, "listScores" | "addScore" | "runForScoring" | "createAnnotationQueue" | "listAnnotationQueues" | "addQueueItems" | "nextQueueItem" | "completeQueueItem">;

const authorOf = (caller: Caller) => (caller.kind === "user" ? caller.user.id : null);
const isRecord = (v: unknown): v is Values => v !== null && typeof v === "object" && !Array.isArray(v);

export function scoresRoutes(env: { readonly store: ScoreStore; readonly lmFor: ServingDeps["lmFor"] }): Route[] {
  const { store } = env;
  const list = implement(routes.listRunScores, async ({ params }) => ({ status: 200, body: { items: await store.listScores(params.id) } }));

  const human = implement(routes.scoreRun, async ({ params, body, caller }) => ({ status: 201, body: await store.addScore(params.id, { ...body, source: "human", authorId: authorOf(caller) }) }));

  const judge = implement(routes.judgeRun, async ({ params, body }) => {
    const run = await store.runForScoring(params.id);
    if (run.output === null || run.output === undefined) throw new ServingError("INVALID_REQUEST", `run ${run.id} has no output to judge`, [{ field: "id", message: "the run has no output" }]);
    const q = JudgeRunBodySchema.parse(body);
    const lm = env.lmFor({ programId: run.programId ?? "", programName: run.programName ?? "", versionId: run.versionId ?? "", apiKeyId: run.apiKeyId });
    let verdict;
    try {
      verdict = await judgeRun(lm, run, q);
    } catch (err) {
      throw toServingError(err);
    }
    const score = await store.addScore(run.id, { name: q.name, source: "judge", value: verdict.score, comment: verdict.reason, details: { criteria: q.criteria, model: q.model ?? null, reference: q.reference ?? null } });
    return { status: 201, body: score };
  });

  const metric = implement(routes.metricScoreRun, async ({ params, body }) => {
    const run = await store.runForScoring(params.id);
    if (!isRecord(run.output)) throw new ServingError("INVALID_REQUEST", `run ${run.id} has no output to score`, [{ field: "id", message: "the run has no output" }]);
    const value = await metricScore(run.output, body);
    const score = await store.addScore(run.id, { name: body.name ?? body.metric, source: "metric", value, details: { metric: body.metric, field: body.field ?? null, expected: body.expected } });
    return { status: 201, body: score };
  });

  const queues = implement(routes.listAnnotationQueues, async () => ({ status: 200, body: { items: await store.listAnnotationQueues() } }));

  const createQueue = implement(routes.createAnnotationQueue, async ({ body }) => ({ status: 201, body: await store.createAnnotationQueue(body) }));

  const addItems = implement(routes.addAnnotationQueueItems, async ({ params, body }) => ({ status: 200, body: await store.addQueueItems(params.id, body) }));

  const next = implement(routes.nextAnnotationQueueItem, async ({ params }) => ({ status: 200, body: await store.nextQueueItem(params.id) }));

  const complete = implement(routes.completeAnnotationQueueItem, async ({ params, caller }) => ({ status: 200, body: await store.completeQueueItem(params.id, params.itemId, authorOf(caller)) }));

  return [list, human, judge, metric, queues, createQueue, addItems, next, complete];
}

// An optimizable program in a test database: the classify demo (registry, synced rows, its seeded
// dataset), launches of it, the deterministic demo model, a publisher that records events, and a
// reference run of the same optimization straight through the framework (no job, no database).
import {
  chooseOptimizer,
  createDemoLM,
  discoverSpace,
  memoryCheckpointStore,
  runOptimization,
  type OptimizationReport,
} from "../../../dspex";
import { classifyTask } from "../../../dspex/demos";
import type { PrismaClient } from "../../../db";
import { RuntimeEventSchemas, type RuntimeEventPayload } from "../../../schemas/events";
import type { CreateOptimizationInput } from "../../../schemas/optimizations";
import { createProgramRegistry, createProgramResolver, demoProgram, syncPrograms, type ProgramResolver } from "../../programs";
import { createOptimization, loadDatasetSplits, type OptimizationView } from "../../store";
import type { OptimizationEventName, PublishOptimizationEvent } from "../optimization-events";

export const FIXTURE_PROGRAM = "classify";
/** The launch every optimization test uses unless it says otherwise. */
export const FIXTURE_LAUNCH = { optimizer: "mipro-v2", options: { auto: "light" }, seed: 21 } as const;
export const FIXTURE_LM_SEED = 5;

export interface OptimizationFixture {
  readonly resolver: ProgramResolver;
  readonly datasetVersionId: string;
  readonly baseVersionId: string;
  create(patch?: Partial<CreateOptimizationInput>): Promise<OptimizationView>;
}

/** Registers and syncs the classify demo (program row, version 1, dataset "classify") and returns launchers. */
export async function setUpOptimizationFixture(prisma: PrismaClient): Promise<OptimizationFixture> {
  const registry = createProgramRegistry([demoProgram(classifyTask)]);
  const sync = await syncPrograms(prisma, registry);
  const dataset = await prisma.datasetVersion.findFirstOrThrow({ where: { dataset: { name: FIXTURE_PROGRAM } }, orderBy: { number: "desc" }, select: { id: true } });
  const resolver = createProgramResolver(prisma, registry);
  const baseVersionId = sync.programs[0]!.activeVersionId;
  return {
    resolver,
    datasetVersionId: dataset.id,
    baseVersionId,
    create: (patch = {}) => createOptimization(prisma, { programName: FIXTURE_PROGRAM, datasetVersionId: dataset.id, ...FIXTURE_LAUNCH, ...patch }),
  };
}

/** The demo model every run uses (deterministic: the same request always gets the same reply). */
export function demoLMFor(latencyMs = 0) {
  return () => ({ lm: createDemoLM({ seed: FIXTURE_LM_SEED, latencyMs }) });
}

export type RecordedEvent = { [E in OptimizationEventName]: { readonly name: E; readonly payload: RuntimeEventPayload<E> } }[OptimizationEventName];

/** A publisher that checks each payload against its schema and keeps it; `onEvent` may await (back-pressure). */
export function recordingPublisher(onEvent?: (event: RecordedEvent) => unknown): { readonly events: RecordedEvent[]; readonly publish: PublishOptimizationEvent } {
  const events: RecordedEvent[] = [];
  const publish: PublishOptimizationEvent = async (name, payload) => {
    const event = { name, payload: RuntimeEventSchemas[name].parse(payload) } as RecordedEvent;
    events.push(event);
    await onEvent?.(event);
  };
  return { events, publish };
}

/** The same optimization run straight through the framework: what every job run must end with. */
export async function referenceRun(prisma: PrismaClient, fixture: OptimizationFixture): Promise<OptimizationReport> {
  const resolved = await fixture.resolver.resolveProgram(FIXTURE_PROGRAM, fixture.baseVersionId);
  const splits = await loadDatasetSplits(prisma, fixture.datasetVersionId);
  const space = discoverSpace(resolved.module, resolved.registered.variables);
  const choice = chooseOptimizer(FIXTURE_LAUNCH.optimizer, space, splits.train.length + splits.validation.length, FIXTURE_LAUNCH.options.auto);
  return runOptimization({
    optimizer: choice.optimizer,
    program: resolved.module,
    space,
    trainset: splits.train,
    valset: splits.validation,
    metric: resolved.registered.metric!,
    lm: createDemoLM({ seed: FIXTURE_LM_SEED }),
    seed: FIXTURE_LAUNCH.seed,
    checkpoint: memoryCheckpointStore(),
  });
}

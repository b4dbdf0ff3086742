// Generated routing datasets: tickets written from the demo model's routing tables, with the
// traps in their documented shares, and training labels that are wrong at a given rate (real
// labels are noisy; validation and test labels are clean so scores measure the program).
import type { Example } from "../../evaluate";
import { ROUTING_LABEL_NAMES, ROUTING_TRAPS, TRAP_SHARES, type RoutingLabel } from "../../demo-lm/routing-lexicon";
import { writeTicket } from "../../demo-lm/routing-tickets";
import { createRng, type Rng } from "../../random";
import type { RoutingInputs, RoutingOutputs } from "./signature";

export interface RoutingDatasetOptions {
  readonly seed: number;
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  /** Share of training labels replaced by another queue (default 0.1). */
  readonly labelNoise?: number;
}

export interface RoutingSplits {
  readonly train: readonly Example<RoutingInputs, RoutingOutputs>[];
  readonly validation: readonly Example<RoutingInputs, RoutingOutputs>[];
  readonly test: readonly Example<RoutingInputs, RoutingOutputs>[];
}

function example(rng: Rng, number: number, noise: number): Example<RoutingInputs, RoutingOutputs> {
  const label = rng.pick(ROUTING_LABEL_NAMES);
  const shares = ROUTING_TRAPS.map((t) => TRAP_SHARES[t]);
  const trap = ROUTING_TRAPS[rng.weightedIndex(shares)]!;
  const distractor = rng.pick(ROUTING_LABEL_NAMES.filter((l) => l !== label));
  const ticket = writeTicket({ number, label, trap, distractor, phrase: rng.int(0, 3), closing: rng.int(0, 5) });
  const noisy = noise > 0 && rng.next() < noise;
  const queue: RoutingLabel = noisy ? rng.pick(ROUTING_LABEL_NAMES.filter((l) => l !== label)) : label;
  return Object.freeze({ id: `R-${number}`, inputs: Object.freeze({ ticket }), outputs: Object.freeze({ queue }) });
}

/** Train, validation and test splits for a seed; ticket numbers never repeat across splits. */
export function generateRoutingDataset(options: RoutingDatasetOptions): RoutingSplits {
  const rng = createRng(options.seed).fork("routing-dataset");
  const numbers = rng.fork("numbers").shuffle(Array.from({ length: 9000 }, (_, i) => 1000 + i));
  let next = 0;
  const take = (count: number, noise: number, label: string) => {
    const own = rng.fork(label);
    return Object.freeze(Array.from({ length: count }, () => example(own, numbers[next++]!, noise)));
  };
  return { train: take(options.train, options.labelNoise ?? 0.1, "train"), validation: take(options.validation, 0, "validation"), test: take(options.test, 0, "test") };
}

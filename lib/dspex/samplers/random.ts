import type { Config } from "../variables";
import type { Sampler, SamplerContext } from "./types";

/**
 * Independent random draws from the space (each variable's own `sample`, conditions and
 * constraints respected). The baseline every other sampler must beat, and their startup phase.
 */
export class RandomSampler implements Sampler {
  readonly name = "random";

  ask(ctx: SamplerContext): Config {
    return ctx.space.sample(ctx.rng);
  }
}

import type { Rng } from "../../random";

/**
 * Minibatches walked through a shuffled order of the training set; when too few examples are
 * left for a whole batch, the order is shuffled again and the walk starts over.
 */
export class BatchWalk {
  private order: number[];
  private position = 0;

  constructor(
    private readonly size: number,
    private readonly batchSize: number,
    private readonly rng: Rng,
  ) {
    this.order = rng.shuffle(Array.from({ length: size }, (_, i) => i));
  }

  next(): number[] {
    if (this.position + this.batchSize > this.size) {
      this.order = this.rng.shuffle(this.order);
      this.position = 0;
    }
    const batch = this.order.slice(this.position, this.position + this.batchSize);
    this.position += this.batchSize;
    return batch;
  }
}

import type { Rng } from "../../random";

/**
 * Training minibatches for GEPA's reflective iterations: each epoch is a fresh shuffle of the
 * training set, padded so it splits into whole minibatches; iteration k takes the k-th slice.
 * Stateless: the same iteration number always gives the same minibatch.
 */
export class EpochBatches {
  private readonly epochs = new Map<number, number[]>();
  private readonly length: number;

  constructor(
    private readonly size: number,
    private readonly batchSize: number,
    private readonly rng: Rng,
  ) {
    this.length = Math.ceil(size / batchSize) * batchSize;
  }

  at(iteration: number): number[] {
    const start = iteration * this.batchSize;
    const epoch = Math.floor(start / this.length);
    const offset = start % this.length;
    return this.order(epoch).slice(offset, offset + this.batchSize);
  }

  private order(epoch: number): number[] {
    let order = this.epochs.get(epoch);
    if (!order) {
      const shuffled = this.rng.fork(`epoch-${epoch}`).shuffle(Array.from({ length: this.size }, (_, i) => i));
      order = [...shuffled, ...shuffled.slice(0, this.length - this.size)];
      this.epochs.set(epoch, order);
    }
    return order;
  }
}

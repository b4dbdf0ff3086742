import { DspexError } from "../errors";
import type { LM, LMMiddleware, LMResponse, LMStreamEvent } from "../lm/types";
import type { Budget, Spend } from "./types";

export type BudgetLimit = keyof Budget;

export class BudgetExceededError extends DspexError {
  constructor(
    readonly limit: BudgetLimit,
    readonly spend: Spend,
    readonly budget: Budget,
  ) {
    const what = { lmCalls: `${spend.lmCalls} of ${budget.lmCalls} LM calls`, usd: `$${spend.usd.toFixed(6)} of $${budget.usd}`, seconds: `${spend.seconds.toFixed(1)} s of ${budget.seconds} s` }[limit];
    super("BUDGET_EXCEEDED", `Budget spent: ${what} used; no new LM calls are made`);
  }
}

export function validateBudget(budget: Budget): void {
  for (const [key, value] of Object.entries(budget)) {
    if (value !== undefined && !(typeof value === "number" && value > 0 && Number.isFinite(value))) {
      throw new DspexError("OPTION_INVALID", `budget.${key} must be a positive number (got ${JSON.stringify(value)})`);
    }
  }
}

/**
 * Counts LM calls, money and time against a budget, and refuses a call once a limit is reached.
 * Calls already in flight finish: spending exceeds the limit by at most that work.
 */
export class BudgetTracker {
  private lmCalls: number;
  private usd: number;
  private readonly secondsBefore: number;
  private readonly startedAt: number;
  private inFlight = 0;

  constructor(
    readonly budget: Budget,
    private readonly now: () => number = Date.now,
    previous: Spend = { lmCalls: 0, usd: 0, seconds: 0 },
  ) {
    validateBudget(budget);
    this.lmCalls = previous.lmCalls;
    this.usd = previous.usd;
    this.secondsBefore = previous.seconds;
    this.startedAt = now();
  }

  spend(): Spend {
    return { lmCalls: this.lmCalls, usd: this.usd, seconds: this.secondsBefore + (this.now() - this.startedAt) / 1000 };
  }

  /** The first limit reached, counting calls in flight against the call limit. */
  exhausted(): BudgetLimit | undefined {
    const s = this.spend();
    if (this.budget.lmCalls !== undefined && s.lmCalls + this.inFlight >= this.budget.lmCalls) return "lmCalls";
    if (this.budget.usd !== undefined && s.usd >= this.budget.usd) return "usd";
    if (this.budget.seconds !== undefined && s.seconds >= this.budget.seconds) return "seconds";
    return undefined;
  }

  check(): void {
    const limit = this.exhausted();
    if (limit) throw new BudgetExceededError(limit, this.spend(), this.budget);
  }

  record(response: LMResponse): void {
    if (response.cacheHit) return;
    this.lmCalls++;
    this.usd += response.costUsd ?? 0;
  }

  /** The LM middleware that enforces this budget. */
  middleware(): LMMiddleware {
    return (inner: LM): LM => {
      const start = () => {
        this.check();
        this.inFlight++;
      };
      return {
        provider: inner.provider,
        defaultModel: inner.defaultModel,
        complete: async (request, options) => {
          start();
          try {
            const response = await inner.complete(request, options);
            this.record(response);
            return response;
          } finally {
            this.inFlight--;
          }
        },
        ...(inner.stream
          ? {
              stream: (request, options) => {
                const source = inner.stream!.bind(inner);
                const record = (response: LMResponse) => this.record(response);
                const settle = () => this.inFlight--;
                return (async function* (): AsyncGenerator<LMStreamEvent> {
                  start();
                  try {
                    for await (const event of source(request, options)) {
                      if (event.type === "done") record(event.response);
                      yield event;
                    }
                  } finally {
                    settle();
                  }
                })();
              },
            }
          : {}),
      };
    };
  }
}

import { DspexError } from "../errors";
import type { LM, LMMiddleware, LMResponse, LMStreamEvent } from "../lm/types";
import { unknownKeyMessage } from "../signatures/suggest";
import type { Budget, Spend } from "./types";

export type BudgetLimit = keyof Budget;

/** How every budget refusal's message starts (what marks an example cut short by the budget). */
export const BUDGET_REFUSED = "Budget spent";

export class BudgetExceededError extends DspexError {
  constructor(
    readonly limit: BudgetLimit,
    readonly spend: Spend,
    readonly budget: Budget,
    readonly setAside = 0,
  ) {
    const what = { lmCalls: `${spend.lmCalls} of ${budget.lmCalls} LM calls`, usd: `$${spend.usd.toFixed(6)} of $${budget.usd}`, seconds: `${spend.seconds.toFixed(1)} s of ${budget.seconds} s` }[limit];
    const held = setAside > 0 ? ` (about ${Math.ceil(setAside)} more calls are set aside for evaluations already granted)` : "";
    super("BUDGET_EXCEEDED", `${BUDGET_REFUSED}: ${what} used${held}; no new LM calls are made`);
  }
}

const BUDGET_KEYS = ["lmCalls", "usd", "seconds"] as const;

export function validateBudget(budget: Budget): void {
  for (const [key, value] of Object.entries(budget)) {
    if (!(BUDGET_KEYS as readonly string[]).includes(key)) throw new DspexError("OPTION_INVALID", `budget: ${unknownKeyMessage("key", key, BUDGET_KEYS)}`);
    if (value !== undefined && !(typeof value === "number" && value > 0 && Number.isFinite(value))) {
      throw new DspexError("OPTION_INVALID", `budget.${key} must be a positive number (got ${JSON.stringify(value)})`);
    }
  }
}

/**
 * Calls granted to one piece of work before it starts (an evaluation): they are held back from
 * everyone else until the work makes them or releases them.
 */
export interface Reservation {
  /** Calls granted and not made yet. */
  readonly remaining: number;
  /** Drawn from the calls set aside to validate the final candidate. */
  readonly finalist: boolean;
  /** Gives the calls not made back (the work finished or stopped). */
  release(): void;
}

/** What a call made through a scoped middleware reports back (for per-trial accounting). */
export interface CallObserver {
  /** A call the provider answered (not a cache hit). */
  made?(response: LMResponse): void;
  /** A call the budget refused before it was sent. */
  refused?(error: BudgetExceededError): void;
}

interface LiveReservation {
  remaining: number;
  readonly finalist: boolean;
  open: boolean;
}

/** The live state behind each reservation handed out. */
const LIVE = new WeakMap<Reservation, LiveReservation>();

/** Calls made before the time per call is trusted to turn a time limit into calls. */
const MIN_CALLS_FOR_RATES = 3;

/**
 * Counts LM calls, money and time against a budget and grants calls before work starts.
 *
 * Three kinds of calls share a budget: calls of work that reserved them up front (evaluations),
 * calls of work that did not (an optimizer's own proposals), and calls set aside to validate the
 * final candidate against the baseline. A call is refused once a hard limit is reached; a call
 * without a reservation is also refused when it would eat into what others were granted or into
 * the final reserve. Money and time limits are turned into calls with the mean cost and duration
 * of the calls made so far (the estimate's price per call until one is known).
 */
export class BudgetTracker {
  private lmCalls: number;
  private usd: number;
  private secondsBefore: number;
  private readonly startedAt: number;
  private inFlight = 0;
  private finalReserve = 0;
  private readonly reservations = new Set<LiveReservation>();
  private pricedCalls = 0;
  private pricedUsd = 0;
  private usdPerCallGuess: number | undefined;

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

  /** Raises the spend to at least `floor` (a resumed run catching up with its checkpoint). */
  catchUp(floor: Spend): void {
    this.lmCalls = Math.max(this.lmCalls, floor.lmCalls);
    this.usd = Math.max(this.usd, floor.usd);
    const elapsed = this.spend().seconds;
    if (floor.seconds > elapsed) this.secondsBefore += floor.seconds - elapsed;
  }

  /** The price of a typical call before any is known (from the estimate); refines usd limits. */
  guessUsdPerCall(usd: number | undefined): void {
    this.usdPerCallGuess = usd !== undefined && usd > 0 ? usd : undefined;
  }

  /** The first hard limit reached, counting calls in flight against the call limit. */
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

  /** Records an answered call (cache hits cost nothing). */
  record(response: LMResponse): void {
    if (response.cacheHit) return;
    this.lmCalls++;
    this.usd += response.costUsd ?? 0;
    if (response.costUsd !== undefined) {
      this.pricedCalls++;
      this.pricedUsd += response.costUsd;
    }
  }

  /** Counts calls a resumed run replays from its checkpoint, as the first run made them. */
  addReplayed(calls: number, usd: number): void {
    this.lmCalls += calls;
    this.usd += usd;
  }

  /** Mean money per call so far (the guess until a priced call is made). */
  usdPerCall(): number | undefined {
    return this.pricedCalls > 0 ? this.pricedUsd / this.pricedCalls : this.usdPerCallGuess;
  }

  /** Calls the whole remaining budget pays for, ignoring reservations (Infinity without limits). */
  private callsLeft(): number {
    const s = this.spend();
    let left = Number.POSITIVE_INFINITY;
    if (this.budget.lmCalls !== undefined) left = Math.min(left, this.budget.lmCalls - s.lmCalls - this.inFlight);
    const perCall = this.usdPerCall();
    if (this.budget.usd !== undefined) left = Math.min(left, perCall !== undefined && perCall > 0 ? (this.budget.usd - s.usd) / perCall - this.inFlight : s.usd >= this.budget.usd ? 0 : Number.POSITIVE_INFINITY);
    if (this.budget.seconds !== undefined && this.lmCalls >= MIN_CALLS_FOR_RATES) {
      const secondsPerCall = s.seconds / this.lmCalls;
      left = Math.min(left, secondsPerCall > 0 ? (this.budget.seconds - s.seconds) / secondsPerCall - this.inFlight : Number.POSITIVE_INFINITY);
    }
    return Math.max(0, left);
  }

  private reserved(): number {
    let n = 0;
    for (const r of this.reservations) n += r.remaining;
    return n;
  }

  /**
   * Calls that new work may still be granted: the budget left minus calls granted to running
   * work and (unless the work is the final validation) the final reserve.
   */
  headroom(options: { finalist?: boolean } = {}): number {
    if (this.exhausted()) return 0;
    return Math.max(0, this.callsLeft() - this.reserved() - (options.finalist ? 0 : this.finalReserve));
  }

  /** Sets aside `calls` to validate the final candidate; only finalist work may use them. */
  setFinalReserve(calls: number): void {
    this.finalReserve = Math.max(0, calls);
  }

  get finalReserveCalls(): number {
    return this.finalReserve;
  }

  /**
   * Grants `calls` to work about to start, or returns undefined when the budget cannot pay for
   * them (nothing is granted then). Finalist work draws on the final reserve first.
   */
  reserve(calls: number, options: { finalist?: boolean } = {}): Reservation | undefined {
    const need = Math.max(0, Math.ceil(calls));
    if (need > this.headroom(options)) return undefined;
    if (options.finalist) this.finalReserve = Math.max(0, this.finalReserve - need);
    const live: LiveReservation = { remaining: need, finalist: options.finalist ?? false, open: true };
    this.reservations.add(live);
    const release = () => {
      live.open = false;
      this.reservations.delete(live);
    };
    const handle: Reservation = {
      get remaining() {
        return live.remaining;
      },
      finalist: live.finalist,
      release,
    };
    LIVE.set(handle, live);
    return handle;
  }

  /** Admits one call: charged to the reservation while it has calls, else to the free headroom. */
  private admit(reservation: Reservation | undefined): void {
    this.check();
    const live = reservation ? LIVE.get(reservation) : undefined;
    if (live?.open && live.remaining > 0) live.remaining--;
    else if (this.headroom({ finalist: reservation?.finalist }) < 1) {
      const limit: BudgetLimit = this.budget.lmCalls !== undefined ? "lmCalls" : this.budget.usd !== undefined ? "usd" : "seconds";
      throw new BudgetExceededError(limit, this.spend(), this.budget, this.reserved() + this.finalReserve);
    }
    this.inFlight++;
  }

  /**
   * The LM middleware that enforces this budget. Calls of work holding a reservation are charged
   * to it; the observer hears of every call made and every call refused.
   */
  middleware(scope: { reservation?: Reservation; observer?: CallObserver } = {}): LMMiddleware {
    return (inner: LM): LM => {
      const start = () => {
        try {
          this.admit(scope.reservation);
        } catch (err) {
          if (err instanceof BudgetExceededError) scope.observer?.refused?.(err);
          throw err;
        }
      };
      const done = (response: LMResponse) => {
        this.record(response);
        if (!response.cacheHit) scope.observer?.made?.(response);
      };
      return {
        provider: inner.provider,
        defaultModel: inner.defaultModel,
        complete: async (request, options) => {
          start();
          try {
            const response = await inner.complete(request, options);
            done(response);
            return response;
          } finally {
            this.inFlight--;
          }
        },
        ...(inner.stream
          ? {
              stream: (request, options) => {
                const source = inner.stream!.bind(inner);
                const settle = () => this.inFlight--;
                return (async function* (): AsyncGenerator<LMStreamEvent> {
                  start();
                  try {
                    for await (const event of source(request, options)) {
                      if (event.type === "done") done(event.response);
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


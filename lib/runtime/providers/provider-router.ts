// The LM every run uses: one client per provider, picked per call by the model it names, so
// programs, versions and agents on different providers share one process and a model variable can
// span providers. The directory is swapped whole on refresh (after a change in Settings); a call
// in flight keeps the client it started with.
import { composeLM, type LM, type LMCallOptions, type LMMiddleware, type LMRequest, type LMStreamEvent } from "../../dspex";
import { connectProvider, type ProviderConnection } from "./connection";
import { DEMO_PROVIDER, defaultProvider, resolveModel, type Directory } from "./resolve-model";

export interface ProviderRouter {
  readonly lm: LM;
  /**
   * A routing LM whose every client (the demo model's too) is wrapped, e.g. in the resource chain
   * for one run's budget scopes: breakers, limits and prices then see the provider by its name.
   */
  wrapped(wrap: LMMiddleware): LM;
  /** The providers in use now (the bootstrap one first). */
  readonly providers: readonly ProviderConnection[];
  /** Where a model reference goes (provider name and the model it sends), or the error. */
  resolve(reference: string | undefined): { readonly provider: string; readonly model: string | undefined };
  /** Replaces the directory; clients are rebuilt for the new providers. */
  replace(providers: readonly ProviderConnection[]): void;
}

export interface ProviderRouterOptions {
  /** The offline demo model (with its cost meter). */
  readonly demo: LM;
  /** Wraps each provider's client (the cost meter). */
  readonly wrap?: LMMiddleware;
  readonly providers?: readonly ProviderConnection[];
}

interface State {
  readonly dir: Directory;
  readonly clients: Map<string, LM>;
}

export function createProviderRouter(options: ProviderRouterOptions): ProviderRouter {
  const build = (providers: readonly ProviderConnection[]): State => ({
    dir: { providers: [...providers].sort((a, b) => Number(b.bootstrap) - Number(a.bootstrap) || a.name.localeCompare(b.name)), demoIsDefault: providers.length === 0 },
    clients: new Map(),
  });
  let state = build(options.providers ?? []);

  function clientOf(s: State, provider: ProviderConnection): LM {
    let client = s.clients.get(provider.name);
    if (!client) s.clients.set(provider.name, (client = options.wrap ? composeLM(connectProvider(provider), options.wrap) : connectProvider(provider)));
    return client;
  }

  /** A routing LM; `wrap` (when given) wraps each client once per directory. */
  function routing(wrap?: LMMiddleware): LM {
    let wrappedFor: { state: State; clients: Map<string, LM> } | undefined;
    function target(request: LMRequest): { lm: LM; request: LMRequest } {
      const s = state;
      const { provider, model } = resolveModel(s.dir, request.model);
      const key = provider === DEMO_PROVIDER ? `\u0000${DEMO_PROVIDER}` : provider.name;
      let lm: LM | undefined;
      if (wrap) {
        if (wrappedFor?.state !== s) wrappedFor = { state: s, clients: new Map() };
        lm = wrappedFor.clients.get(key);
      }
      if (!lm) {
        lm = provider === DEMO_PROVIDER ? options.demo : clientOf(s, provider);
        if (wrap) wrappedFor!.clients.set(key, (lm = wrap(lm)));
      }
      return { lm, request: model === request.model ? request : model === undefined ? withoutModel(request) : { ...request, model } };
    }
    async function* stream(request: LMRequest, callOptions?: LMCallOptions): AsyncGenerator<LMStreamEvent> {
      const t = target(request);
      if (t.lm.stream) {
        yield* t.lm.stream(t.request, callOptions);
        return;
      }
      const response = await t.lm.complete(t.request, callOptions);
      if (response.text !== "") yield { type: "text", delta: response.text };
      yield { type: "done", response };
    }
    return {
      provider: "router",
      // The model a call naming none is sent as, by the same rule that routes it (estimates price it).
      get defaultModel() {
        const provider = defaultProvider(state.dir);
        return provider === DEMO_PROVIDER ? options.demo.defaultModel : provider?.defaultModel;
      },
      complete(request, callOptions) {
        try {
          const t = target(request);
          return t.lm.complete(t.request, callOptions);
        } catch (err) {
          return Promise.reject(err);
        }
      },
      stream,
    };
  }

  return {
    lm: routing(),
    wrapped: (wrap) => routing(wrap),
    get providers() {
      return state.dir.providers;
    },
    resolve(reference) {
      const r = resolveModel(state.dir, reference);
      return { provider: r.provider === DEMO_PROVIDER ? DEMO_PROVIDER : r.provider.name, model: r.model };
    },
    replace(providers) {
      state = build(providers);
    },
  };
}

function withoutModel(request: LMRequest): LMRequest {
  const { model: _model, ...rest } = request;
  return rest;
}

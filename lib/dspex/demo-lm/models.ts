// The demo model's simulated model family. Model names start with "dspex-demo"; the profile is
// chosen by the name's suffix so "which model" is a real choice (competence against latency).

export interface DemoModelProfile {
  /** The canonical name of the profile. */
  readonly name: string;
  /** Added to the competence of every answer (see competence.ts). */
  readonly competenceOffset: number;
  /** Multiplies the configured latency. */
  readonly latencyFactor: number;
  readonly description: string;
}

export const DEFAULT_DEMO_MODEL = "dspex-demo-1";

export const DEMO_MODELS: readonly DemoModelProfile[] = Object.freeze([
  { name: "dspex-demo-mini", competenceOffset: -0.12, latencyFactor: 0.5, description: "small and fast: less competent, half the latency" },
  { name: "dspex-demo-1", competenceOffset: 0, latencyFactor: 1, description: "the default" },
  { name: "dspex-demo-large", competenceOffset: 0.08, latencyFactor: 2, description: "more competent, twice the latency" },
]);

export function isDemoModel(model: string): boolean {
  return model.startsWith("dspex-demo");
}

/** "…mini…" selects mini, "…large…" selects large, any other dspex-demo name the default profile. */
export function demoModelProfile(model: string): DemoModelProfile {
  const [mini, standard, large] = DEMO_MODELS as [DemoModelProfile, DemoModelProfile, DemoModelProfile];
  if (model.includes("mini")) return mini;
  if (model.includes("large")) return large;
  return standard;
}

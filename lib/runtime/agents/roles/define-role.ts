// User-defined roles: a signature, instructions and skills, validated once, ready for startAgent:
//   const role = defineRole({ name: "translator", signature: "text, language -> translation", instructions: "..." });
//   const agent = await startAgent({ name: "fr", lm, ...role.agentOptions() });
import { ChainOfThought, Predict, type Module, type Signature } from "../../../dspex";
import { AgentError } from "../errors";
import { isSkill, type Skill } from "../skill";
import type { RoleSpec } from "../types";

export interface RoleDefinitionSpec {
  /** Shown on the dashboard as the agent's role, e.g. "coder". */
  readonly name: string;
  readonly signature: Signature | string;
  readonly instructions?: string;
  readonly skills?: readonly Skill[];
  /** Predict (default) or ChainOfThought. */
  readonly module?: "predict" | "chain-of-thought";
}

export interface RoleDefinition {
  readonly name: string;
  readonly spec: Extract<RoleSpec, { signature: unknown }>;
  readonly skills: readonly Skill[];
  /** The role's module, to run it without an agent (`role.module().run(inputs, { lm })`). */
  module(): Module;
  /** `{ role, skills }` for startAgent. */
  agentOptions(): { readonly role: RoleSpec; readonly skills: readonly Skill[] };
}

const NAME = /^[A-Za-z][\w.:-]{0,63}$/;

export function defineRole(spec: RoleDefinitionSpec): RoleDefinition {
  const name = spec?.name;
  if (typeof name !== "string" || !NAME.test(name)) throw new AgentError("OPTION_INVALID", `defineRole: name must start with a letter and hold only letters, digits, "_", ".", ":" or "-" (got ${JSON.stringify(name)})`);
  const skills = spec.skills ?? [];
  skills.forEach((s, i) => {
    if (!isSkill(s)) throw new AgentError("SKILL_INVALID", `defineRole "${name}": skills[${i}] must be made with defineSkill({ name, actions, handlers })`, name);
  });
  const mode = spec.module ?? "predict";
  // Parses the signature now, so a bad shorthand fails here and not on the first message.
  const predict = new Predict(spec.signature, { ...(spec.instructions !== undefined && { instructions: spec.instructions }) });
  const roleSpec = { name, signature: predict.signature, ...(spec.instructions !== undefined && { instructions: spec.instructions }), module: mode } as const;
  return Object.freeze({
    name,
    spec: roleSpec,
    skills: Object.freeze([...skills]),
    module: () => (mode === "chain-of-thought" ? ChainOfThought.fromPredict(predict) : predict),
    agentOptions: () => ({ role: roleSpec, skills }),
  });
}

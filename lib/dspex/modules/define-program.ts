import type { RunContext } from "../context";
import { signature as parseSignature } from "../signatures";
import type { Signature, Values } from "../signatures/types";
import { Module } from "./module";

export interface ProgramSpec<I extends Values, O extends Values, M extends Record<string, Module>> {
  readonly name: string;
  /** The program's steps; each becomes a named child (its path in the tree). */
  readonly modules: M;
  /** The program's own interface: API input is validated against it. */
  readonly signature?: Signature<I, O> | string;
  forward(inputs: I, modules: M, ctx: RunContext): Promise<O>;
}

const SPEC = Symbol("spec");

/** A program written as a function over named modules, instead of a class with `forward`. */
export class FunctionProgram<I extends Values, O extends Values, M extends Record<string, Module>> extends Module<I, O> {
  declare readonly [SPEC]: ProgramSpec<I, O, M>;
  readonly signature?: Signature<I, O>;

  constructor(spec: ProgramSpec<I, O, M>) {
    super();
    // A symbol key: copied by replace() with the rest, never mistaken for a child module.
    Object.defineProperty(this, SPEC, { value: spec, enumerable: true });
    if (spec.signature) this.signature = typeof spec.signature === "string" ? (parseSignature(spec.signature) as unknown as Signature<I, O>) : spec.signature;
    Object.assign(this, spec.modules);
  }

  override get kind(): string {
    return this[SPEC].name;
  }

  /** The current modules (after any replace), by name. */
  get modules(): M {
    const self = this as unknown as Record<string, Module>;
    return Object.fromEntries(Object.keys(this[SPEC].modules).map((k) => [k, self[k]])) as M;
  }

  forward(inputs: I, ctx: RunContext): Promise<O> {
    return this[SPEC].forward(inputs, this.modules, ctx);
  }
}

export function defineProgram<I extends Values, O extends Values, M extends Record<string, Module>>(spec: ProgramSpec<I, O, M>): FunctionProgram<I, O, M> {
  return new FunctionProgram(spec);
}

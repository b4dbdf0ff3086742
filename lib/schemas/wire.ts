import type { z } from "zod";

/** A schema's output as the server produces it (readonly all the way down): `const body: Wire<typeof S> = storeResult` checks the value fits the schema. */
export type Wire<S extends z.ZodType> = DeepReadonly<z.output<S>>;
type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

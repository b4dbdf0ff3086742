// DSPEx, the framework: signatures, modules, adapters, LM clients, evaluation and optimizers.
// This layer never imports Next, the database or socket.io, so a plain Node script can use it.
export const DSPEX_FRAMEWORK = "dspex" as const;

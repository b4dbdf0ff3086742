import { describeSupervisorContract } from "../testing";
import { startSupervisor, supervisor, type Supervisor } from "./index";

describeSupervisorContract("startSupervisor (a root)", (options) => startSupervisor(options));

// The same contract, for a supervisor nested under a parent (started through supervisor()).
describeSupervisorContract("supervisor() nested under a parent", async (options) => {
  let nested: Supervisor | undefined;
  const inner = supervisor({ flags: options.flags, children: options.children, onEvent: options.onEvent });
  await startSupervisor({
    clock: options.clock,
    flags: { intensity: 0 },
    children: [
      {
        id: "sub",
        start: async (ctx) => {
          nested = (await inner(ctx)) as Supervisor;
          return nested;
        },
        type: "supervisor",
      },
    ],
  });
  return nested!;
});

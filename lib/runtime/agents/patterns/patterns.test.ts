// Each coordination pattern over a real team of supervised agents.
import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "../../clock";
import { startSupervisor, type Supervisor } from "../../supervisor";
import { contractNet, createTeam, debate, defineSkill, fanOut, pipeline, startAgent, vote, type Agent, type Skill } from "../index";

let sup: Supervisor | undefined;
afterEach(async () => {
  await sup?.stop();
  sup = undefined;
});

async function agent(id: string, ...skills: Skill[]): Promise<Agent> {
  sup ??= await startSupervisor({ flags: { intensity: 100 } });
  return startAgent({ name: id, id, supervisor: sup, skills });
}

describe("patterns", () => {
  it("pipeline: each stage's output feeds the next stage's agent", async () => {
    const team = createTeam({ name: "p" });
    team.join(await agent("upper", defineSkill({ name: "upper", handlers: { upper: (s) => String(s).toUpperCase() } })));
    team.join(await agent("exclaim", defineSkill({ name: "exclaim", handlers: { exclaim: (s) => `${String(s)}!` } })));
    team.join(await agent("wrap", defineSkill({ name: "wrap", handlers: { wrap: (s) => ({ text: s }) } })));
    const { output, steps } = await pipeline(team, [{ capability: "upper" }, { capability: "exclaim" }, { capability: "wrap" }], "hi");
    expect(output).toEqual({ text: "HI!" });
    expect(steps.map((s) => s.agentId)).toEqual(["upper", "exclaim", "wrap"]);
  });

  it("supervisor-worker: a supervisor agent splits, workers fan out in parallel, the supervisor merges in item order", async () => {
    const team = createTeam({ name: "sw", balance: "round-robin" });
    team.join(await agent("boss", defineSkill({ name: "boss", handlers: { split: (s) => String(s).split(" "), merge: (parts) => (parts as string[]).join("-") } })));
    const square = defineSkill({ name: "len", handlers: { len: (w) => String(w).length } });
    for (const id of ["w1", "w2", "w3"]) team.join(await agent(id, square));
    const { output, results } = await fanOut(team, "a bb ccc dddd", { capability: "len", split: { capability: "split" }, merge: { capability: "merge" } });
    expect(output).toBe("1-2-3-4");
    expect(new Set(results.map((r) => r.agentId))).toEqual(new Set(["w1", "w2", "w3"]));
    const local = await fanOut(team, [1, 22, 333], { capability: "len", concurrency: 1, merge: (xs) => (xs as number[]).reduce((a, b) => a + b, 0) });
    expect(local.output).toBe(6);
  });

  it("vote: distinct agents answer, the majority wins without a judge; a judge agent picks when there is one", async () => {
    const team = createTeam({ name: "v" });
    const answer = (value: string) => defineSkill({ name: "answer", handlers: { answer: () => value } });
    team.join(await agent("a", answer("4")));
    team.join(await agent("b", answer("5")));
    team.join(await agent("c", answer("4")));
    const plain = await vote(team, "2+2?", { capability: "answer", voters: 3 });
    expect(plain).toMatchObject({ output: "4", candidates: ["4", "5", "4"], winner: 0 });
    expect(new Set(plain.rounds[0]!.map((r) => r.agentId)).size).toBe(3);
    team.join(await agent("judge", defineSkill({ name: "judge", handlers: { judge: (p) => ({ choice: (p as { candidates: string[] }).candidates.indexOf("5") }) } })));
    const judged = await vote(team, "2+2?", { capability: "answer", judge: { capability: "judge" } });
    expect(judged.output).toBe("5");
  });

  it("debate: from round 2 every agent sees the others' answers and may change its mind", async () => {
    const team = createTeam({ name: "d" });
    const stubborn = defineSkill({ name: "answer", handlers: { answer: () => "blue" } });
    const swayed = defineSkill({
      name: "answer",
      handlers: { answer: (p) => (typeof p === "object" && p !== null && "others" in p ? ((p as { others: string[] }).others[0] ?? "red") : "red") },
    });
    team.join(await agent("s1", stubborn));
    team.join(await agent("s2", swayed));
    const result = await debate(team, "sky colour?", { capability: "answer", voters: 2, rounds: 2 });
    expect(result.rounds.map((r) => r.map((x) => x.output))).toEqual([["blue", "red"], ["blue", "blue"]]);
    expect(result.output).toBe("blue");
  });

  it("contract net: the cheapest capable bidder wins; decliners are skipped; a crashed winner's task goes to the next cheapest", async () => {
    const team = createTeam({ name: "cn" });
    const bidder = (cost: number | null, crash = false) =>
      defineSkill({
        name: "build",
        handlers: {
          bid: () => cost,
          build: (_p, ctx) => {
            if (crash) throw new Error("crashed while building");
            return `built by ${ctx.agent.id}`;
          },
        },
      });
    team.join(await agent("pricey", bidder(9)));
    team.join(await agent("cheap", bidder(1)));
    team.join(await agent("busy", bidder(null)));
    team.join(await agent("mid", bidder(5)));
    const won = await contractNet(team, { capability: "build", payload: "a shed" });
    expect(won).toMatchObject({ agentId: "cheap", output: "built by cheap", attempts: 1 });
    expect(won.bids).toEqual([
      { agentId: "cheap", cost: 1 },
      { agentId: "mid", cost: 5 },
      { agentId: "pricey", cost: 9 },
    ]);
    team.leave("cheap");
    team.join(await agent("cheapest-but-crashes", bidder(0, true)));
    const rewon = await contractNet(team, { capability: "build" });
    expect(rewon).toMatchObject({ agentId: "mid", attempts: 2 });
  });

  it("contract net without bid handlers awards the least-loaded agent", async () => {
    const team = createTeam({ name: "cn2" });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const work = defineSkill({ name: "work", handlers: { work: (p) => (p === "hold" ? held.then(() => "held") : "ok") } });
    const a = await agent("a", work);
    team.join(a);
    team.join(await agent("b", work));
    const hold = team.dispatch({ capability: "work", payload: "hold" }, { select: () => a });
    await flushPromises();
    expect(a.load).toBe(1);
    const won = await contractNet(team, { capability: "work" });
    expect(won.agentId).toBe("b");
    release();
    await hold;
  });
});

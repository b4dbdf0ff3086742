import { describeClockContract } from "../testing";
import { FakeClock, systemClock } from "./index";

describeClockContract("systemClock", () => ({
  clock: systemClock(),
  pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms + 5)),
}));

describeClockContract("FakeClock", () => {
  const clock = new FakeClock();
  return { clock, pass: (ms) => clock.advance(ms) };
});

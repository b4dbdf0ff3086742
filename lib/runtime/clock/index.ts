export { systemClock, sleepOn, type Clock, type TimerHandle } from "./clock";
export { FakeClock, flushPromises, type FakeClockOptions } from "./fake-clock";

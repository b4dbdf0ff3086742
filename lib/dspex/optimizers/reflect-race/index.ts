export { ReflectRace, raceEarlyCalls } from "./reflect-race";
export { ReflectRaceOptionsSchema, type ReflectRaceOptions, type ReflectRaceSettings } from "./options";
export { splitDemoSets, diverseOrder } from "./demo-sets";

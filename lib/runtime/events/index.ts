export { EventBus, type BusEvent, type BusListener } from "./event-bus";

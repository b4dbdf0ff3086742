export { CostsView } from "./costs-view";
export { PriceUnknown } from "./price-unknown";

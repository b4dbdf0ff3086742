export { CostsView } from "./costs-view";

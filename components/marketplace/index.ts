export { MarketplaceView } from "./marketplace-view";

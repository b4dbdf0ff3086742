export { DatasetsList } from "./datasets-list";
export { DatasetDetail } from "./dataset-detail";
export { ImportDialog } from "./import-dialog";

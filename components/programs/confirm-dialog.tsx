// The dialog lives in the shared UI kit; the programs area keeps its import path.
export { ConfirmDialog } from "@/components/ui";

export { Card, CardHeader, CardBody } from "./card";
export { PageHeader } from "./page-header";
export { EmptyState } from "./empty-state";
export { Stat } from "./stat";
export { btn, btnPrimary } from "./buttons";
export { ConfirmDialog } from "./confirm-dialog";
export { LocalTime, formatLocal, useHydrated, type TimeStyle } from "./local-time";

export { AlertsView } from "./alerts-view";
export { AlertSettingsCard } from "./alert-settings-form";
export { AlertsBadge } from "./alerts-badge";

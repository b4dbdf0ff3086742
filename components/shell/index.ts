export { AppShell } from "./app-shell";
export { NAV_ITEMS, isActive, type NavItem } from "./nav-items";

import { Activity, Bell, Bot, Boxes, GitCompare, Coins, Database, FlaskConical, LayoutDashboard, Settings, Store, type LucideIcon } from "lucide-react";

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  description: string;
}

/** Every area of the dashboard, in the order of the sidebar. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview", icon: LayoutDashboard, description: "Throughput, errors, latency and spend, live" },
  { href: "/programs", label: "Programs", icon: Boxes, description: "Programs, their versions and variables" },
  { href: "/optimizations", label: "Optimizations", icon: FlaskConical, description: "Launch and watch optimizations" },
  { href: "/experiments", label: "Experiments", icon: GitCompare, description: "Versions compared on a dataset, example by example" },
  { href: "/runs", label: "Runs & Traces", icon: Activity, description: "Every run with its trace" },
  { href: "/agents", label: "Agents", icon: Bot, description: "Supervision trees and agent teams" },
  { href: "/marketplace", label: "Marketplace", icon: Store, description: "Installed skills and actions, and which may run" },
  { href: "/datasets", label: "Datasets", icon: Database, description: "Examples for evaluation and optimization" },
  { href: "/costs", label: "Costs", icon: Coins, description: "Spend by model, program, key and day" },
  { href: "/alerts", label: "Alerts", icon: Bell, description: "Budgets, error rate, latency, breakers and failed optimizations" },
  { href: "/settings", label: "Settings", icon: Settings, description: "Providers, prices, API keys and users" },
];

export function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { AlertsBadge } from "@/components/alerts";
import { NAV_ITEMS, isActive } from "./nav-items";

export function SidebarNav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5 p-2">
      {NAV_ITEMS.map(({ href, label, icon: Icon }) => {
        const active = isActive(pathname, href);
        return (
          <Link
            key={href}
            href={href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={`flex items-center gap-2.5 rounded-md px-3 py-2 text-sm transition-colors ${
              active ? "bg-accent/10 font-medium text-accent" : "text-muted hover:bg-subtle hover:text-fg"
            }`}
          >
            <Icon aria-hidden className="size-4 shrink-0" />
            {label}
            {href === "/alerts" && <AlertsBadge />}
          </Link>
        );
      })}
    </nav>
  );
}

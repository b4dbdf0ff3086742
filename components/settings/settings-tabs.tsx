"use client";

import * as Tabs from "@radix-ui/react-tabs";
import { ShieldAlert } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { useSessionUser } from "@/components/shell/user-menu";
import { EmptyState } from "@/components/ui";
import { ApiKeysPanel } from "./api-keys-panel";
import { Loading } from "./controls";
import { PricesPanel } from "./prices-panel";
import { ProvidersPanel } from "./providers-panel";
import { UsersPanel } from "./users-panel";

const TABS = [
  { id: "api-keys", label: "API keys", admin: false },
  { id: "users", label: "Users", admin: true },
  { id: "providers", label: "Providers", admin: true },
  { id: "prices", label: "Prices", admin: false },
  { id: "server", label: "Server", admin: false },
] as const;
type TabId = (typeof TABS)[number]["id"];

function AdminOnly() {
  return (
    <EmptyState icon={ShieldAlert} title="Administrators only">
      This section is for administrators. Ask one to change it for you.
    </EmptyState>
  );
}

/** The settings sections as tabs; the open one is kept in the URL (?tab=). */
export function SettingsTabs({ server }: { server: ReactNode }) {
  const { user, isLoading } = useSessionUser();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const asked = params.get("tab");
  const tab: TabId = TABS.some((t) => t.id === asked) ? (asked as TabId) : "api-keys";
  const isAdmin = user?.role === "admin";

  const select = (value: string) => {
    const next = new URLSearchParams(params.toString());
    next.set("tab", value);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  return (
    <Tabs.Root value={tab} onValueChange={select}>
      <Tabs.List aria-label="Settings sections" className="mb-4 flex gap-1 overflow-x-auto border-b border-border">
        {TABS.map((t) => (
          <Tabs.Trigger
            key={t.id}
            value={t.id}
            className="-mb-px whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm text-muted outline-none hover:text-fg focus-visible:ring-2 focus-visible:ring-accent data-[state=active]:border-accent data-[state=active]:font-medium data-[state=active]:text-fg"
          >
            {t.label}
            {t.admin && !isAdmin && user && <span className="sr-only"> (administrators only)</span>}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {isLoading || !user ? (
        <Loading what="your account" />
      ) : (
        <>
          <Tabs.Content value="api-keys">
            <ApiKeysPanel isAdmin={isAdmin} />
          </Tabs.Content>
          <Tabs.Content value="users">{isAdmin ? <UsersPanel currentUserId={user.id} /> : <AdminOnly />}</Tabs.Content>
          <Tabs.Content value="providers">{isAdmin ? <ProvidersPanel /> : <AdminOnly />}</Tabs.Content>
          <Tabs.Content value="prices">
            <PricesPanel isAdmin={isAdmin} />
          </Tabs.Content>
          <Tabs.Content value="server">{server}</Tabs.Content>
        </>
      )}
    </Tabs.Root>
  );
}

"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useQuery } from "@tanstack/react-query";
import { ChevronDown, LogOut, UserRound } from "lucide-react";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { useHydrated } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { ROLE_LABELS, roleAllows, type ApiScope } from "@/lib/schemas";

export const SESSION_QUERY_KEY = ["auth", "session"] as const;

/**
 * The signed-in user (undefined while loading, null when signed out). Undefined also while the
 * page hydrates: the server never knows the user here, and a part of the page that hydrates late
 * (inside a Suspense boundary) would otherwise find the session already loaded, render what the
 * user may do, and no longer match the server's HTML (React error #418).
 */
export function useSessionUser() {
  const hydrated = useHydrated();
  const query = useQuery({ queryKey: SESSION_QUERY_KEY, queryFn: ({ signal }) => callApi(routes.authSession, { signal }), staleTime: 60_000 });
  return { user: hydrated ? query.data?.user : undefined, isLoading: !hydrated || query.isLoading, error: hydrated ? query.error : null };
}

/** Whether the signed-in person's role allows a scope: the dashboard hides what the API would refuse. */
export function useCan(scope: ApiScope): boolean {
  const { user } = useSessionUser();
  return user !== undefined && user !== null && roleAllows(user.role, scope);
}

/** Its children only for people whose role has the scope (the API refuses the others anyway). */
export function Can({ scope, children, otherwise = null }: { scope: ApiScope; children: ReactNode; otherwise?: ReactNode }) {
  return <>{useCan(scope) ? children : otherwise}</>;
}

export function UserMenu() {
  const { user } = useSessionUser();
  const [leaving, setLeaving] = useState(false);
  if (!user) return null;

  const signOut = async () => {
    setLeaving(true);
    try {
      await callApi(routes.authLogout);
    } catch (err) {
      // The session may be gone already; the sign-in page is the right place either way.
      if (err instanceof Error) toast.message(`Signing out: ${err.message}`);
    }
    window.location.assign("/login");
  };

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        data-testid="user-menu"
        aria-label={`Account: ${user.name}`}
        className="inline-flex h-8 max-w-48 items-center gap-1.5 rounded-md border border-border px-2 text-sm hover:bg-subtle focus-visible:ring-2 focus-visible:ring-accent outline-none"
      >
        <UserRound aria-hidden className="size-4 shrink-0 text-muted" />
        <span className="hidden truncate sm:inline" data-testid="user-menu-name">
          {user.name}
        </span>
        <ChevronDown aria-hidden className="size-3.5 shrink-0 text-muted" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-56 rounded-md border border-border bg-card p-1 text-sm shadow-lg">
          <div className="px-2 py-1.5">
            <div className="truncate font-medium">{user.name}</div>
            <div className="truncate text-xs text-muted">{user.email}</div>
            <div className="mt-0.5 text-xs text-muted">{ROLE_LABELS[user.role]}</div>
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-border" />
          <DropdownMenu.Item
            disabled={leaving}
            onSelect={(e) => {
              e.preventDefault();
              void signOut();
            }}
            className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-subtle"
          >
            <LogOut aria-hidden className="size-4" />
            {leaving ? "Signing out…" : "Sign out"}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ThemeProvider } from "next-themes";
import { useState, type ReactNode } from "react";
import { Toaster } from "sonner";
import { ConfigChangeSync, RealtimeProvider } from "@/components/realtime";
import { ApiError } from "@/lib/api/client";

/** A refusal (4xx) will not change on a retry: show it at once. Other failures get three more tries. */
const retryQuery = (failures: number, error: unknown) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 3;

export function Providers({ children, nonce }: { children: ReactNode; nonce?: string | undefined }) {
  // Live data arrives over socket.io, so queries do not poll or refetch on focus.
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: retryQuery } } }),
  );
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange {...(nonce && { nonce })}>
      <QueryClientProvider client={queryClient}>
        <RealtimeProvider>
          <ConfigChangeSync />
          {children}
          <Toaster richColors closeButton position="bottom-right" />
        </RealtimeProvider>
      </QueryClientProvider>
    </ThemeProvider>
  );
}

"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ThemeProvider } from "next-themes";
import { useState, type ReactNode } from "react";
import { Toaster } from "sonner";
import { RealtimeProvider } from "@/components/realtime";

export function Providers({ children }: { children: ReactNode }) {
  // Live data arrives over socket.io, so queries do not poll or refetch on focus.
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false } } }),
  );
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
      <QueryClientProvider client={queryClient}>
        <RealtimeProvider>
          {children}
          <Toaster richColors closeButton position="bottom-right" />
        </RealtimeProvider>
      </QueryClientProvider>
    </ThemeProvider>
  );
}

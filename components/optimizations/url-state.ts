"use client";
// View state kept in the URL (so a reload or a shared link shows the same view): read the
// current search params and replace some of them without adding a history entry.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export type UrlPatch = Record<string, string | number | null | undefined>;

/** A positive page number from the URL, 1 when missing or invalid. */
export function pageParam(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function useUrlState(): { params: URLSearchParams; set: (patch: UrlPatch) => void } {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const set = useCallback(
    (patch: UrlPatch) => {
      const next = new URLSearchParams(search.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === undefined || v === "") next.delete(k);
        else next.set(k, String(v));
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [search, router, pathname],
  );
  return { params: new URLSearchParams(search.toString()), set };
}

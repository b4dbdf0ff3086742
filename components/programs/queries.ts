"use client";
// react-query hooks over the programs API; keys are [feature, kind, ...].
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { ProgramDetailSchema, ProgramListPageSchema, ProgramVersionPageSchema, VersionDiffViewSchema } from "@/lib/schemas";

export const programKeys = {
  all: ["programs"] as const,
  list: (query: { page: number; search: string }) => ["programs", "list", query] as const,
  detail: (name: string) => ["programs", "detail", name] as const,
  versions: (name: string, page: number) => ["programs", "versions", name, page] as const,
  diff: (name: string, id: string) => ["programs", "diff", name, id] as const,
};

const enc = encodeURIComponent;

export function useProgramList(query: { page: number; search: string }) {
  const params = new URLSearchParams({ page: String(query.page), limit: "50", ...(query.search && { search: query.search }) });
  return useQuery({ queryKey: programKeys.list(query), queryFn: () => api(`/api/v1/programs?${params}`, ProgramListPageSchema), placeholderData: (prev) => prev });
}

export function useProgram(name: string) {
  return useQuery({ queryKey: programKeys.detail(name), queryFn: () => api(`/api/v1/programs/${enc(name)}`, ProgramDetailSchema) });
}

export const VERSIONS_PER_PAGE = 20;

export function useVersions(name: string, page: number) {
  return useQuery({
    queryKey: programKeys.versions(name, page),
    queryFn: () => api(`/api/v1/programs/${enc(name)}/versions?page=${page}&limit=${VERSIONS_PER_PAGE}`, ProgramVersionPageSchema),
    placeholderData: (prev) => prev,
  });
}

export function useVersionDiff(name: string, id: string | null) {
  return useQuery({
    queryKey: programKeys.diff(name, id ?? ""),
    queryFn: () => api(`/api/v1/programs/${enc(name)}/versions/${enc(id!)}/diff`, VersionDiffViewSchema),
    enabled: id !== null,
    staleTime: Infinity, // versions are immutable
  });
}

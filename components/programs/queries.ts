"use client";
// react-query hooks over the programs API; keys are [feature, kind, ...].
import { useQuery } from "@tanstack/react-query";
import { callApi, routes } from "@/lib/api/client";

export const programKeys = {
  all: ["programs"] as const,
  list: (query: { page: number; search: string }) => ["programs", "list", query] as const,
  detail: (name: string) => ["programs", "detail", name] as const,
  versions: (name: string, page: number) => ["programs", "versions", name, page] as const,
  diff: (name: string, id: string) => ["programs", "diff", name, id] as const,
};

export function useProgramList(query: { page: number; search: string }) {
  return useQuery({ queryKey: programKeys.list(query), queryFn: () => callApi(routes.listPrograms, { query: { page: query.page, limit: 50, search: query.search } }), placeholderData: (prev) => prev });
}

export function useProgram(name: string) {
  return useQuery({ queryKey: programKeys.detail(name), queryFn: () => callApi(routes.getProgram, { params: { name } }) });
}

export const VERSIONS_PER_PAGE = 20;

export function useVersions(name: string, page: number) {
  return useQuery({
    queryKey: programKeys.versions(name, page),
    queryFn: () => callApi(routes.listProgramVersions, { params: { name }, query: { page, limit: VERSIONS_PER_PAGE } }),
    placeholderData: (prev) => prev,
  });
}

export function useVersionDiff(name: string, id: string | null) {
  return useQuery({
    queryKey: programKeys.diff(name, id ?? ""),
    queryFn: () => callApi(routes.diffProgramVersion, { params: { name, id: id! } }),
    enabled: id !== null,
    staleTime: Infinity, // versions are immutable
  });
}

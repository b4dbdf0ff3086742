"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Bookmark, Trash2 } from "lucide-react";
import { useState } from "react";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { type SavedView } from "@/lib/schemas";
import { fieldsToView, viewToFields, type SearchFields } from "./use-search-params-state";
import { useCan } from "@/components/shell/user-menu";

const KEY = ["trace-search", "views"] as const;
const INPUT = "h-8 rounded-md border border-border bg-card px-2 text-sm focus-visible:outline-2";

/** Saved views: open one (its filters replace the search), save the current search, delete one. */
export function SavedViews({ fields, onOpen }: { fields: SearchFields; onOpen: (fields: SearchFields) => void }) {
  const queryClient = useQueryClient();
  const views = useQuery({ queryKey: KEY, queryFn: ({ signal }) => callApi(routes.listSavedViews, { signal }) });
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState("");
  const [error, setError] = useState<string | null>(null);
  const canManage = useCan("manage");
  const items: SavedView[] = views.data?.items ?? [];

  const save = async () => {
    setError(null);
    try {
      const view = await callApi(routes.saveView, { body: { name, query: fieldsToView(fields) } });
      setName("");
      setChosen(view.id);
      await queryClient.invalidateQueries({ queryKey: KEY });
    } catch (err) {
      setError(err instanceof ApiError ? Object.values(err.fields)[0] ?? err.message : String(err));
    }
  };
  const remove = async () => {
    if (!chosen) return;
    await callApi(routes.deleteSavedView, { params: { id: chosen } });
    setChosen("");
    await queryClient.invalidateQueries({ queryKey: KEY });
  };

  return (
    <div className="mb-4 flex flex-wrap items-end gap-3" data-testid="saved-views">
      <label className="flex flex-col gap-1 text-xs text-muted">
        Saved view
        <select
          aria-label="Saved view"
          className={INPUT}
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            const view = items.find((v) => v.id === e.target.value);
            if (view) onOpen(viewToFields(view.query));
          }}
        >
          <option value="">{items.length ? "Choose a view…" : "No saved views yet"}</option>
          {items.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      {chosen && canManage && (
        <button type="button" onClick={() => void remove()} className="inline-flex h-8 items-center gap-1 rounded-md border border-border px-2 text-sm hover:bg-subtle">
          <Trash2 aria-hidden className="size-4" /> Delete view
        </button>
      )}
      {canManage && (
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="flex flex-col gap-1 text-xs text-muted">
          Save this search as
          <input aria-label="View name" className={INPUT} value={name} onChange={(e) => setName(e.target.value)} placeholder="refund errors" />
        </label>
        <button type="submit" disabled={!name.trim()} className="inline-flex h-8 items-center gap-1 rounded-md border border-border px-2 text-sm hover:bg-subtle disabled:opacity-50">
          <Bookmark aria-hidden className="size-4" /> Save view
        </button>
      </form>
      )}
      {error && (
        <p role="alert" className="text-sm text-bad">
          {error}
        </p>
      )}
    </div>
  );
}

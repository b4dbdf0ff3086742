"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, CircleX, Info, Pencil, PlugZap, Plus, Server, Trash2 } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui";
import { api } from "@/lib/client/api";
import { PROVIDER_KINDS, ProviderListSchema, ProviderTestResultSchema, ProviderViewSchema, type ProviderTestResult, type ProviderView } from "@/lib/schemas";
import { Button, ConfirmDialog, FormError, Loading, Modal, SelectField, TextField } from "./controls";
import { applyServerErrors, errorMessage } from "./server-errors";

const FormSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(60, "must be at most 60 characters"),
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: z.string().trim().min(1, "must not be empty").refine((v) => URL.canParse(v), "must be a URL such as https://api.openai.com/v1"),
  apiKey: z.string(),
  defaultModel: z.string(),
  removeKey: z.boolean(),
});
type FormValues = z.infer<typeof FormSchema>;
const FIELDS = ["name", "kind", "baseUrl", "apiKey", "defaultModel"] as const;

function keyText(p: ProviderView): string {
  if (p.keyStatus === "unset") return "not set";
  if (p.keyStatus === "unreadable") return "set, but unreadable with this server's secret key: enter it again";
  return p.keyLast4 ? `set (ends in …${p.keyLast4})` : "set";
}

function ProviderForm({ editing, onDone }: { editing: ProviderView | undefined; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const form = useForm<FormValues>({
    resolver: zodResolver(FormSchema),
    defaultValues: {
      name: editing?.name ?? "",
      kind: editing?.kind === "openai" ? "openai" : "openai-compatible",
      baseUrl: editing?.baseUrl ?? "",
      apiKey: "",
      defaultModel: editing?.defaultModel ?? "",
      removeKey: false,
    },
    mode: "onTouched",
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (v) => {
    setFormError(undefined);
    try {
      const body = editing
        ? { name: v.name, kind: v.kind, baseUrl: v.baseUrl, defaultModel: v.defaultModel, ...(v.removeKey ? { apiKey: null } : v.apiKey.trim() !== "" && { apiKey: v.apiKey }) }
        : { name: v.name, kind: v.kind, baseUrl: v.baseUrl, apiKey: v.apiKey, defaultModel: v.defaultModel };
      const saved = await api(editing ? `/api/v1/providers/${encodeURIComponent(editing.id)}` : "/api/v1/providers", ProviderViewSchema, { body });
      toast.success(`Provider "${saved.name}" saved`);
      await queryClient.invalidateQueries({ queryKey: ["settings", "providers"] });
      onDone();
    } catch (err) {
      setFormError(applyServerErrors(form, err, [...FIELDS]));
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={editing ? "Edit provider" : "Add a provider"}>
      <TextField id="provider-name" label="Name" placeholder="e.g. openai, local-vllm" error={errors.name?.message} {...form.register("name")} />
      <SelectField
        id="provider-kind"
        label="Kind"
        options={[
          { value: "openai-compatible", label: "OpenAI-compatible (vLLM, Ollama, LM Studio, gateways)" },
          { value: "openai", label: "OpenAI" },
        ]}
        error={errors.kind?.message}
        {...form.register("kind")}
      />
      <TextField id="provider-base-url" label="Base URL" placeholder="https://api.openai.com/v1" error={errors.baseUrl?.message} {...form.register("baseUrl")} />
      <TextField
        id="provider-api-key"
        label="API key"
        type="password"
        autoComplete="off"
        placeholder={editing && editing.keyStatus !== "unset" ? "leave empty to keep the stored key" : "empty for servers without a key"}
        hint="Encrypted at rest (AES-256-GCM) and never sent back to the browser."
        error={errors.apiKey?.message}
        {...form.register("apiKey")}
      />
      {editing && editing.keyStatus !== "unset" && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" {...form.register("removeKey")} />
          Remove the stored key
        </label>
      )}
      <TextField id="provider-default-model" label="Default model (optional)" placeholder="e.g. gpt-4o-mini" error={errors.defaultModel?.message} {...form.register("defaultModel")} />
      <FormError message={formError} />
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : editing ? "Save changes" : "Add provider"}
        </Button>
      </div>
    </form>
  );
}

function TestResult({ result }: { result: ProviderTestResult }) {
  return (
    <div
      role="status"
      data-testid="provider-test-result"
      data-ok={result.ok}
      className={`mt-3 rounded-md border px-3 py-2 text-sm ${result.ok ? "border-ok/40 bg-ok/10" : "border-bad/40 bg-bad/10"}`}
    >
      <div className={`flex items-center gap-2 font-medium ${result.ok ? "text-ok" : "text-bad"}`}>
        {result.ok ? <CircleCheck aria-hidden className="size-4" /> : <CircleX aria-hidden className="size-4" />}
        {result.ok ? `Connected in ${Math.round(result.latencyMs)} ms` : `Failed after ${Math.round(result.latencyMs)} ms${result.status ? ` (HTTP ${result.status})` : ""}`}
      </div>
      <div className="mt-1 break-all font-mono text-xs text-muted">{result.request}</div>
      {result.ok ? (
        <div className="mt-1 text-xs">
          {result.modelCount} model{result.modelCount === 1 ? "" : "s"}
          {result.models.length > 0 && `: ${result.models.join(", ")}${result.modelCount > result.models.length ? ", …" : ""}`}
        </div>
      ) : (
        <div className="mt-1 break-words text-xs" data-testid="provider-test-error">
          {result.error}
        </div>
      )}
    </div>
  );
}

function ProviderCard({ provider, onEdit, onDelete }: { provider: ProviderView; onEdit: () => void; onDelete: () => void }) {
  const [result, setResult] = useState<ProviderTestResult>();
  const test = useMutation({
    mutationFn: () => api(`/api/v1/providers/${encodeURIComponent(provider.id)}/test`, ProviderTestResultSchema, { method: "POST", body: {} }),
    onSuccess: setResult,
    onError: (err) => toast.error(`Test failed to run: ${errorMessage(err)}`),
  });
  return (
    <li className="rounded-lg border border-border p-4" data-testid="provider-row" data-provider-name={provider.name}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="font-medium">{provider.name}</div>
          <div className="break-all font-mono text-xs text-muted">{provider.baseUrl}</div>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
            <dt className="text-muted">Kind</dt>
            <dd>{provider.kind}</dd>
            <dt className="text-muted">API key</dt>
            <dd data-testid="provider-key-status" className={provider.keyStatus === "unreadable" ? "text-warn" : ""}>
              {keyText(provider)}
            </dd>
            <dt className="text-muted">Default model</dt>
            <dd>{provider.defaultModel ?? "—"}</dd>
          </dl>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="primary" onClick={() => test.mutate()} disabled={test.isPending}>
            <PlugZap aria-hidden className="size-4" />
            {test.isPending ? "Testing…" : "Test connection"}
          </Button>
          <Button onClick={onEdit} aria-label={`Edit ${provider.name}`}>
            <Pencil aria-hidden className="size-4" />
            Edit
          </Button>
          <Button variant="danger" onClick={onDelete} aria-label={`Delete ${provider.name}`}>
            <Trash2 aria-hidden className="size-4" />
            Delete
          </Button>
        </div>
      </div>
      {result && <TestResult result={result} />}
    </li>
  );
}

export function ProvidersPanel() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<{ editing: ProviderView | undefined }>();
  const [deleting, setDeleting] = useState<ProviderView>();
  const query = useQuery({ queryKey: ["settings", "providers", "list"], queryFn: ({ signal }) => api("/api/v1/providers", ProviderListSchema, { signal }) });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/api/v1/providers/${encodeURIComponent(id)}/delete`, ProviderViewSchema, { method: "POST", body: {} }),
    onSuccess: async (p) => {
      toast.success(`Provider "${p.name}" deleted`);
      setDeleting(undefined);
      await queryClient.invalidateQueries({ queryKey: ["settings", "providers"] });
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  return (
    <Card>
      <CardHeader
        title="Providers"
        description="OpenAI-compatible endpoints. Keys are encrypted at rest and never leave the server."
        action={
          <Button variant="primary" onClick={() => setForm({ editing: undefined })}>
            <Plus aria-hidden className="size-4" />
            Add provider
          </Button>
        }
      />
      <CardBody className="space-y-3">
        <p className="flex gap-2 rounded-md border border-border bg-subtle px-3 py-2 text-xs text-muted" data-testid="providers-note">
          <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>
            The server uses <code className="font-mono">DSPEX_LM_BASE_URL</code> for its runs; providers saved here are for testing and later selection.
          </span>
        </p>
        {query.isLoading ? (
          <Loading what="providers" />
        ) : query.error ? (
          <FormError message={errorMessage(query.error)} />
        ) : query.data?.items.length === 0 ? (
          <EmptyState icon={Server} title="No providers yet">
            Add an OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, a gateway) with its key, then test the connection.
          </EmptyState>
        ) : (
          <ul className="space-y-3">
            {query.data?.items.map((p) => (
              <ProviderCard key={p.id} provider={p} onEdit={() => setForm({ editing: p })} onDelete={() => setDeleting(p)} />
            ))}
          </ul>
        )}
      </CardBody>
      <Modal open={form !== undefined} onOpenChange={(open) => !open && setForm(undefined)} title={form?.editing ? `Edit ${form.editing.name}` : "Add a provider"}>
        {form && <ProviderForm editing={form.editing} onDone={() => setForm(undefined)} />}
      </Modal>
      <ConfirmDialog
        open={deleting !== undefined}
        onOpenChange={(open) => !open && setDeleting(undefined)}
        title={`Delete provider "${deleting?.name ?? ""}"?`}
        description="Its stored key is deleted with it."
        confirmLabel="Delete provider"
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
      />
    </Card>
  );
}

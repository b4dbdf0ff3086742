"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, CircleX, Info, Pencil, PlugZap, Plus, Server, Trash2 } from "lucide-react";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { PROVIDER_KIND_LABELS, PROVIDER_KINDS, type ProviderTestResult, type ProviderView } from "@/lib/schemas";
import { Button, ConfirmDialog, FormError, Loading, Modal, SelectField, TextAreaField, TextField } from "./controls";
import { applyServerErrors, errorMessage } from "./server-errors";

const FormSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(60, "must be at most 60 characters"),
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: z.string().trim().min(1, "must not be empty").refine((v) => URL.canParse(v), "must be a URL such as https://api.openai.com/v1"),
  apiKey: z.string(),
  defaultModel: z.string(),
  removeKey: z.boolean(),
  headers: z.string().refine((v) => parseHeaders(v) !== undefined, "one header per line, as Name: value"),
  removeHeaders: z.boolean(),
  models: z.string(),
});
type FormValues = z.infer<typeof FormSchema>;
const FIELDS = ["name", "kind", "baseUrl", "apiKey", "defaultModel", "headers", "models"] as const;

/** "Name: value" lines into an object; undefined when a line has no colon. */
function parseHeaders(text: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

const modelLines = (text: string) => [...new Set(text.split(/[\n,]/).map((l) => l.trim()).filter(Boolean))];

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
      kind: (PROVIDER_KINDS as readonly string[]).includes(editing?.kind ?? "") ? (editing!.kind as FormValues["kind"]) : "openai-compatible",
      baseUrl: editing?.baseUrl ?? "",
      apiKey: "",
      defaultModel: editing?.defaultModel ?? "",
      removeKey: false,
      headers: "",
      removeHeaders: false,
      models: editing?.models.filter((m) => m.source === "typed").map((m) => m.id).join("\n") ?? "",
    },
    mode: "onTouched",
  });
  const { errors, isSubmitting } = form.formState;
  const kind = useWatch({ control: form.control, name: "kind" });
  const onSubmit = form.handleSubmit(async (v) => {
    setFormError(undefined);
    const headers = parseHeaders(v.headers) ?? {};
    const typed = modelLines(v.models).map((id) => ({ id, source: "typed" as const }));
    // Listed models stay as the provider listed them; the typed ones are replaced by the form's.
    const models = [...(editing?.models.filter((m) => m.source === "listed" && !typed.some((t) => t.id === m.id)).map((m) => ({ id: m.id, source: "listed" as const })) ?? []), ...typed];
    try {
      const saved = editing
        ? await callApi(routes.updateProvider, { params: { id: editing.id }, body: {
            name: v.name,
            kind: v.kind,
            baseUrl: v.baseUrl,
            defaultModel: v.defaultModel,
            models,
            ...(v.removeKey ? { apiKey: null } : v.apiKey.trim() !== "" && { apiKey: v.apiKey }),
            ...(v.removeHeaders ? { headers: null } : Object.keys(headers).length > 0 && { headers }),
          } })
        : await callApi(routes.createProvider, { body: { name: v.name, kind: v.kind, baseUrl: v.baseUrl, apiKey: v.apiKey, defaultModel: v.defaultModel, models, ...(Object.keys(headers).length > 0 && { headers }) } });
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
        options={PROVIDER_KINDS.map((k) => ({ value: k, label: PROVIDER_KIND_LABELS[k].label }))}
        error={errors.kind?.message}
        {...form.register("kind")}
      />
      <TextField id="provider-base-url" label="Base URL" placeholder={PROVIDER_KIND_LABELS[kind].exampleBaseUrl} error={errors.baseUrl?.message} {...form.register("baseUrl")} />
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
      <TextAreaField
        id="provider-models"
        label="Models typed by hand (optional)"
        placeholder={"one per line, e.g.\ngpt-4o-mini"}
        hint={'"Test connection" adds the models the provider lists; type the ones it does not list (Azure deployments, for one).'}
        error={errors.models?.message}
        {...form.register("models")}
      />
      <TextAreaField
        id="provider-headers"
        label="Extra headers (optional)"
        placeholder={editing && editing.headerNames.length > 0 ? `leave empty to keep ${editing.headerNames.join(", ")}` : "HTTP-Referer: https://my.app"}
        hint="One per line, Name: value. Sealed at rest like the key."
        error={errors.headers?.message}
        {...form.register("headers")}
      />
      {editing && editing.headerNames.length > 0 && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" {...form.register("removeHeaders")} />
          Remove the stored headers
        </label>
      )}
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

const CAPABILITY_LABELS = { structuredOutputs: "structured", tools: "tools", streaming: "stream", reasoning: "reasoning", promptCaching: "cache" } as const;

function ModelList({ provider }: { provider: ProviderView }) {
  if (provider.models.length === 0) {
    return <p className="mt-2 text-xs text-muted">No models yet: test the connection to list them, or type them in with Edit.</p>;
  }
  return (
    <div className="mt-2">
      <div className="text-xs text-muted">
        {provider.models.length} model{provider.models.length === 1 ? "" : "s"}
        {provider.modelsFetchedAt && ` · listed ${new Date(provider.modelsFetchedAt).toLocaleString()}`} · use as <code className="font-mono">{provider.name}/&lt;model&gt;</code>
      </div>
      <ul className="mt-1 flex max-h-40 flex-wrap gap-1 overflow-auto" data-testid="provider-models">
        {provider.models.map((m) => (
          <li
            key={m.id}
            className="rounded border border-border px-1.5 py-0.5 font-mono text-xs"
            data-testid="provider-model"
            data-model={m.id}
            title={`${provider.name}/${m.id} · ${m.source === "listed" ? "listed by the provider" : "typed in"} · ${Object.entries(CAPABILITY_LABELS)
              .filter(([k]) => m.capabilities[k as keyof typeof CAPABILITY_LABELS])
              .map(([, label]) => label)
              .join(", ")}`}
          >
            {m.id}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ProviderCard({ provider, onEdit, onDelete }: { provider: ProviderView; onEdit: () => void; onDelete: () => void }) {
  const [result, setResult] = useState<ProviderTestResult>();
  const queryClient = useQueryClient();
  const test = useMutation({
    mutationFn: () => callApi(routes.testProvider, { params: { id: provider.id } }),
    onSuccess: async (r) => {
      setResult(r);
      // A successful test stored the listed models.
      if (r.ok) await queryClient.invalidateQueries({ queryKey: ["settings", "providers"] });
    },
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
            {provider.headerNames.length > 0 && (
              <>
                <dt className="text-muted">Headers</dt>
                <dd>{provider.headerNames.join(", ")}</dd>
              </>
            )}
          </dl>
          <ModelList provider={provider} />
        </div>
        {provider.bootstrap ? (
          <p className="max-w-xs text-xs text-muted">From the environment (DSPEX_LM_BASE_URL, DSPEX_LM_API_KEY, DSPEX_LM_MODEL): change it there and restart.</p>
        ) : (
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
        )}
      </div>
      {result && <TestResult result={result} />}
    </li>
  );
}

export function ProvidersPanel() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<{ editing: ProviderView | undefined }>();
  const [deleting, setDeleting] = useState<ProviderView>();
  const query = useQuery({ queryKey: ["settings", "providers", "list"], queryFn: ({ signal }) => callApi(routes.listProviders, { signal }) });
  const remove = useMutation({
    mutationFn: (id: string) => callApi(routes.deleteProvider, { params: { id } }),
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
        description="Every provider runs can use, picked by the model they name. Keys are encrypted at rest and never leave the server."
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
            A run, playground call, optimization or agent uses the provider its model names: <code className="font-mono">provider/model</code> (e.g.{" "}
            <code className="font-mono">openai/gpt-4o-mini</code>), or a bare model that one provider lists. Changes apply at once, on every server sharing the database. The
            environment&apos;s <code className="font-mono">DSPEX_LM_BASE_URL</code> shows here as the provider &quot;env&quot;.
          </span>
        </p>
        {query.isLoading ? (
          <Loading what="providers" />
        ) : query.error ? (
          <FormError message={errorMessage(query.error)} />
        ) : query.data?.items.length === 0 ? (
          <EmptyState icon={Server} title="No providers yet">
            Add OpenAI, Anthropic, Azure, Gemini, a gateway (OpenRouter, LiteLLM) or a local server (Ollama, vLLM, LM Studio) with its key, then test the connection to list its models.
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

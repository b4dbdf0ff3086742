"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, KeyRound, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { API_SCOPES, ApiScopeSchema, CreateApiKeyBodySchema, DEFAULT_KEY_SCOPES, type ApiKeyViewData, type ApiScope } from "@/lib/schemas";
import { Button, CELL, ConfirmDialog, DataTable, FormError, Loading, Modal, TextField, when } from "./controls";
import { useCan } from "@/components/shell/user-menu";
import { Pager } from "./pager";
import { applyServerErrors, errorMessage } from "./server-errors";

const LIMIT = 20;

/** What each scope lets a key do, in the words of the form. */
const SCOPE_HINTS: Readonly<Record<ApiScope, string>> = {
  predict: "run programs (each call costs money)",
  read: "read runs, traces, programs, datasets and costs",
  optimize: "launch optimizations and agent jobs",
  manage: "change programs, datasets, budgets and keys",
};

// The form's own shape: text inputs, converted to the API's body on submit.
const FormSchema = z.object({
  name: CreateApiKeyBodySchema.shape.name,
  rateLimitPerMinute: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\d+$/.test(v), "must be a whole number of requests per minute (or empty for the server default)")
    .refine((v) => v === "" || (Number(v) >= 1 && Number(v) <= 1_000_000), "must be between 1 and 1000000"),
  scopes: z.array(ApiScopeSchema).min(1, "choose at least one permission"),
  /** Empty: every program. */
  programs: z.array(z.string()),
});
type FormValues = z.infer<typeof FormSchema>;

function CreatedKeyDialog({ created, onClose }: { created: { key: string; name: string } | undefined; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
      toast.success("API key copied");
    } catch {
      toast.error("Could not copy: select the key and copy it by hand");
    }
  };
  return (
    <Modal open={created !== undefined} onOpenChange={(open) => !open && onClose()} title={`API key "${created?.name ?? ""}" created`}>
      <div className="space-y-3">
        <p className="flex gap-2 rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-sm text-warn" role="note">
          <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
          Copy this key now. It is shown only once: DSPEx stores only its hash and cannot show it again.
        </p>
        <div className="flex items-center gap-2">
          <code data-testid="created-api-key" className="min-w-0 flex-1 select-all break-all rounded-md border border-border bg-subtle px-3 py-2 font-mono text-xs">
            {created?.key}
          </code>
          <Button onClick={() => void copy()} aria-label="Copy the API key">
            {copied ? <Check aria-hidden className="size-4" /> : <Copy aria-hidden className="size-4" />}
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
        <p className="text-xs text-muted">
          Use it as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code> on <code className="font-mono">/api/v1</code>.
        </p>
        <div className="flex justify-end">
          <Button variant="primary" onClick={onClose}>
            I have copied it
          </Button>
        </div>
      </div>
    </Modal>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: { key: string; name: string }) => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const form = useForm<FormValues>({ resolver: zodResolver(FormSchema), defaultValues: { name: "", rateLimitPerMinute: "", scopes: [...DEFAULT_KEY_SCOPES], programs: [] }, mode: "onTouched" });
  const programs = useQuery({
    queryKey: ["programs", "list", { limit: 100 }],
    queryFn: ({ signal }) => callApi(routes.listPrograms, { query: { limit: 100 }, signal }),
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(undefined);
    try {
      const created = await callApi(routes.createApiKey, {
        body: {
          name: values.name,
          ...(values.rateLimitPerMinute !== "" && { rateLimitPerMinute: Number(values.rateLimitPerMinute) }),
          scopes: values.scopes,
          programs: values.programs,
        },
      });
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ["settings", "api-keys"] });
      onCreated({ key: created.key, name: created.apiKey.name });
    } catch (err) {
      setFormError(applyServerErrors(form, err, ["name", "rateLimitPerMinute", "scopes", "programs"]));
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-[1fr_14rem_auto] sm:items-start" aria-label="Create an API key">
      <TextField id="api-key-name" label="Name" placeholder="e.g. production service" error={errors.name?.message} {...form.register("name")} />
      <TextField
        id="api-key-rate"
        label="Rate limit (requests/minute)"
        inputMode="numeric"
        placeholder="server default"
        error={errors.rateLimitPerMinute?.message}
        {...form.register("rateLimitPerMinute")}
      />
      <Button type="submit" variant="primary" disabled={isSubmitting} className="sm:mt-5">
        <KeyRound aria-hidden className="size-4" />
        {isSubmitting ? "Creating…" : "Create key"}
      </Button>
      <fieldset className="space-y-1 sm:col-span-3" aria-describedby={errors.scopes ? "api-key-scopes-error" : undefined}>
        <legend className="text-xs font-medium">Permissions</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-1">
          {API_SCOPES.map((scope) => (
            <label key={scope} className="flex items-center gap-1.5 text-sm" title={SCOPE_HINTS[scope]}>
              <input type="checkbox" value={scope} {...form.register("scopes")} />
              <span className="font-mono text-xs">{scope}</span>
              <span className="text-xs text-muted">{SCOPE_HINTS[scope]}</span>
            </label>
          ))}
        </div>
        {errors.scopes && (
          <p id="api-key-scopes-error" role="alert" className="text-xs text-bad" data-testid="api-key-scopes-error">
            {errors.scopes.message}
          </p>
        )}
      </fieldset>
      <fieldset className="space-y-1 sm:col-span-3">
        <legend className="text-xs font-medium">Programs (none ticked: every program)</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-1" data-testid="api-key-programs">
          {programs.data?.items.map((p) => (
            <label key={p.name} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" value={p.name} {...form.register("programs")} />
              <span className="font-mono text-xs">{p.name}</span>
            </label>
          ))}
          {programs.error && <span className="text-xs text-bad">programs could not be listed: {errorMessage(programs.error)}</span>}
        </div>
      </fieldset>
      <div className="sm:col-span-3">
        <FormError message={formError} />
      </div>
    </form>
  );
}

export function ApiKeysPanel({ isAdmin }: { isAdmin: boolean }) {
  const queryClient = useQueryClient();
  // Keys are created and revoked with the manage permission: viewers only see the list.
  const canManage = useCan("manage");
  const [page, setPage] = useState(1);
  const [showRevoked, setShowRevoked] = useState(false);
  const [created, setCreated] = useState<{ key: string; name: string }>();
  const [revoking, setRevoking] = useState<ApiKeyViewData>();
  const query = useQuery({
    queryKey: ["settings", "api-keys", "list", { page, showRevoked }],
    queryFn: ({ signal }) => callApi(routes.listApiKeys, { query: { page, limit: LIMIT, includeRevoked: showRevoked }, signal }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => callApi(routes.revokeApiKey, { params: { id } }),
    onSuccess: async (key) => {
      toast.success(`API key "${key.name}" revoked`);
      setRevoking(undefined);
      await queryClient.invalidateQueries({ queryKey: ["settings", "api-keys"] });
    },
    onError: (err) => toast.error(`Revoke failed: ${errorMessage(err)}`),
  });

  return (
    <div className="space-y-4">
      {canManage && (
        <Card>
          <CardHeader title="Create an API key" description="Programs call the serving API with a key. The key is shown once; store it in your secret manager." />
          <CardBody>
            <CreateKeyForm onCreated={setCreated} />
          </CardBody>
        </Card>
      )}
      <Card>
        <CardHeader
          title={isAdmin ? "All API keys" : "Your API keys"}
          description="Keys are stored hashed: only the prefix is shown."
          action={
            <label className="flex items-center gap-2 text-xs text-muted">
              <input
                type="checkbox"
                checked={showRevoked}
                onChange={(e) => {
                  setShowRevoked(e.target.checked);
                  setPage(1);
                }}
              />
              Show revoked
            </label>
          }
        />
        {query.isLoading ? (
          <Loading what="API keys" />
        ) : query.error ? (
          <CardBody>
            <FormError message={errorMessage(query.error)} />
          </CardBody>
        ) : query.data && query.data.items.length === 0 ? (
          <CardBody>
            <EmptyState icon={KeyRound} title="No API keys yet">
              Create a key above, then call <code className="font-mono">POST /api/v1/programs/&lt;name&gt;/predict</code> with it.
            </EmptyState>
          </CardBody>
        ) : (
          <>
            <DataTable label="API keys" testId="api-keys-table" head={["Name", "Prefix", "Permissions", "Programs", "Rate limit", "Created", "Last used", "Status", ""]}>
              {query.data?.items.map((k) => (
                <tr key={k.id} className="border-b border-border last:border-0" data-testid="api-key-row" data-key-name={k.name}>
                  <td className={`${CELL} font-medium`}>{k.name}</td>
                  <td className={`${CELL} font-mono text-xs`}>{k.prefix}…</td>
                  <td className={`${CELL} font-mono text-xs`} data-testid="api-key-scopes">{k.scopes.join(", ")}</td>
                  <td className={`${CELL} text-xs`} data-testid="api-key-programs-cell">{k.programs.length > 0 ? k.programs.join(", ") : "all"}</td>
                  <td className={`${CELL} tabular-nums`}>{k.rateLimitPerMinute ? `${k.rateLimitPerMinute}/min` : "default"}</td>
                  <td className={`${CELL} whitespace-nowrap`}>{when(k.createdAt)}</td>
                  <td className={`${CELL} whitespace-nowrap`}>{k.lastUsedAt ? when(k.lastUsedAt) : "never"}</td>
                  <td className={CELL}>{k.revokedAt ? <span className="text-bad">revoked {when(k.revokedAt)}</span> : <span className="text-ok">active</span>}</td>
                  <td className={`${CELL} text-right`}>
                    {!k.revokedAt && canManage && (
                      <Button variant="danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
            {query.data && <Pager page={page} limit={LIMIT} total={query.data.total} onPage={setPage} />}
          </>
        )}
      </Card>
      <CreatedKeyDialog created={created} onClose={() => setCreated(undefined)} />
      <ConfirmDialog
        open={revoking !== undefined}
        onOpenChange={(open) => !open && setRevoking(undefined)}
        title={`Revoke "${revoking?.name ?? ""}"?`}
        description="Requests with this key are refused from now on. This cannot be undone: programs using it need a new key."
        confirmLabel="Revoke key"
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      />
    </div>
  );
}

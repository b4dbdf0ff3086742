"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { UserPlus, Users } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { CreateUserBodySchema, PASSWORD_MIN, ROLE_LABELS, USER_ROLES, type UserView } from "@/lib/schemas";
import { Button, CELL, ConfirmDialog, DataTable, FormError, Loading, SelectField, TextField, when } from "./controls";
import { applyServerErrors, errorMessage } from "./server-errors";

type FormValues = z.input<typeof CreateUserBodySchema>;
const FIELDS = ["name", "email", "password", "role"] as const;

function AddUserForm() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const form = useForm<FormValues>({ resolver: zodResolver(CreateUserBodySchema), defaultValues: { name: "", email: "", password: "", role: "viewer" }, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(undefined);
    try {
      const user = await callApi(routes.createUser, { body: values });
      toast.success(`${user.name} can now sign in as ${user.email}`);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ["settings", "users"] });
    } catch (err) {
      setFormError(applyServerErrors(form, err, [...FIELDS]));
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add a user" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_9rem_auto] lg:items-start">
      <TextField id="user-name" label="Name" autoComplete="off" error={errors.name?.message} {...form.register("name")} />
      <TextField id="user-email" label="Email" type="email" autoComplete="off" error={errors.email?.message} {...form.register("email")} />
      <TextField id="user-password" label="Password" type="password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN} characters`} error={errors.password?.message} {...form.register("password")} />
      <SelectField
        id="user-role"
        label="Role"
        options={USER_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
        error={errors.role?.message}
        {...form.register("role")}
      />
      <Button type="submit" variant="primary" disabled={isSubmitting} className="lg:mt-5">
        <UserPlus aria-hidden className="size-4" />
        {isSubmitting ? "Adding…" : "Add user"}
      </Button>
      <div className="sm:col-span-2 lg:col-span-5">
        <FormError message={formError} />
      </div>
    </form>
  );
}

export function UsersPanel({ currentUserId }: { currentUserId: string }) {
  const queryClient = useQueryClient();
  const [disabling, setDisabling] = useState<UserView>();
  const query = useQuery({ queryKey: ["settings", "users", "list"], queryFn: ({ signal }) => callApi(routes.listUsers, { signal }) });
  const toggle = useMutation({
    mutationFn: ({ id, disable }: { id: string; disable: boolean }) => callApi(disable ? routes.disableUser : routes.enableUser, { params: { id } }),
    onSuccess: async (user) => {
      toast.success(user.disabledAt ? `${user.name} is disabled and signed out` : `${user.name} can sign in again`);
      setDisabling(undefined);
      await queryClient.invalidateQueries({ queryKey: ["settings", "users"] });
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  return (
    <div className="space-y-4">
      <Card>
        <CardHeader title="Add a user" description="Members use the dashboard and their own API keys; administrators also manage users, providers and prices." />
        <CardBody>
          <AddUserForm />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Users" description="Disabling an account signs it out at once." />
        {query.isLoading ? (
          <Loading what="users" />
        ) : query.error ? (
          <CardBody>
            <FormError message={errorMessage(query.error)} />
          </CardBody>
        ) : query.data?.items.length === 0 ? (
          <CardBody>
            <EmptyState icon={Users} title="No users">
              Add a user above.
            </EmptyState>
          </CardBody>
        ) : (
          <DataTable label="Users" testId="users-table" head={["Name", "Email", "Role", "Added", "Status", ""]}>
            {query.data?.items.map((u) => (
              <tr key={u.id} className="border-b border-border last:border-0" data-testid="user-row" data-email={u.email}>
                <td className={`${CELL} font-medium`}>
                  {u.name}
                  {u.id === currentUserId && <span className="ml-1 text-xs text-muted">(you)</span>}
                </td>
                <td className={`${CELL} break-all`}>{u.email}</td>
                <td className={CELL}>{ROLE_LABELS[u.role]}</td>
                <td className={`${CELL} whitespace-nowrap`}>{when(u.createdAt)}</td>
                <td className={CELL}>{u.disabledAt ? <span className="text-bad">disabled</span> : <span className="text-ok">active</span>}</td>
                <td className={`${CELL} text-right`}>
                  {u.id !== currentUserId &&
                    (u.disabledAt ? (
                      <Button onClick={() => toggle.mutate({ id: u.id, disable: false })} aria-label={`Enable ${u.email}`}>
                        Enable
                      </Button>
                    ) : (
                      <Button variant="danger" onClick={() => setDisabling(u)} aria-label={`Disable ${u.email}`}>
                        Disable
                      </Button>
                    ))}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      <ConfirmDialog
        open={disabling !== undefined}
        onOpenChange={(open) => !open && setDisabling(undefined)}
        title={`Disable ${disabling?.email ?? ""}?`}
        description="The account is signed out everywhere and cannot sign in until it is enabled again. Its API keys keep working until revoked."
        confirmLabel="Disable account"
        busy={toggle.isPending}
        onConfirm={() => disabling && toggle.mutate({ id: disabling.id, disable: true })}
      />
    </div>
  );
}

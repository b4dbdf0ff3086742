"use client";

import { AuthForm } from "@/components/auth/auth-form";
import { callApi, routes } from "@/lib/api/client";
import { LoginBodySchema } from "@/lib/schemas";

export function LoginForm({ next }: { next: string }) {
  return (
    <AuthForm
      schema={LoginBodySchema}
      submit={(body) => callApi(routes.authLogin, { body })}
      submitLabel="Sign in"
      next={next}
      fields={[
        { name: "email", label: "Email", type: "email", autoComplete: "username" },
        { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
      ]}
    />
  );
}

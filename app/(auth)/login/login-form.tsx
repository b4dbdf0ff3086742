"use client";

import { AuthForm } from "@/components/auth/auth-form";
import { LoginBodySchema } from "@/lib/schemas";

export function LoginForm({ next }: { next: string }) {
  return (
    <AuthForm
      schema={LoginBodySchema}
      endpoint="/api/v1/auth/login"
      submitLabel="Sign in"
      next={next}
      fields={[
        { name: "email", label: "Email", type: "email", autoComplete: "username" },
        { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
      ]}
    />
  );
}

"use client";

import { AuthForm } from "@/components/auth/auth-form";
import { PASSWORD_MIN, SetupBodySchema } from "@/lib/schemas";

export function SetupForm() {
  return (
    <AuthForm
      schema={SetupBodySchema}
      endpoint="/api/v1/auth/setup"
      submitLabel="Create the administrator"
      next="/"
      fields={[
        { name: "name", label: "Your name", type: "text", autoComplete: "name" },
        { name: "email", label: "Email", type: "email", autoComplete: "username" },
        { name: "password", label: "Password", type: "password", autoComplete: "new-password", hint: `At least ${PASSWORD_MIN} characters.` },
      ]}
    />
  );
}

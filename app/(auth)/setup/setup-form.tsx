"use client";

import { AuthForm } from "@/components/auth/auth-form";
import { callApi, routes } from "@/lib/api/client";
import { PASSWORD_MIN, SetupBodySchema } from "@/lib/schemas";

export function SetupForm() {
  return (
    <AuthForm
      schema={SetupBodySchema}
      submit={(body) => callApi(routes.authSetup, { body })}
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

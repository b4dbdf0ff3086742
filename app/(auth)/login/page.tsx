import { safeNext } from "@/lib/runtime/auth/page-gate";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = (await searchParams).next;
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Sign in</h1>
      <p className="mb-5 text-sm text-muted">to watch, tune and optimize your programs.</p>
      <LoginForm next={safeNext(typeof next === "string" ? next : null)} />
    </>
  );
}

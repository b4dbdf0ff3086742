import { SetupForm } from "./setup-form";

export const metadata = { title: "First start" };

export default function SetupPage() {
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Welcome to DSPEx</h1>
      <p className="mb-5 text-sm text-muted">This is the first start. Create the administrator account; you can add other people in Settings.</p>
      <SetupForm />
    </>
  );
}

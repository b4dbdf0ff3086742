"use client";

import { useMutation } from "@tanstack/react-query";
import { Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { btnPrimary, systemHref } from "./ui";

/** Launches the demo team and opens its system page, where it runs live. */
export function RunDemoTeamButton() {
  const router = useRouter();
  const launch = useMutation({
    mutationFn: () => callApi(routes.runDemoTeam, { body: { maxRounds: 4 } }),
    onSuccess: (launched) => {
      toast.success("Demo team started", { description: "A coder and a reviewer are working through 8 tasks." });
      router.push(systemHref(launched.systemId));
    },
    onError: (err) => toast.error("The demo team could not start", { description: err instanceof ApiError ? err.message : String(err) }),
  });
  return (
    <button type="button" className={btnPrimary} onClick={() => launch.mutate()} disabled={launch.isPending || launch.isSuccess}>
      <Play aria-hidden className="size-4" />
      {launch.isPending ? "Starting…" : "Run the demo team"}
    </button>
  );
}

/** What the demo team is, beside its button. */
export function DemoTeamExplainer() {
  return (
    <p className="max-w-prose text-sm text-muted">
      A <strong className="font-medium text-fg">coder</strong> and a <strong className="font-medium text-fg">reviewer</strong> agent iterate on 8 bundled
      programming tasks until the reviewer approves (at most 4 rounds each). The reviewer checks each attempt with hidden tests run in a QuickJS sandbox.
      With the offline demo model the coder&apos;s first attempt has a documented flaw, so every task needs at least a second round.
    </p>
  );
}

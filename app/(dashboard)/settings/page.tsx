import { Suspense } from "react";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { PageHeader } from "@/components/ui";
import { ServerConfig } from "./_components/server-config";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="API keys, users, providers, prices and the server's configuration" />
      <Suspense>
        <SettingsTabs server={<ServerConfig />} />
      </Suspense>
    </>
  );
}

import { request, type FullConfig } from "@playwright/test";
import { ADMIN_STATE, signIn } from "./fixtures/auth";

export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("playwright.config has no baseURL");
  const context = await request.newContext({ baseURL });
  await signIn(context, baseURL);
  await context.storageState({ path: ADMIN_STATE });
  await context.dispose();
}

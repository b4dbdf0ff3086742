"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";
import { useSyncExternalStore } from "react";

const ORDER = ["system", "light", "dark"] as const;
type Choice = (typeof ORDER)[number];
const ICONS = { system: Monitor, light: Sun, dark: Moon } satisfies Record<Choice, unknown>;

const noSubscribe = () => () => {};

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  // The stored theme is only known in the browser; render the neutral choice on the server.
  const mounted = useSyncExternalStore(noSubscribe, () => true, () => false);
  const current: Choice = mounted && ORDER.includes(theme as Choice) ? (theme as Choice) : "system";
  const next = ORDER[(ORDER.indexOf(current) + 1) % ORDER.length] ?? "system";
  const Icon = ICONS[current];
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      data-theme-choice={current}
      onClick={() => setTheme(next)}
      aria-label={`Theme: ${current}. Switch to ${next}.`}
      title={`Theme: ${current} (click for ${next})`}
      className="inline-flex size-8 items-center justify-center rounded-md border border-border text-muted hover:bg-subtle hover:text-fg"
    >
      <Icon aria-hidden className="size-4" />
    </button>
  );
}

// Number formats shared by the optimization views.
export const fmtUsd = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v < 0.01 && v > 0 ? `$${v.toFixed(5)}` : `$${v.toFixed(2)}`);
export const fmtScore = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(3));
export const fmtInt = (v: number | null | undefined) => (v === null || v === undefined ? "—" : Math.round(v).toLocaleString("en-US"));
export const fmtSeconds = (s: number) => (s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);
export const fmtDate = (iso: string) => new Date(iso).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** USD for people: cents for normal amounts, more digits for the tiny sums of single LM calls. */
export function usd(n: number): string {
  if (n === 0) return "$0.00";
  const abs = Math.abs(n);
  const digits = abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6;
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: digits })}`;
}

export const compact = (n: number) => n.toLocaleString("en-US", { notation: n >= 10_000 ? "compact" : "standard", maximumFractionDigits: 1 });

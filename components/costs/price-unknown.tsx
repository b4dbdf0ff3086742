/** Spend of calls to models with no known price: never shown as $0, always with how to set a price. */
export function PriceUnknown({ calls }: { calls?: number }) {
  return (
    <span
      className="whitespace-nowrap text-warn"
      data-testid="price-unknown"
      title={`${calls === undefined ? "Calls" : `${calls} call${calls === 1 ? "" : "s"}`} to a model with no known price: the cost is unknown, not $0. Set the model's price in Settings → Prices (a price of 0 marks it free).`}
    >
      price unknown
    </span>
  );
}

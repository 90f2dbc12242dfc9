// The `_links` of a payout request: its own address and its chosen payment instrument's.

export const selfHref = (id: string) => `/api/v1/payout-requests/${id}`;
export const instrumentHref = (instrumentId: string) => `/api/v1/payment-instruments/${encodeURIComponent(instrumentId)}`;

export function links(id: string, paymentInstrumentId: string | null): { rel: "self" | "paymentInstrument"; href: string }[] {
  const out: { rel: "self" | "paymentInstrument"; href: string }[] = [{ rel: "self", href: selfHref(id) }];
  if (paymentInstrumentId !== null) out.push({ rel: "paymentInstrument", href: instrumentHref(paymentInstrumentId) });
  return out;
}

import { monotonicFactory } from "ulid";

/** Object kinds and their id prefixes; ids are ULIDs, so they sort by creation time. */
export const idPrefixes = {
  business: "biz",
  apiKey: "key",
  request: "req",
  payee: "pye",
  payoutUser: "pou",
  payoutUserTransaction: "ptx",
  payout: "pay",
  payoutStatus: "pst",
  ledgerAccount: "acct",
  invoice: "inv",
  invoicePayment: "ipy",
  refund: "rfd",
  refundPayment: "rfp",
  ledgerPayout: "lpo",
  journalEntry: "jen",
  journalLine: "jln",
  transactionTag: "ttg",
  bankTransaction: "btx",
  payoutMatch: "pmt",
  payoutMatchDetails: "pmd",
} as const;

const nextUlid = monotonicFactory();

export function newId(kind: keyof typeof idPrefixes): string {
  return `${idPrefixes[kind]}_${nextUlid().toLowerCase()}`;
}

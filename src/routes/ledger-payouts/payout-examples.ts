import { exampleAccount } from "./account-schemas";
import { exampleBankTransaction } from "./bank-transaction-schemas";
import { exampleMetadata } from "./field-schemas";

const exampleTag = {
  id: "ttg_01jd5m3k6v2q8r9t0w1x2y3z4a",
  key: "department",
  value: "sales",
  dimension_id: null,
  definition_id: null,
  dimension_display_name: "Department",
  value_display_name: "Sales Department",
  archived_at: null,
};
const exampleMatch = {
  id: "pmt_01jd5m3k6v2q8r9t0w1x2y3z4a",
  match_type: "PAYOUT",
  bank_transaction: exampleBankTransaction,
  details: {
    type: "Payout_Match",
    id: "pmd_01jd5m3k6v2q8r9t0w1x2y3z4a",
    amount: 87459,
    date: "2024-03-06T00:00:00.000Z",
    description: "Payout from STRIPE.",
    adjustment: null,
  },
};
const examplePayoutSummary = {
  id: "lpo_01jd5m3k6v2q8r9t0w1x2y3z4a",
  external_id: "payout-1234",
  business_id: "biz_01jd5m3k6v2q8r9t0w1x2y3z4a",
  paid_out_amount: 87459,
  fee: 123,
  processor: "STRIPE",
  payment_clearing_account: exampleAccount,
  imported_at: "2024-03-05T22:09:53.290Z",
  completed_at: "2024-03-05T05:31:56.000Z",
  match: exampleMatch,
  transaction_tags: [exampleTag],
  memo: "March payout",
  metadata: exampleMetadata,
  reference_number: "po_1OqnTHISISFAKE",
};
export const examplePayout = {
  ...examplePayoutSummary,
  additional_refunds_amount: 0,
  other_transactions: [],
  payments: [
    {
      id: "ipy_01jd5m3k6v2q8r9t0w1x2y3z4a",
      external_id: "payment-31415",
      at: "2024-03-04T05:31:56.000Z",
      fee: 0,
      prepayment_account: null,
      payment_clearing_account: {
        ...exampleAccount,
        name: "Accounts Receivable",
        account_number: "1200",
        stable_name: { type: "StableName", stable_name: "ACCOUNTS_RECEIVABLE" },
        account_subtype: { display_name: "Accounts Receivable" },
      },
      additional_fees: [],
      amount: 87582,
      processor: "STRIPE",
      imported_at: "2024-03-05T22:09:53.290Z",
      allocations: [
        {
          invoice_id: "inv_01jd5m3k6v2q8r9t0w1x2y3z4a",
          payment_id: "ipy_01jd5m3k6v2q8r9t0w1x2y3z4a",
          amount: 87582,
          amount_net_of_refunds: 87582,
          transaction_tags: [],
          memo: null,
          metadata: null,
          reference_number: null,
        },
      ],
      refund_allocations: [],
      payouts: [examplePayoutSummary],
      transaction_tags: [],
      memo: null,
      metadata: null,
      reference_number: null,
    },
  ],
  refunds: [],
};

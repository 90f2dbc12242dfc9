// A Worker with only the inbound webhooks (POST /webhooks/rails/{rail}), for deploying them apart.
// Deployed alone it binds BALANCE_LEDGER to the api Worker's class (`script_name = "disburse"`),
// so events are applied by the same ledger objects as the payouts themselves.
import { createApp } from "../src/app";
import { webhooksRouter } from "../src/routes/webhooks";

export default createApp({ "/webhooks": webhooksRouter });

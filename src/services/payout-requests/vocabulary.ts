// The vocabulary of Rebilly's payout requests page, verbatim (order as on the page).

/** `allocations[].method`: payment methods. */
export const allocationMethods = [
  "iDebit", "Boleto-3", "Litecoin", "Wallet88", "Giropay", "Neosurf", "PagoEffectivo", "MercadoPago", "PinPay",
  "Interac-express-connect", "PayULatam", "Piastrix", "Bancontact-mobile", "Affirm", "OXXO", "Yandex-money",
  "paypal", "ecoVoucher", "Pagsmile-lottery", "Paysafecard", "Alipay", "XPay-P2P", "Khelocard", "MiFinity-eWallet",
  "QQPay", "Megafon", "Ripple", "Nordea-Solo", "Airpay", "CODVoucher", "FasterPay", "eZeeWallet", "Afterpay",
  "Alfa-click", "cryptocurrency", "Flexepin", "PhonePe", "InstantPayments", "Paynote", "Zip", "Bizum", "Blik",
  "Webpay-2", "domestic-cards", "bank-transfer-2", "Directa24Card", "POLi", "Zimpler", "Bancontact", "loonie",
  "Onlineueberweisen", "Dimoco-pay-smart", "Klarna", "PayU", "Gpaysafe", "ToditoCash-card", "Payeer", "iDEAL",
  "Sofort", "BankReferenced", "ING-homepay", "XPay-QR", "Mollie", "bank-transfer-3", "swift-dbt", "VegaWallet",
  "iWallet", "Telr", "Terminaly-RF", "ecoPayzTurkey", "Skrill", "bank-transfer", "PaymentAsia-crypto",
  "INOVAPAY-wallet", "Trustly", "Viva", "UPayCard", "bank-transfer-4", "phone", "SparkPay", "reverse-withdrawal",
  "Matrix", "USD-coin", "PayCash", "AstroPay Card", "EPS", "bank-transfer-6", "Conekta-oxxo", "Interac",
  "bank-transfer-5", "Paymero", "SMSVoucher", "Paymero-QR", "PostFinance-e-finance", "bank-transfer-7",
  "China UnionPay", "Boleto", "AdvCash", "P24", "Payco", "Webmoney", "cash-deposit", "Resurs", "CyberSource",
  "ezyEFT", "bank-transfer-8", "QIWI", "Jeton", "jpay", "TWINT", "ePay.bg", "Google Pay", "VenusPoint", "SPEI",
  "LPG-payment-card", "PayTabs", "QPay", "bank-transfer-9", "BankSEND", "Clearpay", "MobilePay", "MTS",
  "Pagsmile-deposit-express", "AstroPay-GO", "Webpay Card", "Perfect-money", "SafetyPay", "voucher-2", "Cleo",
  "instant-bank-transfer", "CASHlib", "ecoPayz", "Webpay", "voucher", "MaxiCash", "Pay4Fun", "payment-card",
  "Aircash", "Skrill Rapid Transfer", "voucher-3", "Neteller", "SEPA", "NordikCoin", "Samsung Pay", "ach",
  "WeChat Pay", "miscellaneous", "online-bank-transfer", "Zotapay", "Siirto", "MuchBetterVoucher", "INOVAPAY-pin",
  "Ethereum", "voucher-4", "Efecty", "PIX", "VCreditos", "Netbanking", "Baloto", "Tupay", "Tether", "AmazonPay",
  "JetonCash", "Tele2", "Multibanco", "bitcoin", "OchaPay", "MyFatoorah", "CashToCode", "Apple Pay", "invoice",
  "Belfius-direct-net", "cash", "InstaDebit", "echeck", "Interac-online", "check", "iCashOne Voucher", "MuchBetter",
  "oriental-wallet", "PostFinance-card", "Beeline", "Boleto-2", "Cupon-de-pagos", "Aera", "Pagadito",
  "rebilly-hosted-payment-form", "rapyd-checkout", "LPG-online", "UPI", "Conekta-spei", "KNOT", "Interac-eTransfer",
  "KakaoPay", "e-wallet", "CCAvenue", "UniCrypt",
] as const;

/** `allocations[].gatewayName`: payment gateways. */
export const gatewayNames = [
  "iDebit", "Pin4Pay", "Wallet88", "Panamerican", "Stripe", "EMS", "AuthorizeNet", "Walpay", "vegaaH", "Neosurf",
  "MercadoPago", "MuchBetterGateway", "PayULatam", "Piastrix", "NMI", "Dimoco", "Chillstock", "CoinGate", "ePay",
  "MtaPay", "VantivLitle", "Coppr", "CheckoutCom", "Paysafecard", "PPRO", "Limepay", "Rotessa", "DataCash", "EPG",
  "Gooney", "Khelocard", "Moneris", "ACI", "AsiaPaymentGateway", "Ezeebill", "EcorePay", "Airpay", "CODVoucher",
  "FasterPay", "Paybilt", "eZeeWallet", "Awepay", "Payeezy", "BitPay", "Orbital", "Flexepin", "LPG", "EasyPayDirect",
  "EBANX", "Paynote", "Monolo", "iCheque", "Powertranz", "Intuit", "Paysafecash", "OnRamp", "Zimpler", "PayRedeem",
  "Chase", "Inovio", "Plugnpay", "loonie", "SaltarPay", "HiPay", "Onlineueberweisen", "Safecharge", "PayEcards",
  "Klarna", "PayU", "Gpaysafe", "Sofort", "MiFinity", "Mollie", "VegaWallet", "PaymentAsia", "Telr", "Bambora",
  "Conekta", "Loonio", "ecoPayzTurkey", "Gigadat", "Pagsmile", "Skrill", "Trustly", "Naewe", "Viva", "UPayCard",
  "SparkPay", "A1Gateway", "WesternUnion", "Clearhaus", "PaymenTechnologies", "Antom", "GlobalOnePay", "PayCash",
  "SeamlessChex", "SmartInvoice", "TestProcessor", "Credorax", "LaCore", "Elavon", "GET", "Tabby", "Dropayment",
  "AstroPayCard", "Paymero", "PostFinance", "SMSVoucher", "Cayan", "dLocal", "iCashOne", "PSiGate", "Airwallex",
  "Payper", "ICEPAY", "NOWPayments", "ParamountEft", "ParamountInterac", "USAePay", "PayPal", "CyberSource",
  "ezyEFT", "Jeton", "Payr", "TWINT", "XPay", "Cashflows", "ApcoPay", "Circle", "Prosa", "Paycly", "Splitit",
  "Truevo", "PayTabs", "Worldpay", "JPMOrbital", "IpayOptions", "Konnektive", "PayRetailers", "PayCom", "Buckaroo",
  "BankSEND", "Ilixium", "Redsys", "SecureTrading", "OmniMatrix", "gate2way", "Cardknox", "MobilePay", "TrustsPay",
  "BraintreePayments", "Cleo", "INOVAPAY", "SecurionPay", "CASHlib", "ecoPayz", "Greenbox", "PandaGateway",
  "MaxiCash", "Pay4Fun", "NGenius", "Aircash", "Paysafe", "JetPay", "Realex", "Citadel", "FundSend", "Neteller",
  "eMerchantPay", "GoCardless", "NordikCoin", "CoinPayments", "Finrax", "RPN", "Forte", "Rapyd", "Dengi", "Wirecard",
  "Dragonphoenix", "Coinbase", "AmexVPC", "BVNK", "Realtime", "iCanPay", "Zotapay", "FinTecSystems", "Cryptonator",
  "NuaPay", "VCreditos", "PayClub", "Netbanking", "Cashterminal", "AmazonPay", "Sagepay", "MonRem", "Payflow",
  "OchaPay", "MyFatoorah", "CashToCode", "Cryptomus", "Directa24", "STPMexico", "InstaDebit", "ParamountCommerce",
  "PaymentsOS", "MuchBetter", "NinjaWallet", "Payvision", "CauriPayment", "Adyen", "BlueSnap", "Kushki",
  "WorldlineAtosFrankfurt", "Aera", "Pagadito", "Triple000", "Unlimit", "EPro", "StaticGateway", "Ingenico",
  "PharosPayments", "CCAvenue", "ToditoCash", "AsiaPay", "Euteller",
] as const;

/** `allocations[].transactionResult`. */
export const transactionResults = [
  "declined", "approved", "abandoned", "unknown", "canceled",
] as const;

/** `_links[].rel`. */
export const linkRels = [
  "paymentInstrument", "self",
] as const;

/**
 * ISO 4217 currencies in circulation with their minor-unit exponent (decimal places). Fund,
 * metal and test codes (XAU, XDR, XTS, XXX, ...) have no minor unit and are not payable, so
 * they are left out. ANG and SLL stay while their successors (XCG, SLE) take over.
 */
const exponents: Record<string, number> = {};
const set = (places: number, codes: string) => {
  for (const code of codes.split(/\s+/).filter(Boolean)) exponents[code] = places;
};
set(0, "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF");
set(3, "BHD IQD JOD KWD LYD OMR TND");
set(4, "CLF UYW");
set(
  2,
  `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
   CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
   GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL
   MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK
   PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
   TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG`,
);

/** Decimal places of an ISO 4217 currency, or undefined for a code that is not one. */
export function currencyExponent(code: string): number | undefined {
  return Object.hasOwn(exponents, code) ? exponents[code] : undefined;
}

// Invoice Ninja's reference tables as its seeders fill them (invoiceninja/invoiceninja,
// v5-stable: database/seeders/CountriesSeeder.php, CurrenciesSeeder.php, LanguageSeeder.php):
// the facts the client requests look codes up in (id, ISO codes, currency codes, locales).
// Generated from those seeders; regenerate rather than edit by hand.
#include "reference_data.hpp"

namespace clientgate::dialects::ninja {

const std::vector<CountryRow>& countries() {
  static const std::vector<CountryRow> rows{
      {4, "AF", "AFG"},   {8, "AL", "ALB"},   {10, "AQ", "ATA"},  {12, "DZ", "DZA"},
      {16, "AS", "ASM"},  {20, "AD", "AND"},  {24, "AO", "AGO"},  {28, "AG", "ATG"},
      {31, "AZ", "AZE"},  {32, "AR", "ARG"},  {36, "AU", "AUS"},  {40, "AT", "AUT"},
      {44, "BS", "BHS"},  {48, "BH", "BHR"},  {50, "BD", "BGD"},  {51, "AM", "ARM"},
      {52, "BB", "BRB"},  {56, "BE", "BEL"},  {60, "BM", "BMU"},  {64, "BT", "BTN"},
      {68, "BO", "BOL"},  {70, "BA", "BIH"},  {72, "BW", "BWA"},  {74, "BV", "BVT"},
      {76, "BR", "BRA"},  {84, "BZ", "BLZ"},  {86, "IO", "IOT"},  {90, "SB", "SLB"},
      {92, "VG", "VGB"},  {96, "BN", "BRN"},  {100, "BG", "BGR"}, {104, "MM", "MMR"},
      {108, "BI", "BDI"}, {112, "BY", "BLR"}, {116, "KH", "KHM"}, {120, "CM", "CMR"},
      {124, "CA", "CAN"}, {132, "CV", "CPV"}, {136, "KY", "CYM"}, {140, "CF", "CAF"},
      {144, "LK", "LKA"}, {148, "TD", "TCD"}, {152, "CL", "CHL"}, {156, "CN", "CHN"},
      {158, "TW", "TWN"}, {162, "CX", "CXR"}, {166, "CC", "CCK"}, {170, "CO", "COL"},
      {174, "KM", "COM"}, {175, "YT", "MYT"}, {178, "CG", "COG"}, {180, "CD", "COD"},
      {184, "CK", "COK"}, {188, "CR", "CRI"}, {191, "HR", "HRV"}, {192, "CU", "CUB"},
      {196, "CY", "CYP"}, {203, "CZ", "CZE"}, {204, "BJ", "BEN"}, {208, "DK", "DNK"},
      {212, "DM", "DMA"}, {214, "DO", "DOM"}, {218, "EC", "ECU"}, {222, "SV", "SLV"},
      {226, "GQ", "GNQ"}, {231, "ET", "ETH"}, {232, "ER", "ERI"}, {233, "EE", "EST"},
      {234, "FO", "FRO"}, {238, "FK", "FLK"}, {239, "GS", "SGS"}, {242, "FJ", "FJI"},
      {246, "FI", "FIN"}, {248, "AX", "ALA"}, {250, "FR", "FRA"}, {254, "GF", "GUF"},
      {258, "PF", "PYF"}, {260, "TF", "ATF"}, {262, "DJ", "DJI"}, {266, "GA", "GAB"},
      {268, "GE", "GEO"}, {270, "GM", "GMB"}, {275, "PS", "PSE"}, {276, "DE", "DEU"},
      {288, "GH", "GHA"}, {292, "GI", "GIB"}, {296, "KI", "KIR"}, {300, "GR", "GRC"},
      {304, "GL", "GRL"}, {308, "GD", "GRD"}, {312, "GP", "GLP"}, {316, "GU", "GUM"},
      {320, "GT", "GTM"}, {324, "GN", "GIN"}, {328, "GY", "GUY"}, {332, "HT", "HTI"},
      {334, "HM", "HMD"}, {336, "VA", "VAT"}, {340, "HN", "HND"}, {344, "HK", "HKG"},
      {348, "HU", "HUN"}, {352, "IS", "ISL"}, {356, "IN", "IND"}, {360, "ID", "IDN"},
      {364, "IR", "IRN"}, {368, "IQ", "IRQ"}, {372, "IE", "IRL"}, {376, "IL", "ISR"},
      {380, "IT", "ITA"}, {384, "CI", "CIV"}, {388, "JM", "JAM"}, {392, "JP", "JPN"},
      {398, "KZ", "KAZ"}, {400, "JO", "JOR"}, {404, "KE", "KEN"}, {408, "KP", "PRK"},
      {410, "KR", "KOR"}, {414, "KW", "KWT"}, {417, "KG", "KGZ"}, {418, "LA", "LAO"},
      {422, "LB", "LBN"}, {426, "LS", "LSO"}, {428, "LV", "LVA"}, {430, "LR", "LBR"},
      {434, "LY", "LBY"}, {438, "LI", "LIE"}, {440, "LT", "LTU"}, {442, "LU", "LUX"},
      {446, "MO", "MAC"}, {450, "MG", "MDG"}, {454, "MW", "MWI"}, {458, "MY", "MYS"},
      {462, "MV", "MDV"}, {466, "ML", "MLI"}, {470, "MT", "MLT"}, {474, "MQ", "MTQ"},
      {478, "MR", "MRT"}, {480, "MU", "MUS"}, {484, "MX", "MEX"}, {492, "MC", "MCO"},
      {496, "MN", "MNG"}, {498, "MD", "MDA"}, {499, "ME", "MNE"}, {500, "MS", "MSR"},
      {504, "MA", "MAR"}, {508, "MZ", "MOZ"}, {512, "OM", "OMN"}, {516, "NA", "NAM"},
      {520, "NR", "NRU"}, {524, "NP", "NPL"}, {528, "NL", "NLD"}, {531, "CW", "CUW"},
      {533, "AW", "ABW"}, {534, "SX", "SXM"}, {535, "BQ", "BES"}, {540, "NC", "NCL"},
      {548, "VU", "VUT"}, {554, "NZ", "NZL"}, {558, "NI", "NIC"}, {562, "NE", "NER"},
      {566, "NG", "NGA"}, {570, "NU", "NIU"}, {574, "NF", "NFK"}, {578, "NO", "NOR"},
      {580, "MP", "MNP"}, {581, "UM", "UMI"}, {583, "FM", "FSM"}, {584, "MH", "MHL"},
      {585, "PW", "PLW"}, {586, "PK", "PAK"}, {591, "PA", "PAN"}, {598, "PG", "PNG"},
      {600, "PY", "PRY"}, {604, "PE", "PER"}, {608, "PH", "PHL"}, {612, "PN", "PCN"},
      {616, "PL", "POL"}, {620, "PT", "PRT"}, {624, "GW", "GNB"}, {626, "TL", "TLS"},
      {630, "PR", "PRI"}, {634, "QA", "QAT"}, {638, "RE", "REU"}, {642, "RO", "ROU"},
      {643, "RU", "RUS"}, {646, "RW", "RWA"}, {652, "BL", "BLM"}, {654, "SH", "SHN"},
      {659, "KN", "KNA"}, {660, "AI", "AIA"}, {662, "LC", "LCA"}, {663, "MF", "MAF"},
      {666, "PM", "SPM"}, {670, "VC", "VCT"}, {674, "SM", "SMR"}, {678, "ST", "STP"},
      {682, "SA", "SAU"}, {686, "SN", "SEN"}, {688, "RS", "SRB"}, {690, "SC", "SYC"},
      {694, "SL", "SLE"}, {702, "SG", "SGP"}, {703, "SK", "SVK"}, {704, "VN", "VNM"},
      {705, "SI", "SVN"}, {706, "SO", "SOM"}, {710, "ZA", "ZAF"}, {716, "ZW", "ZWE"},
      {724, "ES", "ESP"}, {728, "SS", "SSD"}, {729, "SD", "SDN"}, {732, "EH", "ESH"},
      {740, "SR", "SUR"}, {744, "SJ", "SJM"}, {748, "SZ", "SWZ"}, {752, "SE", "SWE"},
      {756, "CH", "CHE"}, {760, "SY", "SYR"}, {762, "TJ", "TJK"}, {764, "TH", "THA"},
      {768, "TG", "TGO"}, {772, "TK", "TKL"}, {776, "TO", "TON"}, {780, "TT", "TTO"},
      {784, "AE", "ARE"}, {788, "TN", "TUN"}, {792, "TR", "TUR"}, {795, "TM", "TKM"},
      {796, "TC", "TCA"}, {798, "TV", "TUV"}, {800, "UG", "UGA"}, {804, "UA", "UKR"},
      {807, "MK", "MKD"}, {818, "EG", "EGY"}, {826, "GB", "GBR"}, {831, "GG", "GGY"},
      {832, "JE", "JEY"}, {833, "IM", "IMN"}, {834, "TZ", "TZA"}, {840, "US", "USA"},
      {850, "VI", "VIR"}, {854, "BF", "BFA"}, {858, "UY", "URY"}, {860, "UZ", "UZB"},
      {862, "VE", "VEN"}, {876, "WF", "WLF"}, {882, "WS", "WSM"}, {887, "YE", "YEM"},
      {894, "ZM", "ZMB"},
  };
  return rows;
}

const std::vector<CodeRow>& currencies() {
  static const std::vector<CodeRow> rows{
      {1, "USD"},   {2, "GBP"},   {3, "EUR"},   {4, "ZAR"},   {5, "DKK"},   {6, "ILS"},
      {7, "SEK"},   {8, "KES"},   {9, "CAD"},   {10, "PHP"},  {11, "INR"},  {12, "AUD"},
      {13, "SGD"},  {14, "NOK"},  {15, "NZD"},  {16, "VND"},  {17, "CHF"},  {18, "GTQ"},
      {19, "MYR"},  {20, "BRL"},  {21, "THB"},  {22, "NGN"},  {23, "ARS"},  {24, "BDT"},
      {25, "AED"},  {26, "HKD"},  {27, "IDR"},  {28, "MXN"},  {29, "EGP"},  {30, "COP"},
      {31, "XOF"},  {32, "CNY"},  {33, "RWF"},  {34, "TZS"},  {35, "ANG"},  {36, "TTD"},
      {37, "XCD"},  {38, "GHS"},  {39, "BGN"},  {40, "AWG"},  {41, "TRY"},  {42, "RON"},
      {43, "HRK"},  {44, "SAR"},  {45, "JPY"},  {46, "MVR"},  {47, "CRC"},  {48, "PKR"},
      {49, "PLN"},  {50, "LKR"},  {51, "CZK"},  {52, "UYU"},  {53, "NAD"},  {54, "TND"},
      {55, "RUB"},  {56, "MZN"},  {57, "OMR"},  {58, "UAH"},  {59, "MOP"},  {60, "TWD"},
      {61, "DOP"},  {62, "CLP"},  {63, "ISK"},  {64, "PGK"},  {65, "JOD"},  {66, "MMK"},
      {67, "PEN"},  {68, "BWP"},  {69, "HUF"},  {70, "UGX"},  {71, "BBD"},  {72, "BND"},
      {73, "GEL"},  {74, "QAR"},  {75, "HNL"},  {76, "SRD"},  {77, "BHD"},  {78, "VES"},
      {79, "KRW"},  {80, "MAD"},  {81, "JMD"},  {82, "AOA"},  {83, "HTG"},  {84, "ZMW"},
      {85, "NPR"},  {86, "XPF"},  {87, "MUR"},  {88, "CVE"},  {89, "KWD"},  {90, "DZD"},
      {91, "MKD"},  {92, "FJD"},  {93, "BOB"},  {94, "ALL"},  {95, "RSD"},  {96, "LBP"},
      {97, "AMD"},  {98, "AZN"},  {99, "BAM"},  {100, "BYN"}, {101, "GIP"}, {102, "MDL"},
      {103, "KZT"}, {104, "ETB"}, {105, "GMD"}, {106, "PYG"}, {107, "MWK"}, {108, "ZWL"},
      {109, "KHR"}, {110, "VUV"}, {111, "CUP"}, {112, "KYD"}, {113, "SZL"}, {114, "BZD"},
      {115, "LYD"}, {116, "XAG"}, {117, "XAU"}, {118, "NIO"}, {119, "MGA"}, {120, "TOP"},
      {121, "LAK"}, {122, "BTN"}, {123, "MRU"},
  };
  return rows;
}

const std::vector<CodeRow>& languages() {
  static const std::vector<CodeRow> rows{
      {1, "en"},     {2, "it"},     {3, "de"},     {4, "fr"},     {5, "pt_BR"},  {6, "nl"},
      {7, "es"},     {8, "nb_NO"},  {9, "da"},     {10, "ja"},    {11, "sv"},    {12, "es_ES"},
      {13, "fr_CA"}, {14, "lt"},    {15, "pl"},    {16, "cs"},    {17, "hr"},    {18, "sq"},
      {19, "el"},    {20, "en_GB"}, {21, "pt_PT"}, {22, "sl"},    {23, "fi"},    {24, "ro"},
      {25, "tr_TR"}, {26, "th"},    {27, "mk_MK"}, {28, "zh_TW"}, {29, "ru_RU"}, {30, "ar"},
      {31, "fa"},    {32, "lv_LV"}, {33, "sr"},    {34, "sk"},    {35, "et"},    {36, "bg"},
      {37, "he"},    {38, "km_KH"}, {39, "hu"},    {40, "fr_CH"}, {41, "lo_LA"},
  };
  return rows;
}

}  // namespace clientgate::dialects::ninja

namespace clientgate::dialects::ninja {

bool country_exists(std::int64_t id) {
  for (const auto& c : countries())
    if (c.id == id) return true;
  return false;
}

std::optional<std::int64_t> country_by_code(std::string_view code) {
  for (const auto& c : countries())
    if (c.iso2 == code || c.iso3 == code) return c.id;
  return std::nullopt;
}

std::optional<std::int64_t> currency_by_code(std::string_view code) {
  for (const auto& c : currencies())
    if (c.code == code) return c.id;
  return std::nullopt;
}

std::optional<std::int64_t> language_by_locale(std::string_view locale) {
  for (const auto& c : languages())
    if (c.code == locale) return c.id;
  return std::nullopt;
}

}  // namespace clientgate::dialects::ninja

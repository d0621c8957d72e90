/* Electronic addresses for Peppol: the EAS code list of Peppol BIS Billing
 * 3.0 (the schemes PEPPOL-EN16931-CL008 accepts), the VAT number schemes
 * an address can be derived from, and ISO 3166-1 country codes. */
#include <stdio.h>
#include <string.h>

#include "crm/error.h"
#include "crm/peppol.h"

/* PEPPOL-EN16931-CL008's list, release 3.0.19. */
static const char eas_codes[] =
	" 0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154"
	" 0158 0170 0177 0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199"
	" 0200 0201 0202 0203 0204 0205 0208 0209 0210 0211 0212 0213 0215 0216 0217"
	" 0218 0221 0225 0230 0235 0240 9910 9913 9914 9915 9918 9919 9920 9922 9923"
	" 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938"
	" 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953"
	" 9957 9959 ";

/* Countries whose VAT number is itself an EAS scheme, keyed by the VAT
 * id's prefix (Greece writes EL).  Countries without one (SE, DK, FI, NO
 * among them) register under an organisation number, and Italy's Partita
 * IVA scheme has a format of its own: give peppol_id for those. */
static const struct { char prefix[3]; char scheme[5]; } vat_schemes[] = {
	{ "AT", "9914" }, { "BE", "9925" }, { "BG", "9926" }, { "CH", "9927" },
	{ "CY", "9928" }, { "CZ", "9929" }, { "DE", "9930" }, { "EE", "9931" },
	{ "GB", "9932" }, { "EL", "9933" }, { "HR", "9934" }, { "IE", "9935" },
	{ "LI", "9936" }, { "LT", "9937" }, { "LU", "9938" }, { "LV", "9939" },
	{ "MC", "9940" }, { "ME", "9941" }, { "MK", "9942" }, { "MT", "9943" },
	{ "NL", "9944" }, { "PL", "9945" }, { "PT", "9946" }, { "RO", "9947" },
	{ "RS", "9948" }, { "SI", "9949" }, { "SK", "9950" }, { "SM", "9951" },
	{ "TR", "9952" }, { "VA", "9953" }, { "FR", "9957" }, { "ES", "9920" },
	{ "HU", "9910" },
};

static const char countries[] =
	" AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL"
	" BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV"
	" CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD"
	" GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM"
	" IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK"
	" LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW"
	" MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR"
	" PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS"
	" ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY"
	" UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XI ";

/* Whether `word` (of `len` bytes, no blank) is one of the blank-separated
 * words of `list`. */
static bool in_list(const char *list, const char *word, size_t len)
{
	char key[8];

	if (!len || len > 4 || strchr(word, ' '))
		return false;
	snprintf(key, sizeof(key), " %.*s ", (int)len, word);
	return strstr(list, key) != NULL;
}

bool crm_peppol_scheme_known(const char *scheme)
{
	return scheme && strlen(scheme) == 4 && in_list(eas_codes, scheme, 4);
}

bool crm_country_known(const char *code)
{
	return code && strlen(code) == 2 && in_list(countries, code, 2);
}

static int parse_peppol_id(struct crm_peppol_address *out, const char *peppol_id)
{
	const char *colon = strchr(peppol_id, ':');
	size_t id_len;

	if (!colon || colon - peppol_id != 4 || !colon[1])
		return crm_error_set(CRM_EINVALID, "peppol_id '%s' is not SCHEME:ID "
				     "(such as 0088:5790000435951 or 9930:DE123456789)", peppol_id);
	memcpy(out->scheme, peppol_id, 4);
	out->scheme[4] = '\0';
	if (!crm_peppol_scheme_known(out->scheme))
		return crm_error_set(CRM_EINVALID, "peppol_id '%s': scheme %s is not in Peppol's "
				     "Electronic Address Scheme list", peppol_id, out->scheme);
	id_len = strlen(colon + 1);
	if (id_len >= sizeof(out->id) || strpbrk(colon + 1, " \t"))
		return crm_error_set(CRM_EINVALID, "peppol_id '%s': the identifier is too long "
				     "or holds blanks", peppol_id);
	memcpy(out->id, colon + 1, id_len + 1);
	return 0;
}

int crm_peppol_address(struct crm_peppol_address *out, const char *peppol_id,
		       const char *vat_id)
{
	size_t i, len;

	memset(out, 0, sizeof(*out));
	if (peppol_id && *peppol_id)
		return parse_peppol_id(out, peppol_id);
	if (!vat_id || (len = strlen(vat_id)) < 4 || len >= sizeof(out->id) ||
	    strpbrk(vat_id, " \t"))
		return CRM_ENOTFOUND;
	for (i = 0; i < sizeof(vat_schemes) / sizeof(*vat_schemes); i++) {
		if (!strncmp(vat_id, vat_schemes[i].prefix, 2)) {
			memcpy(out->scheme, vat_schemes[i].scheme, 5);
			memcpy(out->id, vat_id, len + 1);
			return 0;
		}
	}
	return CRM_ENOTFOUND;
}

/* The benchmark's repository generator: `bench-gen N DIR` writes a data
 * repository of N records (clients, contacts, opportunities with history,
 * invoices with lines, tasks, activities; Unicode names) that `crm check`
 * finds clean.  The same N always gives the same bytes. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* splitmix64: small, fast and the same on every machine */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t pick(size_t n)
{
	return (size_t)(rnd() % n);
}

#define PICK(arr) (arr[pick(sizeof(arr) / sizeof(*(arr)))])

static char out[16384];
static size_t out_len;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(out) - out_len) {
		fputs("bench-gen: record too long\n", stderr);
		exit(2);
	}
	out_len += (size_t)n;
}

static const char *root;
static char last_dir[4096];

static void make_dirs(const char *rel)
{
	char path[4096];
	char *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = strchr(path + strlen(root) + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST) {
			fprintf(stderr, "bench-gen: cannot create '%s': %s\n", path, strerror(errno));
			exit(2);
		}
		*p = '/';
	}
}

/* Writes the buffer as `rel` below the repository and empties it. */
static void flush_to(const char *rel)
{
	char path[4096], dir[4096];
	const char *slash = strrchr(rel, '/');
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", (int)(slash ? slash - rel + 1 : 0), rel);
	if (strcmp(dir, last_dir)) {
		make_dirs(rel);
		snprintf(last_dir, sizeof(last_dir), "%s", dir);
	}
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0 || write(fd, out, out_len) != (ssize_t)out_len || close(fd)) {
		fprintf(stderr, "bench-gen: cannot write '%s': %s\n", path, strerror(errno));
		exit(2);
	}
	out_len = 0;
}

/* ---- dates: records of each type are created in order over ten years ---- */

#define DAY0 16801   /* 2016-01-01 as days since 1970 */
#define SPAN 3650

static void ymd(int32_t days, int *y, int *m, int *d)
{
	/* Howard Hinnant's civil_from_days */
	int64_t z = (int64_t)days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static const char *date_str(char *buf, int32_t days)
{
	int y, m, d;
	ymd(days, &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/* The creation day of record i of n of a type. */
static int32_t created_of(size_t i, size_t n)
{
	return DAY0 + (int32_t)((uint64_t)i * SPAN / (n ? n : 1));
}

static void folder_path(char *buf, size_t size, const char *folder, int32_t day,
			const char *id)
{
	int y, m, d;
	ymd(day, &y, &m, &d);
	snprintf(buf, size, "%s/%04d/%02d/%s.yaml", folder, y, m, id);
}

/* ---- names ---- */

static const char *const latin_first[] = {
	"Łukasz", "Małgorzata", "Jürgen", "Zoë", "Søren", "Agnieszka", "Émilie", "José",
	"Björn", "Ana", "Liam", "Maeve", "Noah", "Petra", "Ole", "Sofia", "Tomasz", "Klaus",
	"Lena", "Emma", "Dara", "François", "Çağla", "Ines"
};
static const char *const latin_last[] = {
	"Wójcik", "Müller", "Żółkiewski", "O'Brien", "Jensen", "Martínez", "Nowak",
	"Schulz", "Becker", "Hoffmann", "Zieliński", "Clarke", "Byrne", "Patel", "Kowalski",
	"Dvořák", "Sørensen", "Lefèvre", "Yılmaz", "García"
};
static const char *const cjk_names[] = {
	"张敏", "王芳", "李伟", "陈杰", "刘洋", "赵丽", "黄磊", "周婷"
};
static const char *const khmer_names[] = { "សុខា ចាន់", "ដារ៉ា គីម", "សុភា លី" };
static const char *const company_words[] = {
	"Łódź Studio", "Müller Maschinenbau", "Kaffee & Kuchen", "Piekarnia Źródło",
	"Nordlicht", "Acme", "Greenleaf", "Northwind", "Berliner Buchladen", "Zakład Usług",
	"Café Crème", "Smørrebrød Hus"
};
static const char *const company_cjk[] = {
	"北京青云科技", "上海明月设计", "深圳星河网络", "杭州绿叶有机"
};
static const char *const company_khmer[] = { "ហាងកាហ្វេភ្នំពេញ", "អង្គរ ឌីហ្សាញ" };
static const char *const suffixes[] = { "GmbH", "Sp. z o.o.", "Ltd", "AG", "有限公司", "Co." };
static const char *const slugs[] = {
	"lodz", "mueller", "kaffee", "zrodlo", "nordlicht", "acme", "greenleaf", "northwind",
	"buchladen", "zaklad", "cafe", "hus"
};
static const char *const cities[] = {
	"Torstraße 101, 10119 Berlin, Germany", "ul. Piotrkowska 12, 90-001 Łódź, Poland",
	"1 Harbour Road, Dublin, Ireland", "朝阳区建国路 88 号, 北京, China",
	"Vesterbrogade 3, 1620 København, Denmark", "Calle Mayor 5, 28013 Madrid, Spain"
};
static const char *const users[] = { "alice", "bob", "chen" };
static const char *const sources[] = {
	"referral", "website", "cold-call", "trade-show", "social", "event"
};
static const char *const tags[] = { "branding", "website", "seo", "facebook-ads", "print" };
static const char *const titles[] = {
	"Brand identity", "Website redesign", "SEO retainer", "Packaging design",
	"Retargeting campaign", "Identyfikacja wizualna", "Neue Webseite", "品牌设计",
	"Content strategy", "Seasonal ads"
};
static const char *const currencies[] = { "EUR", "EUR", "EUR", "USD", "PLN", "GBP", "CNY" };
static const char *const stages[] = {
	"unqualified", "qualifying", "writing-proposal", "proposal-sent", "negotiation",
	"contract-pending"
};
static const char *const products[] = {
	"ads-management", "consulting-hour", "logo-design", "seo-retainer", "website-page"
};

static void id_base36(char *buf, size_t size, const char *prefix, uint64_t n)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char tmp[16];
	size_t k = sizeof(tmp) - 1;

	tmp[k] = '\0';
	do {
		tmp[--k] = digits[n % 36];
		n /= 36;
	} while (n && k > 0);
	snprintf(buf, size, "%s%s", prefix, tmp + k);
}

/* Client ids: a slug from a Latin name, a random-looking one otherwise. */
static void client_id(char *buf, size_t size, size_t i)
{
	if (i % 4 == 3) {
		id_base36(buf, size, "c-", 1000003 + i * 7919);
		return;
	}
	snprintf(buf, size, "%s-%zu", slugs[i % (sizeof(slugs) / sizeof(*slugs))], i);
}

static void contact_id(char *buf, size_t size, size_t i)
{
	snprintf(buf, size, "p-%zu", i);
}

static void opportunity_id(char *buf, size_t size, size_t i)
{
	snprintf(buf, size, "o-%zu", i);
}

static void quoted(const char *s)
{
	emit("\"");
	for (; *s; s++)
		emit(*s == '"' ? "\\\"" : "%c", *s);
	emit("\"");
}

/* ---- records ---- */

static size_t n_clients, n_contacts, n_opps, n_invoices, n_tasks, n_activities;

static void write_client(size_t i)
{
	char id[64], path[256], date[11];
	int32_t day = created_of(i, n_clients);
	size_t script = i % 4;

	rng_state = 0x1000000 + i;
	client_id(id, sizeof(id), i);
	emit("name: ");
	if (script == 3 && i % 8 == 3)
		quoted(PICK(company_cjk));
	else if (script == 3)
		quoted(PICK(company_khmer));
	else
		emit("\"%s %s %zu\"", company_words[i % 12], PICK(suffixes), i);
	emit("\nkind: %s\n", i % 5 ? "company" : "person");
	emit("email: office%zu@%s.example\n", i, slugs[i % 12]);
	emit("phone: \"+49 30 %07zu\"\n", (i * 7) % 10000000);
	if (i % 3)
		emit("website: https://%s-%zu.example\n", slugs[i % 12], i);
	emit("address: \"%s\"\n", PICK(cities));
	emit("source: %s\ncategory: industry\nsize: %s\ntemperature: %s\n", PICK(sources),
	     i % 2 ? "small" : "large", i % 3 ? "warm" : "hot");
	if (i % 7 == 0)
		emit("currency: %s\n", PICK(currencies));
	emit("owner: %s\ncreated: %s\n", PICK(users), date_str(date, day));
	if (i % 5 == 0)
		emit("tags: [%s, %s]\n", PICK(tags), "key-account");
	if (i % 6 == 0)
		emit("notes: |\n  Met at the trade fair; prefers e-mail over calls.\n"
		     "  Budget reviewed every quarter.\n");
	folder_path(path, sizeof(path), "clients", day, id);
	flush_to(path);
}

static void write_contact(size_t i)
{
	char id[64], cid[64], path[256], date[11];
	int32_t day = created_of(i, n_contacts);
	size_t client = (size_t)((uint64_t)i * n_clients / n_contacts);

	rng_state = 0x2000000 + i;
	contact_id(id, sizeof(id), i);
	client_id(cid, sizeof(cid), client);
	emit("name: ");
	if (i % 5 == 4)
		quoted(i % 10 == 4 ? PICK(cjk_names) : PICK(khmer_names));
	else
		emit("\"%s %s\"", PICK(latin_first), PICK(latin_last));
	emit("\nclient: %s\ntitle: %s\n", cid, i % 2 ? "Brand Manager" : "Geschäftsführerin");
	emit("email: person%zu@%s.example\n", i, slugs[client % 12]);
	if (i % 2)
		emit("phone: \"+48 42 %07zu\"\n", (i * 13) % 10000000);
	emit("owner: %s\ncreated: %s\n", PICK(users), date_str(date, day));
	folder_path(path, sizeof(path), "contacts", day, id);
	flush_to(path);
}

static void write_opportunity(size_t i)
{
	char id[64], cid[64], pid[64], path[256], date[11];
	int32_t day = created_of(i, n_opps), d = day;
	size_t client = (size_t)((uint64_t)i * n_clients / n_opps);
	size_t contact = (size_t)((uint64_t)i * n_contacts / n_opps);
	size_t reached, k, outcome;
	int32_t step[8];
	const char *cur, *by;
	uint64_t amount;

	rng_state = 0x3000000 + i;
	outcome = pick(10);
	cur = PICK(currencies);
	by = PICK(users);
	amount = (1 + pick(80)) * 500;
	opportunity_id(id, sizeof(id), i);
	client_id(cid, sizeof(cid), client);
	contact_id(pid, sizeof(pid), contact);
	reached = pick(6);
	emit("title: \"%s\"\nclient: %s\ncontact: %s\n", PICK(titles), cid, pid);
	/* 0-5: open at that stage, 6-7: won, 8: lost, 9: void */
	emit("stage: %s\n", outcome < 6 ? stages[reached] : outcome < 8 ? "won"
			    : outcome == 8 ? "closed-lost" : "not-applicable");
	emit("amount: \"%" PRIu64 ".00 %s\"\ncost: \"%" PRIu64 ".00 %s\"\n", amount, cur,
	     amount * (2 + pick(5)) / 10, cur);
	emit("confidence: %zu\n", 1 + pick(5));
	emit("expected_close: %s\nsource: %s\n", date_str(date, day + 30 + (int32_t)pick(90)),
	     PICK(sources));
	if (outcome == 8)
		emit("lost_reason: %s\n", i % 2 ? "timing" : "price");
	if (i % 4 == 0)
		emit("proposal_url: https://docs.example/proposals/%s\n", id);
	emit("tags: [%s]\nowner: %s\ncreated: %s\n", PICK(tags), by, date_str(date, day));
	if (outcome >= 6)
		reached = 2 + pick(4);
	for (k = 0; k <= reached + 1; k++) {
		step[k] = d;
		d += 3 + (int32_t)pick(15);
	}
	if (outcome >= 6)
		emit("closed: %s\n", date_str(date, step[reached + 1]));
	emit("history:\n");
	for (k = 0; k <= reached; k++)
		emit("  - {date: %s, stage: %s, by: %s}\n", date_str(date, step[k]), stages[k], by);
	if (outcome >= 6)
		emit("  - {date: %s, stage: %s, by: %s}\n", date_str(date, step[reached + 1]),
		     outcome < 8 ? "won" : outcome == 8 ? "closed-lost" : "not-applicable", by);
	folder_path(path, sizeof(path), "opportunities", day, id);
	flush_to(path);
}

static void write_invoice(size_t i)
{
	char id[64], cid[64], oid[64], path[256], date[11];
	int32_t day = created_of(i, n_invoices);
	size_t opp = (size_t)((uint64_t)i * n_opps / n_invoices);
	size_t client = (size_t)((uint64_t)opp * n_clients / n_opps);
	size_t k, lines;
	int draft = (i % 20 == 19);
	/* issued numbers have no gaps: the drafts before this one took none */
	size_t seq = i + 1 - (i + 1) / 20;

	rng_state = 0x4000000 + i;

	if (draft)
		snprintf(id, sizeof(id), "draft-%zu", i);
	else
		snprintf(id, sizeof(id), "inv-%07zu", seq);
	client_id(cid, sizeof(cid), client);
	opportunity_id(oid, sizeof(oid), opp);
	if (!draft)
		emit("number: INV-%07zu\n", seq);
	emit("status: %s\ndate: %s\n", draft ? "draft" : i % 3 ? "paid" : "sent",
	     date_str(date, day));
	emit("due: %s\nclient: %s\nopportunity: %s\ncurrency: EUR\nlanguage: en\n",
	     date_str(date, day + 30), cid, oid);
	emit("terms: Payment within 30 days by bank transfer.\nlines:\n");
	lines = 1 + pick(4);
	for (k = 0; k < lines; k++)
		emit("  - {product: %s, description: \"%s\", quantity: %zu, "
		     "unit_price: \"%zu.00 EUR\", tax: vat19}\n",
		     PICK(products), PICK(titles), 1 + pick(12), (1 + pick(40)) * 50);
	if (!draft && i % 3)
		emit("payments:\n  - {date: %s, amount: \"100.00 EUR\"}\n",
		     date_str(date, day + 10));
	emit("created: %s\n", date_str(date, day));
	folder_path(path, sizeof(path), "invoices", day, id);
	flush_to(path);
}

static void write_task(size_t i)
{
	char id[64], oid[64], path[256], date[11];
	int32_t day = created_of(i, n_tasks);
	size_t opp = (size_t)((uint64_t)i * n_opps / n_tasks);

	rng_state = 0x5000000 + i;
	snprintf(id, sizeof(id), "t-%zu", i);
	opportunity_id(oid, sizeof(oid), opp);
	emit("title: \"%s\"\n", i % 3 ? "Prepare moodboard" : "Angebot nachfassen – Łódź");
	emit("due: %sT%02zu:00\nremind: 1d\nassignee: %s\n", date_str(date, day + 7),
	     8 + pick(10), PICK(users));
	emit("status: %s\nabout: opportunity/%s\ncreated: %s\n", i % 4 ? "done" : "open", oid,
	     date_str(date, day));
	folder_path(path, sizeof(path), "tasks", day, id);
	flush_to(path);
}

static void write_activity(size_t i)
{
	char id[64], oid[64], path[256], date[11];
	int32_t day = created_of(i, n_activities);
	size_t opp = (size_t)((uint64_t)i * n_opps / n_activities);
	static const char *const kinds[] = { "call", "meeting", "email", "note" };
	static const char *const summaries[] = {
		"Reviewed first drafts together", "Preisverhandlung, Rabatt 5 % angeboten",
		"Omówiliśmy harmonogram", "讨论了网站结构", "Sent the signed contract"
	};

	rng_state = 0x6000000 + i;
	snprintf(id, sizeof(id), "a-%zu", i);
	opportunity_id(oid, sizeof(oid), opp);
	emit("date: %sT%02zu:%02zu\nkind: %s\nabout: opportunity/%s\nby: %s\n",
	     date_str(date, day), 8 + pick(10), pick(4) * 15, PICK(kinds), oid, PICK(users));
	emit("summary: \"%s\"\n", PICK(summaries));
	if (i % 3 == 0)
		emit("next_step: {date: %s, action: \"Send the revised proposal\"}\n",
		     date_str(date, day + 5));
	emit("created: %s\n", date_str(date, day));
	folder_path(path, sizeof(path), "activities", day, id);
	flush_to(path);
}

static const char crm_ini[] =
	"; generated by bench-gen\n[crm]\ncurrency = EUR\ntimezone = Europe/Berlin\n\n"
	"[stage \"unqualified\"]\nprobability = 5\n[stage \"qualifying\"]\nprobability = 10\n"
	"[stage \"writing-proposal\"]\nprobability = 25\n[stage \"proposal-sent\"]\n"
	"probability = 50\n[stage \"negotiation\"]\nprobability = 70\n"
	"[stage \"contract-pending\"]\nprobability = 90\n[stage \"won\"]\nprobability = 100\n"
	"outcome = won\n[stage \"closed-lost\"]\nprobability = 0\noutcome = lost\n"
	"[stage \"not-applicable\"]\nprobability = 0\noutcome = void\n\n"
	"[rate \"USD\"]\nvalue = 0.92\n[rate \"PLN\"]\nvalue = 0.23\n[rate \"CNY\"]\n"
	"value = 0.13\n[rate \"GBP\"]\nvalue = 1.17\n\n"
	"[tax \"vat19\"]\nrate = 19%\nname = MwSt. 19%\ncategory = S\n\n"
	"[invoice]\nprefix = INV-\ndigits = 7\ndue_days = 30\n\n"
	"[org]\nname = Studio Nowak & Chen GmbH\naddress = Torstraße 101, 10119 Berlin\n"
	"vat_id = DE123456789\n\n"
	"[user \"alice\"]\nname = Alice Nowak\nemail = alice@nowak-chen.example\n"
	"[user \"bob\"]\nname = Bob Weber\nemail = bob@nowak-chen.example\n"
	"[user \"chen\"]\nname = Chen Li\nemail = chen@nowak-chen.example\n";

int main(int argc, char **argv)
{
	char *end, path[128];
	size_t n, i, rest;

	if (argc != 3) {
		fputs("usage: bench-gen N DIR\n", stderr);
		return 2;
	}
	errno = 0;
	n = (size_t)strtoull(argv[1], &end, 10);
	if (errno || *end || n < 100) {
		fputs("bench-gen: N must be a number of at least 100\n", stderr);
		return 2;
	}
	root = argv[2];
	if (mkdir(root, 0777) && errno != EEXIST) {
		fprintf(stderr, "bench-gen: cannot create '%s': %s\n", root, strerror(errno));
		return 2;
	}
	emit("%s", crm_ini);
	flush_to("crm.ini");
	emit("*.yaml merge=crm\n");
	flush_to(".gitattributes");
	for (i = 0; i < sizeof(products) / sizeof(*products); i++) {
		emit("name: \"%s\"\nunit_price: \"%zu.00 EUR\"\nunit: hour\ntax: vat19\n",
		     titles[i], 90 + i * 10);
		snprintf(path, sizeof(path), "products/%s.yaml", products[i]);
		flush_to(path);
	}
	rest = n - sizeof(products) / sizeof(*products);
	n_clients = rest / 10;
	n_contacts = rest * 15 / 100;
	n_opps = rest / 5;
	n_invoices = rest / 10;
	n_tasks = rest * 15 / 100;
	n_activities = rest - n_clients - n_contacts - n_opps - n_invoices - n_tasks;
	for (i = 0; i < n_clients; i++)
		write_client(i);
	for (i = 0; i < n_contacts; i++)
		write_contact(i);
	for (i = 0; i < n_opps; i++)
		write_opportunity(i);
	for (i = 0; i < n_invoices; i++)
		write_invoice(i);
	for (i = 0; i < n_tasks; i++)
		write_task(i);
	for (i = 0; i < n_activities; i++)
		write_activity(i);
	return 0;
}

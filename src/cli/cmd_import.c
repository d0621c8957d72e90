/* crm import [TYPE] FILE... [--rules FILE | --preset NAME]: records from CSV
 * files through a rules file, checked as a whole and written in one commit,
 * or not at all; --dry-run shows what each row would become.  New records
 * without an owner get one by crm.ini's assignment rules, which --dry-run
 * shows as the run that writes gives them. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "crm/automation.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/import.h"
#include "crm/index.h"
#include "crm/map.h"
#include "crm/schema.h"
#include "crm/store.h"
#include "crm/table.h"

static const char usage[] =
	"[TYPE] FILE... [--rules FILE.ini | --preset NAME] [--dry-run] [--update] "
	"[--encoding NAME]\n   or: crm import --preset list | --preset NAME --print";

static int list_presets(void)
{
	const char *dir = crm_import_preset_dir();
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort), i;

	if (n < 0) {
		cli_error("import", "cannot read the presets in '%s'", dir);
		return EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);
		struct crm_import_rules r;
		struct crm_buf path = CRM_BUF_INIT;
		if (len > 4 && !strcmp(names[i]->d_name + len - 4, ".ini")) {
			crm_buf_addf(&path, "%s/%s", dir, names[i]->d_name);
			if (!crm_import_rules_load(&r, path.ptr))
				printf("%-18.*s %s\n", (int)(len - 4), names[i]->d_name,
				       r.description ? r.description : "");
			crm_import_rules_release(&r);
		}
		crm_buf_release(&path);
		free(names[i]);
	}
	free(names);
	return EXIT_OK;
}

static int print_preset(const char *name)
{
	struct crm_buf text = CRM_BUF_INIT;
	char *path = NULL;
	int rc = EXIT_OK;

	if (crm_import_preset_path(&path, name) || crm_buf_read_file(&text, path, 1 << 20)) {
		cli_error("import", "%s", crm_error_last());
		rc = EXIT_USAGE;
	} else {
		fwrite(text.ptr, 1, text.len, stdout);
	}
	crm_buf_release(&text);
	free(path);
	return rc;
}

/* The rules: --rules FILE, --preset NAME, or the identity (columns named
 * like the type's fields) for a TYPE given alone. */
static int load_rules(struct crm_import_rules *r, const char *rules, const char *preset,
		      const char *type)
{
	char *path = NULL;
	int err;

	if (rules)
		return crm_import_rules_load(r, rules);
	if (preset) {
		err = crm_import_preset_path(&path, preset);
		if (!err)
			err = crm_import_rules_load(r, path);
		else
			memset(r, 0, sizeof(*r));
		free(path);
		return err;
	}
	if (!type) {
		memset(r, 0, sizeof(*r));
		return crm_error_set(CRM_EUSAGE, "name the TYPE, --rules FILE or --preset NAME");
	}
	{
		struct crm_buf text = CRM_BUF_INIT;
		crm_buf_addf(&text, "[%s]\ntype = %s\n", type, type);
		err = crm_import_rules_parse(r, text.ptr, text.len, "(columns named as fields)");
		crm_buf_release(&text);
	}
	return err;
}

/* Who crm.ini's assignment rules give the new records: an owner (or
 * NULL) and its rule for each item of the plan, borrowed from the
 * automation settings, and what the summary and the commit message say of
 * it ("; assigned 1000 by rules (chen 334, ...)", or ""). */
struct assignment {
	struct crm_automation a;
	const char **owner, **rule;   /* one per item of the plan */
	struct crm_buf note;
};

static void assignment_release(struct assignment *as)
{
	crm_automation_release(&as->a);
	free(as->owner);
	free(as->rule);
	crm_buf_release(&as->note);
}

static void print_summary(const struct crm_import *imp, const char *note)
{
	printf("%zu created, %zu updated, %zu unchanged, %zu skipped%s\n",
	       imp->counts[CRM_IMPORT_CREATE], imp->counts[CRM_IMPORT_UPDATE],
	       imp->counts[CRM_IMPORT_UNCHANGED], imp->counts[CRM_IMPORT_SKIP], note);
}

/* The NOTE of a row: why it was skipped or what it matched, and the owner
 * the rules give a new record, in crm add's words. */
static void row_note(struct crm_buf *b, const struct crm_import_item *it, const char *owner,
		     const char *rule)
{
	crm_buf_reset(b);
	if (it->reason)
		crm_buf_adds(b, it->reason);
	if (owner)
		crm_buf_addf(b, "%sassigned to %s by rule '%s'", it->reason ? "; " : "", owner,
			     rule);
}

static int print_rows(const struct crm_import *imp, const struct assignment *as)
{
	static const char *const headers[] = { "ROW", "ACTION", "RECORD", "NOTE" };
	struct crm_table t;
	struct crm_buf b = CRM_BUF_INIT;
	size_t i;
	int err = crm_table_init(&t, 4, headers);

	for (i = 0; i < imp->items.len && !err; i++) {
		const struct crm_import_item *it = &imp->items.ptr[i];
		crm_buf_reset(&b);
		crm_buf_addf(&b, "%s:%zu", it->file, it->row);
		crm_table_add(&t, b.ptr);
		crm_table_add(&t, crm_import_action_name(it->action));
		crm_buf_reset(&b);
		if (it->id)
			crm_buf_addf(&b, "%s/%s", it->schema->type, it->id);
		crm_table_add(&t, b.ptr);
		row_note(&b, it, as->owner[i], as->rule[i]);
		err = crm_buf_check(&b);
		if (!err)
			err = crm_table_add(&t, b.ptr);
	}
	if (!err)
		err = crm_table_print(stdout, &t, 0, false);
	crm_table_release(&t);
	crm_buf_release(&b);
	return err;
}

/* "; assigned N by rules (chen 334, dana 333)": the members in the order
 * crm.ini's teams name them, each once. */
static int note_counts(struct crm_buf *note, const struct crm_automation *a,
		       struct crm_map *counts, size_t assigned)
{
	struct crm_map shown = CRM_MAP_INIT;
	size_t i, j, n = 0;
	int err = 0;

	crm_buf_addf(note, "; assigned %zu by rules (", assigned);
	for (i = 0; i < a->rules.len && !err; i++) {
		for (j = 0; j < a->rules.ptr[i].nteam && !err; j++) {
			const char *m = a->rules.ptr[i].team[j];
			uintptr_t c = (uintptr_t)crm_map_get(counts, m);
			if (!c || crm_map_get(&shown, m))
				continue;
			crm_buf_addf(note, "%s%s %zu", n++ ? ", " : "", m, (size_t)c);
			err = crm_map_put(&shown, m, (void *)1, NULL);
		}
	}
	crm_buf_addch(note, ')');
	crm_map_release(&shown);
	return err ? err : crm_buf_check(note);
}

/* Owners for the new records of the type of item `from`, from one
 * assigner, so that each counts in the loads the next one is given by. */
static int assign_type(struct cli_ctx *ctx, struct crm_import *imp, size_t from,
		       struct assignment *as, struct crm_map *counts, size_t *assigned)
{
	const struct crm_schema *s = imp->items.ptr[from].schema;
	struct crm_assigner *asg = NULL;
	size_t i;
	int err = crm_assign_begin(&asg, ctx->idx, &as->a, s);

	for (i = from; i < imp->items.len && asg && !err; i++) {
		struct crm_import_item *it = &imp->items.ptr[i];
		if (it->action != CRM_IMPORT_CREATE || it->schema != s)
			continue;
		err = crm_assign_text(&it->text, &as->owner[i], &as->rule[i], asg, s, it->id,
				      it->path);
		if (!err && as->owner[i]) {
			(*assigned)++;
			err = crm_map_put(counts, as->owner[i],
					  (void *)((uintptr_t)crm_map_get(counts, as->owner[i]) + 1),
					  NULL);
		}
	}
	crm_assign_free(asg);
	return err;
}

/* Owners for the new records that have none, by crm.ini's [assign]
 * rules, one record after another as crm add would give them, written
 * into their texts; the same for --dry-run, which shows them, as for the
 * run that writes them.  Release `as` also after a failure. */
static int assign_owners(struct assignment *as, struct cli_ctx *ctx, struct crm_import *imp)
{
	struct crm_map counts = CRM_MAP_INIT, types = CRM_MAP_INIT;
	size_t i, assigned = 0;
	int err;

	memset(as, 0, sizeof(*as));
	crm_buf_init(&as->note);
	err = crm_automation_load(&as->a, &ctx->repo.config);
	as->owner = calloc(imp->items.len + 1, sizeof(*as->owner));
	as->rule = calloc(imp->items.len + 1, sizeof(*as->rule));
	if (!err && (!as->owner || !as->rule))
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < imp->items.len && !err; i++) {
		const struct crm_schema *s = imp->items.ptr[i].schema;
		if (imp->items.ptr[i].action != CRM_IMPORT_CREATE || crm_map_get(&types, s->type))
			continue;
		/* the first new record of its type: that type's in one pass */
		err = crm_map_put(&types, s->type, (void *)1, NULL);
		if (!err)
			err = assign_type(ctx, imp, i, as, &counts, &assigned);
	}
	if (!err && assigned)
		err = note_counts(&as->note, &as->a, &counts, assigned);
	crm_map_release(&types);
	crm_map_release(&counts);
	return err;
}

/* crm.ini's stage hook for the deals the import's commit made, or moved
 * to another stage (origin "import"), as a teammate's sync of that commit
 * announces them there. */
static void announce_deals(struct cli_ctx *ctx, const char *before)
{
	struct crm_git *git = NULL;
	char *prefix = NULL;

	if (!crm_git_open(&git, ctx->repo.root)) {
		prefix = crm_git_prefix(git, ctx->repo.root);
		cli_notify_stage_changes(ctx, git, prefix ? prefix : "", before, "import");
	}
	crm_error_clear();
	free(prefix);
	crm_git_free(git);
}

static int write_plan(struct cli_ctx *ctx, const struct crm_import *imp,
		      char *const *files, int nfiles, const char *note)
{
	struct crm_buf msg = CRM_BUF_INIT;
	struct crm_txn txn;
	char before[41] = "";
	size_t i, n = imp->counts[CRM_IMPORT_CREATE] + imp->counts[CRM_IMPORT_UPDATE];
	int f, rc, err;

	if (!n) {
		printf("nothing to change\n");
		return EXIT_OK;
	}
	crm_buf_addf(&msg, "crm: import %zu record%s from", n, n == 1 ? "" : "s");
	for (f = 0; f < nfiles; f++) {
		const char *slash = strrchr(files[f], '/');
		crm_buf_addf(&msg, "%s %s", f ? "," : "", slash ? slash + 1 : files[f]);
	}
	crm_buf_adds(&msg, note);
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err && (!txn.git || crm_git_head(txn.git, before, NULL)))
		before[0] = '\0';   /* no commit before: nothing to compare with */
	crm_error_clear();
	for (i = 0; i < imp->items.len && !err; i++) {
		const struct crm_import_item *it = &imp->items.ptr[i];
		/* the plan checked each text as crm check would, parse and all,
		 * and each new record's id against the index, under the lock */
		if (it->action == CRM_IMPORT_CREATE)
			err = crm_txn_create(&txn, it->path, it->text.ptr, it->text.len);
		else if (it->action == CRM_IMPORT_UPDATE)
			err = crm_txn_write(&txn, it->path, it->text.ptr, it->text.len);
	}
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	crm_buf_release(&msg);
	if (rc == EXIT_OK && before[0])
		announce_deals(ctx, before);
	return rc;
}

static bool is_file(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

int cmd_import(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *rules_path = NULL, *preset = NULL, *encoding = NULL, *type = NULL;
	bool dry_run = false, update = false, print = false;
	const struct cli_option opts[] = {
		{ "rules", 'r', CLI_OPT_STRING, &rules_path, "FILE", "the rules file (INI)" },
		{ "preset", 'p', CLI_OPT_STRING, &preset, "NAME",
		  "a shipped rules file ('list' names them)" },
		{ "print", 0, CLI_OPT_FLAG, &print, NULL, "with --preset: print its rules" },
		{ "dry-run", 'n', CLI_OPT_FLAG, &dry_run, NULL,
		  "show what each row would become; write nothing" },
		{ "update", 'u', CLI_OPT_FLAG, &update, NULL,
		  "update the existing records rows match" },
		{ "encoding", 0, CLI_OPT_STRING, &encoding, "NAME",
		  "the files' encoding (Shift_JIS, Windows-1250, GB18030...)" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_import_options io = CRM_IMPORT_OPTIONS_INIT;
	struct crm_import_rules rules;
	struct crm_import imp;
	struct assignment as;
	char **files;
	size_t i;
	int nfiles, err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	if (preset && !strcmp(preset, "list") && !argc)
		return list_presets();
	if (preset && print && !argc)
		return print_preset(preset);
	if (rules_path && preset) {
		cli_error("import", "--rules and --preset: give one");
		return EXIT_USAGE;
	}
	files = argv;
	nfiles = argc;
	if (argc && !is_file(argv[0]) && cli_find_type(ctx, argv[0])) {
		type = cli_find_type(ctx, argv[0])->type;
		files++;
		nfiles--;
	}
	if (nfiles < 1) {
		cli_usage(stderr, ctx->command, usage, opts);
		return EXIT_USAGE;
	}
	io.update = update;
	io.encoding = encoding;
	memset(&imp, 0, sizeof(imp));
	memset(&as, 0, sizeof(as));
	crm_buf_init(&as.note);
	err = load_rules(&rules, rules_path, preset, type);
	if (!err)
		err = crm_import_plan(&imp, ctx->idx, &rules, type, (const char *const *)files,
				      (size_t)nfiles, &io);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	for (i = 0; i < imp.errors.len; i++)
		fprintf(stderr, "%s\n", imp.errors.ptr[i]);
	if (imp.errors.len && !dry_run) {
		fprintf(stderr, "crm import: %zu error%s; nothing was written\n", imp.errors.len,
			imp.errors.len == 1 ? "" : "s");
		rc = EXIT_PROBLEMS;
		goto done;
	}
	/* the dry run assigns as the run that writes will: it shows the owners */
	if (assign_owners(&as, ctx, &imp)) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = EXIT_PROBLEMS;
		goto done;
	}
	if (dry_run) {
		if (print_rows(&imp, &as))
			rc = EXIT_PROBLEMS;
		print_summary(&imp, as.note.ptr);
		if (imp.errors.len)
			printf("%zu error%s: nothing would be written\n", imp.errors.len,
			       imp.errors.len == 1 ? "" : "s");
		rc = imp.errors.len ? EXIT_PROBLEMS : rc;
		goto done;
	}
	print_summary(&imp, as.note.ptr);
	rc = write_plan(ctx, &imp, files, nfiles, as.note.ptr);
done:
	assignment_release(&as);
	crm_import_release(&imp);
	crm_import_rules_release(&rules);
	return rc;
}

/* The hidden commands for scripts: crm __options COMMAND prints the options
 * of a command's tables (what the man pages' test holds each page to), and
 * crm __complete WORDS... the words that may come next on a command line
 * (what the bash, zsh and fish completions of completion/ ask). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm/arena.h"
#include "crm/array.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/stats.h"

/* ---- crm __options ---- */

/* "--long<TAB>-s<TAB>ARG", "-" for a part the option has not; a command
 * with subcommands hands several tables, so an option they share is
 * printed once. */
struct seen_options {
	CRM_ARRAY(const char *) names;
};

static bool seen(struct seen_options *s, const char *name)
{
	const char **slot;
	size_t i;

	for (i = 0; i < s->names.len; i++) {
		if (!strcmp(s->names.ptr[i], name))
			return true;
	}
	slot = CRM_ARRAY_PUSH(s->names);
	if (slot)
		*slot = name;
	return false;
}

static void print_options(void *payload, const char *usage, const struct cli_option *opts)
{
	const struct cli_option *o;

	(void)usage;
	for (o = opts; o->long_name; o++) {
		if (o->kind >= CLI_ARG_ONE || seen(payload, o->long_name))
			continue;
		printf("--%s\t", o->long_name);
		if (o->short_name)
			printf("-%c\t", o->short_name);
		else
			fputs("-\t", stdout);
		puts(o->arg_name ? o->arg_name : "-");
	}
}

int cmd_options(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *c = argc == 2 ? cli_find_command(argv[1]) : NULL;
	struct seen_options s = { CRM_ARRAY_INIT };

	if (argc != 2) {
		cli_error(ctx->command, "usage: crm __options COMMAND");
		return EXIT_USAGE;
	}
	if (!c || c->fn == cmd_options || c->fn == cmd_complete) {
		cli_error(ctx->command, "unknown command '%s'", argv[1]);
		return EXIT_USAGE;
	}
	cli_command_options(c, print_options, &s);
	CRM_ARRAY_RELEASE(s.names);
	return EXIT_OK;
}

/* ---- crm __complete ---- */

/* One option table of the command being completed (a command with
 * subcommands has one a subcommand, its usage starting with the name). */
struct table {
	const char *usage;
	const struct cli_option *opts;   /* a copy: the command's is gone */
};

struct completion {
	struct crm_arena arena;
	CRM_ARRAY(const char *) words;   /* the candidates */
	CRM_ARRAY(struct table) tables;
	const char *cur;                 /* the word being completed */
	const char *command;
	struct crm_repo repo;
	bool repo_tried, has_repo;
	struct crm_index *idx;
	bool index_tried;
};

/* Adds `word` when it starts with what was typed: copied, since a tag
 * read from a record is gone when the index drops the record's tree.  A
 * word memory ran out for is left out (NULL is never added). */
static void add(struct completion *c, const char *word)
{
	const char **slot;
	char *copy;

	if (!word || strncmp(word, c->cur, strlen(c->cur)))
		return;
	copy = crm_arena_strdup(&c->arena, word);
	slot = copy ? CRM_ARRAY_PUSH(c->words) : NULL;
	if (slot)
		*slot = copy;
}

static void addf(struct completion *c, const char *prefix, const char *word,
		 const char *suffix)
{
	add(c, crm_arena_printf(&c->arena, "%s%s%s", prefix, word, suffix));
}

static int compare_words(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void print_words(struct completion *c)
{
	size_t i;

	if (!c->words.len)
		return;   /* ptr is NULL: qsort must not see it */
	qsort(c->words.ptr, c->words.len, sizeof(*c->words.ptr), compare_words);
	for (i = 0; i < c->words.len; i++) {
		if (!i || strcmp(c->words.ptr[i], c->words.ptr[i - 1]))
			puts(c->words.ptr[i]);
	}
}

/* The repository, opened on first need; a completion outside one offers
 * what needs none.  Errors are dropped: a shell shows no messages. */
static bool open_repo(struct completion *c)
{
	char *root = NULL;

	if (c->repo_tried)
		return c->has_repo;
	c->repo_tried = true;
	if (!crm_repo_discover(&root, ".") && !crm_repo_open(&c->repo, root))
		c->has_repo = true;
	else
		crm_repo_release(&c->repo);
	free(root);
	crm_error_clear();
	return c->has_repo;
}

/* The records, listed from the index cache without a walk (trust_cache,
 * as commands that address one record do): fast on any size, at the price
 * of missing a record added since the cache was written. */
static struct crm_index *load_index(struct completion *c)
{
	struct crm_index_options opts = CRM_INDEX_OPTIONS_INIT;

	if (c->index_tried || !open_repo(c))
		return c->idx;
	c->index_tried = true;
	opts.trust_cache = true;
	opts.git_dates = false;
	if (crm_index_load(&c->idx, &c->repo, &opts))
		c->idx = NULL;
	crm_error_clear();
	return c->idx;
}

static void add_table(void *payload, const char *usage, const struct cli_option *opts)
{
	struct completion *c = payload;
	struct table *t = CRM_ARRAY_PUSH(c->tables);
	size_t n = 0;

	while (opts[n].long_name)
		n++;
	if (!t)
		return;
	t->usage = usage;
	t->opts = crm_arena_memdup(&c->arena, opts, (n + 1) * sizeof(*opts));
	if (!t->opts)
		c->tables.len--;   /* out of memory: completed without it */
}

/* The type `name` names: "opportunity", its folder, or "opp" (a unique
 * prefix, as in OPP); NULL when none. */
static const struct crm_schema *find_type(struct completion *c, const char *name)
{
	const struct crm_schema *s, *match = NULL;
	size_t i, n = strlen(name);

	if (!open_repo(c) || !n)
		return NULL;
	s = crm_repo_schema(&c->repo, name);
	if (s)
		return s;
	for (i = 0; i < c->repo.schemas.len; i++) {
		s = &c->repo.schemas.ptr[i];
		if (!strcmp(s->folder, name))
			return s;
		if (!strncmp(s->type, name, n)) {
			if (match)
				return NULL;
			match = s;
		}
	}
	return match;
}

static void add_types(struct completion *c, const char *suffix)
{
	size_t i;

	if (!open_repo(c))
		return;
	for (i = 0; i < c->repo.schemas.len; i++)
		addf(c, "", c->repo.schemas.ptr[i].type, suffix);
}

static void add_ids_of(struct completion *c, const struct crm_schema *s, const char *prefix)
{
	struct crm_index *idx = load_index(c);
	struct crm_record **recs;
	size_t i, n = 0;

	if (!idx)
		return;
	recs = crm_index_list(idx, s->type, &n);
	for (i = 0; i < n; i++)
		addf(c, prefix, recs[i]->id, "");
}

/* A record reference: "type/id" once a type is typed with its slash,
 * else the types (with their slash) and every bare id. */
static void add_refs(struct completion *c)
{
	const char *slash = strchr(c->cur, '/');
	const struct crm_schema *s;
	size_t i;

	if (!open_repo(c))
		return;
	if (slash) {
		char *prefix = crm_arena_strndup(&c->arena, c->cur, (size_t)(slash - c->cur + 1));
		if (!prefix)
			return;
		prefix[slash - c->cur] = '\0';   /* the type, without its slash */
		s = crm_repo_schema(&c->repo, prefix);
		prefix[slash - c->cur] = '/';
		if (s)
			add_ids_of(c, s, prefix);
		return;
	}
	add_types(c, "/");
	for (i = 0; i < c->repo.schemas.len; i++)
		add_ids_of(c, &c->repo.schemas.ptr[i], "");
}

static void add_stages(struct completion *c, const char *prefix)
{
	size_t i;

	if (!open_repo(c))
		return;
	for (i = 0; i < c->repo.config.stages.len; i++)
		addf(c, prefix, c->repo.config.stages.ptr[i].name, "");
}

static void add_users(struct completion *c, const char *prefix)
{
	size_t i;

	if (!open_repo(c))
		return;
	for (i = 0; i < c->repo.config.users.len; i++)
		addf(c, prefix, c->repo.config.users.ptr[i].id, "");
}

/* The tags a tags field declares; without a list in the schema, those the
 * records carry (decoded from the index cache). */
static void add_tags_of(struct completion *c, const struct crm_schema *s, const char *prefix)
{
	struct crm_index *idx;
	struct crm_record **recs;
	size_t i, j, k, n = 0;

	for (i = 0; i < s->nfields; i++) {
		const struct crm_field *f = &s->fields[i];
		if (f->type != CRM_F_TAGS)
			continue;
		for (j = 0; j < f->nvalues; j++)
			addf(c, prefix, f->values[j], "");
		if (f->nvalues || !(idx = load_index(c)))
			continue;
		recs = crm_index_list(idx, s->type, &n);
		for (j = 0; j < n; j++) {
			const struct crm_node *v;
			crm_index_materialize(idx, recs[j]);
			v = recs[j]->root ? crm_node_get(recs[j]->root, f->name) : NULL;
			for (k = 0; v && v->kind == CRM_NODE_SEQ && k < v->count; k++) {
				if (v->items[k]->kind == CRM_NODE_SCALAR)
					addf(c, prefix, v->items[k]->text, "");
			}
			crm_index_trim(idx);
		}
	}
}

static void add_tags(struct completion *c, const struct crm_schema *s, const char *prefix)
{
	size_t i;

	if (s) {
		add_tags_of(c, s, prefix);
		return;
	}
	if (!open_repo(c))
		return;
	for (i = 0; i < c->repo.schemas.len; i++)
		add_tags_of(c, &c->repo.schemas.ptr[i], prefix);
}

static void add_fields(struct completion *c, const struct crm_schema *s, const char *prefix,
		       const char *suffix, bool stored_only)
{
	size_t i;

	for (i = 0; s && i < s->nfields; i++) {
		const struct crm_field *f = &s->fields[i];
		if (stored_only && crm_field_is_computed(f))
			continue;
		if (f->type == CRM_F_STAGE && !strcmp(c->command, "set"))
			continue;   /* a stage changes through crm move */
		addf(c, prefix, f->name, suffix);
	}
}

/* The values field `f` of `s` may take, each after `prefix` ("stage="). */
static void add_values(struct completion *c, const struct crm_schema *s,
		       const struct crm_field *f, const char *prefix)
{
	const struct crm_schema *to;
	size_t i;

	switch (f->type) {
	case CRM_F_ENUM:
		for (i = 0; i < f->nvalues; i++)
			addf(c, prefix, f->values[i], "");
		break;
	case CRM_F_STAGE:
		add_stages(c, prefix);
		break;
	case CRM_F_USER:
		add_users(c, prefix);
		break;
	case CRM_F_TAGS:
		add_tags(c, s, prefix);
		break;
	case CRM_F_REF: case CRM_F_REFS:
		to = f->to ? crm_repo_schema(&c->repo, f->to) : NULL;
		if (to)
			add_ids_of(c, to, prefix);
		break;
	default:
		break;
	}
}

/* "field=..." (set, add --set; a filter, which `filter` says, may be
 * negated with a leading - or !): the fields with their '=', then, once
 * the field is typed, its values. */
static void add_assignments(struct completion *c, const struct crm_schema *s, bool filter)
{
	const char *op, *name_start = c->cur;
	const struct crm_field *f;
	char *name, *prefix, *negation;

	if (!s)
		return;
	if (filter && (*name_start == '-' || *name_start == '!'))
		name_start++;
	negation = crm_arena_strndup(&c->arena, c->cur, (size_t)(name_start - c->cur));
	op = strpbrk(name_start, "=:~<>!");
	if (!negation)
		return;
	if (!op) {
		add_fields(c, s, negation, "=", !filter);
		return;
	}
	name = crm_arena_strndup(&c->arena, name_start, (size_t)(op - name_start));
	while (*op && strchr("=:~<>!", *op))
		op++;
	prefix = crm_arena_strndup(&c->arena, c->cur, (size_t)(op - c->cur));
	f = name && prefix ? crm_schema_field(s, name) : NULL;
	if (f)
		add_values(c, s, f, prefix);
}

/* What the command line says so far, for the argument being completed. */
struct line {
	const struct table *table;   /* NULL: the command's subcommand */
	char **positionals;
	size_t npositionals;         /* before the current word */
};

/* The type a command line is about: its TYPE argument, the type of its
 * REF argument, or the type the command is named after (invoice). */
static const struct crm_schema *line_type(struct completion *c, const struct line *l)
{
	const struct crm_schema *s;
	const char *slash;
	struct crm_record *r, *found;
	struct crm_index *idx;
	size_t i;

	if (l->npositionals && (s = find_type(c, l->positionals[0])) != NULL &&
	    !strchr(l->positionals[0], '/'))
		return s;
	if (l->npositionals) {
		slash = strchr(l->positionals[0], '/');
		if (slash) {
			char *type = crm_arena_strndup(&c->arena, l->positionals[0],
						       (size_t)(slash - l->positionals[0]));
			return type ? find_type(c, type) : NULL;
		}
		/* a bare id: the type of the one record that has it */
		idx = load_index(c);
		for (i = 0, found = NULL; idx && i < c->repo.schemas.len; i++) {
			r = crm_index_find(idx, c->repo.schemas.ptr[i].type, l->positionals[0]);
			if (r && found)
				return NULL;
			found = r ? r : found;
		}
		if (found)
			return found->schema;
	}
	return open_repo(c) ? crm_repo_schema(&c->repo, c->command) : NULL;
}

/* "OPPORTUNITY" as "opportunity" (ASCII: the tables' names are), in the
 * arena; NULL when out of memory. */
static char *lowercase(struct completion *c, const char *name)
{
	char *lower = crm_arena_strdup(&c->arena, name);
	size_t i;

	for (i = 0; lower && lower[i]; i++) {
		if (lower[i] >= 'A' && lower[i] <= 'Z')
			lower[i] = (char)(lower[i] - 'A' + 'a');
	}
	return lower;
}

/* Completes by the name a table gives the value: an option's argument
 * (`option` its long name) or a positional argument (`option` NULL). */
static void complete_named(struct completion *c, const struct line *l, const char *name,
			   const char *option)
{
	const struct crm_schema *s;
	const struct crm_field *f;
	char *lower;

	if (!strcmp(name, "REF") || !strcmp(name, "REF|FILE") || strstr(name, "TYPE/ID"))
		add_refs(c);
	else if (!strcmp(name, "TYPE"))
		add_types(c, "");
	else if (!strcmp(name, "STAGE"))
		add_stages(c, "");
	else if (!strcmp(name, "USER"))
		add_users(c, "");
	else if (!strcmp(name, "TAG") || !strcmp(name, "T"))
		add_tags(c, NULL, "");
	else if (!strcmp(name, "+TAG|-TAG")) {
		s = line_type(c, l);
		add_tags(c, s, "+");
		add_tags(c, s, "-");
	} else if (!strcmp(name, "FIELD"))
		add_fields(c, line_type(c, l), "", "", true);
	else if (!strcmp(name, "FIELD=VALUE") || !strcmp(name, "F=V"))
		add_assignments(c, line_type(c, l), false);
	else if (!strcmp(name, "FILTER"))
		add_assignments(c, line_type(c, l), true);
	else if (!strcmp(name, "ID") || !strcmp(name, "CLIENT") || !strcmp(name, "OPP") ||
		 !strcmp(name, "OPPORTUNITY")) {
		/* the ids of the type the option, the name or the command says */
		lower = lowercase(c, name);
		s = option ? find_type(c, option) : NULL;
		if (!s && strcmp(name, "ID") && lower)
			s = find_type(c, lower);
		if (!s && !option && open_repo(c))
			s = crm_repo_schema(&c->repo, c->command);
		if (s)
			add_ids_of(c, s, "");
	} else if (name[0] >= 'a' && name[0] <= 'z') {
		add(c, name);   /* a literal word: `crm hooks install` */
	} else if (open_repo(c) && (s = crm_repo_schema(&c->repo, c->command)) != NULL) {
		/* STATUS of crm invoice status: the field of that name */
		lower = lowercase(c, name);
		f = lower ? crm_schema_field(s, lower) : NULL;
		if (f)
			add_values(c, s, f, "");
	}
	/* FILE, DIR, PATH, REV, DATE, N...: nothing, and the shell offers
	 * file names */
}

static const struct cli_option *find_option(const struct table *t, const char *word)
{
	const struct cli_option *o;

	for (o = t ? t->opts : NULL; o && o->long_name; o++) {
		if (o->kind >= CLI_ARG_ONE)
			continue;
		if ((word[1] == '-' && !strcmp(word + 2, o->long_name)) ||
		    (word[1] != '-' && o->short_name && word[1] == o->short_name && !word[2]))
			return o;
	}
	return NULL;
}

static bool takes_value(const struct cli_option *o)
{
	return o && o->kind != CLI_OPT_FLAG;
}

/* The positional entry of table `t` the n-th positional (0-based) fills. */
static const struct cli_option *nth_positional(const struct table *t, size_t n)
{
	const struct cli_option *o, *last = NULL;
	size_t i = 0;

	for (o = t->opts; o->long_name; o++) {
		if (o->kind < CLI_ARG_ONE || o->kind == CLI_ARG_NONE)
			continue;
		if (i++ == n)
			return o;
		last = o;
	}
	if (last && (last->kind == CLI_ARG_SOME || last->kind == CLI_ARG_ANY))
		return last;
	return NULL;
}

/* The length of the first word of a subcommand's usage ("render ID ..."). */
static size_t sub_name_len(const struct table *t)
{
	return strcspn(t->usage, " ");
}

static const struct table *find_subcommand(struct completion *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->tables.len; i++) {
		const struct table *t = &c->tables.ptr[i];
		if (sub_name_len(t) == strlen(name) && !strncmp(t->usage, name, strlen(name)))
			return t;
	}
	return NULL;
}

static void add_options(struct completion *c, const struct table *t)
{
	const struct cli_option *o;

	for (o = t ? t->opts : NULL; o && o->long_name; o++) {
		if (o->kind < CLI_ARG_ONE)
			addf(c, "--", o->long_name, "");
	}
}

/* words[0..n) follow the command's name; the last one is being completed. */
static void complete_arguments(struct completion *c, char **words, size_t n)
{
	struct line l = { NULL, NULL, 0 };
	const struct cli_option *o, *prev = NULL;
	bool subcommands = c->tables.len > 1;
	size_t i, first = 0;

	l.positionals = words;
	if (subcommands) {
		if (n == 1) {
			for (i = 0; i < c->tables.len; i++)
				add(c, crm_arena_strndup(&c->arena, c->tables.ptr[i].usage,
							 sub_name_len(&c->tables.ptr[i])));
			return;
		}
		l.table = find_subcommand(c, words[0]);
		first = 1;
	} else if (c->tables.len) {
		l.table = &c->tables.ptr[0];
	}
	if (!l.table)
		return;
	for (i = first; i + 1 < n; i++) {
		if (prev) {
			prev = NULL;   /* the value of the option before */
			continue;
		}
		if (words[i][0] == '-' && words[i][1] && !strchr(words[i], '=')) {
			prev = find_option(l.table, words[i]);
			if (!takes_value(prev))
				prev = NULL;
			if (prev || words[i][1] == '-')
				continue;
		}
		l.positionals[l.npositionals++] = words[i];
	}
	l.positionals = l.npositionals ? l.positionals : NULL;
	if (prev) {
		complete_named(c, &l, prev->arg_name ? prev->arg_name : "", prev->long_name);
		return;
	}
	if (!strcmp(c->command, "report") && l.npositionals == 0 && c->cur[0] != '-') {
		for (i = 0; crm_stats_report_names[i]; i++)
			add(c, crm_stats_report_names[i]);
		return;
	}
	o = nth_positional(l.table, l.npositionals);
	if (c->cur[0] == '-') {
		add_options(c, l.table);
		if (o && !strcmp(o->long_name, "+TAG|-TAG"))
			complete_named(c, &l, o->long_name, NULL);
		if (o && !strcmp(o->long_name, "FILTER"))
			add_assignments(c, line_type(c, &l), true);
		return;
	}
	if (o)
		complete_named(c, &l, o->long_name, NULL);
}

static const char *const global_options[] = {
	"-C", "--no-cache", "--color=auto", "--color=always", "--color=never",
	"--no-pager", "--version", "--help", NULL
};

/* Skips the global options among words[0..n-1) (following -C, so that
 * the repository is the one the command will use). */
static size_t skip_global_options(char **words, size_t n)
{
	size_t i = 0;

	while (i + 1 < n && words[i][0] == '-') {
		if (!strcmp(words[i], "-C") && i + 2 < n) {
			if (chdir(words[i + 1]))
				return n;   /* no such folder: nothing to offer */
			i += 2;
		} else {
			i++;
		}
	}
	return i;
}

int cmd_complete(struct cli_ctx *ctx, int argc, char **argv)
{
	struct completion c;
	const struct cli_command *commands, *cmd;
	size_t i, n = argc > 1 ? (size_t)argc - 1 : 0, ncommands, start;
	char **words = argv + 1;

	(void)ctx;
	memset(&c, 0, sizeof(c));
	crm_arena_init(&c.arena);
	c.cur = n ? words[n - 1] : "";
	start = skip_global_options(words, n);
	commands = cli_commands(&ncommands);
	if (n == 0 || start == n - 1) {
		if (n >= 2 && !strcmp(words[n - 2], "-C"))
			goto done;   /* a folder: the shell's */
		for (i = 0; c.cur[0] == '-' && global_options[i]; i++)
			add(&c, global_options[i]);
		for (i = 0; c.cur[0] != '-' && i < ncommands; i++) {
			if (!(commands[i].flags & CLI_HIDDEN))
				add(&c, commands[i].name);
		}
		goto done;
	}
	if (start >= n)
		goto done;
	cmd = cli_find_command(words[start]);
	if (!cmd || (cmd->flags & CLI_HIDDEN))
		goto done;
	c.command = cmd->name;
	if (!strcmp(cmd->name, "help")) {
		if (n - start == 2)
			for (i = 0; i < ncommands; i++)
				if (!(commands[i].flags & CLI_HIDDEN))
					add(&c, commands[i].name);
		goto done;
	}
	cli_command_options(cmd, add_table, &c);
	complete_arguments(&c, words + start + 1, n - start - 1);
done:
	print_words(&c);
	crm_index_free(c.idx);
	if (c.has_repo)
		crm_repo_release(&c.repo);
	CRM_ARRAY_RELEASE(c.words);
	CRM_ARRAY_RELEASE(c.tables);
	crm_arena_release(&c.arena);
	return EXIT_OK;
}

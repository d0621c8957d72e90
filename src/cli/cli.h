/* What the commands of src/cli share: the command table's types, the option
 * tables that also print --help, and the context the wrapper in main.c
 * prepares (repository, index, colour). */
#ifndef CRM_CLI_H
#define CRM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "crm.h"

/* Exit statuses (SPEC section 7). */
enum { EXIT_OK = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

enum cli_flags {
	CLI_NEEDS_REPO = 1 << 0,    /* discover and open the data repository */
	CLI_NEEDS_INDEX = 1 << 1    /* and load every record */
};

struct cli_ctx {
	const char *command;
	struct crm_repo repo;
	bool has_repo;
	struct crm_index *idx;
	bool color;                 /* stdout is a terminal and NO_COLOR unset */
	bool no_cache;
};

struct cli_command {
	const char *name;
	int (*fn)(struct cli_ctx *ctx, int argc, char **argv);
	int flags;
	const char *summary;
};

enum cli_opt_kind {
	CLI_OPT_FLAG,       /* bool *target */
	CLI_OPT_STRING,     /* const char **target; last one wins */
	CLI_OPT_LIST,       /* struct cli_list *target; every one kept */
	CLI_OPT_INT         /* long *target */
};

struct cli_list {
	const char **items;
	size_t len, cap;
};

struct cli_option {
	const char *long_name;
	char short_name;
	enum cli_opt_kind kind;
	void *target;
	const char *arg_name;
	const char *help;
};

#define CLI_HELP_SHOWN 1

/* Parses the options of a command from argv[1..argc); positional arguments
 * are moved to argv[0..*argc_out).  Prints usage and the table on --help
 * (returns CLI_HELP_SHOWN), a message on a bad option (returns CRM_EUSAGE). */
int cli_parse(const char *command, const char *usage, const struct cli_option *opts,
	      int argc, char **argv, int *argc_out);
void cli_usage(FILE *out, const char *command, const char *usage,
	       const struct cli_option *opts);
void cli_list_release(struct cli_list *l);

/* Prints "crm COMMAND: message" for the last error on stderr. */
void cli_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The schema for a type argument: "opportunity", its folder
 * "opportunities", or a unique prefix. */
const struct crm_schema *cli_find_type(struct cli_ctx *ctx, const char *arg);

/* Output formats of listing commands. */
enum cli_format { CLI_FORMAT_TABLE, CLI_FORMAT_JSON, CLI_FORMAT_CSV, CLI_FORMAT_YAML };
/* From --format NAME and the --json/--csv shortcuts; CRM_EUSAGE if unknown. */
int cli_pick_format(enum cli_format *out, const char *name, bool json, bool csv);

/* The commands, one file each in src/cli/. */
int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
int cmd_check(struct cli_ctx *ctx, int argc, char **argv);
int cmd_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_ls(struct cli_ctx *ctx, int argc, char **argv);

/* Writes `buf` to stdout. */
int cli_write(const struct crm_buf *buf);

#endif

/* Stage-change notifications: a deal's change of stage as one JSON
 * document, handed to the [notify] stage command of crm.ini on its stdin.
 * The command is run from an argument vector, never a shell, so no field
 * of a record ever reaches a command line.  Changes a sync brings in are
 * found by comparing the deals of the commits before and after it. */
#include <stdlib.h>
#include <string.h>

#include "crm/automation.h"
#include "crm/child.h"
#include "crm/diag.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/json.h"
#include "crm/map.h"
#include "crm/node.h"

static void member(struct crm_json *j, const char *key, const char *value)
{
	crm_json_key(j, key);
	crm_json_string(j, value);
}

int crm_stage_change_json(struct crm_buf *out, const struct crm_stage_change *c)
{
	struct crm_buf ref = CRM_BUF_INIT;
	struct crm_json j;
	int err;

	crm_buf_addf(&ref, "%s/%s", c->type, c->id);
	crm_json_init(&j, out);
	crm_json_object(&j, CRM_JSON_BLOCK);
	member(&j, "event", "stage-change");
	member(&j, "record", ref.ptr);
	member(&j, "type", c->type);
	member(&j, "id", c->id);
	member(&j, "title", c->title);
	member(&j, "from", c->from);
	member(&j, "to", c->to);
	member(&j, "by", c->by);
	member(&j, "date", c->date);
	member(&j, "amount", c->amount);
	member(&j, "owner", c->owner);
	member(&j, "origin", c->origin);
	member(&j, "commit", c->commit);
	err = crm_json_end(&j);
	if (!err)
		err = crm_buf_addch(out, '\n');
	crm_buf_release(&ref);
	return err ? err : crm_buf_check(out);
}

int crm_notify_stage_change(const struct crm_automation *a, const struct crm_stage_change *c)
{
	struct crm_child_options o = CRM_CHILD_OPTIONS_INIT;
	struct crm_buf json = CRM_BUF_INIT, out = CRM_BUF_INIT;
	int status = 0, err;

	if (!a->notify_argv)
		return 0;
	err = crm_stage_change_json(&json, c);
	o.in = json.ptr;
	o.in_len = json.len;
	o.out = &out;
	if (!err)
		err = crm_child_run(&status, a->notify_argv, &o);
	/* the hook's words go where crm's own messages go: stdout stays the
	 * command's, which scripts read */
	if (out.len)
		fwrite(out.ptr, 1, out.len, stderr);
	if (!err && status)
		err = crm_error_set(CRM_ERROR, "the stage hook '%s' exited with status %d",
				    a->notify_argv[0], status);
	else if (err)
		err = crm_error_set(err, "the stage hook '%s' did not run: %s",
				    a->notify_argv[0], crm_error_last());
	crm_buf_release(&json);
	crm_buf_release(&out);
	return err;
}

/* The last entry of the deal's history, for who moved it and when. */
static const struct crm_node *last_step(const struct crm_node *root)
{
	const struct crm_node *h = crm_node_get(root, "history");

	if (!h || h->kind != CRM_NODE_SEQ || !h->count)
		return NULL;
	return h->items[h->count - 1]->kind == CRM_NODE_MAP ? h->items[h->count - 1] : NULL;
}

void crm_stage_change_describe(struct crm_stage_change *c, const char *type, const char *id,
			       const struct crm_node *root)
{
	const struct crm_node *step = last_step(root);

	c->type = type;
	c->id = id;
	c->to = crm_node_text(root, "stage");
	c->title = crm_node_text(root, "title");
	c->by = step ? crm_node_text(step, "by") : NULL;
	c->date = step ? crm_node_text(step, "date") : NULL;
	c->amount = crm_node_text(root, "amount");
	c->owner = crm_node_text(root, "owner");
}

/* A deal file that the later commit no longer has at its path: moved
 * (same id elsewhere), renamed by crm mv (same bytes, another id), or
 * gone (merged away, removed). */
struct gone_deal {
	const char *text;
	size_t len;
};

struct stage_diff {
	struct crm_git *g;
	const char *folder;          /* "data/opportunities/" */
	const char *to;
	int (*cb)(const struct crm_stage_change *c, void *payload);
	void *payload;
	struct crm_arena arena;      /* the gone deals' ids and texts */
	struct crm_map gone_by_id;   /* id -> struct gone_deal */
	struct crm_map gone_by_text; /* text -> struct gone_deal */
	CRM_ARRAY(char *) arrived;   /* paths the later commit added, in the arena */
};

/* The deal's id from its path: the file name without ".yaml". */
static char *id_of(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	return n > 5 && !strcmp(base + n - 5, ".yaml") ? strndup(base, n - 5) : NULL;
}

static struct crm_node *parse(struct crm_arena *a, const char *text, size_t len,
			      const char *path)
{
	struct crm_diags d;
	struct crm_node *root = NULL;

	if (!text)
		return NULL;
	crm_diags_init(&d);
	/* a file that does not parse is crm check's to report, not a change */
	if (crm_yaml_parse(&root, a, text, len, path, &d))
		root = NULL;
	crm_diags_release(&d);
	return root;
}

/* Calls the callback when the deal's stage differs between its old text
 * and its new one at `new_path`; an old text of NULL is a deal that did
 * not exist before, a change from no stage. */
static int announce(struct stage_diff *sd, const char *old_text, size_t old_len,
		    const char *new_text, size_t new_len, const char *new_path)
{
	struct crm_arena a = CRM_ARENA_INIT;
	struct crm_stage_change c;
	const struct crm_node *old_root, *new_root;
	char *id = id_of(new_path);
	int rc = 0;

	old_root = parse(&a, old_text, old_len, new_path);
	new_root = parse(&a, new_text, new_len, new_path);
	memset(&c, 0, sizeof(c));
	if (new_root && id && (old_root || !old_text)) {
		crm_stage_change_describe(&c, "opportunity", id, new_root);
		c.from = old_root ? crm_node_text(old_root, "stage") : NULL;
	}
	if (c.to && (!c.from || strcmp(c.from, c.to))) {
		c.origin = "sync";
		c.commit = sd->to;
		rc = sd->cb(&c, sd->payload);
	}
	free(id);
	crm_arena_release(&a);
	return rc;
}

/* A file the later commit removed, kept by id and by content until the
 * files it added are known. */
static int keep_gone(struct stage_diff *sd, const struct crm_git_change *gc)
{
	char *id = id_of(gc->old_path);
	struct gone_deal *g;
	const char *key;
	int err = 0;

	if (!id)
		return 0;   /* not a record file */
	key = crm_arena_strdup(&sd->arena, id);
	free(id);
	g = crm_arena_alloc(&sd->arena, sizeof(*g));
	if (g)
		g->text = crm_arena_strndup(&sd->arena, gc->old_text, gc->old_len);
	if (!key || !g || !g->text)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	g->len = gc->old_len;
	err = crm_map_put(&sd->gone_by_id, key, g, NULL);
	/* a text with a NUL byte is no record: it cannot be a rename's source */
	if (!err && strlen(g->text) == g->len)
		err = crm_map_put(&sd->gone_by_text, g->text, g, NULL);
	return err;
}

static int compare_deal(const struct crm_git_change *gc, void *payload)
{
	struct stage_diff *sd = payload;
	const char *path = gc->new_path ? gc->new_path : gc->old_path;
	char **slot;

	if (strncmp(path, sd->folder, strlen(sd->folder)))
		return 0;
	if (gc->old_path && gc->new_path)
		return announce(sd, gc->old_text, gc->old_len, gc->new_text, gc->new_len,
				gc->new_path);
	if (gc->old_path)
		return keep_gone(sd, gc);
	slot = CRM_ARRAY_PUSH(sd->arrived);
	if (!slot || !(*slot = crm_arena_strdup(&sd->arena, gc->new_path)))
		return crm_error_set(CRM_ENOMEM, "out of memory");
	return 0;
}

/* A file the later commit added: the same deal moved to another folder
 * (its id was removed elsewhere), a deal renamed (the same bytes were
 * removed under another id: nothing to announce), or a new deal, which
 * enters its stage from none. */
static int announce_arrival(struct stage_diff *sd, const char *path)
{
	struct gone_deal *was = NULL;
	char *text = NULL, *id = id_of(path);
	size_t len = 0;
	int err;

	err = crm_git_read_file_at(sd->g, sd->to, path, &text, &len);
	if (!err && id)
		was = crm_map_get(&sd->gone_by_id, id);
	if (!err && id && !was && !crm_map_get(&sd->gone_by_text, text))
		err = announce(sd, NULL, 0, text, len, path);
	else if (!err && was)
		err = announce(sd, was->text, was->len, text, len, path);
	free(text);
	free(id);
	return err;
}

int crm_stage_changes_between(struct crm_git *g, const struct crm_repo *repo,
			      const char *prefix, const char *from, const char *to,
			      int (*cb)(const struct crm_stage_change *c, void *payload),
			      void *payload)
{
	const struct crm_schema *s = crm_repo_schema(repo, "opportunity");
	struct crm_buf folder = CRM_BUF_INIT;
	struct stage_diff sd;
	size_t i;
	int err;

	if (!s || !s->folder || !strcmp(from, to))
		return 0;
	crm_buf_addf(&folder, "%s%s/", prefix, s->folder);
	err = crm_buf_check(&folder);
	memset(&sd, 0, sizeof(sd));
	crm_arena_init(&sd.arena);
	sd.g = g;
	sd.folder = folder.ptr;
	sd.to = to;
	sd.cb = cb;
	sd.payload = payload;
	if (!err)
		err = crm_git_diff_commits(g, from, to, folder.ptr, compare_deal, &sd);
	for (i = 0; i < sd.arrived.len && !err; i++)
		err = announce_arrival(&sd, sd.arrived.ptr[i]);
	CRM_ARRAY_RELEASE(sd.arrived);
	crm_map_release(&sd.gone_by_id);
	crm_map_release(&sd.gone_by_text);
	crm_arena_release(&sd.arena);
	crm_buf_release(&folder);
	return err;
}

/* String-keyed hash map (open addressing, linear probing).  Keys are not
 * copied: they must outlive the map (typically they live in an arena). */
#ifndef CRM_MAP_H
#define CRM_MAP_H

#include <stddef.h>
#include <stdint.h>

struct crm_map_slot {
	const char *key;
	void *value;
	uint32_t hash;
};

struct crm_map {
	struct crm_map_slot *slots;
	size_t cap;   /* power of two, or 0 */
	size_t len;
};

#define CRM_MAP_INIT { NULL, 0, 0 }

uint32_t crm_hash_str(const char *s);
void crm_map_release(struct crm_map *m);
/* Inserts or replaces; 0 or CRM_ENOMEM.  *old_out (if given) receives the
 * replaced value or NULL. */
int crm_map_put(struct crm_map *m, const char *key, void *value, void **old_out);
void *crm_map_get(const struct crm_map *m, const char *key);
/* Iterates: start with *pos = 0; returns NULL at the end. */
struct crm_map_slot *crm_map_next(const struct crm_map *m, size_t *pos);

#endif

/* Open-addressing string hash map with FNV-1a hashes.  No deletion: the
 * index is built once per load and freed whole. */
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/map.h"

uint32_t crm_hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

void crm_map_release(struct crm_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->len = 0;
}

static struct crm_map_slot *find_slot(struct crm_map_slot *slots, size_t cap,
				      const char *key, uint32_t h)
{
	size_t i = h & (cap - 1);
	while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key)))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int rehash(struct crm_map *m, size_t ncap)
{
	struct crm_map_slot *ns = calloc(ncap, sizeof(*ns));
	size_t i;

	if (!ns)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key)
			*find_slot(ns, ncap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int crm_map_put(struct crm_map *m, const char *key, void *value, void **old_out)
{
	uint32_t h = crm_hash_str(key);
	struct crm_map_slot *s;

	if (old_out)
		*old_out = NULL;
	if ((m->len + 1) * 4 > m->cap * 3) {
		int err = rehash(m, m->cap ? m->cap * 2 : 16);
		if (err)
			return err;
	}
	s = find_slot(m->slots, m->cap, key, h);
	if (s->key) {
		if (old_out)
			*old_out = s->value;
	} else {
		s->key = key;
		s->hash = h;
		m->len++;
	}
	s->value = value;
	return 0;
}

void *crm_map_get(const struct crm_map *m, const char *key)
{
	struct crm_map_slot *s;
	if (!m->cap)
		return NULL;
	s = find_slot(m->slots, m->cap, key, crm_hash_str(key));
	return s->key ? s->value : NULL;
}

struct crm_map_slot *crm_map_next(const struct crm_map *m, size_t *pos)
{
	while (*pos < m->cap) {
		struct crm_map_slot *s = &m->slots[(*pos)++];
		if (s->key)
			return s;
	}
	return NULL;
}

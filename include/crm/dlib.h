/* Libraries loaded with dlopen the first time a command needs them, not
 * linked: each library the dynamic loader maps, relocates and initialises
 * at start-up costs every crm command, and ICU, libical (which pulls ICU)
 * and libxlsxwriter were half of a `crm set`'s 6 ms before main() for the
 * few commands that format numbers, write iCalendar or spreadsheets.
 *
 * A user of one keeps a table of the functions it calls (typed by the
 * library's own header) and a struct crm_dlib naming the library; its
 * resolve callback fills the table with crm_dlib_sym. */
#ifndef CRM_DLIB_H
#define CRM_DLIB_H

#include <pthread.h>
#include <stdbool.h>

struct crm_dlib {
	const char *soname;      /* what dlopen is given */
	const char *package;     /* Debian's package that ships it */
	void (*resolve)(struct crm_dlib *d, void *handle);
	pthread_mutex_t lock;
	bool tried;
	int err;
	char message[256];       /* why the load failed */
};

#define CRM_DLIB_INIT(soname, package, resolve) \
	{ (soname), (package), (resolve), PTHREAD_MUTEX_INITIALIZER, false, 0, "" }

/* The name of a function as the library exports it, macros expanded (ICU
 * renames unum_open to unum_open_72 in its headers). */
#define CRM_DLIB_NAME(fn) CRM_DLIB_STR_(fn)
#define CRM_DLIB_STR_(fn) #fn

/* Loads `d` once per process (later calls give the first one's outcome):
 * 0, or CRM_EIO with "cannot PURPOSE: why (install PACKAGE)" set. */
int crm_dlib_load(struct crm_dlib *d, const char *purpose);
/* For resolve: the address of `name` in `handle`; NULL, and the load
 * fails naming it, when the library has no such function. */
void *crm_dlib_sym(struct crm_dlib *d, void *handle, const char *name);

#endif

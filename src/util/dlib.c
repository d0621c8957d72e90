/* Libraries loaded on first use (see crm/dlib.h). */
#include <dlfcn.h>
#include <stdio.h>

#include "crm/dlib.h"
#include "crm/error.h"

void *crm_dlib_sym(struct crm_dlib *d, void *handle, const char *name)
{
	void *p = dlsym(handle, name);

	if (!p && !d->err) {
		snprintf(d->message, sizeof(d->message), "%s has no %s", d->soname, name);
		d->err = CRM_EIO;
	}
	return p;
}

int crm_dlib_load(struct crm_dlib *d, const char *purpose)
{
	void *handle;

	pthread_mutex_lock(&d->lock);
	if (!d->tried) {
		d->tried = true;
		/* the handle stays open for the life of the process */
		handle = dlopen(d->soname, RTLD_NOW | RTLD_LOCAL);
		if (!handle) {
			snprintf(d->message, sizeof(d->message), "%s", dlerror());
			d->err = CRM_EIO;
		} else {
			d->resolve(d, handle);
		}
	}
	pthread_mutex_unlock(&d->lock);
	if (d->err)
		return crm_error_set(d->err, "cannot %s: %s (install %s)", purpose, d->message,
				     d->package);
	return 0;
}

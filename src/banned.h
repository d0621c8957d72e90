/* Functions src/ must not call, turned into compile errors (git's banned.h).
 * The Makefile force-includes this file (-include src/banned.h) into every
 * library and command object, so a banned call fails the build wherever it is. */
#ifndef CRM_BANNED_H
#define CRM_BANNED_H

/* The system headers that declare them come first: force-included, this
 * file precedes every #include of the source, and the macros below would
 * otherwise rewrite the C library's own declarations.  Their include
 * guards make the source's later #includes of them no-ops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The error names the function: "'sorry_strcpy_is_a_banned_function'
 * undeclared".  The reasons: no bound on the destination (strcpy, strcat,
 * sprintf, vsprintf, gets), hidden static state (strtok, localtime,
 * gmtime), no error report (atoi), a race between name and open (mktemp).
 * Use snprintf / crm_buf, strtok_r, localtime_r, gmtime_r, strtol, mkstemp. */
#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef localtime
#define localtime(x) BANNED(localtime)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef mktemp
#define mktemp(x) BANNED(mktemp)

#endif

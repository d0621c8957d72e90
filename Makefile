# crm: build, test and install.  `make V=1` shows the commands,
# `make DEVELOPER=1` adds a stricter warning list and -Werror (CI sets it),
# `make SANITIZE=address,undefined` builds with sanitizers into build-san/.
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
DATADIR   = $(PREFIX)/share/crm
MANDIR    = $(PREFIX)/share/man/man1
MAN7DIR   = $(PREFIX)/share/man/man7
# where each shell looks for completions below PREFIX (bash-completion reads
# $XDG_DATA_DIRS/bash-completion/completions, /usr/local/share included)
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
PKGS      = libgit2 yaml-0.1 inih libutf8proc
# the packs of large commits (src/core/git/git_pack.c): zlib deflates, and
# mbedTLS (libgit2's own TLS and hash library on Debian) sums; both come
# with libgit2-dev
PKGS     += zlib
# record files opened and read a run at a time (src/util/file_batch.c)
PKGS     += liburing
# Compiled against, but loaded with dlopen the first time a command needs
# them (include/crm/dlib.h), so that the others do not map and relocate
# them at start-up:
# invoice PDFs: cairo draws, pango shapes text with fonts from fontconfig
# (src/core/invoice/pdf_libs.h)
PKGS_DLOPEN = pangocairo cairo-pdf
# numbers and dates in the reader's language (CLDR through ICU), and ids
# romanized from names (src/util/locale_format.c)
PKGS_DLOPEN += icu-i18n icu-uc
# crm export --ical: libical writes and reads back iCalendar (ical.c)
PKGS_DLOPEN += libical
# spreadsheets: reports and exports as .xlsx (src/core/export/xlsx_lib.h)
PKGS_DLOPEN += xlsxwriter
CC       ?= cc
CFLAGS   ?= -O2 -g
STD       = -std=c17 -D_GNU_SOURCE
WARN      = -Wall -Wextra
DEV_WARN  = -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wundef
ifdef DEVELOPER
WARN     += $(DEV_WARN)
endif
ifdef SANITIZE
BUILD    ?= build-san
SANFLAGS  = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD    ?= build
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(PKGS_DLOPEN) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lmbedcrypto -lpthread -lm
ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) -Iinclude -Isrc $(PKG_CFLAGS) \
             -DCRM_DATADIR='"$(DATADIR)"' -DCRM_SRCDIR='"$(CURDIR)"' -MMD -MP
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)
# Library and command objects only: a call to a banned function (strcpy,
# sprintf, localtime...) is a compile error there.
BANNED_H  = -include src/banned.h

ifndef V
Q = @
QCC = @echo '  CC     ' $@;
QLD = @echo '  LINK   ' $@;
QAR = @echo '  AR     ' $@;
QHDR = @echo '  HDR    ' $<;
endif

LIB_SRC  := $(sort $(wildcard src/util/*.c src/core/*.c src/core/*/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%)
LIBCRM   := $(BUILD)/libcrm.a
CRM      := $(BUILD)/crm
BENCH_GEN := $(BUILD)/bench-gen
BENCH_READ := $(BUILD)/bench-readall
FUZZ_DRIVER := $(BUILD)/tests/fuzz/driver.o
HDR_SRC  := include/crm.h $(sort $(wildcard include/crm/*.h))
HDR_OBJ  := $(HDR_SRC:include/%.h=$(BUILD)/hdr-check/%.o)
# Every object depends on this file, rewritten only when the flags change
# (git's GIT-CFLAGS): `make CFLAGS=-O0` or `make DEVELOPER=1` after a plain
# build recompiles everything instead of mixing objects built two ways.
FLAGS_STAMP := $(BUILD)/CFLAGS-stamp
TRACK_FLAGS = $(subst ','\'',$(CC) $(ALL_CFLAGS) DEVELOPER=$(DEVELOPER) SANITIZE=$(SANITIZE))

all: $(CRM)
	$(Q)ln -sf $(CRM) crm

$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@flags='$(TRACK_FLAGS)'; \
	if [ x"$$flags" != x"$$(cat $@ 2>/dev/null)" ]; then \
		[ ! -f $@ ] || echo '  * new build flags: rebuilding $(BUILD)'; \
		printf '%s\n' "$$flags" >$@; \
	fi

$(LIB_OBJ) $(CLI_OBJ): $(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(ALL_CFLAGS) $(BANNED_H) -c -o $@ $<

$(FUZZ_DRIVER): tests/fuzz/driver.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCRM): $(LIB_OBJ)
	$(QAR)rm -f $@ && ar rcs $@ $^

$(CRM): $(CLI_OBJ) $(LIBCRM)
	$(QLD)$(CC) -o $@ $(CLI_OBJ) $(LIBCRM) $(LDFLAGS_ALL) $(PKG_LIBS)

# built straight from their .c with -MMD: $(BUILD)/tests/test_x.d lists
# the headers each one includes (read by the -include at the end)
$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h tests/unit/fixture.h tests/unit/git_sandbox.h $(LIBCRM) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIBCRM) $(LDFLAGS_ALL) $(PKG_LIBS)

# the driver is an object of its own so that each binary's .d file (one
# per -o) lists the headers of its fuzz_x.c, and driver.d those of driver.c
$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DRIVER) $(LIBCRM) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) -o $@ $< $(FUZZ_DRIVER) $(LIBCRM) $(LDFLAGS_ALL) $(PKG_LIBS)

# make hdr-check: each public header compiled alone (a .c holding only its
# #include, -Iinclude only) with the DEVELOPER warnings, so each one
# includes what it needs and nothing of src/.
$(HDR_OBJ): $(BUILD)/hdr-check/%.o: include/%.h $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@printf '#include "%s"\n' $*.h >$(@:.o=.c)
	$(QHDR)$(CC) $(STD) $(WARN) $(DEV_WARN) $(CFLAGS) -Iinclude $(PKG_CFLAGS) -MMD -MP \
		-c -o $@ $(@:.o=.c)

hdr-check: $(HDR_OBJ)

# the benchmark's repository generator (bench/run.sh, make bench)
$(BENCH_GEN): bench/gen.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) -o $@ $< $(LDFLAGS_ALL)

# the least time reading every record takes, on N threads (bench/run.sh)
$(BENCH_READ): bench/readall.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) -o $@ $< -lpthread

tests-bin: $(CRM) $(UNIT_BIN) $(FUZZ_BIN) $(BENCH_GEN) $(BENCH_READ)

# Installs the Debian packages the build and the tests need, when missing.
deps:
	$(Q)sh tests/install-deps.sh

check: deps
	$(Q)$(MAKE) --no-print-directory tests-bin
	$(Q)BUILD=$(BUILD) sh tests/run.sh

# the concurrency and kill -9 tests at full size (minutes): tests/stress/*.sh
stress: tests-bin
	$(Q)rc=0; for t in tests/stress/*.sh; do echo "$$t:"; \
		CRM_TEST_BUILD=$(CURDIR)/$(BUILD) sh $$t || rc=1; done; exit $$rc
.PHONY: stress

asan:
	$(Q)$(MAKE) --no-print-directory SANITIZE=address,undefined CC=$(if $(filter cc,$(CC)),gcc,$(CC)) CFLAGS='-O1 -g' tests-bin
	$(Q)BUILD=build-san CRM_TREE_BUDGET=0 ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 sh tests/run.sh

valgrind: tests-bin
	$(Q)BUILD=$(BUILD) CRM_VALGRIND=1 sh tests/run.sh

# only what the demo runs: the test-only packages come with `make check`
deps-demo:
	$(Q)sh tests/install-deps.sh --demo

demo: deps-demo
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh examples/demo.sh $(CRM)

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_GEN) $(BENCH_READ)
	$(Q)sh bench/run.sh $(CRM)

install: $(CRM)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/schema $(DESTDIR)$(MANDIR)
	install -m 755 $(CRM) $(DESTDIR)$(BINDIR)/crm
	install -m 644 schema/*.yaml $(DESTDIR)$(DATADIR)/schema/
	install -d $(DESTDIR)$(DATADIR)/import/presets
	install -m 644 import/presets/*.ini $(DESTDIR)$(DATADIR)/import/presets/
	install -m 644 doc/crm.1 doc/man/*.1 $(DESTDIR)$(MANDIR)/
	install -d $(DESTDIR)$(MAN7DIR)
	install -m 644 doc/man/*.7 $(DESTDIR)$(MAN7DIR)/
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 completion/crm.bash $(DESTDIR)$(BASHCOMPDIR)/crm
	install -m 644 completion/_crm $(DESTDIR)$(ZSHCOMPDIR)/_crm
	install -m 644 completion/crm.fish $(DESTDIR)$(FISHCOMPDIR)/crm.fish

clean:
	rm -rf build build-san crm

.PHONY: all deps deps-demo check asan valgrind demo bench install clean tests-bin hdr-check FORCE
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(FUZZ_BIN:=.d) \
	$(FUZZ_DRIVER:.o=.d) $(HDR_OBJ:.o=.d)

# libFuzzer runs of every target (clang), one after the other, FUZZ_SECONDS
# each: from an empty scratch corpus (build/fuzz-corpus-T, rebuilt each run,
# where libFuzzer puts the inputs it finds new) plus the committed seeds
# (tests/fuzz/corpus/T, only read).  A crash, a sanitizer finding (UBSan's
# too: -fno-sanitize-recover=all), an input that takes FUZZ_TIMEOUT seconds
# or 2 GB stops the run with the input saved in build/fuzz-findings/ and
# makes `make fuzz` fail.  The library is compiled once for all targets
# (build/fuzz-obj/).
# FUZZ_TARGETS picks some (`make fuzz FUZZ_TARGETS="yaml merge"`).
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 20
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_CFLAGS = $(STD) -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
              -Iinclude -Isrc $(PKG_CFLAGS) -DCRM_DATADIR='"$(DATADIR)"' \
              -DCRM_SRCDIR='"$(CURDIR)"' -MMD -MP
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz-obj/%.o)

$(FUZZ_LIB_OBJ): build/fuzz-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(QCC)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz-%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	$(QLD)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(PKG_LIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz-%)
	$(Q)mkdir -p build/fuzz-findings && for t in $(FUZZ_TARGETS); do \
		rm -rf build/fuzz-corpus-$$t && mkdir build/fuzz-corpus-$$t && \
		echo "fuzz $$t: $(FUZZ_SECONDS) s" && \
		./build/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
			-rss_limit_mb=2048 -artifact_prefix=build/fuzz-findings/$$t- \
			build/fuzz-corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done
.PHONY: fuzz
-include $(wildcard $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_TARGETS:%=build/fuzz-%.d))

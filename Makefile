# crm: build, test and install.  `make V=1` shows the commands,
# `make DEVELOPER=1` adds a stricter warning list and -Werror (CI sets it),
# `make SANITIZE=address,undefined` builds with sanitizers into build-san/.
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
DATADIR   = $(PREFIX)/share/crm
MANDIR    = $(PREFIX)/share/man/man1
PKGS      = libgit2 yaml-0.1 inih libutf8proc xlsxwriter
# crm export --ical: libical writes and reads back iCalendar
PKGS     += libical
# invoice PDFs: cairo draws, pango shapes text with fonts from fontconfig
PKGS     += pangocairo cairo-pdf
CC       ?= cc
CFLAGS   ?= -O2 -g
STD       = -std=c17 -D_GNU_SOURCE
WARN      = -Wall -Wextra
ifdef DEVELOPER
WARN     += -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wundef
endif
ifdef SANITIZE
BUILD    ?= build-san
SANFLAGS  = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD    ?= build
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) -Iinclude -Isrc $(PKG_CFLAGS) \
             -DCRM_DATADIR='"$(DATADIR)"' -DCRM_SRCDIR='"$(CURDIR)"' -MMD -MP
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

ifndef V
Q = @
QCC = @echo '  CC     ' $@;
QLD = @echo '  LINK   ' $@;
QAR = @echo '  AR     ' $@;
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

all: $(CRM)
	$(Q)ln -sf $(CRM) crm

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCRM): $(LIB_OBJ)
	$(QAR)rm -f $@ && ar rcs $@ $^

$(CRM): $(CLI_OBJ) $(LIBCRM)
	$(QLD)$(CC) -o $@ $(CLI_OBJ) $(LIBCRM) $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h $(LIBCRM)
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIBCRM) $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c $(LIBCRM)
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/driver.c $(LIBCRM) $(LDFLAGS_ALL) $(PKG_LIBS)

# the benchmark's repository generator (bench/run.sh, make bench)
$(BENCH_GEN): bench/gen.c
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) -o $@ $< $(LDFLAGS_ALL)

tests-bin: $(CRM) $(UNIT_BIN) $(FUZZ_BIN) $(BENCH_GEN)

# Installs the Debian packages the build and the tests need, when missing.
deps:
	$(Q)sh tests/install-deps.sh

check: deps
	$(Q)$(MAKE) --no-print-directory tests-bin
	$(Q)BUILD=$(BUILD) sh tests/run.sh

asan:
	$(Q)$(MAKE) --no-print-directory SANITIZE=address,undefined CC=$(if $(filter cc,$(CC)),gcc,$(CC)) CFLAGS='-O1 -g' tests-bin
	$(Q)BUILD=build-san CRM_TREE_BUDGET=0 ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp sh tests/run.sh

valgrind: tests-bin
	$(Q)BUILD=$(BUILD) CRM_VALGRIND=1 sh tests/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh examples/demo.sh $(CRM)

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_GEN)
	$(Q)sh bench/run.sh $(CRM)

install: $(CRM)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/schema $(DESTDIR)$(MANDIR)
	install -m 755 $(CRM) $(DESTDIR)$(BINDIR)/crm
	install -m 644 schema/*.yaml $(DESTDIR)$(DATADIR)/schema/
	install -m 644 doc/crm.1 $(DESTDIR)$(MANDIR)/crm.1

clean:
	rm -rf build build-san crm

.PHONY: all deps check asan valgrind demo bench install clean tests-bin
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# libFuzzer runs of every target (clang): FUZZ_SECONDS each, new inputs go to build/fuzz-corpus-*, the seeds stay as committed.
# A UBSan finding stops the run like an ASan one (-fno-sanitize-recover=all).
# FUZZ_TARGETS picks some (`make fuzz FUZZ_TARGETS="yaml merge"`).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
fuzz:
	$(Q)for t in $(FUZZ_TARGETS); do \
		clang $(STD) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc $(PKG_CFLAGS) \
			-DCRM_DATADIR='"$(DATADIR)"' -DCRM_SRCDIR='"$(CURDIR)"' \
			-o build/fuzz-$$t tests/fuzz/fuzz_$$t.c $(LIB_SRC) $(PKG_LIBS) && \
		mkdir -p build/fuzz-corpus-$$t && \
		./build/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) build/fuzz-corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done
.PHONY: fuzz

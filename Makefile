# ffa-emu: an FF-A 1.2 mediator core, a software SPMC, and their tests.
#
#   make test   install what is missing (Debian), build with clang under ASan
#               and UBSan with warnings as errors, check that gcc builds clean
#               too, and run every cmocka test.
#   make fuzz   the fuzzing harnesses (issue 6; not yet here).
#
# Variables: CC (default clang-14), BUILD (default build).

ifeq ($(origin CC),default)
CC := clang-14
endif
BUILD ?= build
GCC ?= gcc

TEST_PACKAGES := clang-14 libclang-rt-14-dev libcmocka-dev
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev afl++ libunicorn-dev binutils-aarch64-linux-gnu

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS := -Imediator/inc -Ispmc-model/inc -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L
CFLAGS := -std=c11 -g -O1 $(WARNINGS)
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

MEDIATOR_SRC := $(wildcard mediator/src/*.c)
SPMC_SRC := $(wildcard spmc-model/src/*.c)
LIB_SRC := $(MEDIATOR_SRC) $(SPMC_SRC)
TEST_HELPER_SRC := tests/fixture.c
TEST_SRC := $(wildcard tests/test_*.c)
TESTS := $(patsubst tests/%.c,$(BUILD)/test/%,$(TEST_SRC))

# Tests that replace the secure world: link with the SPMC model's
# other_world_call() wrapped, so the test's __wrap_other_world_call() decides.
WRAP_test_startup := -Wl,--wrap=other_world_call
WRAP_test_spmc_lies := -Wl,--wrap=other_world_call
WRAP_test_direct_replies := -Wl,--wrap=other_world_call

GEN := $(BUILD)/gen/default_manifest.inc

.PHONY: all test test-deps fuzz fuzz-deps gcc-check clean
.DELETE_ON_ERROR:
.SECONDARY:

all: $(TESTS)

$(GEN): spmc-model/manifests/default.manifest
	@mkdir -p $(dir $@)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

$(BUILD)/test/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -MMD -MP -c $< -o $@

LIB_OBJ := $(patsubst %.c,$(BUILD)/test/obj/%.o,$(LIB_SRC) $(TEST_HELPER_SRC))

$(BUILD)/test/%: $(BUILD)/test/obj/tests/%.o $(LIB_OBJ)
	$(CC) $(SANITIZE) $^ $(WRAP_$*) -lcmocka -o $@

test-deps:
	@tools/ensure-packages $(TEST_PACKAGES)

# gcc must build everything clean too; it is not on every machine.
gcc-check: $(GEN)
	@if command -v $(GCC) >/dev/null 2>&1; then \
		for f in $(LIB_SRC) $(TEST_HELPER_SRC) $(TEST_SRC); do \
			$(GCC) $(CPPFLAGS) $(CFLAGS) -c $$f -o /dev/null || exit 1; \
		done; echo "gcc-check: $(GCC) builds every source clean"; \
	else echo "gcc-check: $(GCC) not installed, skipped"; fi

test: test-deps
	@$(MAKE) --no-print-directory gcc-check
	@$(MAKE) --no-print-directory all
	@failed=0; for t in $(TESTS); do \
		echo "== $$t"; $$t || failed=$$((failed + 1)); \
	done; \
	if [ $$failed -ne 0 ]; then echo "make test: $$failed test binaries failed"; exit 1; fi; \
	echo "make test: all $(words $(TESTS)) test binaries passed"

fuzz-deps:
	@tools/ensure-packages $(FUZZ_PACKAGES)

fuzz: fuzz-deps
	@echo "make fuzz: no fuzzing harnesses yet (issue 6)"; exit 1

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

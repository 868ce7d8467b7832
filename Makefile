# ffa-emu: an FF-A 1.2 mediator core, a software SPMC, and their tests.
#
#   make test   install what is missing (Debian), build with clang under ASan
#               and UBSan with warnings as errors, check that gcc builds clean
#               too, and run every cmocka test.
#   make fuzz   the fuzzing harnesses (issue 6; not yet here).
#   make bench  speed figures, built with -O2 and no sanitizers.
#
# Variables: CC (default clang-14), BUILD (default build).

ifeq ($(origin CC),default)
CC := clang-14
endif
BUILD ?= build
GCC ?= gcc

TEST_PACKAGES := clang-14 libclang-rt-14-dev libcmocka-dev libunicorn-dev binutils-aarch64-linux-gnu
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev afl++ libunicorn-dev binutils-aarch64-linux-gnu

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS := -Imediator/inc -Ispmc-model/inc -Iemu -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L
CFLAGS := -std=c11 -g -O1 $(WARNINGS)
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

MEDIATOR_SRC := $(wildcard mediator/src/*.c)
SPMC_SRC := $(wildcard spmc-model/src/*.c)
LIB_SRC := $(MEDIATOR_SRC) $(SPMC_SRC)
EMU_SRC := emu/emu.c
TEST_HELPER_SRC := tests/fixture.c
TEST_SRC := $(wildcard tests/test_*.c)
TESTS := $(patsubst tests/%.c,$(BUILD)/test/%,$(TEST_SRC))

# Tests that replace the secure world: link with the SPMC model's
# other_world_call() wrapped, so the test's __wrap_other_world_call() decides.
WRAP_test_startup := -Wl,--wrap=other_world_call
WRAP_test_spmc_lies := -Wl,--wrap=other_world_call
WRAP_test_direct_replies := -Wl,--wrap=other_world_call

# Tests that run guest code under Unicorn link the emulator too.
EMU_OBJ = $(BUILD)/test/obj/emu/emu.o
EXTRA_test_emu = $(EMU_OBJ)
LIBS_test_emu = -lunicorn

GEN := $(BUILD)/gen/default_manifest.inc $(BUILD)/gen/emu_stub.inc

.PHONY: all test test-deps fuzz fuzz-deps gcc-check bench clean
.DELETE_ON_ERROR:
.SECONDARY:

all: $(TESTS)

$(BUILD)/gen/default_manifest.inc: spmc-model/manifests/default.manifest
	@mkdir -p $(dir $@)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# The guest's SMCCC stub, assembled with Debian's aarch64 binutils, as bytes and entry offsets.
$(BUILD)/gen/emu_stub.inc: emu/stub.S
	@mkdir -p $(dir $@)
	aarch64-linux-gnu-as -o $(BUILD)/gen/stub.o $<
	aarch64-linux-gnu-readelf -r $(BUILD)/gen/stub.o | grep -q 'no relocations'
	aarch64-linux-gnu-objcopy -O binary -j .text $(BUILD)/gen/stub.o $(BUILD)/gen/stub.bin
	{ echo 'static const uint8_t emu_stub_code[] = {'; \
	  od -An -v -tx1 $(BUILD)/gen/stub.bin | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1, /g'; \
	  echo '};'; \
	  aarch64-linux-gnu-nm $(BUILD)/gen/stub.o | \
	  awk '$$2 == "T" { printf "#define EMU_STUB_%s 0x%sULL\n", toupper($$3), $$1 }'; } > $@

$(BUILD)/test/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -MMD -MP -c $< -o $@

LIB_OBJ := $(patsubst %.c,$(BUILD)/test/obj/%.o,$(LIB_SRC) $(TEST_HELPER_SRC))

.SECONDEXPANSION:
$(BUILD)/test/%: $(BUILD)/test/obj/tests/%.o $(LIB_OBJ) $$(EXTRA_$$*)
	$(CC) $(SANITIZE) $^ $(WRAP_$*) -lcmocka $(LIBS_$*) -o $@

test-deps:
	@tools/ensure-packages $(TEST_PACKAGES)

# gcc must build everything clean too; it is not on every machine.
gcc-check: $(GEN)
	@if command -v $(GCC) >/dev/null 2>&1; then \
		for f in $(LIB_SRC) $(EMU_SRC) $(TEST_HELPER_SRC) $(TEST_SRC); do \
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

# Benchmarks: -O2, no sanitizers, their own objects.
BENCH_OBJ := $(patsubst %.c,$(BUILD)/bench/obj/%.o,$(LIB_SRC) $(EMU_SRC) emu/bench.c)

$(BUILD)/bench/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c11 -O2 -g $(WARNINGS) -MMD -MP -c $< -o $@

$(BUILD)/bench/emu_bench: $(BENCH_OBJ)
	$(CC) $^ -lunicorn -o $@

bench: test-deps
	@$(MAKE) --no-print-directory $(BUILD)/bench/emu_bench
	$(BUILD)/bench/emu_bench

fuzz-deps:
	@tools/ensure-packages $(FUZZ_PACKAGES)

fuzz: fuzz-deps
	@echo "make fuzz: no fuzzing harnesses yet (issue 6)"; exit 1

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

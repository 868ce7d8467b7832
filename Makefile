# ffa-emu: an FF-A 1.2 mediator core, a software SPMC, and their tests.
#
#   make test   install what is missing (Debian), build with clang under ASan
#               and UBSan with warnings as errors, check that gcc builds clean
#               too, and run every cmocka test.
#   make fuzz   every fuzz target, libFuzzer and AFL++ together, for FUZZ_TIME on JOBS
#               cores, then triage and a report (tools/fuzz-run); SYNC_DIR=DIR MACHINE=NAME
#               [SYNC_MAIN=1]: with other machines through a shared directory.
#   make regress  replay crash and regression corpora and run every scenario
#               (tools/regress; part of make test).
#   make bench  every speed figure and peak memory, medians of BENCH_RUNS
#               rounds (tools/bench; BUILD/bench/bench.tsv and report.html).
#   make bugbench  the seeded-bug benchmark: how fast the fuzzers find the bug
#               patches in tools/bugs/ (tools/bugbench; BUGBENCH_TRIALS,
#               BUGBENCH_BUDGET seconds, JOBS cores); MEDIATOR=pkvm: the
#               known findings of Linux's proxy, one unmasked at a time.
#   make coverage  line and branch coverage of mediator/ and spmc-model/ from the
#               tests, corpora and scenarios (llvm-cov; $(BUILD)/coverage/).
#
# Variables: CC (default clang-14), BUILD (default build).

ifeq ($(origin CC),default)
CC := clang-14
endif
BUILD ?= build
GCC ?= gcc

TEST_PACKAGES := clang-14 libclang-rt-14-dev libcmocka-dev libunicorn-dev binutils-aarch64-linux-gnu afl++ chromium
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev afl++ libunicorn-dev binutils-aarch64-linux-gnu
# linux-source-6.12 comes through tools/kernel-source, only when KERNEL_SRC is not given.

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS := -Imediator/inc -Ispmc-model/inc -Iemu -Iemu/linux -Ifuzz -Itools -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L
CFLAGS := -std=c11 -g -O1 $(WARNINGS)
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

MEDIATOR_SRC := $(wildcard mediator/src/*.c)
SPMC_SRC := $(wildcard spmc-model/src/*.c)
# The pkvm backend's shim (ours); the proxy itself comes from the kernel tree (below).
PKVM_SRC := $(wildcard mediator/pkvm/*.c)
LIB_SRC := $(MEDIATOR_SRC) $(SPMC_SRC) $(PKVM_SRC)
EMU_SRC := emu/emu.c
TEST_HELPER_SRC := tests/fixture.c
TEST_SRC := $(wildcard tests/test_*.c)
TESTS := $(patsubst tests/%.c,$(BUILD)/test/%,$(TEST_SRC))

# Fuzz targets: fuzz/<target>.c, seeds in corpus/<target>/, regressions in
# corpus/regressions/<target>/, crashes in corpus/crashes/<target>/.
FUZZ_TARGETS := seq version rxtx req2 mem emu client
# emu runs through Unicorn: the emulator's object and the library.
FUZZ_EXTRA_emu = emu/emu.o
FUZZ_LIBS_emu = -lunicorn
# client runs Linux's FF-A driver (emu/linux/), through the stub when its input says so. The
# driver's objects are instrumented in every build (client_objs below): they are under test.
FUZZ_EXTRA_client = emu/emu.o fuzz/client_machine.o $(patsubst emu/linux/%.c,client/%.o,$(CLIENT_SRC)) \
	client/smccc.o
FUZZ_LIBS_client = -lunicorn
FUZZ_HELPER_SRC := fuzz/input.c fuzz/client_input.c fuzz/harness.c fuzz/oracle.c fuzz/excuse.c fuzz/diff.c fuzz/mutate.c \
	$(wildcard fuzz/model/*.c)
REPLAYS := $(patsubst %,$(BUILD)/test/replay_%,$(FUZZ_TARGETS))

# Tests that replace the secure world: link with the SPMC model's
# other_world_call() wrapped, so the test's __wrap_other_world_call() decides.
WRAP_test_startup := -Wl,--wrap=other_world_call
WRAP_test_spmc_lies := -Wl,--wrap=other_world_call
WRAP_test_direct_replies := -Wl,--wrap=other_world_call

# Tests of the fuzz harness link it.
EXTRA_test_fuzz_snapshot = $(patsubst %.c,$(BUILD)/test/obj/%.o,$(FUZZ_HELPER_SRC))
EXTRA_test_fuzz_mutate = $(patsubst %.c,$(BUILD)/test/obj/%.o,$(FUZZ_HELPER_SRC))
EXTRA_test_fuzz_oracle = $(patsubst %.c,$(BUILD)/test/obj/%.o,$(FUZZ_HELPER_SRC) tests/oracle_fx.c)
EXTRA_test_fuzz_model = $(EXTRA_test_fuzz_oracle)
EXTRA_test_fuzz_backends = $(patsubst %.c,$(BUILD)/test/obj/%.o,$(FUZZ_HELPER_SRC))

# Tests that run guest code under Unicorn link the emulator too.
EMU_OBJ = $(BUILD)/test/obj/emu/emu.o
EXTRA_test_emu = $(EMU_OBJ)
LIBS_test_emu = -lunicorn

# Linux's FF-A driver as a client (emu/linux/) on the fuzz machine, through the stub too.
EXTRA_test_client = $(patsubst %.c,$(BUILD)/test/obj/%.o,$(FUZZ_HELPER_SRC) fuzz/client_machine.c) \
	$(EMU_OBJ) $(CLIENT_OBJ)
LIBS_test_client = -lunicorn

# The scenario round trip (input -> scenario -> input) links the scenario runner's code.
EXTRA_test_scenario_roundtrip = $(patsubst %.c,$(BUILD)/test/obj/%.o,$(FUZZ_HELPER_SRC) $(SCENARIO_SRC)) \
	$(EMU_OBJ)
LIBS_test_scenario_roundtrip = -lunicorn

# The tools' own checks (tests/tools/*.sh BUILD): exit status, --help, bad paths.
TOOL_CHECKS := $(wildcard tests/tools/*.sh)

GEN := $(BUILD)/gen/default_manifest.inc $(BUILD)/gen/emu_stub.inc

# --- Real mediators compiled from the kernel tree (mediator/pkvm/) ---
#
# tools/kernel-source writes the tree's path to $(KTREE_FILE): KERNEL_SRC, or
# Debian's linux-source-6.12 extracted into $(BUILD)/kernel/ (apt-get when
# missing). A tree without the files stops with exit status 2, naming them.
# The proxy is compiled byte for byte as it is there, with Kbuild's nVHE
# flags, the shim's stand-in headers searched first and compat.h
# force-included, stack slots pattern-filled so that uninitialised
# hypervisor data reaching the host shows (pkvm-host.md), and no UBSan
# alignment check (descriptor fields are legally misaligned at EL2). Its
# .bss and .data are renamed so that the shim can save and restore them.
KTREE_FILE := $(BUILD)/kernel/tree
KERNEL_CFLAGS := -std=gnu11 -fno-strict-aliasing -fno-strict-overflow -fno-delete-null-pointer-checks \
	-fno-common -D__KVM_NVHE_HYPERVISOR__ -Wall -g -ftrivial-auto-var-init=pattern
KERNEL_INC = -include mediator/pkvm/include/compat.h -Imediator/pkvm/include \
	-I$$t/arch/arm64/kvm/hyp/include -I$$t/include
KERNEL_FAIL = { echo "ffa-emu: $$t/arch/arm64/kvm/hyp/nvhe/ffa.c does not compile against the pkvm shim" \
	"(mediator/pkvm/include); see the errors above" >&2; exit 2; }

$(KTREE_FILE): FORCE
	@mkdir -p $(dir $@)
	@tools/kernel-source $(BUILD) $(KERNEL_SRC) > $@.new || { rm -f $@.new; exit 2; }
	@cmp -s $@.new $@ 2>/dev/null && rm -f $@.new || mv $@.new $@
FORCE:

# $(call kernel_objs,DIR,COMPILER,FLAGS): DIR/kernel/ffa.o and proxy_pages.o.
define kernel_objs
$(1)/kernel/ffa.o: $(KTREE_FILE) mediator/pkvm/include/compat.h
	@mkdir -p $$(dir $$@)
	@t=$$$$(cat $(KTREE_FILE)); \
	$(2) $$(KERNEL_CFLAGS) $(3) $$(KERNEL_INC) -MMD -MP -MT $$@ -MF $$@.d \
		-c $$$$t/arch/arm64/kvm/hyp/nvhe/ffa.c -o $$@.tmp || $$(KERNEL_FAIL); \
	objcopy --rename-section .bss=pkvm_ffa_bss --rename-section .data=pkvm_ffa_data $$@.tmp $$@; \
	rm -f $$@.tmp
$(1)/kernel/proxy_pages.o: mediator/pkvm/kernel/proxy_pages.c $(KTREE_FILE)
	@mkdir -p $$(dir $$@)
	@t=$$$$(cat $(KTREE_FILE)); \
	$(2) $$(KERNEL_CFLAGS) $(3) $$(KERNEL_INC) -MMD -MP -c $$< -o $$@ || $$(KERNEL_FAIL)
endef
kernel_obj = $(1)/kernel/ffa.o $(1)/kernel/proxy_pages.o

# --- Linux's FF-A driver as a client (emu/linux/) ---
#
# driver.c, bus.c and smccc.c from the same tree, compiled unmodified: the
# headers they include are empty stand-ins made here (kernel.h, force-
# included, declares the services; shim.c and shim_bus.c implement them)
# beside the tree's own arm_ffa.h and arm-smccc.h, copied. driver.c and
# bus.c are compiled inside driver_unit.c and bus_unit.c, which reach their
# file scope (module init and exit, the reset of their variables).
CLIENT_INC_DIR := $(BUILD)/gen/client-include
CLIENT_STANDINS := acpi bitfield cpuhotplug delay device err fs hashtable init interrupt io kernel \
	linkage minmax mm module mutex of_irq printk scatterlist slab smp types uuid xarray args
CLIENT_SRC := emu/linux/driver_unit.c emu/linux/bus_unit.c emu/linux/shim.c emu/linux/shim_bus.c \
	emu/linux/client.c
CLIENT_CFLAGS := -std=gnu11 -fno-strict-aliasing -fno-strict-overflow -fno-delete-null-pointer-checks \
	-fno-common -Wall -Wno-unused-function -Wno-pointer-sign -g -ftrivial-auto-var-init=pattern -DKBUILD_MODNAME='"arm_ffa"'
CLIENT_INC = -include emu/linux/kernel.h -I$(CLIENT_INC_DIR) -Iemu/linux -Imediator/inc -I$$t/drivers/firmware
CLIENT_FAIL = { echo "ffa-emu: $$t/drivers/firmware/arm_ffa does not compile against the client's shim" \
	"(emu/linux/kernel.h); see the errors above" >&2; exit 2; }

$(CLIENT_INC_DIR)/.made: $(KTREE_FILE)
	@rm -rf $(CLIENT_INC_DIR); mkdir -p $(CLIENT_INC_DIR)/linux $(CLIENT_INC_DIR)/uapi/linux
	@for h in $(CLIENT_STANDINS); do \
		printf '/* Stand-in: emu/linux/kernel.h declares it. */\n#ifndef pr_fmt\n#define pr_fmt(fmt) fmt\n#endif\n' \
			> $(CLIENT_INC_DIR)/linux/$$h.h; done
	@cp $(CLIENT_INC_DIR)/linux/init.h $(CLIENT_INC_DIR)/uapi/linux/const.h
	@t=$$(cat $(KTREE_FILE)); cp $$t/include/linux/arm_ffa.h $$t/include/linux/arm-smccc.h $(CLIENT_INC_DIR)/linux/
	@touch $@

# $(call client_objs,DIR,COMPILER,FLAGS): the client's objects in DIR/client/.
define client_objs
$(1)/client/%.o: emu/linux/%.c emu/linux/kernel.h $(CLIENT_INC_DIR)/.made $(KTREE_FILE)
	@mkdir -p $$(dir $$@)
	@t=$$$$(cat $(KTREE_FILE)); \
	$(2) $$(CLIENT_CFLAGS) $(3) $$(CLIENT_INC) -MMD -MP -c $$< -o $$@ || $$(CLIENT_FAIL)
$(1)/client/smccc.o: emu/linux/kernel.h $(CLIENT_INC_DIR)/.made $(KTREE_FILE)
	@mkdir -p $$(dir $$@)
	@t=$$$$(cat $(KTREE_FILE)); \
	$(2) $$(CLIENT_CFLAGS) $(3) $$(CLIENT_INC) -c $$$$t/drivers/firmware/arm_ffa/smccc.c -o $$@ || $$(CLIENT_FAIL)
endef
client_obj = $(patsubst emu/linux/%.c,$(1)/client/%.o,$(CLIENT_SRC)) $(1)/client/smccc.o

.PHONY: FORCE ossfuzz print-fuzz-targets coverage-pkvm coverage-ref bugbench regress all test test-deps fuzz fuzz-deps fuzz-build gcc-check bench clean seeds coverage coverage-deps coverage-build
.DELETE_ON_ERROR:
.SECONDARY:

all: $(TESTS) $(REPLAYS) $(BUILD)/tools/ffa-run

$(BUILD)/gen/default_manifest.inc: spmc-model/manifests/default.manifest
	@mkdir -p $(dir $@)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# The guest's SMCCC entry: Linux's own smccc-call.S from the kernel tree,
# preprocessed against emu/kernel's stand-ins for what it includes, assembled
# with Debian's aarch64 binutils and linked with emu/stub.S (the canary
# wrappers) at offset 0; written out as bytes and entry offsets.
STUB_TMP = $(BUILD)/gen/stub
$(BUILD)/gen/emu_stub.inc: emu/stub.S $(wildcard emu/kernel/*/*.h) $(KTREE_FILE)
	@mkdir -p $(STUB_TMP)
	@t=$$(cat $(KTREE_FILE)); \
	cpp -P -nostdinc -undef -D__ASSEMBLY__ -Iemu/kernel -x assembler-with-cpp \
		$$t/arch/arm64/kernel/smccc-call.S -o $(STUB_TMP)/smccc-call.s || \
		{ echo "ffa-emu: $$t/arch/arm64/kernel/smccc-call.S does not preprocess against emu/kernel" >&2; exit 2; }
	aarch64-linux-gnu-as -o $(STUB_TMP)/smccc-call.o $(STUB_TMP)/smccc-call.s
	aarch64-linux-gnu-as -o $(STUB_TMP)/canary.o emu/stub.S
	aarch64-linux-gnu-ld -Ttext=0 -e 0 -o $(STUB_TMP)/stub.elf $(STUB_TMP)/canary.o $(STUB_TMP)/smccc-call.o
	aarch64-linux-gnu-objcopy -O binary -j .text $(STUB_TMP)/stub.elf $(STUB_TMP)/stub.bin
	{ echo 'static const uint8_t emu_stub_code[] = {'; \
	  od -An -v -tx1 $(STUB_TMP)/stub.bin | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1, /g'; \
	  echo '};'; \
	  aarch64-linux-gnu-readelf -sW $(STUB_TMP)/stub.elf | \
	  awk '$$4 == "FUNC" && $$5 == "GLOBAL" { printf "#define EMU_STUB_%s 0x%sULL\n", toupper($$8), $$2 }'; } > $@

$(BUILD)/test/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -MMD -MP -c $< -o $@

CORE_OBJ := $(patsubst %.c,$(BUILD)/test/obj/%.o,$(LIB_SRC)) $(call kernel_obj,$(BUILD)/test/obj)
$(eval $(call kernel_objs,$(BUILD)/test/obj,$(CC),-O1 $(SANITIZE) -fno-sanitize=alignment))
$(eval $(call client_objs,$(BUILD)/test/obj,$(CC),-O1 $(SANITIZE)))
CLIENT_OBJ := $(call client_obj,$(BUILD)/test/obj)
LIB_OBJ := $(CORE_OBJ) $(patsubst %.c,$(BUILD)/test/obj/%.o,$(TEST_HELPER_SRC))

.SECONDEXPANSION:
$(BUILD)/test/%: $(BUILD)/test/obj/tests/%.o $(LIB_OBJ) $$(EXTRA_$$*)
	$(CC) $(SANITIZE) $^ $(WRAP_$*) -lcmocka $(LIBS_$*) -o $@

# Each target linked with the replay driver: ASan+UBSan, runs corpora once.
FUZZ_HELPER_OBJ := $(patsubst %.c,$(BUILD)/test/obj/%.o,$(FUZZ_HELPER_SRC) fuzz/driver_replay.c)
$(BUILD)/test/replay_%: $(BUILD)/test/obj/fuzz/%.o $(FUZZ_HELPER_OBJ) $(CORE_OBJ) \
		$$(addprefix $(BUILD)/test/obj/,$$(FUZZ_EXTRA_$$*))
	$(CC) $(SANITIZE) $^ $(FUZZ_LIBS_$*) -o $@

# The scenario runner (tools/ffa-run wraps it): ASan+UBSan like the tests.
# Client scenarios run Linux's FF-A driver (emu/linux/), as the client target does.
SCENARIO_SRC := tools/scenario.c tools/scenario_tx.c tools/scenario_write.c tools/scenario_client.c tools/trace.c
FFA_RUN_SRC := tools/ffa-run.c tools/run_client.c fuzz/client_machine.c $(SCENARIO_SRC)
$(BUILD)/tools/ffa-run: $(patsubst %.c,$(BUILD)/test/obj/%.o,$(FFA_RUN_SRC) $(FUZZ_HELPER_SRC) $(EMU_SRC)) \
		$(CORE_OBJ) $(CLIENT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) $^ -lunicorn -o $@

# Every target must have seeds: a target without them fails the build.
replay-%: $(BUILD)/test/replay_%
	@test -n "$$(ls corpus/$* 2>/dev/null)" || { echo "make: corpus/$*/ has no seeds"; exit 1; }
	@$< corpus/$* 2>$(BUILD)/test/replay_$*.log || { tail -20 $(BUILD)/test/replay_$*.log; exit 1; }

# The same seeds on Linux's proxy (pkvm), its known findings masked: the
# harness, shim and oracle must run every seed clean on a real mediator too.
replay-pkvm-%: $(BUILD)/test/replay_%
	@FFA_EMU_MEDIATOR=pkvm FFA_EMU_SUPPRESS=corpus/known/pkvm/suppressions \
		$< corpus/$* 2>$(BUILD)/test/replay_pkvm_$*.log || { tail -20 $(BUILD)/test/replay_pkvm_$*.log; exit 1; }

# Crash and regression corpora and every scenario, ASan+UBSan and the oracle on (tools/regress).
regress: $(REPLAYS) $(BUILD)/tools/ffa-run
	@tools/regress $(BUILD) $(FUZZ_TARGETS)

# --- OSS-Fuzz and ClusterFuzzLite (oss-fuzz/build.sh calls this) ---
#
# make ossfuzz OSSFUZZ_CC=$CC OSSFUZZ_CXX=$CXX OSSFUZZ_CFLAGS="$CFLAGS"
#     OSSFUZZ_ENGINE="$LIB_FUZZING_ENGINE" OSSFUZZ_OUT=$OUT: every fuzz target
# compiled with the compiler and flags OSS-Fuzz gives build.sh, everything
# instrumented as they say (the proxy and the driver from the kernel tree
# too), linked with $CXX, the engine and Unicorn statically, into
# OSSFUZZ_OUT/<target>. No -Werror: OSS-Fuzz's clang is newer than ours.
OF := $(BUILD)/ossfuzz
OSSFUZZ_OUT ?= $(OF)/out
OSSFUZZ_CXX ?= $(OSSFUZZ_CC)
OSSFUZZ_OBJ = $(patsubst %.c,$(OF)/%.o,$(LIB_SRC) $(FUZZ_HELPER_SRC) fuzz/mutator_libfuzzer.c $(EMU_SRC) \
	fuzz/client_machine.c) $(call kernel_obj,$(OF)) $(call client_obj,$(OF))
$(OF)/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(OSSFUZZ_CC) $(CPPFLAGS) -std=c11 -g $(filter-out -Werror,$(WARNINGS)) $(OSSFUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(eval $(call kernel_objs,$(OF),$(OSSFUZZ_CC),$(OSSFUZZ_CFLAGS) -fno-sanitize=alignment))
$(eval $(call client_objs,$(OF),$(OSSFUZZ_CC),$(OSSFUZZ_CFLAGS)))
$(OSSFUZZ_OUT)/%: $(OF)/fuzz/%.o $$(OSSFUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(OSSFUZZ_CXX) $(OSSFUZZ_CFLAGS) $^ $(OSSFUZZ_ENGINE) -l:libunicorn.a -lpthread -lm -o $@
ifneq ($(filter ossfuzz,$(MAKECMDGOALS)),)
ifeq ($(OSSFUZZ_CC),)
$(error make ossfuzz: OSSFUZZ_CC is not set (oss-fuzz/build.sh sets it from $$CC))
endif
endif
ossfuzz: $(patsubst %,$(OSSFUZZ_OUT)/%,$(FUZZ_TARGETS))
print-fuzz-targets:
	@echo $(FUZZ_TARGETS)

# The seed corpora, written by tools/fuzz-seeds.c (committed).
$(BUILD)/tools/fuzz-seeds: tools/fuzz-seeds.c fuzz/input.c mediator/src/mem_desc.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $^ -o $@

# And Linux's FF-A driver's real call sequences, recorded from corpus/client's programs (tools/driver-seeds.c).
$(BUILD)/tools/driver-seeds: $(patsubst %.c,$(BUILD)/test/obj/%.o,tools/driver-seeds.c fuzz/client_machine.c \
		$(FUZZ_HELPER_SRC) $(EMU_SRC)) $(CORE_OBJ) $(CLIENT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) $^ -lunicorn -o $@

seeds: $(BUILD)/tools/fuzz-seeds $(BUILD)/tools/driver-seeds
	@for t in $(FUZZ_TARGETS); do mkdir -p corpus/$$t; done
	$< corpus
	$(BUILD)/tools/driver-seeds corpus
	@for t in $(FUZZ_TARGETS); do echo "seeds: corpus/$$t: $$(ls corpus/$$t | wc -l)"; done

test-deps:
	@tools/ensure-packages $(TEST_PACKAGES)

# gcc must build everything clean too; it is not on every machine.
gcc-check: $(GEN)
	@if command -v $(GCC) >/dev/null 2>&1; then \
		for f in $(LIB_SRC) $(EMU_SRC) $(TEST_HELPER_SRC) $(TEST_SRC) $(FUZZ_HELPER_SRC) fuzz/bench.c \
			 fuzz/driver_replay.c fuzz/mutator_afl.c fuzz/mutator_libfuzzer.c fuzz/empty.c \
			 $(FFA_RUN_SRC) emu/bench.c tools/peak-rss.c tools/fuzz-seeds.c tools/driver-seeds.c tools/seed-zip.c \
			 $(FUZZ_TARGETS:%=fuzz/%.c); do \
			$(GCC) $(CPPFLAGS) $(CFLAGS) -c $$f -o /dev/null || exit 1; \
		done; echo "gcc-check: $(GCC) builds every source clean"; \
	else echo "gcc-check: $(GCC) not installed, skipped"; fi

test: test-deps
	@$(MAKE) --no-print-directory gcc-check
	@$(MAKE) --no-print-directory all
	@failed=""; \
	fail() { failed="$$failed$$1 ($$2)\n"; }; \
	for t in $(TESTS); do \
		$$t > $$t.log 2>&1; status=$$?; \
		echo "$$(basename $$t): $$(grep -aE '^\[ *(PASSED|FAILED) *\] [0-9]+ test' $$t.log | tr '\n' ' ')"; \
		[ $$status = 0 ] || { grep -aE '^\[ *FAILED *\] [a-z]|^\[ *ERROR|Failure!|error:' $$t.log | head -20; \
			fail "$$(basename $$t)" "rerun: $$t; output: $$t.log"; }; \
	done; \
	for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory replay-$$t || fail "replay $$t" "rerun: $(BUILD)/test/replay_$$t -v corpus/$$t"; \
		$(MAKE) --no-print-directory replay-pkvm-$$t || fail "replay $$t on pkvm" \
			"rerun: FFA_EMU_MEDIATOR=pkvm FFA_EMU_SUPPRESS=corpus/known/pkvm/suppressions $(BUILD)/test/replay_$$t -v corpus/$$t"; \
	done; \
	echo "replays: the seeds of $(FUZZ_TARGETS) on ref and on pkvm"; \
	mkdir -p $(BUILD)/empty-tree; tools/kernel-source $(BUILD) $(BUILD)/empty-tree 2>$(BUILD)/empty-tree.log; \
	status=$$?; echo "kernel-source: a tree without the proxy's files: exit status $$status, $$(head -1 $(BUILD)/empty-tree.log)"; \
	[ $$status = 2 ] || fail "kernel-source" "exit status $$status, not 2: tools/kernel-source $(BUILD) $(BUILD)/empty-tree"; \
	for c in $(TOOL_CHECKS); do \
		$$c $(BUILD) || fail "$$c" "rerun: $$c $(BUILD)"; \
	done; \
	$(MAKE) --no-print-directory regress || fail "regress" "rerun: make regress"; \
	if [ -n "$$failed" ]; then printf 'make test: FAILED:\n%b' "$$failed" | sed '2,$$s/^/  /'; exit 1; fi; \
	echo "make test: all $(words $(TESTS)) test binaries passed; $(words $(FUZZ_TARGETS)) seed corpora replayed clean on ref and on pkvm; tool checks and regress clean"

# Benchmarks: -O2, no sanitizers, their own objects.
BENCH_OBJ := $(patsubst %.c,$(BUILD)/bench/obj/%.o,$(LIB_SRC) $(EMU_SRC) emu/bench.c) \
	$(call kernel_obj,$(BUILD)/bench/obj)
$(eval $(call kernel_objs,$(BUILD)/bench/obj,$(CC),-O2))
$(eval $(call client_objs,$(BUILD)/bench/obj,$(CC),-O2))

$(BUILD)/bench/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c11 -O2 -g $(WARNINGS) -MMD -MP -c $< -o $@

$(BUILD)/bench/emu_bench: $(BENCH_OBJ)
	$(CC) $^ -lunicorn -o $@

# Fuzz targets on fixed 8-call inputs, beside an empty target (fuzz/bench.c).
BENCH_FUZZ_OBJ := $(patsubst %.c,$(BUILD)/bench/obj/%.o,$(LIB_SRC) $(FUZZ_HELPER_SRC) fuzz/bench.c) \
	$(call kernel_obj,$(BUILD)/bench/obj)
$(BUILD)/bench/fuzz_%: $(BUILD)/bench/obj/fuzz/%.o $(BENCH_FUZZ_OBJ) \
		$$(addprefix $(BUILD)/bench/obj/,$$(FUZZ_EXTRA_$$*))
	$(CC) $^ $(FUZZ_LIBS_$*) -o $@

# libFuzzer builds for speed: -O2, no sanitizers, coverage as in the fuzz
# builds above; and the empty target (fuzz/empty.c) they are set beside,
# instrumented so that libFuzzer runs it at all.
$(BUILD)/bench/lf/cov/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c11 -O2 -g $(WARNINGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(BUILD)/bench/lf/nocov/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c11 -O2 -g $(WARNINGS) -MMD -MP -c $< -o $@
$(BUILD)/bench/lf/empty: $(BUILD)/bench/lf/cov/fuzz/empty.o
	$(CC) -fsanitize=fuzzer $^ -o $@
$(eval $(call kernel_objs,$(BUILD)/bench/lf/cov,$(CC),-O2 -fsanitize=fuzzer-no-link))
$(eval $(call client_objs,$(BUILD)/bench/lf/nocov,$(CC),-O2 -fsanitize=fuzzer-no-link))
$(BUILD)/bench/lf/%: $(BUILD)/bench/lf/nocov/fuzz/%.o $(patsubst %.c,$(BUILD)/bench/lf/cov/%.o,$(LIB_SRC)) \
		$(call kernel_obj,$(BUILD)/bench/lf/cov) \
		$(patsubst %.c,$(BUILD)/bench/lf/nocov/%.o,$(FUZZ_HELPER_SRC) fuzz/mutator_libfuzzer.c) \
		$$(addprefix $(BUILD)/bench/lf/nocov/,$$(FUZZ_EXTRA_$$*))
	$(CC) -fsanitize=fuzzer $^ $(FUZZ_LIBS_$*) -o $@

# The engines' empty targets beside the real ones: libFuzzer with ASan+UBSan
# as make fuzz builds, and AFL++'s persistent driver around fuzz/empty.c.
$(BUILD)/bench/lf/empty-asan: fuzz/empty.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FUZZ_COV_CFLAGS) -fsanitize=fuzzer $< -o $@
$(BUILD)/afl/empty: $(BUILD)/afl/cov/fuzz/empty.o $(BUILD)/afl/cov/fuzz/driver_afl.o
	AFL_QUIET=1 $(AFL_CC) $^ -o $@

$(BUILD)/tools/peak-rss: tools/peak-rss.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@

BENCH_BINS := $(BUILD)/bench/emu_bench $(BUILD)/bench/lf/empty $(BUILD)/bench/lf/empty-asan \
	$(BUILD)/afl/empty $(BUILD)/afl/mutator.so $(BUILD)/tools/peak-rss $(BUILD)/test/replay_seq \
	$(patsubst %,$(BUILD)/bench/fuzz_%,$(FUZZ_TARGETS)) $(patsubst %,$(BUILD)/bench/lf/%,$(FUZZ_TARGETS)) \
	$(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_TARGETS)) $(patsubst %,$(BUILD)/afl/%,$(FUZZ_TARGETS))
BENCH_RUNS ?= 3

# Every speed figure, BENCH_RUNS rounds, medians (tools/bench; BUILD/bench/).
bench: fuzz-deps
	@$(MAKE) --no-print-directory $(BENCH_BINS)
	@tools/bench $(BUILD) $(BENCH_RUNS) $(FUZZ_TARGETS)

fuzz-deps:
	@tools/ensure-packages $(FUZZ_PACKAGES)

# Coverage comes from the code under test and its peer, mediator/ and
# spmc-model/ (LIB_SRC). The harness (fuzz/: decoder, machine, oracle,
# mutator, target glue) and the emulator glue are built without it: their
# branches say nothing about the mediator, and instrumenting them cost 43%
# of libFuzzer's exec/s on seq (measured with make bench's builds).

# libFuzzer builds: ASan+UBSan, -O1; their own objects. The flags go to $(call) through a
# variable: a comma written in its arguments splits them (until 56af4bd it did, and the
# libFuzzer builds of Linux's proxy and driver had coverage but no sanitizer).
FUZZ_SANITIZE := -fsanitize=fuzzer-no-link $(SANITIZE)
FUZZ_COV_CFLAGS := -std=c11 -g -O1 $(WARNINGS) $(FUZZ_SANITIZE)
$(eval $(call client_objs,$(BUILD)/fuzz/nocov,$(CC),-O1 $(FUZZ_SANITIZE)))
$(eval $(call kernel_objs,$(BUILD)/fuzz/cov,$(CC),-O1 $(FUZZ_SANITIZE) -fno-sanitize=alignment))
FUZZ_LIB_OBJ := $(patsubst %.c,$(BUILD)/fuzz/cov/%.o,$(LIB_SRC)) $(call kernel_obj,$(BUILD)/fuzz/cov) \
	$(patsubst %.c,$(BUILD)/fuzz/nocov/%.o,$(FUZZ_HELPER_SRC) fuzz/mutator_libfuzzer.c)
FUZZERS := $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_TARGETS))
FUZZ_TIME ?= 3600
JOBS ?= $(shell nproc)

$(BUILD)/fuzz/cov/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FUZZ_COV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/nocov/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/%: $(BUILD)/fuzz/nocov/fuzz/%.o $(FUZZ_LIB_OBJ) \
		$$(addprefix $(BUILD)/fuzz/nocov/,$$(FUZZ_EXTRA_$$*))
	$(CC) -fsanitize=fuzzer,address,undefined $^ $(FUZZ_LIBS_$*) -o $@

# AFL++ persistent builds: afl/ without sanitizers (speed), afl-asan/ with
# ASan+UBSan. afl-clang-fast instruments LIB_SRC and builds the driver (its
# persistent-mode macros); the rest is plain clang.
AFL_CC := afl-clang-fast
AFL_CFLAGS := -std=c11 -g -O2 $(WARNINGS)
AFL_ASAN := AFL_USE_ASAN=1 AFL_USE_UBSAN=1
AFL_COV_SRC := $(LIB_SRC) fuzz/driver_afl.c
# What AFL++ leaves uninstrumented, and why: fuzz/afl-denylist.
AFL_DENYLIST := fuzz/afl-denylist
AFL_DENY := AFL_LLVM_DENYLIST=$(CURDIR)/$(AFL_DENYLIST)
AFLS := $(patsubst %,$(BUILD)/afl/%,$(FUZZ_TARGETS)) $(patsubst %,$(BUILD)/afl-asan/%,$(FUZZ_TARGETS))

$(BUILD)/afl/cov/%.o: %.c $(GEN) $(AFL_DENYLIST)
	@mkdir -p $(dir $@)
	AFL_QUIET=1 $(AFL_DENY) $(AFL_CC) $(CPPFLAGS) $(AFL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/afl/nocov/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(AFL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/afl-asan/cov/%.o: %.c $(GEN) $(AFL_DENYLIST)
	@mkdir -p $(dir $@)
	AFL_QUIET=1 $(AFL_ASAN) $(AFL_DENY) $(AFL_CC) $(CPPFLAGS) $(AFL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/afl-asan/nocov/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(AFL_CFLAGS) $(SANITIZE) -MMD -MP -c $< -o $@

$(eval $(call kernel_objs,$(BUILD)/afl/cov,AFL_QUIET=1 $(AFL_CC),-O2))
$(eval $(call client_objs,$(BUILD)/afl/nocov,AFL_QUIET=1 $(AFL_DENY) $(AFL_CC),-O2))
$(eval $(call client_objs,$(BUILD)/afl-asan/nocov,AFL_QUIET=1 $(AFL_DENY) $(AFL_ASAN) $(AFL_CC),-O2))
$(eval $(call kernel_objs,$(BUILD)/afl-asan/cov,AFL_QUIET=1 $(AFL_ASAN) $(AFL_CC),-O2 -fno-sanitize=alignment))
$(BUILD)/afl/%: $(BUILD)/afl/nocov/fuzz/%.o $(patsubst %.c,$(BUILD)/afl/cov/%.o,$(AFL_COV_SRC)) \
		$(call kernel_obj,$(BUILD)/afl/cov) \
		$(patsubst %.c,$(BUILD)/afl/nocov/%.o,$(FUZZ_HELPER_SRC)) \
		$$(addprefix $(BUILD)/afl/nocov/,$$(FUZZ_EXTRA_$$*))
	AFL_QUIET=1 $(AFL_CC) $^ $(FUZZ_LIBS_$*) -o $@

$(BUILD)/afl-asan/%: $(BUILD)/afl-asan/nocov/fuzz/%.o \
		$(patsubst %.c,$(BUILD)/afl-asan/cov/%.o,$(AFL_COV_SRC)) $(call kernel_obj,$(BUILD)/afl-asan/cov) \
		$(patsubst %.c,$(BUILD)/afl-asan/nocov/%.o,$(FUZZ_HELPER_SRC)) \
		$$(addprefix $(BUILD)/afl-asan/nocov/,$$(FUZZ_EXTRA_$$*))
	AFL_QUIET=1 $(AFL_ASAN) $(AFL_CC) $^ $(FUZZ_LIBS_$*) -o $@

# AFL++'s custom mutator library (fuzz/mutator_afl.c): the target comes from FFA_FUZZ_TARGET.
$(BUILD)/afl/mutator.so: fuzz/mutator_afl.c fuzz/mutate.c fuzz/input.c mediator/src/mem_desc.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c11 -O2 -g $(WARNINGS) -fPIC -shared $(filter %.c,$^) -o $@

fuzz-build: $(FUZZERS) $(AFLS) $(BUILD)/afl/mutator.so

# Every target in turn on JOBS cores, libFuzzer and AFL++ sharing corpora, for
# FUZZ_TIME in all (seconds, or 30m, 8h); see tools/fuzz-run. MEDIATOR picks
# the backend every target runs: ref (ours) or pkvm (Linux's proxy from
# KERNEL_SRC or linux-source-6.12). DIFF=1 runs each input on the reference
# too and counts where the answers diverge (fuzz/diff.c).
MEDIATOR ?= ref
fuzz: fuzz-deps
	@case "$(MEDIATOR)" in ref|pkvm) ;; *) echo "make: MEDIATOR=$(MEDIATOR): not a backend (ref, pkvm)"; exit 2;; esac
	@$(MAKE) --no-print-directory fuzz-build
	@$(MAKE) --no-print-directory $(REPLAYS) $(BUILD)/tools/ffa-run
	@FFA_EMU_MEDIATOR=$(MEDIATOR) $(if $(DIFF),FFA_EMU_DIFF=1) $(if $(SYNC_DIR),FFA_EMU_SYNC=$(SYNC_DIR)) \
		$(if $(MACHINE),FFA_EMU_MACHINE=$(MACHINE)) $(if $(SYNC_MAIN),FFA_EMU_SYNC_MAIN=$(SYNC_MAIN)) \
		tools/fuzz-run $(BUILD) $(FUZZ_TIME) $(JOBS) $(FUZZ_TARGETS)

# The seeded-bug benchmark: every patch in tools/bugs/, BUGBENCH_TRIALS
# trials of BUGBENCH_BUDGET seconds per fuzzer, JOBS at a time, and the clean
# build for the same budget (tools/bugbench; BUILD/bugbench/report.md). With
# MEDIATOR=pkvm the bugs are Linux's proxy's known findings, unmasked one at
# a time (BUILD/bugbench-pkvm/report.md).
BUGBENCH_TRIALS ?= 5
BUGBENCH_BUDGET ?= 300
bugbench: fuzz-deps
	@tools/bugbench --build $(BUILD) --trials $(BUGBENCH_TRIALS) --budget $(BUGBENCH_BUDGET) --jobs $(JOBS) \
		--mediator $(MEDIATOR)

# Coverage: clang source-based coverage, no sanitizers, its own objects. Every
# cmocka test, every target's replay driver over its seeds and regressions
# (crashes in a process of their own: an input that aborts writes no profile)
# and, once FFA_RUN_SRC exists, tools/ffa-run over corpus/scenarios/*.ffa.
# The report covers mediator/ and spmc-model/ only.
COVERAGE_PACKAGES := clang-14 libcmocka-dev libunicorn-dev binutils-aarch64-linux-gnu llvm-14
COV := $(BUILD)/coverage
COV_FLAGS := -fprofile-instr-generate -fcoverage-mapping
COV_LIB_OBJ := $(patsubst %.c,$(COV)/obj/%.o,$(LIB_SRC)) $(call kernel_obj,$(COV)/obj)
$(eval $(call kernel_objs,$(COV)/obj,$(CC),-O1 $(COV_FLAGS)))
$(eval $(call client_objs,$(COV)/obj,$(CC),-O1 $(COV_FLAGS)))
COV_TESTS := $(patsubst tests/%.c,$(COV)/bin/%,$(TEST_SRC))
COV_REPLAYS := $(patsubst %,$(COV)/bin/replay_%,$(FUZZ_TARGETS))
COV_SRC = $(MEDIATOR_SRC) $(SPMC_SRC)

$(COV)/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(COV_FLAGS) -MMD -MP -c $< -o $@

# A test's EXTRA_ objects name $(BUILD)/test/obj/; here they come from $(COV)/obj/.
$(COV)/bin/test_%: $(COV)/obj/tests/test_%.o $(COV_LIB_OBJ) $(COV)/obj/$(TEST_HELPER_SRC:.c=.o) \
		$$(subst $(BUILD)/test/obj/,$(COV)/obj/,$$(EXTRA_test_$$*))
	@mkdir -p $(dir $@)
	$(CC) $(COV_FLAGS) $^ $(WRAP_test_$*) -lcmocka $(LIBS_test_$*) -o $@

$(COV)/bin/replay_%: $(COV)/obj/fuzz/%.o $(patsubst %.c,$(COV)/obj/%.o,$(FUZZ_HELPER_SRC) fuzz/driver_replay.c) \
		$(COV_LIB_OBJ) $$(addprefix $(COV)/obj/,$$(FUZZ_EXTRA_$$*))
	@mkdir -p $(dir $@)
	$(CC) $(COV_FLAGS) $^ $(FUZZ_LIBS_$*) -o $@

# Expanded late: FFA_RUN_SRC may be set further down.
COV_RUN_OBJ = $(patsubst %.c,$(COV)/obj/%.o,$(FFA_RUN_SRC) $(LIB_SRC) $(FUZZ_HELPER_SRC) $(EMU_SRC)) \
	$(call kernel_obj,$(COV)/obj) $(call client_obj,$(COV)/obj)
$(COV)/bin/ffa-run: $$(COV_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(COV_FLAGS) $^ -lunicorn -o $@

coverage-deps:
	@tools/ensure-packages $(COVERAGE_PACKAGES)

coverage-build: $(COV_TESTS) $(COV_REPLAYS) $$(if $$(FFA_RUN_SRC),$(COV)/bin/ffa-run)

# A run that fails is reported and the rest still run: this measures, make test judges.
ifeq ($(MEDIATOR),pkvm)
coverage: coverage-pkvm
else
coverage: coverage-ref
endif

# MEDIATOR=pkvm: line and branch coverage of Linux's ffa.c itself (and the
# shim), from every pkvm input we keep: the seeds, the crash and known-finding
# corpora, the last campaign's corpora (BUILD/fuzz-pkvm/work/), and the pkvm
# scenarios, replayed on pkvm with its known findings masked (-k: an input
# that breaks a rule still counts up to there).
PKVM_CORPUS ?= $(BUILD)/fuzz-pkvm/work
coverage-pkvm: coverage-deps
	@$(MAKE) --no-print-directory coverage-build
	@rm -rf $(COV)/profraw $(COV)/html; : > $(COV)/run.log
	@export LLVM_PROFILE_FILE=$(COV)/profraw/%p-%m.profraw FFA_EMU_MEDIATOR=pkvm \
		FFA_EMU_SUPPRESS=corpus/known/pkvm/suppressions; \
	for t in $(FUZZ_TARGETS); do \
		dirs=$$(ls -d corpus/$$t corpus/crashes/pkvm/$$t corpus/known/pkvm/$$t $(PKVM_CORPUS)/$$t \
			2>/dev/null); \
		echo "== replay $$t on pkvm: $$dirs"; \
		$(COV)/bin/replay_$$t -k $$dirs >>$(COV)/run.log 2>&1 || echo "coverage: replay_$$t exited $$?"; \
	done; \
	echo "== ffa-run corpus/scenarios/pkvm/*.ffa"; \
	$(COV)/bin/ffa-run corpus/scenarios/pkvm/*.ffa >>$(COV)/run.log 2>&1; echo "coverage: ffa-run exited $$?"
	llvm-profdata-14 merge -sparse $(COV)/profraw/*.profraw -o $(COV)/coverage.profdata
	@t=$$(cat $(KTREE_FILE)); bins="$(COV_REPLAYS) $(COV)/bin/ffa-run"; \
	bins=$$(echo $$bins | sed 's/ / -object /g'); \
	llvm-cov-14 show -format=html -output-dir=$(COV)/html -show-branches=count \
		-instr-profile=$(COV)/coverage.profdata $$bins $$t/arch/arm64/kvm/hyp/nvhe/ffa.c $(PKVM_SRC) && \
	llvm-cov-14 report -show-branch-summary -instr-profile=$(COV)/coverage.profdata \
		$$bins $$t/arch/arm64/kvm/hyp/nvhe/ffa.c $(PKVM_SRC) > $(COV)/summary.txt && \
	llvm-cov-14 show -instr-profile=$(COV)/coverage.profdata $$bins \
		$$t/arch/arm64/kvm/hyp/nvhe/ffa.c > $(COV)/ffa.c.txt
	@cat $(COV)/summary.txt
	@echo "coverage: $(COV)/html/index.html, $(COV)/summary.txt, ffa.c line by line in $(COV)/ffa.c.txt;" \
		"run output in $(COV)/run.log"

coverage-ref: coverage-deps
	@$(MAKE) --no-print-directory coverage-build
	@rm -rf $(COV)/profraw $(COV)/html; : > $(COV)/run.log
	@export LLVM_PROFILE_FILE=$(COV)/profraw/%p-%m.profraw; \
	for t in $(COV_TESTS); do \
		echo "== $$t"; $$t >>$(COV)/run.log 2>&1 || echo "coverage: $$t exited $$?"; \
	done; \
	for t in $(FUZZ_TARGETS); do \
		echo "== replay $$t"; \
		$(COV)/bin/replay_$$t $$(ls -d corpus/$$t corpus/regressions/$$t 2>/dev/null) >>$(COV)/run.log 2>&1 || \
			echo "coverage: replay_$$t exited $$?"; \
		if [ -d corpus/crashes/$$t ] && [ -n "$$(ls corpus/crashes/$$t)" ]; then \
			$(COV)/bin/replay_$$t corpus/crashes/$$t >>$(COV)/run.log 2>&1 || \
				echo "coverage: replay_$$t corpus/crashes/$$t exited $$?"; \
		fi; \
	done; \
	$(if $(FFA_RUN_SRC),echo "== ffa-run corpus/scenarios/*.ffa"; \
		$(COV)/bin/ffa-run corpus/scenarios/*.ffa >>$(COV)/run.log 2>&1; \
		echo "coverage: ffa-run exited $$?",echo "coverage: FFA_RUN_SRC not defined, scenarios skipped")
	llvm-profdata-14 merge -sparse $(COV)/profraw/*.profraw -o $(COV)/coverage.profdata
	@bins="$(COV_TESTS) $(COV_REPLAYS) $(if $(FFA_RUN_SRC),$(COV)/bin/ffa-run)"; \
	bins=$$(echo $$bins | sed 's/ / -object /g'); \
	llvm-cov-14 show -format=html -output-dir=$(COV)/html -show-branches=count \
		-instr-profile=$(COV)/coverage.profdata $$bins $(COV_SRC) && \
	llvm-cov-14 report -show-branch-summary -instr-profile=$(COV)/coverage.profdata \
		$$bins $(COV_SRC) > $(COV)/summary.txt
	@cat $(COV)/summary.txt
	@echo "coverage: $(COV)/html/index.html, $(COV)/summary.txt; run output in $(COV)/run.log"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

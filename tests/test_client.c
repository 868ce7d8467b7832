/*
 * Linux's FF-A driver (drivers/firmware/arm_ffa, compiled from the kernel
 * tree: emu/linux/) as the host's client of each mediator, with the oracle
 * watching the wire. Its probe (ffa_init()) negotiates the version (the
 * driver speaks FF-A 1.1), maps its RX/TX, discovers the partitions and
 * registers a device for each (DEN0077A §13: one descriptor per partition
 * for a v1.1 caller, with its first UUID), plus one for the host itself;
 * then its ops reach the partitions. A driver that loops on the answers
 * for ever is the finding client-hang.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client_machine.h"

#define HOST 0
#define CRYPTO_ID 0x8001

static struct fuzz_machine fm;
static struct fuzz_client fc;
static jmp_buf caught;
static char broke[320]; /* "<rule>: <detail>" of the last finding */

static void catch_rule(const char *r, const char *d)
{
	snprintf(broke, sizeof(broke), "%s: %s", r, d);
	longjmp(caught, 1);
}

/* Start @be (ref under @profile) and probe the driver as the host; a broken rule fails the test. */
static void probe(const struct backend_ops *be, enum mediator_profile profile, struct emu *engine)
{
	struct fuzz_program p = {.profile = profile, .vm_count = 3};
	int ret;

	oracle_failure_hook = catch_rule;
	fuzz_machine_use_backend(&fm, be);
	assert_true(fuzz_machine_init(&fm, &p));
	if (setjmp(caught) != 0) {
		fail_msg("the driver's probe broke %s\n%s", broke, fc.c.log);
	}
	ret = fuzz_client_probe(&fc, &fm, HOST, engine, false);
	if (ret != 0) {
		fail_msg("probe returned %d\n%s", ret, fc.c.log);
	}
}

/* The index of the device of partition @id. */
static unsigned dev_of(uint16_t id)
{
	for (unsigned i = 0; i < fc.c.device_count; i++) {
		if (fc.c.devices[i].vm_id == id) {
			return i;
		}
	}
	fail_msg("no device for partition 0x%x", id);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fuzz_client_remove(&fc);
	return 0;
}

/* The devices the driver registered are the manifest's partitions, with their first UUID, and the host. */
static void assert_partitions(void)
{
	const struct spmc_manifest *man = spmc_manifest_default();
	unsigned host = 0;

	assert_true(fc.c.probed);
	assert_int_equal(fc.c.version, FFA_VERSION_1_1); /* the driver's FFA_DRIVER_VERSION */
	assert_int_equal(fc.c.device_count, man->partition_count + 1);
	for (unsigned i = 0; i < fc.c.device_count; i++) {
		const struct ffa_client_device *d = &fc.c.devices[i];

		if (d->vm_id == HOST) {
			host++;
			continue;
		}
		assert_true(i - host < man->partition_count);
		assert_int_equal(d->vm_id, man->partitions[i - host].id);
		assert_memory_equal(d->uuid, man->partitions[i - host].uuids[0].b, 16);
		assert_true(d->bound); /* our client driver's id_table names every UUID */
	}
	assert_int_equal(host, 1);
}

/* The probe on @be (ref under @profile) completes with the manifest's partitions. */
static void probe_completes(const struct backend_ops *be, enum mediator_profile profile)
{
	probe(be, profile, NULL);
	assert_partitions();
}

#define PROBE_TEST(name, be, profile)            \
	static void name(void **state)           \
	{                                        \
		(void)state;                     \
		probe_completes(be, profile);    \
	}
PROBE_TEST(test_client_probe_ref_spec, &backend_ref, MEDIATOR_PROFILE_SPEC)
PROBE_TEST(test_client_probe_ref_pkvm_profile, &backend_ref, MEDIATOR_PROFILE_PKVM)
PROBE_TEST(test_client_probe_ref_xen_profile, &backend_ref, MEDIATOR_PROFILE_XEN)
PROBE_TEST(test_client_probe_pkvm, &backend_pkvm, MEDIATOR_PROFILE_PKVM)

/* The same probe through the kernel's arm_smccc_1_2_smc under Unicorn: every call trapped. */
static void test_client_probe_through_stub(void **state)
{
	static struct emu engine;
	struct mem_window w;

	(void)state;
	oracle_failure_hook = catch_rule;
	fuzz_machine_use_backend(&fm, &backend_ref);
	assert_true(fuzz_machine_init(&fm, &(struct fuzz_program){.vm_count = 3}));
	assert_true(mediator_config_window(&fm.cfg, HOST, &w));
	assert_int_equal(emu_init(&engine, fm.be, fm.inst, &fm.mem, &w, HOST), EMU_OK);
	probe(&backend_ref, MEDIATOR_PROFILE_SPEC, &engine);
	assert_partitions();
	assert_true(fc.c.calls > 5);
	assert_int_equal(engine.traps, fc.c.calls);
	fuzz_client_remove(&fc);
	emu_fini(&engine);
}

/* DEN0077A §15.2: the crypto partition echoes a direct request; 32-bit and 64-bit both. */
static void test_client_direct_requests(void **state)
{
	uint64_t data[5] = {1, 2, 3, 4, 5};

	(void)state;
	probe(&backend_ref, MEDIATOR_PROFILE_SPEC, NULL);
	assert_int_equal(ffa_client_direct_req(&fc.c, dev_of(CRYPTO_ID), false, data), 0);
	assert_int_equal(data[0], 1);
	assert_int_equal(data[4], 5);
	assert_int_equal(ffa_client_direct_req(&fc.c, dev_of(CRYPTO_ID), true, data), 0);
	assert_int_equal(data[1], 2);
}

/* DEN0077A §10: a share built by the driver in its TX buffer is accepted and its handle reclaims it. */
static void test_client_share_and_reclaim(void **state)
{
	struct ffa_client_mem m = {.attrs = 0x2 /* RW, instruction access not specified */, .receiver_count = 1, .ranges = {1, 2},
				   .range_count = 2};
	uint64_t handle = 0;

	(void)state;
	probe(&backend_ref, MEDIATOR_PROFILE_SPEC, NULL);
	m.receivers[0] = dev_of(CRYPTO_ID);
	/* In a buffer of the driver's own: ref serves descriptors from the TX buffer only
	 * (mediator/src/memory.c: INVALID_PARAMETERS, the driver's -EINVAL). */
	assert_int_equal(ffa_client_mem_send(&fc.c, &m, &handle), -22);
	assert_int_equal(fc.c.handle_count, 0);
	m.use_txbuf = true; /* as OP-TEE's FF-A driver sends them */
	assert_int_equal(ffa_client_mem_send(&fc.c, &m, &handle), 0);
	assert_int_equal(fc.c.handle_count, 1);
	assert_int_equal(ffa_client_mem_reclaim(&fc.c, handle, 0), 0);
	assert_int_equal(fc.c.handle_count, 0);
	/* Reclaimed once: FFA_RET_INVALID_PARAMETERS, which the driver maps to -EINVAL. */
	assert_int_equal(ffa_client_mem_reclaim(&fc.c, handle, 0), -22);
}

/* A conduit that answers every call with FFA_INTERRUPT: the driver's FFA_RUN loop never ends. */
static void interrupt_always(void *ctx, const uint64_t in[FFA_CLIENT_REGS],
			     uint64_t out[FFA_CLIENT_REGS])
{
	(void)ctx;
	(void)in;
	memset(out, 0, FFA_CLIENT_REGS * sizeof(out[0]));
	out[0] = FFA_INTERRUPT_32;
}

static void test_client_hang_is_a_finding(void **state)
{
	uint64_t data[5] = {0};

	(void)state;
	probe(&backend_ref, MEDIATOR_PROFILE_SPEC, NULL);
	fc.c.conduit.call = interrupt_always;
	broke[0] = '\0';
	if (setjmp(caught) == 0) {
		ffa_client_direct_req(&fc.c, dev_of(CRYPTO_ID), false, data);
	}
	assert_int_equal(strncmp(broke, "client-hang: ", 13), 0);
	assert_int_equal(fc.c.op_calls, 1001);
}

/*
 * The masks of the driver's known findings (corpus/known/linux-driver/):
 * the answer that leads to D1 or D2 ends the input, counted under
 * client-known, before the driver reads out of bounds; an answer that
 * leads to neither goes to the driver.
 */
static char masked[160];

static void note_mask(const struct backend_deviation *d, unsigned long count)
{
	(void)count;
	snprintf(masked, sizeof(masked), "%s %s", d->rule, d->reason);
}

/* Make @ops (@n) after the probe, masks on. Returns: whether a masked finding ended them. */
static bool ops_masked(const struct fuzz_client_op *ops, unsigned n)
{
	setenv("FFA_EMU_SUPPRESS", "corpus/known/pkvm/suppressions:corpus/known/linux-driver/suppressions", 1);
	oracle_deviation_hook = note_mask;
	probe(&backend_ref, MEDIATOR_PROFILE_SPEC, NULL);
	masked[0] = '\0';
	fuzz_abandon_machine = &fm;
	if (setjmp(fuzz_abandon_jmp) != 0) {
		fc.c.broken = true; /* ended midway, as fuzz/client.c ends it */
		fuzz_abandon_machine = NULL;
		return true;
	}
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(fuzz_client_op(&fc, &ops[i]), 0);
	}
	fuzz_abandon_machine = NULL;
	return false;
}

/* A partition-info op on the Nil UUID with its third call's x<reg> = @value; whether it was masked. */
static bool partition_info_lie(unsigned reg, uint64_t value)
{
	/* Calls 1-3: FFA_FEATURES(PARTITION_INFO_GET_REGS), the count, the entries. */
	struct fuzz_client_op op = {.kind = FUZZ_CLIENT_PARTITION_INFO, .lie_at = 3, .lie_reg = reg,
				    .value = value};

	return ops_masked(&op, 1);
}

/* A notification for the first partition, then the SRI, whose FFA_NOTIFICATION_INFO_GET says @lists. */
static bool info_get_lists(unsigned lists)
{
	struct fuzz_client_op ops[] = {
		{.kind = FUZZ_CLIENT_NOTIFY_SEND, .arg = 3},
		{.kind = FUZZ_CLIENT_IRQ, .lie_at = 1, .lie_reg = 2, .value = (uint64_t)lists << 7},
	};

	return ops_masked(ops, 2);
}

static void test_client_known_d1_masked(void **state)
{
	(void)state;
	assert_true(partition_info_lie(2, 0x11)); /* 17 entries after a count of 4 */
	assert_string_equal(masked, "client-known D1:");
}

static void test_client_known_d2_masked(void **state)
{
	(void)state;
	assert_true(partition_info_lie(3, 0x1000000)); /* 16 MiB descriptors in a 4 KiB RX */
	assert_string_equal(masked, "client-known D2:");
}

static void test_client_fewer_entries_not_masked(void **state)
{
	(void)state;
	assert_false(partition_info_lie(2, 1)); /* one entry after a count of 4: the driver copes */
	assert_string_equal(masked, "");
}

static void test_client_known_d3_masked(void **state)
{
	(void)state;
	assert_true(info_get_lists(21)); /* one list more than the driver's array of 20 */
	assert_string_equal(masked, "client-known D3:");
}

static void test_client_twenty_lists_not_masked(void **state)
{
	(void)state;
	assert_false(info_get_lists(20)); /* the most the driver has room for */
	assert_string_equal(masked, "");
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	/* pKVM's known findings masked, as make fuzz masks them: K1 is in every FFA_VERSION answer. */
	setenv("FFA_EMU_SUPPRESS", "corpus/known/pkvm/suppressions", 1);
	const struct CMUnitTest tests[] = {
		T(test_client_probe_ref_spec),
		T(test_client_probe_ref_pkvm_profile),
		T(test_client_probe_ref_xen_profile),
		T(test_client_probe_pkvm),
		cmocka_unit_test(test_client_probe_through_stub),
		T(test_client_direct_requests),
		T(test_client_share_and_reclaim),
		T(test_client_hang_is_a_finding),
		T(test_client_known_d1_masked),
		T(test_client_known_d2_masked),
		T(test_client_fewer_entries_not_masked),
		T(test_client_known_d3_masked),
		T(test_client_twenty_lists_not_masked),
	};

	return cmocka_run_group_tests_name("client: Linux's FF-A driver", tests, NULL, NULL);
}

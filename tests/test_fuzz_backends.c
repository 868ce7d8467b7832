/*
 * The oracle on a real mediator (fuzz/oracle.c, fuzz/excuse.c): the rules it
 * judges from the wire apply to Linux pKVM's proxy too; what the backend's
 * deviation table declares is counted, not a finding; a known finding is
 * masked only while FFA_EMU_SUPPRESS names it; and the version a VM was told
 * is followed from its FFA_VERSION calls under the backend's profile
 * (DEN0077A v1.2 §13.2.1: the caller runs at the lower version; pKVM locks
 * at the first successful FFA_VERSION).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define HOST 0

static struct fuzz_machine fm;
static struct fuzz_program prog = {.vm_count = 1};
static jmp_buf caught;
static char rule[48];
static unsigned long excused;
static const struct backend_deviation *last_excuse;

static void catch_rule(const char *r, const char *detail)
{
	(void)detail;
	snprintf(rule, sizeof(rule), "%s", r);
	longjmp(caught, 1);
}

static void count_excuse(const struct backend_deviation *d, unsigned long count)
{
	(void)count;
	excused++;
	last_excuse = d;
}

static int fresh(void **state)
{
	(void)state;
	unsetenv("FFA_EMU_SUPPRESS");
	oracle_failure_hook = catch_rule;
	oracle_deviation_hook = count_excuse;
	fuzz_machine_use_backend(&fm, &backend_pkvm);
	assert_true(fuzz_machine_init(&fm, &prog));
	excused = 0;
	last_excuse = NULL;
	return 0;
}

/* Mask K1 (and only it) from now on, as make fuzz masks corpus/known/pkvm's. */
static void mask_k1(void)
{
	static char path[] = "/tmp/ffa-emu-suppress-XXXXXX";
	static const char lines[] = "# K1\nsmc32-zero-extension = 0xaaaaaaaaaaaaaaaa\n"
				    "version-word = 0xaaaaaaaaaaaaaaaa\n";
	int fd = path[sizeof(path) - 2] == 'X' ? mkstemp(path) : -1;

	if (fd >= 0) {
		assert_int_equal(write(fd, lines, sizeof(lines) - 1), (ssize_t)(sizeof(lines) - 1));
		close(fd);
	}
	setenv("FFA_EMU_SUPPRESS", path, 1);
}

/* The host's call @fid(@a1..@a3) judged by the oracle; returns the rule broken, "" if none. */
static const char *judge(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	static struct smccc_regs call, reply;
	struct oracle_before b;

	call = (struct smccc_regs){.x = {fid, a1, a2, a3}};
	rule[0] = '\0';
	if (setjmp(caught) == 0) {
		oracle_before(&fm, HOST, &call, &b);
		reply = fuzz_call(&fm, HOST, &call);
		oracle_check(&fm, HOST, &b, &call, &reply);
	}
	return rule;
}

/*
 * K1 (corpus/known/pkvm): 6.12's FFA_VERSION leaves x1-x3 uninitialised; our
 * pattern-filled build makes that a broken wire rule on pkvm, as on any
 * backend; with the known finding masked the call goes on, counted.
 */
static void test_wire_rule_applies_to_pkvm_and_known_finding_masks_it(void **state)
{
	(void)state;
	assert_string_equal(judge(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0), "smc32-zero-extension");
	mask_k1();
	assert_true(fuzz_machine_init(&fm, &prog));
	assert_string_equal(judge(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0), "");
	assert_true(excused >= 1);
	assert_true(last_excuse->known_finding);
	unsetenv("FFA_EMU_SUPPRESS");
}

/*
 * A masked known finding is remembered by its register key (fuzz/excuse.c),
 * yet counted each time it recurs; once FFA_EMU_SUPPRESS no longer names it
 * the same answer is a finding again.
 */
static void test_remembered_excuse_counted_and_dropped_with_the_mask(void **state)
{
	unsigned long first;

	(void)state;
	mask_k1();
	assert_string_equal(judge(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0), "");
	first = excused;
	assert_true(first >= 1);
	assert_true(fuzz_machine_init(&fm, &prog));
	assert_string_equal(judge(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0), "");
	assert_int_equal(excused, 2 * first);
	unsetenv("FFA_EMU_SUPPRESS");
	assert_true(fuzz_machine_init(&fm, &prog));
	assert_string_equal(judge(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0), "smc32-zero-extension");
}

/*
 * pkvm's deviation table: a direct request naming a partition as its sender
 * is passed through unfiltered (hyp-main.c default_host_smc_handler) and the
 * SPMC model records a fault; declared as a pass-through deviation, it is
 * counted, not a finding.
 */
static void test_passthrough_deviation_is_counted(void **state)
{
	(void)state;
	mask_k1();
	assert_string_equal(judge(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0), "");
	excused = 0;
	assert_string_equal(judge(FFA_MSG_SEND_DIRECT_REQ_32, 0x80018002U, 0, 0), "");
	assert_non_null(last_excuse);
	assert_false(last_excuse->known_finding);
	assert_int_equal(last_excuse->scope, BACKEND_SCOPE_PASSTHROUGH);
	unsetenv("FFA_EMU_SUPPRESS");
}

/* The same rule is no deviation for ref: our mediator never forwards a secure sender. */
static void test_deviations_are_per_backend(void **state)
{
	(void)state;
	assert_null(backend_deviation_find(&backend_ref, "spmc-fault", "anything", true));
	assert_non_null(backend_deviation_find(&backend_pkvm, "spmc-fault", "anything", true));
	assert_null(backend_deviation_find(&backend_pkvm, "spmc-fault", "anything", false));
	assert_non_null(backend_deviation_find(&backend_pkvm, "spmc-fault",
					       "x: memory send while another is in fragments", false));
	assert_null(backend_deviation_find(&backend_pkvm, "isolation", "anything", true));
}

/*
 * The wire's version: pKVM answers FFA_VERSION(1.2) with 1.1 (6.12
 * negotiates 1.1), so the host runs at 1.1, locked at once (the pkvm
 * profile's lock point); a later FFA_VERSION(1.0) does not move it.
 */
static void test_version_followed_from_the_wire(void **state)
{
	(void)state;
	mask_k1();
	assert_int_equal(oracle_vm_version(&fm, HOST).state, VM_VERSION_NONE);
	assert_string_equal(judge(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0), "");
	assert_int_equal(oracle_vm_version(&fm, HOST).state, VM_VERSION_LOCKED);
	assert_int_equal(oracle_vm_version(&fm, HOST).version, FFA_VERSION_1_1);
	assert_string_equal(judge(FFA_VERSION_32, FFA_VERSION_1_0, 0, 0), "");
	assert_int_equal(oracle_vm_version(&fm, HOST).version, FFA_VERSION_1_1);
	unsetenv("FFA_EMU_SUPPRESS");
}

/* FFA_EMU_MEDIATOR names the backend; "ref" is the default. */
static void test_backend_by_name(void **state)
{
	(void)state;
	assert_ptr_equal(backend_find("ref"), &backend_ref);
	assert_ptr_equal(backend_find("pkvm"), &backend_pkvm);
	assert_null(backend_find("xen"));
	unsetenv("FFA_EMU_MEDIATOR");
	assert_ptr_equal(fuzz_backend_from_env(), &backend_ref);
	setenv("FFA_EMU_MEDIATOR", "pkvm", 1);
	assert_ptr_equal(fuzz_backend_from_env(), &backend_pkvm);
	unsetenv("FFA_EMU_MEDIATOR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_wire_rule_applies_to_pkvm_and_known_finding_masks_it, fresh),
		cmocka_unit_test_setup(test_remembered_excuse_counted_and_dropped_with_the_mask, fresh),
		cmocka_unit_test_setup(test_passthrough_deviation_is_counted, fresh),
		cmocka_unit_test_setup(test_deviations_are_per_backend, fresh),
		cmocka_unit_test_setup(test_version_followed_from_the_wire, fresh),
		cmocka_unit_test_setup(test_backend_by_name, fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

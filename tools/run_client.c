/*
 * tools/ffa-run's client scenarios (tools/SCENARIOS.md, "Client
 * scenarios"): Linux's FF-A driver (emu/linux/) as VM 0 of the machine,
 * driven by fuzz/client_machine.c as the client fuzz target drives it, so
 * a scenario and a client input run the same calls. The trace shows each
 * operation, every call the driver made for it with the answer, the lie the
 * driver got instead when the scenario tells one, and what it returned.
 */
#include "run_client.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "trace.h"

static bool tracing;
static jmp_buf on_finding;

static char masked[200]; /* the last excuse: "<rule> <text>" */

static void note_excuse(const struct backend_deviation *d, unsigned long count)
{
	(void)count;
	snprintf(masked, sizeof(masked), "%s %s", d->rule, d->reason);
}

static void trace(const struct smccc_regs *call, const struct smccc_regs *reply,
		  const uint64_t got[FFA_CLIENT_REGS])
{
	if (!tracing) {
		return;
	}
	printf("    ");
	trace_call(stdout, FFA_HOST_ID, call);
	printf("    ");
	trace_reply(stdout, call, reply);
	for (unsigned r = 0; r < FFA_CLIENT_REGS; r++) {
		if (got[r] != reply->x[r]) {
			printf("            the driver got x%u=%#llx (the scenario's lie)\n", r,
			       (unsigned long long)got[r]);
		}
	}
}

/* The driver's devices, as the scenario's dev= numbers them. */
static void print_devices(const struct ffa_client *c)
{
	for (unsigned i = 0; i < c->device_count; i++) {
		const struct ffa_client_device *d = &c->devices[i];

		printf("    dev=%u: %s%#x, uuid ", i, d->vm_id & 0x8000 ? "partition " : "VM ", d->vm_id);
		for (unsigned b = 0; b < 16; b++) {
			printf("%02x%s", d->uuid[b], b == 3 || b == 5 || b == 7 || b == 9 ? "-" : "");
		}
		printf("%s\n", d->bound ? "" : " (no driver bound)");
	}
}

/* Check expectation @e of the operation that returned @ret (a rule broke if broken_rule is set). */
static bool check(const struct scenario *s, const struct scenario_expect *e, int ret, bool quiet)
{
	char found[80];
	bool ok;

	if (e->kind == EXPECT_RET) {
		ok = broken_rule[0] == '\0' && (int64_t)e->value == ret;
		if (broken_rule[0] != '\0') {
			snprintf(found, sizeof(found), "rule %s broken", broken_rule);
		} else {
			snprintf(found, sizeof(found), "ret=%d", ret);
		}
	} else {
		ok = strcmp(broken_rule, e->text) == 0;
		snprintf(found, sizeof(found), "%s", broken_rule[0] ? broken_rule : "no rule broken");
	}
	if (!ok) {
		printf("    FAILED %s:%u: expected %s, found %s\n", s->path, e->line,
		       e->source + strspn(e->source, " \t"), found);
	} else if (!quiet) {
		printf("    ok: %s\n", e->source + strspn(e->source, " \t"));
	}
	return ok;
}

unsigned run_client(struct fuzz_machine *fm, const struct scenario *s, struct emu *engine, bool quiet)
{
	static struct fuzz_client fc;
	jmp_buf *caller_catch = on_broken;
	void (*excuse_hook)(const struct backend_deviation *, unsigned long) = oracle_deviation_hook;
	volatile unsigned failures = 0, next = 0, i = 0;
	volatile bool probed = false;
	volatile int ret = 0;

	broken_rule[0] = '\0';
	tracing = !quiet;
	fc.trace = trace;
	on_broken = &on_finding;
	oracle_deviation_hook = note_excuse;
	fuzz_abandon_machine = fm;
	if (setjmp(fuzz_abandon_jmp) != 0) {
		printf("    masked: a known finding (FFA_EMU_SUPPRESS: %s) ends the run here\n", masked);
		fc.c.broken = true; /* stopped midway: reset, not unloaded */
		failures++;
		goto out;
	}
	if (setjmp(on_finding) != 0) {
		printf("    oracle: %s: %s\n", broken_rule, broken_detail);
		goto broken;
	}
	if (!quiet) {
		printf("%s: the driver's probe, as VM 0%s, %s conduit\n", s->path,
		       engine != NULL ? ", through the kernel's SMCCC stub" : "", s->cp.hvc ? "HVC" : "SMC");
	}
	ret = fuzz_client_probe(&fc, fm, FFA_HOST_ID, engine, s->cp.hvc);
	probed = true;
	if (!quiet) {
		printf("    = %d, %u devices\n", ret, fc.c.device_count);
		print_devices(&fc.c);
	}
	for (; i < s->cp.op_count; i++) {
		if (!quiet) {
			printf("%s:%u: ", s->path, s->op_line[i]);
			scenario_write_op(stdout, &s->cp.ops[i]);
			putchar('\n');
		}
		ret = fuzz_client_op(&fc, &s->cp.ops[i]);
		if (!quiet) {
			printf("    = %d\n", ret);
		}
		for (; next < s->expect_count && s->expects[next].call == i; next++) {
			failures += !check(s, &s->expects[next], ret, quiet);
		}
	}
	goto out;

broken: /* a rule broke, or the driver had a finding, during operation i (or the probe) */
	{
		bool expected = false;

		for (; probed && next < s->expect_count && s->expects[next].call == i; next++) {
			expected |= s->expects[next].kind == EXPECT_ORACLE;
			failures += !check(s, &s->expects[next], 0, quiet);
		}
		failures += !expected;
	}
	fc.c.broken = true; /* stopped midway: reset, not unloaded */
	if (probed ? i + 1 < s->cp.op_count : s->cp.op_count > 0) {
		printf("    NOT RUN: the driver operations after it\n");
		failures++;
	}
out:
	fuzz_abandon_machine = NULL;
	if (!quiet && probed) {
		printf("%s: the driver's unload\n", s->path);
	}
	if (setjmp(on_finding) == 0) {
		fuzz_client_remove(&fc); /* an unload that breaks a rule is reported, not run again */
	} else {
		printf("    oracle, on unload: %s: %s\n", broken_rule, broken_detail);
		failures++;
	}
	on_broken = caller_catch;
	oracle_deviation_hook = excuse_hook;
	return failures;
}

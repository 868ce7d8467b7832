/* The fuzz oracle's test fixture (oracle_fx.h). */
#include "oracle_fx.h"

#include <stdio.h>
#include <string.h>

struct fuzz_machine fm;
struct fuzz_program prog = {.vm_count = 2};
static jmp_buf caught;
static char rule[48];

static void catch_rule(const char *r, const char *detail)
{
	(void)detail;
	snprintf(rule, sizeof(rule), "%s", r);
	longjmp(caught, 1);
}

int fresh(void **state)
{
	(void)state;
	oracle_failure_hook = catch_rule;
	assert_true(fuzz_machine_init(&fm, &prog));
	return 0;
}

struct smccc_regs call3(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct smccc_regs r = {.x = {fid, a1, a2, a3}};

	for (unsigned n = 8; n < SMCCC_REG_COUNT; n++) {
		r.x[n] = PATTERN | n;
	}
	return r;
}

struct smccc_regs real_from(ffa_id_t vm, struct smccc_regs call)
{
	struct oracle_before b;
	struct smccc_regs reply;

	rule[0] = '\0';
	oracle_before(&fm, vm, &call, &b);
	reply = mediator_call(&fm.m, vm, &call);
	if (setjmp(caught) == 0) {
		oracle_check(&fm, vm, &b, &call, &reply);
	}
	assert_string_equal(rule, "");
	return reply;
}

struct smccc_regs real(struct smccc_regs call)
{
	return real_from(VM, call);
}

const char *judge_from(ffa_id_t vm, struct smccc_regs call, struct smccc_regs reply,
		       void (*between)(void))
{
	struct oracle_before b;

	rule[0] = '\0';
	oracle_before(&fm, vm, &call, &b);
	if (between != NULL) {
		between();
	}
	if (setjmp(caught) == 0) {
		oracle_check(&fm, vm, &b, &call, &reply);
	}
	return rule;
}

const char *tampered_from(ffa_id_t vm, struct smccc_regs call, void (*tamper)(struct smccc_regs *reply))
{
	struct oracle_before b;
	struct smccc_regs reply;

	rule[0] = '\0';
	oracle_before(&fm, vm, &call, &b);
	reply = mediator_call(&fm.m, vm, &call);
	if (tamper != NULL) {
		tamper(&reply);
	}
	if (setjmp(caught) == 0) {
		oracle_check(&fm, vm, &b, &call, &reply);
	}
	return rule;
}

const char *observed(const struct mediator_event *ev)
{
	rule[0] = '\0';
	if (setjmp(caught) == 0) {
		oracle_observe(&fm, ev);
	}
	return rule;
}

const char *judge(struct smccc_regs call, struct smccc_regs reply, void (*between)(void))
{
	return judge_from(VM, call, reply, between);
}

struct smccc_regs keeping(struct smccc_regs call, struct smccc_regs reply)
{
	for (unsigned n = 8; n < SMCCC_REG_COUNT; n++) {
		reply.x[n] = call.x[n];
	}
	return reply;
}

struct smccc_regs answer(struct smccc_regs call, uint32_t fid, uint64_t a2)
{
	return keeping(call, (struct smccc_regs){.x = {fid, 0, a2}});
}

struct smccc_regs error(struct smccc_regs call, int32_t err)
{
	return keeping(call, ffa_error(err));
}

void negotiate_1_2_from(ffa_id_t vm)
{
	real_from(vm, call3(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	real_from(vm, call3(FFA_ID_GET_32, 0, 0, 0)); /* locks 1.2 */
}

void negotiate_1_2(void)
{
	negotiate_1_2_from(VM);
}

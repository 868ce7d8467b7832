/*
 * The differential (harness.h fuzz_diff_mode): each input on a real
 * mediator and on our reference standing in for it, the answers and the
 * host's page states compared call by call, divergences counted per ABI.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static struct fuzz_machine reference;      /* the differential's ref */
bool fuzz_diff_mode;

/* Count a divergence on @fid's ABI (fuzz_diff_mode), its first input kept. */
static void diverged(uint32_t fid, const char *what)
{
	static struct backend_deviation seen[512];
	static char names[512][64];
	static unsigned long counts[512];
	unsigned i = (fid & 0xFFU) | (smccc_is_smc64(fid) ? 0x100U : 0);

	if (!smccc_is_ffa_fid(fid)) {
		i = 0; /* every non-FF-A ID in one bucket */
	}
	if (seen[i].rule == NULL) {
		snprintf(names[i], sizeof(names[i]), "diverges-%s-%s",
			 i == 0 ? "non-ffa" : ffa_func_name(fid), what);
		seen[i] = (struct backend_deviation){.rule = names[i], .reason = "differential"};
	}
	if (oracle_deviation_hook != NULL) {
		oracle_deviation_hook(&seen[i], ++counts[i]);
	}
}

/* The host's page states, lend as share (pkvm-host.md), compared page by page. */
static bool same_pages(const struct fuzz_machine *a, const struct fuzz_machine *b)
{
	struct mem_window wa, wb;

	if (!mediator_config_window(&a->cfg, fuzz_vm_id(a, 0), &wa) ||
	    !mediator_config_window(&b->cfg, fuzz_vm_id(b, 0), &wb)) {
		return false;
	}
	for (uint32_t i = 0; i < wa.page_count && i < wb.page_count; i++) {
		const struct mem_page *pa = mem_page_at(&a->mem, wa.pa_base + (uint64_t)i * MEM_PAGE_SIZE);
		const struct mem_page *pb = mem_page_at(&b->mem, wb.pa_base + (uint64_t)i * MEM_PAGE_SIZE);
		uint8_t sa = pa->state == MEM_PAGE_LENT ? MEM_PAGE_SHARED : pa->state;
		uint8_t sb = pb->state == MEM_PAGE_LENT ? MEM_PAGE_SHARED : pb->state;

		if (sa != sb) {
			return false;
		}
	}
	return true;
}

/* @p on the real mediator (@fm) and the reference, call by call, compared. */
void fuzz_run_diff(struct fuzz_machine *fm, const struct fuzz_program *p)
{
	static struct fuzz_program q;
	volatile bool pages_differ = false; /* reported at the call where they first do */

	/* The reference as the real mediator stands: its profile, the host only. */
	q = *p;
	q.profile = (uint8_t)fm->be->profile;
	q.vm_count = 1;
	q.aarch32_mask = 0;
	q.big_buffers = 0;
	q.small_frags = 0;
	if (!fuzz_machine_init(fm, p) || !fuzz_machine_init(&reference, &q)) {
		oracle_fail("startup", "the mediator could not start");
	}
	fuzz_abandon_machine = fm;
	if (setjmp(fuzz_abandon_jmp) != 0) {
		fuzz_abandon_machine = NULL;
		return; /* a masked known finding of the real mediator ended the input */
	}
	for (uint32_t i = 0; i < p->call_count; i++) {
		const struct fuzz_call *c = &p->calls[i];
		ffa_id_t vm = fuzz_vm_id(fm, c->vm), rvm = fuzz_vm_id(&reference, c->vm);
		struct oracle_before before;
		struct smccc_regs call, reply, rcall, rreply;

		fuzz_behave(fm, c);
		fuzz_behave(&reference, c);
		call = fuzz_frame(fm, p, c);
		rcall = fuzz_frame(&reference, &q, c);
		oracle_before(fm, vm, &call, &before);
		reply = fuzz_call(fm, vm, &call);
		oracle_check(fm, vm, &before, &call, &reply);
		fuzz_abandon_machine = NULL; /* the reference is ours: its findings are findings */
		oracle_before(&reference, rvm, &rcall, &before);
		rreply = fuzz_call(&reference, rvm, &rcall);
		oracle_check(&reference, rvm, &before, &rcall, &rreply);
		fuzz_abandon_machine = fm;
		/* The answer (w0, and an error's status): the registers are the oracle's to judge. */
		if (ffa_func(&reply) != ffa_func(&rreply) ||
		    (ffa_func(&reply) == FFA_ERROR_32 && ffa_w(&reply, 2) != ffa_w(&rreply, 2))) {
			diverged(ffa_func(&call), "answer");
		}
		if (!pages_differ && !same_pages(fm, &reference)) {
			diverged(ffa_func(&call), "pages");
			pages_differ = true;
		}
		fuzz_note_reply(fm, &call, &reply);
		fuzz_note_reply(&reference, &rcall, &rreply);
	}
	fuzz_abandon_machine = NULL;
}


void fuzz_diff_warm_up(void)
{
	fuzz_diff_mode = true;
	fuzz_machine_use_backend(&reference, &backend_ref);
	/* The era of the real mediator: Linux 6.12's proxy speaks FF-A 1.1. */
	reference.max_version = FFA_VERSION_1_1;
	reference.plain_memory = true; /* as the real mediator's host: harness.c */
	fuzz_machine_warm_up(&reference);
}

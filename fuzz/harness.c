/*
 * The fuzz machine: set-up from a program's header, frames with special
 * values resolved, and the direct run (see harness.h).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/check.h"

#define HYP_PA 0x10000000ULL

/* The index of @p's set-up (what start-up depends on of its header) in fuzz_machine.snapshots. */
static unsigned setup_of(const struct fuzz_program *p)
{
	return (((p->profile * FUZZ_MAX_VMS + (p->vm_count - 1)) * 8U + p->aarch32_mask) * 2U +
		p->big_buffers) * 2U + p->small_frags;
}

/* Start the machine up for @p from nothing. Returns: mediator_init()'s result. */
static int start_up(struct fuzz_machine *fm, const struct fuzz_program *p)
{
	struct mediator_config *cfg = &fm->cfg;

	mediator_config_default(cfg, p->profile);
	cfg->vm_count = p->vm_count;
	cfg->hyp_pa_base = HYP_PA;
	cfg->rxtx_max_pages = p->big_buffers ? FUZZ_RX_MAX_PAGES : 1;
	cfg->spmc_frag_bytes = p->small_frags ? 64 : 0;
	cfg->observe = oracle_observe;
	cfg->observe_ctx = fm;
	for (uint32_t i = 0; i < p->vm_count; i++) {
		cfg->vms[i].pa_base = HYP_PA + (2 + (uint64_t)i * FUZZ_VM_PAGES) * MEM_PAGE_SIZE;
		cfg->vms[i].page_count = FUZZ_VM_PAGES;
		cfg->vms[i].aarch32 = (p->aarch32_mask >> i & 1) != 0;
	}
	mem_reset(&fm->mem);
	spmc_init(&fm->spmc, fm->manifest ? fm->manifest : spmc_manifest_default(), &fm->mem);
	return mediator_init(&fm->m, cfg, &fm->mem, &fm->spmc);
}

void fuzz_machine_use_manifest(struct fuzz_machine *fm, const struct spmc_manifest *manifest)
{
	if (manifest == fm->manifest) {
		return;
	}
	for (unsigned i = 0; i < FUZZ_SETUPS; i++) {
		if (fm->snapshots[i] != NULL) {
			mem_snapshot_free(&fm->snapshots[i]->mem);
			free(fm->snapshots[i]);
			fm->snapshots[i] = NULL;
		}
	}
	fm->manifest = manifest;
}

bool fuzz_machine_init(struct fuzz_machine *fm, const struct fuzz_program *p)
{
	unsigned setup = setup_of(p);
	struct fuzz_snapshot *snap;

	CHECK(setup < FUZZ_SETUPS);
	if (fm->mem.ram == NULL &&
	    mem_init(&fm->mem, HYP_PA, 2 + FUZZ_MAX_VMS * FUZZ_VM_PAGES) != FFA_OK) {
		abort(); /* out of host memory: not a finding */
	}
	fm->handle_count = 0;
	fm->caller = FUZZ_NO_CALLER;
	snap = fm->snapshots[setup];
	if (snap != NULL) {
		mem_restore(&fm->mem, &snap->mem);
		spmc_state_copy(&fm->spmc, &snap->spmc);
		mediator_state_copy(&fm->m, &snap->m);
		fm->restores++;
	} else {
		if (start_up(fm, p) != FFA_OK) {
			return false;
		}
		if (fm->spmc.fault_count != 0) { /* the per-call rule only counts faults from here on */
			oracle_fail("spmc-fault", "at start-up: %#x: %s", fm->spmc.faults[0].fid,
				    fm->spmc.faults[0].reason);
		}
		/* calloc: the tables' unused bytes are never touched, so cost no memory. */
		snap = calloc(1, sizeof(*snap));
		if (snap == NULL || mem_snapshot_take(&fm->mem, &snap->mem) != FFA_OK) {
			abort(); /* out of host memory: not a finding */
		}
		spmc_state_copy(&snap->spmc, &fm->spmc);
		mediator_state_copy(&snap->m, &fm->m);
		fm->snapshots[setup] = snap;
	}
	/* What the header adds after start-up, which does not depend on it. */
	for (unsigned i = 0; i < 4; i++) {
		spmc_set_behaviour(&fm->spmc, (ffa_id_t)(0x8001 + i),
				   (struct spmc_behaviour){.kind = p->behaviour[i], .arg = 1});
	}
	fm->spmc.mem_lie = p->lie; /* lies only after an honest start-up */
	return true;
}

/* The value of selector @sel (>= 0xC0) for VM @vm: input.c, or a handle replies carried. */
static uint64_t special(const struct fuzz_machine *fm, ffa_id_t vm, uint8_t sel)
{
	unsigned k = (unsigned)(sel - FUZZ_SEL_HANDLE_FIRST) / 8;
	uint64_t v;

	if (fuzz_selector_static(sel, vm, &v)) {
		return v;
	}
	if ((sel - FUZZ_SEL_HANDLE_FIRST) % 8 == FUZZ_SEL_HANDLE_LO) {
		return fm->handle_count ? fm->handles[k % fm->handle_count] : 0;
	}
	return fm->handle_count ? fm->handles[k % fm->handle_count] >> 32 : FUZZ_VM_IPA;
}

struct smccc_regs fuzz_frame(struct fuzz_machine *fm, const struct fuzz_program *p,
			     const struct fuzz_call *c)
{
	const struct mediator_vm *vm = &fm->m.vms[c->vm];
	struct smccc_regs r = {.x = {c->fid}};
	uint64_t index = (uint64_t)(c - p->calls);

	/* x8-x17 carry a non-zero pattern, so a mediator that drops, leaks or
	 * fails to preserve them is seen (input.h). */
	for (unsigned n = 8; n < SMCCC_REG_COUNT; n++) {
		r.x[n] = 0xA5A5000000000000ULL | index << 8 | n;
	}
	for (unsigned n = 1; n <= 7; n++) {
		if (c->present & (1U << (n - 1))) {
			r.x[n] = c->special[n] ? special(fm, vm->id, c->special[n]) : c->x[n];
		}
	}
	if (c->payload_len != 0 && vm->mailbox.mapped) {
		uint8_t *tx = mem_map(&fm->mem, vm->mailbox.tx_pa, vm->mailbox.page_count, vm->id,
				      MEM_PAGE_MAILBOX);
		uint32_t n = c->payload_len < vm->mailbox.page_count * MEM_PAGE_SIZE
				     ? c->payload_len
				     : vm->mailbox.page_count * MEM_PAGE_SIZE;

		if (tx != NULL) {
			memcpy(tx, p->payload + c->payload_off, n);
		}
	}
	return r;
}

void fuzz_behave(struct fuzz_machine *fm, const struct fuzz_call *c)
{
	if (c->behave_sp != 0) {
		spmc_set_behaviour(&fm->spmc, (ffa_id_t)(0x8000 + c->behave_sp),
				   (struct spmc_behaviour){.kind = c->behave, .arg = 1});
	}
}

void fuzz_note_reply(struct fuzz_machine *fm, const struct smccc_regs *call,
		     const struct smccc_regs *reply)
{
	uint64_t h;

	if (ffa_mem_type_of(ffa_func(call)) == 0 || ffa_func(reply) != FFA_SUCCESS_32) {
		return;
	}
	h = (uint64_t)ffa_w(reply, 2) | (uint64_t)ffa_w(reply, 3) << 32;
	fm->handles[fm->handle_count % FUZZ_MAX_HANDLES] = h;
	fm->handle_count += fm->handle_count < FUZZ_MAX_HANDLES;
}

bool fuzz_verbose;

static void print_regs(const char *tag, ffa_id_t vm, const struct smccc_regs *r)
{
	fprintf(stderr, "  %s VM %u:", tag, vm);
	for (unsigned i = 0; i < 8; i++) {
		fprintf(stderr, " %llx", (unsigned long long)r->x[i]);
	}
	fputc('\n', stderr);
}

void fuzz_run(struct fuzz_machine *fm, const struct fuzz_program *p, struct smccc_regs *replies)
{
	if (!fuzz_machine_init(fm, p)) {
		oracle_fail("startup", "the mediator could not start");
	}
	for (uint32_t i = 0; i < p->call_count; i++) {
		const struct fuzz_call *c = &p->calls[i];
		ffa_id_t vm = fm->m.vms[c->vm].id;
		struct oracle_before before;
		struct smccc_regs call, reply;

		fuzz_behave(fm, c);
		call = fuzz_frame(fm, p, c);
		oracle_before(fm, vm, &call, &before);
		reply = mediator_call(&fm->m, vm, &call);
		if (fuzz_verbose) {
			print_regs("call ", vm, &call);
			print_regs("reply", vm, &reply);
		}
		oracle_check(fm, vm, &before, &call, &reply);
		fuzz_note_reply(fm, &call, &reply);
		if (replies != NULL) {
			replies[i] = reply;
		}
	}
}

static struct fuzz_machine direct_machine; /* fuzz_run_direct()'s, for the process's life */

void fuzz_run_direct(const struct fuzz_abi_set *set, const uint8_t *data, size_t len)
{
	static struct fuzz_program p;

	fuzz_decode(set, data, len, &p);
	fuzz_run(&direct_machine, &p, NULL);
}

void fuzz_machine_warm_up(struct fuzz_machine *fm)
{
	static struct fuzz_program p;

	for (unsigned setup = 0; setup < FUZZ_SETUPS; setup++) {
		uint8_t header[FUZZ_HEADER_SIZE] = {0};
		unsigned v = setup;

		/* setup_of() backwards: small frags, big buffers, AArch32 mask, VM count, profile. */
		header[1] = (uint8_t)((v % 2) << 6);
		v /= 2;
		header[1] |= (uint8_t)((v % 2) << 5);
		v /= 2;
		header[1] |= (uint8_t)((v % 8) << 2);
		v /= 8;
		header[1] |= (uint8_t)(v % FUZZ_MAX_VMS);
		header[0] = (uint8_t)(v / FUZZ_MAX_VMS);
		fuzz_decode(fuzz_abi_set("seq"), header, sizeof(header), &p);
		CHECK(setup_of(&p) == setup);
		if (!fuzz_machine_init(fm, &p)) {
			oracle_fail("startup", "the mediator could not start");
		}
	}
}

void fuzz_warm_up(void)
{
	fuzz_machine_warm_up(&direct_machine);
}

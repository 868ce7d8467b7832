/*
 * The state model's core (model.h): reset, the per-call order of the
 * concern files, guest-memory views and the transition counts.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mediator/check.h"

static unsigned long counts[MODEL_T_COUNT];

static const char *const transition_text[MODEL_T_COUNT] = {
#define MODEL_T(name, text) text,
#include "transitions.h"
#undef MODEL_T
};

void model_count(enum model_transition t)
{
	counts[t]++;
}

unsigned long model_counted(enum model_transition t)
{
	return counts[t];
}

void model_stats_write(void)
{
	const char *path = getenv("FFA_EMU_MODEL_STATS");
	FILE *f;

	if (path == NULL || *path == '\0' || (f = fopen(path, "a")) == NULL) {
		return;
	}
	for (unsigned t = 0; t < MODEL_T_COUNT; t++) {
		fprintf(f, "%lu %s\n", counts[t], transition_text[t]);
	}
	fclose(f);
}

void model_reset(struct fuzz_machine *fm)
{
	struct fuzz_model *md = &fm->model;
	uint32_t ours = fm->cfg.max_version != 0 ? fm->cfg.max_version : FFA_VERSION_1_2;
	uint32_t spmc = fm->spmc.manifest->version;

	CHECK(fm->cfg.vm_count <= MODEL_MAX_VMS);
	md->vm_count = fm->cfg.vm_count;
	md->mediator_version = ours < spmc ? ours : spmc;
	for (uint32_t i = 0; i < md->vm_count; i++) {
		struct model_vm *v = &md->vms[i];
		uint16_t vcpus = fm->cfg.vms[i].vcpu_count;

		memset(v, 0, sizeof(*v));
		v->id = fm->cfg.vms[i].id;
		v->vcpu_count = vcpus == 0 ? 1 : vcpus;
	}
	memset(md->unfinished, 0xFF, sizeof(md->unfinished)); /* MODEL_NOBODY */
	md->info_seen = 0;
	memset(md->txns, 0, sizeof(md->txns));
	memset(md->dead, 0xFF, sizeof(md->dead));
	md->dead_next = 0;
	md->sending.active = false;
	md->holds_unknown = false;
}

struct model_vm *model_vm(struct fuzz_machine *fm, ffa_id_t id)
{
	for (uint32_t i = 0; i < fm->model.vm_count; i++) {
		if (fm->model.vms[i].id == id) {
			return &fm->model.vms[i];
		}
	}
	CHECK(false);
	return &fm->model.vms[0];
}

int model_fid_index(uint32_t fid, int *w64)
{
	uint32_t n = fid & 0xFFFFU;

	if ((fid & 0xBFFF0000U) != 0x84000000U || n < 0x60 || n >= 0xA0) {
		return -1;
	}
	*w64 = smccc_is_smc64(fid) ? 1 : 0;
	return (int)(n - 0x60);
}

uint64_t model_pa(const struct fuzz_machine *fm, ffa_id_t vm, uint64_t ipa, uint32_t pages)
{
	for (uint32_t i = 0; i < fm->cfg.vm_count; i++) {
		const struct mediator_vm_config *c = &fm->cfg.vms[i];

		if (c->id == vm && ipa >= c->ipa_base && pages <= c->page_count &&
		    (ipa - c->ipa_base) / MEM_PAGE_SIZE <= c->page_count - pages &&
		    ipa % MEM_PAGE_SIZE == 0) {
			return c->pa_base + (ipa - c->ipa_base);
		}
	}
	return 0;
}

const uint8_t *model_rx(struct fuzz_machine *fm, const struct model_vm *v)
{
	return v->mapped ? mem_host(&fm->mem, v->rx_pa, v->pages) : NULL;
}

const uint8_t *model_tx(struct fuzz_machine *fm, const struct model_vm *v)
{
	return v->mapped ? mem_host(&fm->mem, v->tx_pa, v->pages) : NULL;
}

static bool is_info_get(uint32_t fid)
{
	return fid == FFA_NOTIFICATION_INFO_GET_32 || fid == FFA_NOTIFICATION_INFO_GET_64;
}

void model_before(struct fuzz_machine *fm, ffa_id_t vm, const struct smccc_regs *call,
		  struct model_before *b)
{
	uint32_t fid = ffa_func(call);

	memset(b, 0, sizeof(*b));
	/* Nothing pends a notification between calls: the last call's
	 * model_notifications_observe() already saw what the SPMC holds. */
	for (uint32_t i = 0; i < fm->spmc.manifest->partition_count && i < MODEL_MAX_SPS; i++) {
		b->sp_msgs[i] = fm->spmc.sps[i].msg_count;
		b->sp_rx_full |= (uint32_t)fm->spmc.sps[i].rx_full << i;
	}
	for (uint32_t i = 0; i < fm->model.vm_count; i++) {
		struct model_vm *v = &fm->model.vms[i];
		const struct spmc_ns *o = spmc_ns_find(&fm->spmc, v->id);

		b->ns_rx_consumer |= (uint32_t)(o != NULL && o->mailbox.rx == MAILBOX_RX_CONSUMER) << i;
		b->rx_full |= (uint32_t)v->rx_full << i;
		b->news[i] = v->news;
		b->irqs_seen[i] = v->irqs_seen;
		v->irqs = 0;
		/* Its INFO_GET acknowledges the SRI: news from then on raises it again
		 * (unless the call is refused: model_check()). */
		if (v->id == vm && is_info_get(fid)) {
			v->irqs_seen = 0;
		}
	}
}

void model_check(struct fuzz_machine *fm, ffa_id_t vm, const struct model_before *b,
		 const struct smccc_regs *call, const struct smccc_regs *reply)
{
	struct model_vm *v = model_vm(fm, vm);

	model_setup_check(fm, v, call, reply);
	model_partition_info_check(fm, v, call, reply);
	model_rxtx_check(fm, v, b, call, reply);
	model_direct_check(fm, v, call, reply);
	model_indirect_check(fm, v, b, call, reply);
	model_memory_check(fm, v, call, reply);
	model_notifications_check(fm, v, call, reply);
	model_notifications_observe(fm); /* what partitions pended during the call, once per call */
	/* Only an INFO_GET served (its lists, or NO_DATA) acknowledges the SRI; a
	 * refused one (an AArch32 VM's SMC64 form, say) did not reach the news. */
	if (v != NULL && is_info_get(ffa_func(call)) && ffa_func(reply) != FFA_SUCCESS_32 &&
	    ffa_func(reply) != FFA_SUCCESS_64 && !ffa_is_error(reply, FFA_NO_DATA)) {
		v->irqs_seen |= b->irqs_seen[v - fm->model.vms];
	}
	model_sri_check(fm, b);
}

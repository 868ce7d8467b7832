/*
 * Linux's FF-A driver as a VM of a fuzz machine (client_machine.h).
 */
#include "client_machine.h"

#include <string.h>

static bool hvc_conduit; /* the live client's conduit (one client is live at a time) */

/* The transport through the kernel's stub: SMC or HVC as the driver's conduit is. */
static struct smccc_regs via_stub(void *ctx, ffa_id_t vm, const struct smccc_regs *call)
{
	struct fuzz_client *fc = ctx;
	struct smccc_regs reply;

	(void)vm;
	if (emu_call(fc->engine, hvc_conduit ? EMU_HVC : EMU_SMC, call, &reply) != EMU_OK) {
		oracle_fail("emu-stub-failed", "the kernel's stub did not get back (exception %d, uc error %d)",
			    fc->engine->exception, fc->engine->uc_error);
	}
	return reply;
}

static void conduit(void *ctx, const uint64_t in[FFA_CLIENT_REGS], uint64_t out[FFA_CLIENT_REGS])
{
	struct fuzz_client *fc = ctx;
	struct smccc_regs call, reply;

	memcpy(call.x, in, sizeof(call.x));
	reply = fuzz_call_checked(fc->fm, fc->vm, &call);
	memcpy(out, reply.x, sizeof(reply.x));
}

static void driver_finding(const char *rule, const char *detail)
{
	oracle_fail(rule, "%s", detail);
}

int fuzz_client_probe(struct fuzz_client *fc, struct fuzz_machine *fm, ffa_id_t vm,
		      struct emu *engine, bool hvc)
{
	const struct spmc_manifest *man = fm->manifest != NULL ? fm->manifest : spmc_manifest_default();
	struct ffa_client_config cfg = {.hvc = hvc, .gic = true, .cpus = 1};
	struct ffa_client_conduit cd = {conduit, fc};
	const struct mediator_vm_config *vc = NULL;
	struct mem_window w;

	*fc = (struct fuzz_client){.fm = fm, .vm = vm, .engine = engine};
	for (uint32_t i = 0; i < fm->cfg.vm_count; i++) {
		if (fm->cfg.vms[i].id == vm) {
			vc = &fm->cfg.vms[i];
		}
	}
	if (vc == NULL || !mediator_config_window(&fm->cfg, vm, &w)) {
		oracle_fail("client-not-modelled", "no VM %u on the machine for the driver", vm);
	}
	cfg.ram = mem_host(&fm->mem, w.pa_base, w.page_count);
	cfg.ipa_base = w.ipa_base;
	cfg.pages = w.page_count - vc->ro_pages - vc->device_pages; /* the kernel's RAM */
	cfg.cpus = vc->vcpu_count;
	for (uint32_t p = 0; p < man->partition_count; p++) {
		for (uint32_t u = 0; u < man->partitions[p].uuid_count; u++) {
			if (cfg.uuid_count < FFA_CLIENT_MAX_UUIDS) {
				memcpy(cfg.uuids[cfg.uuid_count++], man->partitions[p].uuids[u].b, 16);
			}
		}
	}
	hvc_conduit = hvc;
	if (engine != NULL) {
		fm->transport = via_stub;
		fm->transport_ctx = fc;
	}
	ffa_client_finding_hook = driver_finding;
	return ffa_client_probe(&fc->c, &cfg, &cd);
}

void fuzz_client_remove(struct fuzz_client *fc)
{
	ffa_client_remove(&fc->c);
	fc->fm->transport = NULL;
	fc->fm->transport_ctx = NULL;
}

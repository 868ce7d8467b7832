/*
 * Linux's FF-A driver as a VM of a fuzz machine (client_machine.h).
 */
#include "client_machine.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

/* The transport through the kernel's stub: SMC or HVC as the driver's conduit is. */
static struct smccc_regs via_stub(void *ctx, ffa_id_t vm, const struct smccc_regs *call)
{
	struct fuzz_client *fc = ctx;
	struct smccc_regs reply;

	(void)vm;
	if (emu_call(fc->engine, fc->c.cfg.hvc ? EMU_HVC : EMU_SMC, call, &reply) != EMU_OK) {
		oracle_fail("emu-stub-failed", "the kernel's stub did not get back (exception %d, uc error %d)",
			    fc->engine->exception, fc->engine->uc_error);
	}
	return reply;
}

/*
 * The masks for the driver's own known findings (corpus/known/linux-driver/).
 * Each is a sanitizer report in the driver, which no oracle rule sees, so
 * the answer that leads to it is recognised here, before the driver has it,
 * from the calls on the wire alone; when FFA_EMU_SUPPRESS masks it (rule
 * "client-known", text its ID) the input ends there, counted like any
 * masked finding. Unmasked, the driver gets the answer and the sanitizer
 * reports what it does: these predicates never report a finding themselves.
 *
 * Both are in the two FFA_PARTITION_INFO_GETs of the driver's
 * ffa_partition_probe(): a first one for the count (v1.1: flag bit 0, count
 * only; v1.0: no buffer taken), a buffer sized by it, a second one copied
 * out of RX into it.
 *   D1  the second answer's count is larger than the first's: the driver
 *       returns it to its callers, which read that many entries from the
 *       buffer sized by the first.
 *   D2  the second answer's entries, at the descriptor size it gives (w3,
 *       v1.1; 8 for v1.0), lie outside the RX buffer the driver mapped.
 *       ASan reports it only when the read leaves the VM's RAM (one
 *       mapping here); a read of the driver's other pages is the same bug,
 *       silent, and masked all the same.
 * And in ffa_notification_info_get(), run for the SRI:
 *   D3  an FFA_NOTIFICATION_INFO_GET answer counts more than 20 ID lists
 *       (w2 bits [11:7]): the driver writes a count per list into an array
 *       of 20 on its stack.
 */
#define CLIENT_DESC_SIZE 24 /* struct ffa_partition_info, what the driver copies at most */

static const char *known_partition_info(struct fuzz_client *fc, const uint64_t in[FFA_CLIENT_REGS],
					const uint64_t out[FFA_CLIENT_REGS], char *detail, size_t len)
{
	bool v11 = fc->driver_version > FFA_VERSION_1_0;
	int count = (int)out[2], num = fc->first_count;
	int64_t sz = v11 ? (int32_t)out[3] : 8;
	int64_t copy = (uint64_t)sz > CLIENT_DESC_SIZE ? CLIENT_DESC_SIZE : sz;

	if (out[0] != FFA_SUCCESS_32 && out[0] != FFA_SUCCESS_64) {
		fc->first_count = 0;
		return NULL;
	}
	if (v11 ? (in[5] & 1) != 0 : num == 0) { /* the first: the count only */
		fc->first_count = count > 0 ? count : 0;
		return NULL;
	}
	fc->first_count = 0;
	if (num == 0) {
		return NULL; /* not the driver's probe pair */
	}
	if (count > num) {
		snprintf(detail, len, "D1: FFA_PARTITION_INFO_GET counted %d, then answered %d", num, count);
		return detail;
	}
	if (count > 0 && (sz < 0 ? count > 1 : (count - 1) * sz + copy > (int64_t)fc->rx_size)) {
		snprintf(detail, len, "D2: FFA_PARTITION_INFO_GET answered %d entries of %lld bytes, RX is %zu",
			 count, (long long)sz, fc->rx_size);
		return detail;
	}
	return NULL;
}

/* Follow the driver's version and RX buffer, and end the input at a masked known finding. */
static void known_driver_findings(struct fuzz_client *fc, const uint64_t in[FFA_CLIENT_REGS],
				  const uint64_t out[FFA_CLIENT_REGS])
{
	char detail[160];
	const char *d = NULL;

	switch ((uint32_t)in[0]) {
	case FFA_VERSION_32:
		if ((int32_t)out[0] >= 0) {
			fc->driver_version = out[0] < FFA_VERSION_1_1 ? (uint32_t)out[0] : FFA_VERSION_1_1;
		}
		break;
	case FFA_RXTX_MAP_32:
	case FFA_RXTX_MAP_64:
		fc->rx_size = (in[3] & 0x3F) * FFA_PAGE_SIZE;
		break;
	case FFA_PARTITION_INFO_GET_32:
		d = known_partition_info(fc, in, out, detail, sizeof(detail));
		break;
	case FFA_NOTIFICATION_INFO_GET_32:
	case FFA_NOTIFICATION_INFO_GET_64:
		if ((out[0] == FFA_SUCCESS_32 || out[0] == FFA_SUCCESS_64) && (out[2] >> 7 & 0x1F) > 20) {
			snprintf(detail, sizeof(detail), "D3: FFA_NOTIFICATION_INFO_GET answered %u ID lists",
				 (unsigned)(out[2] >> 7 & 0x1F));
			d = detail;
		}
		break;
	default:
		break;
	}
	if (d != NULL && fuzz_abandon_machine != NULL && oracle_excused(fc->fm, "client-known", d)) {
		longjmp(fuzz_abandon_jmp, 1);
	}
}

static void conduit(void *ctx, const uint64_t in[FFA_CLIENT_REGS], uint64_t out[FFA_CLIENT_REGS])
{
	struct fuzz_client *fc = ctx;
	struct smccc_regs call, reply;

	memcpy(call.x, in, sizeof(call.x));
	reply = fuzz_call_checked(fc->fm, fc->vm, &call);
	memcpy(out, reply.x, sizeof(reply.x));
	if (fc->lie_at != 0 && fc->c.op_calls == fc->lie_at) {
		out[fc->lie_reg % FFA_CLIENT_REGS] = fc->lie_value;
	}
	if (fc->trace != NULL) {
		fc->trace(&call, &reply, out);
	}
	known_driver_findings(fc, in, out);
}

/* A finding in the driver: masked when known (the input ends), else the oracle's failure. */
static void driver_finding(const char *rule, const char *detail)
{
	fuzz_backend_finding(rule, detail);
}

int fuzz_client_probe(struct fuzz_client *fc, struct fuzz_machine *fm, ffa_id_t vm,
		      struct emu *engine, bool hvc)
{
	const struct spmc_manifest *man = fm->manifest != NULL ? fm->manifest : spmc_manifest_default();
	struct ffa_client_config cfg = {.hvc = hvc, .gic = true, .cpus = 1};
	struct ffa_client_conduit cd = {conduit, fc};
	const struct mediator_vm_config *vc = NULL;
	struct mem_window w;

	*fc = (struct fuzz_client){.fm = fm, .vm = vm, .engine = engine, .rx_size = FFA_PAGE_SIZE,
				   .trace = fc->trace}; /* the caller's trace stays */
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

void fuzz_client_uuid(const struct fuzz_client *fc, uint8_t sel, uint8_t uuid[16])
{
	memset(uuid, 0, 16);
	if (sel != 0 && fc->c.cfg.uuid_count > 0) {
		memcpy(uuid, fc->c.cfg.uuids[(sel - 1) % fc->c.cfg.uuid_count], 16);
	}
}

/* The memory transaction @op describes: receivers from @op->dev on, 1-4 constituents of 1-2 pages. */
static struct ffa_client_mem mem_of(const struct fuzz_client *fc, const struct fuzz_client_op *op)
{
	struct ffa_client_mem m = {.lend = op->flags & 1,
				   .use_txbuf = (op->flags & 2) != 0,
				   .flags = (uint32_t)(op->value >> 32),
				   .attrs = op->extra,
				   .tag = op->value & 0xFFFF,
				   .receiver_count = 1 + (op->flags >> 2 & 1),
				   .range_count = 1 + (op->arg & 3)};

	for (unsigned i = 0; i < m.receiver_count; i++) {
		m.receivers[i] = (op->dev + i) % fc->c.device_count;
	}
	for (unsigned i = 0; i < m.range_count; i++) {
		m.ranges[i] = 1 + (op->arg >> (2 + i) & 1);
	}
	return m;
}

int fuzz_client_op(struct fuzz_client *fc, const struct fuzz_client_op *op)
{
	struct ffa_client *c = &fc->c;
	unsigned dev = c->device_count ? op->dev % c->device_count : 0;
	uint8_t uuid[16], msg[256];
	uint64_t data[14], handle;
	int ret;

	if (op->kind == FUZZ_CLIENT_RELOAD) {
		struct fuzz_machine *fm = fc->fm;
		struct emu *engine = fc->engine;
		bool hvc = c->cfg.hvc;

		fuzz_client_remove(fc);
		return fuzz_client_probe(fc, fm, fc->vm, engine, hvc);
	}
	if (!c->probed || c->device_count == 0) {
		return -19; /* -ENODEV: nothing to call */
	}
	for (unsigned i = 0; i < 14; i++) {
		data[i] = op->value + i;
	}
	fc->lie_at = op->lie_at;
	fc->lie_reg = op->lie_reg;
	fc->lie_value = op->value;
	fc->first_count = 0;
	switch (op->kind) {
	case FUZZ_CLIENT_PARTITION_INFO: {
		unsigned count;

		fuzz_client_uuid(fc, op->arg, uuid);
		ret = ffa_client_partition_info(c, uuid, &count);
		break;
	}
	case FUZZ_CLIENT_DIRECT:
		ret = ffa_client_direct_req(c, dev, op->flags & 1, data);
		break;
	case FUZZ_CLIENT_DIRECT2:
		fuzz_client_uuid(fc, op->arg, uuid);
		ret = ffa_client_direct_req2(c, dev, uuid, data);
		break;
	case FUZZ_CLIENT_SEND2:
		memset(msg, (int)(op->value & 0xFF), sizeof(msg));
		ret = ffa_client_indirect_send(c, dev, msg, op->arg);
		break;
	case FUZZ_CLIENT_MEM_SEND: {
		struct ffa_client_mem m = mem_of(fc, op);

		ret = ffa_client_mem_send(c, &m, &handle);
		break;
	}
	case FUZZ_CLIENT_RECLAIM:
		handle = c->handle_count ? c->handles[op->arg % c->handle_count] : op->value;
		ret = ffa_client_mem_reclaim(c, handle, op->extra);
		break;
	case FUZZ_CLIENT_NOTIFY_REQUEST:
		ret = ffa_client_notify_request(c, dev, op->flags & 1, op->arg % 64);
		break;
	case FUZZ_CLIENT_NOTIFY_RELINQUISH:
		ret = ffa_client_notify_relinquish(c, dev, op->arg % 64);
		break;
	case FUZZ_CLIENT_NOTIFY_SEND:
		ret = ffa_client_notify_send(c, dev, op->arg % 64, op->flags & 1, op->extra);
		break;
	case FUZZ_CLIENT_SCHED_RECV:
		ret = ffa_client_sched_recv(c, dev, op->flags & 1);
		break;
	case FUZZ_CLIENT_RUN:
		ret = ffa_client_run(c, dev, op->arg);
		break;
	case FUZZ_CLIENT_IRQ:
		ret = ffa_client_irq(c, op->flags & 1 ? FFA_CLIENT_NPI : FFA_CLIENT_SRI);
		break;
	default:
		ret = -22;
		break;
	}
	fc->lie_at = 0;
	return ret;
}

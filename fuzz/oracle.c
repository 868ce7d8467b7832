/*
 * The spec oracle every fuzz target runs after every call. A violation
 * aborts with "ffa-emu oracle: <rule>: <detail>": the rule names are stable,
 * so crashes deduplicate by them. Two halves:
 *
 * The wire rules here judge each reply on its own (sources in the
 * mediator's own file headers and ffa-facts.md):
 *   smc32-zero-extension  an SMC32 answer has x0-x7[63:32] zero (DEN0028 §2.6)
 *   x8-x17-preserved      SMC32 and pre-v1.2 callers get their x8-x17 back
 *   x8-x17-zeroed         a v1.2 SMC64 answer zeroes x8-x17 unless it carries them
 *   error-code-defined    FFA_ERROR carries -1..-10 in w2, x1 and x3-x7 zero
 *   answer-allowed        the reply is one the ABI may give: one of its success
 *                         IDs, or FFA_ERROR with one of its error codes (table
 *                         below); outside FF-A's range, the SMCCC unknown value
 *   features-only-not-supported  FFA_FEATURES fails only with NOT_SUPPORTED
 *   version-word          FFA_VERSION answers a v1.x word no newer than 1.2, or
 *                         NOT_SUPPORTED, with x1-x7 zero
 *   direct-response-id    REQ/REQ2/RUN answers are the allowed IDs, RESP matching REQ
 *   forwarded-names-caller  every forwarded request names the caller's own ID;
 *                         the one exception, RX_ACQUIRE/RX_RELEASE of the receiver
 *                         a caller's VM-to-VM SEND2 names, while delivering it
 *   spmc-fault            the SPMC model saw the mediator break the spec
 *   isolation             the SPMC's memory record and the pages agree
 *   share-success-handle  a send's SUCCESS carries a handle on the mediator's record
 *   rxtx-map-params       FFA_RXTX_MAP succeeds only with a page count of 1 to
 *                         the maximum, a multiple of the minimum, w3[31:6] zero
 *                         and TX, RX aligned to the minimum size
 *   direct-error-relayed  a direct request or FFA_RUN the SPMC refused with a
 *                         defined status gets that status
 *   direct-payload-relayed  a forwarded direct request carries the caller's
 *                         payload, a direct response the partition's, unchanged
 *
 * The state model (model/model.h) judges each reply against the state the
 * calls before it built, from the wire alone: version-locked,
 * version-not-newer, features-honoured, features-stable, id-get-own,
 * partition-list, partition-list-regs, rxtx-state, mailbox-pages, rx-busy,
 * rx-owned-untouched, direct-response-endpoints, direct-unfinished,
 * send2-delivered, send2-busy, mem-handle-fresh, mem-fragments,
 * mem-retrieve, mem-page-kinds, mem-reclaim, notification-bindings,
 * notification-get-exact, sri-signalled.
 *
 * Both judge every backend (mediator/backend.h) alike. A few rules read our
 * own mediator's records and are ref's alone: version-locked (its record
 * against the wire), mailbox-pages for the hypervisor's own pair,
 * hyp-rx-released (its own RX is free at the SPMC and in its record when a
 * call returns), share-success-handle against its transactions (for
 * another backend, the SPMC's record).
 * A rule a backend breaks by design is listed once in its deviation table:
 * it is counted (oracle_deviation_hook) and the call goes on.
 */
#include "harness.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/check.h"
#include "mediator/finding.h"

void (*oracle_failure_hook)(const char *rule, const char *detail);

void oracle_fail(const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	finding_report(oracle_failure_hook, "oracle", rule, fmt, ap);
}

/* Our own mediator, when it is the backend: the ref-only rules read its records. */
static const struct mediator *ref_of(const struct fuzz_machine *fm)
{
	return fuzz_is_ref(fm) ? &fm->m : NULL;
}

void oracle_violation(const struct fuzz_machine *fm, const char *rule, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (!oracle_excused(fm, rule, detail)) {
		oracle_fail(rule, "%s", detail);
	}
}

/*
 * register_violation() - violation() of @k's rule by register x<reg> of the
 * answer to @k->fid holding @k->value (in FFA_ERROR @k->code if @k->error):
 * detail "<fid> answered [FFA_ERROR <code> with ]x<reg> = <value>".
 * These recur in almost every call on some backends: the excuse is
 * remembered by key (fuzz/excuse.c), and the detail formatted only once.
 */
static void register_violation(const struct fuzz_machine *fm, const struct oracle_key *k)
{
	char detail[96];

	if (oracle_excused_before(fm, k)) {
		return;
	}
	if (k->error) {
		snprintf(detail, sizeof(detail), "%#x answered FFA_ERROR %d with x%u = %#llx", k->fid,
			 k->code, k->reg, (unsigned long long)k->value);
	} else {
		snprintf(detail, sizeof(detail), "%#x answered x%u = %#llx", k->fid, k->reg,
			 (unsigned long long)k->value);
	}
	if (!oracle_excused_keyed(fm, k, detail)) {
		oracle_fail(k->rule, "%s", detail);
	}
}

struct fuzz_wire_vm oracle_vm_version(const struct fuzz_machine *fm, ffa_id_t vm)
{
	const struct model_vm *v = model_vm((struct fuzz_machine *)fm, vm);

	return (struct fuzz_wire_vm){.state = v->vstate, .version = v->version};
}

const struct mediator_policy *oracle_policy(const struct fuzz_machine *fm)
{
	const struct mediator *ref = ref_of(fm);

	return ref != NULL ? ref->policy : mediator_policy_get(fm->be->profile);
}

/* Whether forwarded request @r names @vm where FF-A puts the caller. */
static bool names_caller(const struct smccc_regs *r, ffa_id_t vm)
{
	uint32_t w1 = ffa_w(r, 1);

	switch (ffa_func(r)) {
	case FFA_MSG_SEND_DIRECT_REQ_32:
	case FFA_MSG_SEND_DIRECT_REQ_64:
	case FFA_MSG_SEND_DIRECT_REQ2_64:
	case FFA_MSG_SEND2_32:
	case FFA_NOTIFICATION_SET_32:
		return ffa_sender(r) == vm;
	case FFA_NOTIFICATION_BIND_32:
	case FFA_NOTIFICATION_UNBIND_32:
	case FFA_NOTIFICATION_GET_32:
		return ffa_receiver(r) == vm;
	case FFA_RX_ACQUIRE_32:
	case FFA_RX_RELEASE_32:
		return w1 == vm || w1 == 0; /* the VM's buffer, or the hypervisor's own */
	case FFA_RXTX_UNMAP_32:
		return ffa_sender(r) == vm || w1 == 0;
	default:
		return true;
	}
}

/*
 * The payload registers of direct message @fid in [*first, *end): x3-x7 for
 * REQ and RESP, x4-x17 for REQ2 and RESP2 (DEN0077A v1.2's register tables of
 * FFA_MSG_SEND_DIRECT_REQ/RESP and _REQ2/_RESP2, REQ2 in §15.4; ffa-facts.md §2).
 * Returns false for any other ID.
 */
static bool direct_payload(uint32_t fid, unsigned *first, unsigned *end)
{
	switch (fid) {
	case FFA_MSG_SEND_DIRECT_REQ_32:
	case FFA_MSG_SEND_DIRECT_REQ_64:
	case FFA_MSG_SEND_DIRECT_RESP_32:
	case FFA_MSG_SEND_DIRECT_RESP_64:
		*first = 3;
		*end = 8;
		return true;
	case FFA_MSG_SEND_DIRECT_REQ2_64:
	case FFA_MSG_SEND_DIRECT_RESP2_64:
		*first = FFA_DIRECT_REQ2_PAYLOAD_FIRST;
		*end = SMCCC_REG_COUNT;
		return true;
	default:
		return false;
	}
}

/* The first register in [@first, @end) where @a and @b differ as @fid carries it, or @end. */
static unsigned payload_differs(uint32_t fid, const struct smccc_regs *a, const struct smccc_regs *b,
				unsigned first, unsigned end)
{
	uint64_t mask = smccc_is_smc64(fid) ? ~0ULL : 0xFFFFFFFFULL; /* SMC32: w registers */

	while (first < end && ((a->x[first] ^ b->x[first]) & mask) == 0) {
		first++;
	}
	return first;
}

/*
 * direct-payload-relayed, forward half: the hypervisor relays a VM's direct
 * request to the partition with its payload as the VM wrote it (DEN0077A
 * v1.2: the payload is implementation defined, meant for the receiver;
 * ffa-facts.md §2; TF-A's arg11 = x12 class of bug moves one register).
 */
static void check_forwarded_payload(const struct fuzz_machine *fm, const struct smccc_regs *req)
{
	uint32_t fid = ffa_func(req);
	unsigned first, end, i;

	if (fid != ffa_func(&fm->call) || !direct_payload(fid, &first, &end)) {
		return;
	}
	i = payload_differs(fid, req, &fm->call, first, end);
	if (i < end) {
		oracle_violation(fm, "direct-payload-relayed", "VM %#x's %#x forwarded with x%u = %#llx, not %#llx",
			    fm->caller, fid, i, (unsigned long long)req->x[i],
			    (unsigned long long)fm->call.x[i]);
	}
}

void oracle_observe(void *ctx, const struct mediator_event *ev)
{
	struct fuzz_machine *fm = ctx;

	uint32_t fid = ffa_func(ev->regs);

	if (fm->caller == FUZZ_NO_CALLER) {
		return;
	}
	fm->passthrough |= ev->unfiltered;
	if (ev->kind == MEDIATOR_EV_GUEST_IRQ) {
		model_irq(fm, ev->vm_id, (uint32_t)ev->regs->x[0]);
		return;
	}
	if (ev->kind == MEDIATOR_EV_SPMC_REPLY) {
		fm->spmc_reply = *ev->regs;
		fm->spmc_replied = true;
		return;
	}
	if (ev->kind != MEDIATOR_EV_SPMC_CALL) {
		return;
	}
	check_forwarded_payload(fm, ev->regs);
	/* Delivering a VM-to-VM SEND2, the mediator takes (and may give back) the receiver's RX. */
	if ((fid == FFA_RX_ACQUIRE_32 || fid == FFA_RX_RELEASE_32) &&
	    fm->send2_receiver != FUZZ_NO_CALLER && ev->vm_id == fm->send2_receiver &&
	    ffa_w(ev->regs, 1) == fm->send2_receiver) {
		return;
	}
	if (ev->vm_id != fm->caller || !names_caller(ev->regs, fm->caller)) {
		oracle_violation(fm, "forwarded-names-caller", "VM %#x's call forwarded %#x with w1 = %#x",
		     fm->caller, ffa_func(ev->regs), ffa_w(ev->regs, 1));
	}
}

/* The receiver a SEND2 from @vm names in its TX header (the model's pair), or FUZZ_NO_CALLER. */
static ffa_id_t send2_receiver(struct fuzz_machine *fm, ffa_id_t vm)
{
	const uint8_t *tx = model_tx(fm, model_vm(fm, vm));
	uint32_t sender_receiver;

	if (tx == NULL) {
		return FUZZ_NO_CALLER;
	}
	memcpy(&sender_receiver, tx + offsetof(struct ffa_partition_msg_header, sender_receiver),
	       sizeof(sender_receiver));
	return (ffa_id_t)(sender_receiver & 0xFFFF);
}

void oracle_before(struct fuzz_machine *fm, ffa_id_t vm_id, const struct smccc_regs *call,
		   struct oracle_before *b)
{
	struct fuzz_wire_vm v = oracle_vm_version(fm, vm_id);

	b->state = v.state;
	b->version = v.version;
	b->faults = fm->spmc.fault_count;
	model_before(fm, vm_id, call, &b->model);
	fm->caller = vm_id;
	fm->call = *call;
	fm->spmc_replied = false;
	fm->passthrough = false;
	fm->send2_receiver = ffa_func(call) == FFA_MSG_SEND2_32 ? send2_receiver(fm, vm_id)
							       : FUZZ_NO_CALLER;
}

static bool ffa_convention(uint32_t w0)
{
	return (w0 & 0xBF000000U) == 0x84000000U;
}

/* Whether a VM at @v speaks SMCCC 1.2's x8-x17 with FF-A 1.2. */
static bool regs18_of(struct fuzz_wire_vm v)
{
	return v.state != VM_VERSION_NONE && v.version >= FFA_VERSION_1_2;
}

static void check_registers(const struct fuzz_machine *fm, bool regs18,
			    const struct smccc_regs *call, const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call), rfid = (uint32_t)reply->x[0];
	bool width32 = ffa_convention(rfid) ? !smccc_is_smc64(rfid) : !smccc_is_smc64(cfid);
	bool results = regs18 && (smccc_is_smc64(cfid) ||
				  (ffa_convention(rfid) && smccc_is_smc64(rfid)));
	bool carries = rfid == FFA_MSG_SEND_DIRECT_RESP2_64 ||
		       (rfid == FFA_SUCCESS_64 && cfid == FFA_PARTITION_INFO_GET_REGS_64);

	for (unsigned i = 0; width32 && i < 8; i++) {
		if (reply->x[i] >> 32 != 0) {
			register_violation(fm, &(struct oracle_key){.rule = "smc32-zero-extension",
				.fid = cfid, .reg = i, .value = reply->x[i]});
		}
	}
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		if (!results && reply->x[i] != call->x[i]) {
			oracle_violation(fm, "x8-x17-preserved", "%#x changed x%u", cfid, i);
		}
		if (results && !carries && reply->x[i] != 0) {
			oracle_violation(fm, "x8-x17-zeroed", "%#x answered %#x with x%u != 0", cfid, rfid, i);
		}
	}
}

/*
 * Whether @reply is the profile's documented answer to a call before
 * FFA_VERSION (pKVM: INVALID_PARAMETERS): the hypervisor's deviation being
 * modelled, not a finding.
 */
static bool early_answer(const struct fuzz_machine *fm, const struct oracle_before *b,
			 const struct smccc_regs *reply)
{
	return b->state == VM_VERSION_NONE && (uint32_t)reply->x[0] == FFA_ERROR_32 &&
	       ffa_error_code(reply) == oracle_policy(fm)->early_call_error;
}

/* A direct request, or FFA_RUN resuming one: check_direct() judges the answer. */
static bool is_direct(uint32_t fid)
{
	return fid == FFA_RUN_32 || fid == FFA_MSG_SEND_DIRECT_REQ_32 ||
	       fid == FFA_MSG_SEND_DIRECT_REQ_64 || fid == FFA_MSG_SEND_DIRECT_REQ2_64;
}

static void check_answer(const struct fuzz_machine *fm, const struct smccc_regs *call,
			 const struct smccc_regs *reply, bool early)
{
	uint32_t cfid = ffa_func(call), rfid = (uint32_t)reply->x[0];
	int32_t code = ffa_error_code(reply);

	unsigned dirty = 1;

	while (dirty < 8 && (dirty == 2 || reply->x[dirty] == 0)) {
		dirty++;
	}
	if (rfid == FFA_ERROR_32 && (code > -1 || code < FFA_NOT_READY)) {
		oracle_violation(fm, "error-code-defined", "%#x answered FFA_ERROR %d, not a defined status",
			  cfid, code);
	}
	if (rfid == FFA_ERROR_32 && dirty < 8) {
		register_violation(fm, &(struct oracle_key){.rule = "error-code-defined", .fid = cfid,
			.error = true, .code = code, .reg = dirty, .value = reply->x[dirty]});
	}
	if (cfid == FFA_FEATURES_32 && rfid != FFA_SUCCESS_32 && !early &&
	    !(rfid == FFA_ERROR_32 && code == FFA_NOT_SUPPORTED)) {
		oracle_violation(fm, "features-only-not-supported", "FFA_FEATURES answered %#x %d", rfid, code);
	}
	if (cfid == FFA_VERSION_32) {
		for (unsigned i = 1; i < 8; i++) {
			if (reply->x[i] != 0) {
				register_violation(fm, &(struct oracle_key){.rule = "version-word",
					.fid = cfid, .reg = i, .value = reply->x[i]});
			}
		}
		if (rfid != FFA_VERSION_NOT_SUPPORTED &&
		    ((rfid & FFA_VERSION_MBZ) || ffa_version_major(rfid) != 1 || rfid > FFA_VERSION_1_2)) {
			oracle_violation(fm, "version-word", "answered %#x", rfid);
		}
	}
}

/* Error codes as a bit mask: bit n for -n. */
#define E(code) (1U << -(FFA_##code))
#define ANY_FORWARDED (E(NOT_SUPPORTED) | E(INVALID_PARAMETERS) | E(ABORTED))

/*
 * What each ABI may answer a VM: its success IDs and its error codes, from
 * DEN0077A v1.2's per-ABI descriptions as ffa-facts.md section 2 sums them
 * up, with the choices README "Where the spec leaves room" documents (BUSY
 * for partition info, DENIED for RXTX_UNMAP while RX is owned). Every ABI may
 * answer NOT_SUPPORTED (not implemented, not at this version, not from a VM);
 * ABORTED where the mediator relays the SPMC and the SPMC broke the protocol.
 * Direct requests and FFA_RUN (check_direct: a partition's own FFA_ERROR
 * passes through) and FFA_VERSION (its own rule) are not in the table.
 */
static const struct {
	uint32_t fid;
	uint32_t ok[2];
	uint32_t errors;
} answers[] = {
	{FFA_FEATURES_32, {FFA_SUCCESS_32}, E(NOT_SUPPORTED)},
	{FFA_ID_GET_32, {FFA_SUCCESS_32}, E(NOT_SUPPORTED)},
	{FFA_SPM_ID_GET_32, {FFA_SUCCESS_32}, E(NOT_SUPPORTED)},
	{FFA_RXTX_MAP_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(NO_MEMORY) | E(DENIED)},
	{FFA_RXTX_MAP_64, {FFA_SUCCESS_32}, ANY_FORWARDED | E(NO_MEMORY) | E(DENIED)},
	{FFA_RXTX_UNMAP_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED)},
	{FFA_RX_RELEASE_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED)},
	{FFA_RX_ACQUIRE_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED) | E(BUSY)},
	{FFA_PARTITION_INFO_GET_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(NO_MEMORY) | E(BUSY) | E(DENIED)},
	{FFA_PARTITION_INFO_GET_REGS_64, {FFA_SUCCESS_64}, ANY_FORWARDED | E(RETRY)},
	{FFA_MSG_SEND2_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED) | E(BUSY) | E(NO_MEMORY)},
	{FFA_MEM_SHARE_32, {FFA_SUCCESS_32, FFA_MEM_FRAG_RX_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_SHARE_64, {FFA_SUCCESS_32, FFA_MEM_FRAG_RX_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_LEND_32, {FFA_SUCCESS_32, FFA_MEM_FRAG_RX_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_LEND_64, {FFA_SUCCESS_32, FFA_MEM_FRAG_RX_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_DONATE_32, {FFA_SUCCESS_32, FFA_MEM_FRAG_RX_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_DONATE_64, {FFA_SUCCESS_32, FFA_MEM_FRAG_RX_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_FRAG_TX_32, {FFA_SUCCESS_32, FFA_MEM_FRAG_RX_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_FRAG_RX_32, {FFA_MEM_FRAG_TX_32}, ANY_FORWARDED | E(DENIED) | E(BUSY)},
	{FFA_MEM_RETRIEVE_REQ_32, {FFA_MEM_RETRIEVE_RESP_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_RETRIEVE_REQ_64, {FFA_MEM_RETRIEVE_RESP_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_RELINQUISH_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_MEM_RECLAIM_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY) | E(BUSY)},
	{FFA_NOTIFICATION_BITMAP_CREATE_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY)},
	{FFA_NOTIFICATION_BITMAP_DESTROY_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED)},
	{FFA_NOTIFICATION_BIND_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED) | E(NO_MEMORY)},
	{FFA_NOTIFICATION_UNBIND_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED)},
	{FFA_NOTIFICATION_SET_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED) | E(BUSY)},
	{FFA_NOTIFICATION_GET_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(DENIED) | E(BUSY)},
	{FFA_NOTIFICATION_INFO_GET_32, {FFA_SUCCESS_32}, ANY_FORWARDED | E(NO_DATA)},
	{FFA_NOTIFICATION_INFO_GET_64, {FFA_SUCCESS_64}, ANY_FORWARDED | E(NO_DATA)},
	/* Responses called as requests: DENIED (README). */
	{FFA_ERROR_32, {0}, E(NOT_SUPPORTED) | E(DENIED)},
	{FFA_SUCCESS_32, {0}, E(NOT_SUPPORTED) | E(DENIED)},
	{FFA_SUCCESS_64, {0}, E(NOT_SUPPORTED) | E(DENIED)},
	{FFA_INTERRUPT_32, {0}, E(NOT_SUPPORTED) | E(DENIED)},
	{FFA_MEM_RETRIEVE_RESP_32, {0}, E(NOT_SUPPORTED) | E(DENIED)},
};

/* answer-allowed: @reply is one the ABI of @call may give (the table above). */
static void check_allowed(const struct fuzz_machine *fm, const struct smccc_regs *call,
			  const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call), rfid = (uint32_t)reply->x[0];
	int32_t code = ffa_error_code(reply);

	if (!smccc_is_ffa_fid(cfid)) {
		if (reply->x[0] != (uint32_t)SMCCC_UNKNOWN) {
			oracle_violation(fm, "answer-allowed", "%#x (not FF-A) answered %#x, not the SMCCC unknown value",
				    cfid, rfid);
		}
		return;
	}
	for (unsigned i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		if (answers[i].fid != cfid) {
			continue;
		}
		if (rfid == FFA_ERROR_32 ? code < 0 && (answers[i].errors >> -code & 1)
					 : rfid != 0 && (rfid == answers[i].ok[0] || rfid == answers[i].ok[1])) {
			return;
		}
		oracle_violation(fm, "answer-allowed", "%#x answered %#x%s%s", cfid, rfid,
			    rfid == FFA_ERROR_32 ? " " : "", rfid == FFA_ERROR_32 ? ffa_error_name(code) : "");
	}
	/* Any other FF-A ID (not handled, or not from a VM) may only be NOT_SUPPORTED. */
	if (cfid != FFA_VERSION_32 && !is_direct(cfid) &&
	    !(rfid == FFA_ERROR_32 && code == FFA_NOT_SUPPORTED)) {
		oracle_violation(fm, "answer-allowed", "%#x, which a VM may not call, answered %#x", cfid, rfid);
	}
}

static void check_direct(const struct fuzz_machine *fm, const struct smccc_regs *call,
			 const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call), rfid = (uint32_t)reply->x[0];
	bool run = cfid == FFA_RUN_32;
	bool ok;

	if (!is_direct(cfid)) {
		return;
	}
	ok = rfid == FFA_ERROR_32 || rfid == FFA_SUCCESS_32 || rfid == FFA_SUCCESS_64 ||
	     rfid == FFA_YIELD_32 || rfid == FFA_INTERRUPT_32 || (run && rfid == FFA_MSG_WAIT_32) ||
	     (rfid == FFA_MSG_SEND_DIRECT_RESP_32 && (run || cfid == FFA_MSG_SEND_DIRECT_REQ_32)) ||
	     (rfid == FFA_MSG_SEND_DIRECT_RESP_64 && (run || cfid == FFA_MSG_SEND_DIRECT_REQ_64)) ||
	     (rfid == FFA_MSG_SEND_DIRECT_RESP2_64 && (run || cfid == FFA_MSG_SEND_DIRECT_REQ2_64));
	if (!ok) {
		oracle_violation(fm, "direct-response-id", "%#x answered %#x", cfid, rfid);
	}
}

/*
 * direct-error-relayed: a direct request or FFA_RUN that the SPMC answered
 * with FFA_ERROR and a status the spec defines (-1..-10) is answered with
 * that status. The spec has no sentence on relaying; our reading of DEN0077A
 * v1.2: the hypervisor passes the SPMC's answer on, and the ABI's errors
 * mean different things to the caller (BUSY: try again; ABORTED: the
 * receiver failed), so turning one into another misleads it. ABORTED is the
 * mediator's own answer only to a reply that breaks the protocol (README
 * "Direct messages"); a status the spec does not define may become ABORTED.
 */
static void check_relayed_error(const struct fuzz_machine *fm, const struct smccc_regs *call,
				const struct smccc_regs *reply)
{
	int32_t code = ffa_error_code(&fm->spmc_reply);

	if (!is_direct(ffa_func(call)) || !fm->spmc_replied ||
	    ffa_func(&fm->spmc_reply) != FFA_ERROR_32 || code > -1 || code < FFA_NOT_READY) {
		return;
	}
	if ((uint32_t)reply->x[0] != FFA_ERROR_32 || ffa_error_code(reply) != code) {
		oracle_violation(fm, "direct-error-relayed", "%#x: the SPMC answered %s, the VM got %#x %d",
			    ffa_func(call), ffa_error_name(code), (uint32_t)reply->x[0],
			    ffa_error_code(reply));
	}
}

/* Whether pages [@pa, +@pages) are all @owner's, in state MAILBOX. */
static bool mailbox_pages(const struct mem *mem, uint64_t pa, uint32_t pages, uint32_t owner)
{
	for (uint32_t i = 0; i < pages; i++) {
		const struct mem_page *p = mem_page_at(mem, pa + (uint64_t)i * MEM_PAGE_SIZE);

		if (p == NULL || p->owner != owner || p->state != MEM_PAGE_MAILBOX) {
			return false;
		}
	}
	return true;
}

/*
 * mailbox-pages, the hypervisor's own pair (ref's record; every VM's pair is
 * the state model's, model/rxtx.c): DEN0077A v1.2 §13 FFA_RXTX_MAP maps
 * buffers in the caller's own memory, and they stay its buffers until
 * FFA_RXTX_UNMAP.
 */
static void check_hyp_mailbox(const struct fuzz_machine *fm, uint32_t cfid)
{
	const struct mailbox *hyp = &fm->m.hyp_mailbox;

	if (hyp->mapped && (!mailbox_pages(&fm->mem, hyp->tx_pa, hyp->page_count, MEM_OWNER_HYP) ||
			    !mailbox_pages(&fm->mem, hyp->rx_pa, hyp->page_count, MEM_OWNER_HYP))) {
		oracle_fail("mailbox-pages", "after %#x: the hypervisor's own pair", cfid);
	}
}

/*
 * direct-payload-relayed, answer half: a direct response reaches the VM with
 * the partition's payload (x3-x7; RESP2 x4-x17, x8-x17 only for an SMCCC
 * v1.2 caller, the others get theirs back: check_registers()).
 */
static void check_relayed_payload(const struct fuzz_machine *fm, ffa_id_t vm, bool regs18,
				  const struct smccc_regs *reply)
{
	uint32_t rfid = (uint32_t)reply->x[0];
	unsigned first, end, i;

	if (!fm->spmc_replied || ffa_func(&fm->spmc_reply) != rfid ||
	    !direct_payload(rfid, &first, &end)) {
		return;
	}
	end = regs18 ? end : 8;
	i = payload_differs(rfid, reply, &fm->spmc_reply, first, end);
	if (i < end) {
		oracle_violation(fm, "direct-payload-relayed", "%#x reached VM %#x with x%u = %#llx, not %#llx",
			    rfid, vm, i, (unsigned long long)reply->x[i],
			    (unsigned long long)fm->spmc_reply.x[i]);
	}
}

/*
 * rxtx-map-params: FFA_RXTX_MAP succeeds only with a page count in
 * w3[5:0] that is not 0, a multiple of the minimum buffer size and at most
 * the maximum, w3[31:6] zero, and TX and RX aligned to the minimum size
 * (DEN0077A v1.2 FFA_RXTX_MAP, its INVALID_PARAMETERS cases as ffa-facts.md
 * §2 lists them; the maximum from FFA_FEATURES w2[31:16]; Xen X8 in
 * ffa-facts.md 6.2; ACS ffa_rxtx_map_and_unmap). The maximum is the one FFA_FEATURES reports to a
 * v1.2 caller; earlier versions are not told it, but the buffer is the
 * same, so the mediator's limit applies to them too (as Hafnium's
 * RXTX_MAX_PAGE_COUNT). An SMC32 call's addresses are its w registers.
 */
static void check_rxtx_map(const struct fuzz_machine *fm, const struct smccc_regs *call,
			   const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call);
	uint64_t mask = smccc_is_smc64(cfid) ? ~0ULL : 0xFFFFFFFFULL;
	uint64_t granule = (uint64_t)fm->cfg.rxtx_min_pages * MEM_PAGE_SIZE;
	uint32_t w3 = ffa_w(call, 3), count = w3 & FFA_RXTX_PAGE_COUNT_MASK;

	if ((cfid != FFA_RXTX_MAP_32 && cfid != FFA_RXTX_MAP_64) ||
	    (uint32_t)reply->x[0] != FFA_SUCCESS_32) {
		return;
	}
	if ((w3 & ~FFA_RXTX_PAGE_COUNT_MASK) != 0 || count == 0 ||
	    count % fm->cfg.rxtx_min_pages != 0 || count > fm->cfg.rxtx_max_pages ||
	    (call->x[1] & mask) % granule != 0 || (call->x[2] & mask) % granule != 0) {
		oracle_violation(fm, "rxtx-map-params", "%#x(%#llx, %#llx, %#x) succeeded", cfid,
			    (unsigned long long)(call->x[1] & mask),
			    (unsigned long long)(call->x[2] & mask), w3);
	}
}

/*
 * hyp-rx-released: the SPMC hands the hypervisor its RX buffer with
 * partition information, and the consumer owns it until FFA_RX_RELEASE
 * (DEN0077A v1.2 §13 FFA_PARTITION_INFO_GET, FFA_RX_RELEASE). The spec lets a
 * consumer keep it across calls; our mediator (partition_info.c) copies the
 * list out and releases it within the same call, on every path where
 * ownership passed (ffa-facts 6.2 X13, and its mirror 6.1 P7: pKVM's reclaim
 * error path did not release). So when a VM's call returns, the hypervisor's
 * RX is free at the SPMC and in the mediator's record; a held one makes
 * every later PARTITION_INFO_GET BUSY.
 */
static void check_hyp_rx(const struct fuzz_machine *fm, uint32_t cfid)
{
	if (fm->m.hyp_mailbox.rx != MAILBOX_RX_FREE || fm->spmc.hyp_mailbox.rx != MAILBOX_RX_FREE) {
		oracle_fail("hyp-rx-released", "after %#x: the mediator's record %d, the SPMC's %d",
			    cfid, fm->m.hyp_mailbox.rx, fm->spmc.hyp_mailbox.rx);
	}
}

/*
 * The rules that read our own mediator's records (ref only): its record of
 * a VM's version agrees with what the wire told the VM once it is final
 * (version-locked), its own pair and RX at the SPMC, and the handle of a
 * send's SUCCESS.
 */
static void check_ref_records(struct fuzz_machine *fm, ffa_id_t vm_id, const struct oracle_before *b,
			      const struct smccc_regs *call, const struct smccc_regs *reply)
{
	const struct mediator_vm *vm = mediator_vm(&fm->m, vm_id);

	if (b->state == VM_VERSION_LOCKED &&
	    (vm->version_state != VM_VERSION_LOCKED || vm->version != b->version)) {
		oracle_fail("version-locked", "VM %#x went from %#x to %#x", vm_id, b->version, vm->version);
	}
	check_hyp_mailbox(fm, ffa_func(call));
	check_hyp_rx(fm, ffa_func(call));
	if (ffa_mem_type_of(ffa_func(call)) != 0 && reply->x[0] == FFA_SUCCESS_32 &&
	    mediator_txn_find(&fm->m, (uint64_t)ffa_w(reply, 2) | (uint64_t)ffa_w(reply, 3) << 32) ==
		    NULL) {
		oracle_fail("share-success-handle", "SUCCESS with handle %#x%08x not on record",
		     ffa_w(reply, 3), ffa_w(reply, 2));
	}
}

void oracle_check(struct fuzz_machine *fm, ffa_id_t vm_id, const struct oracle_before *b,
		  const struct smccc_regs *call, const struct smccc_regs *reply)
{
	const struct mediator *ref = ref_of(fm);
	bool regs18;
	char why[160];

	fm->caller = FUZZ_NO_CALLER;
	model_version_check(fm, model_vm(fm, vm_id), call, reply);
	regs18 = regs18_of(oracle_vm_version(fm, vm_id)); /* as the call left it, as SMCCC replies */
	check_registers(fm, regs18, call, reply);
	check_answer(fm, call, reply, early_answer(fm, b, reply));
	if (!early_answer(fm, b, reply)) {
		check_allowed(fm, call, reply);
	}
	check_direct(fm, call, reply);
	check_relayed_error(fm, call, reply);
	check_relayed_payload(fm, vm_id, regs18, reply);
	check_rxtx_map(fm, call, reply);
	if (fm->spmc.fault_count != b->faults) {
		const struct spmc_fault *f = b->faults < SPMC_MAX_FAULTS ? &fm->spmc.faults[b->faults]
									  : &fm->spmc.last_fault;

		oracle_violation(fm, "spmc-fault", "after %#x: %#x: %s", ffa_func(call), f->fid, f->reason);
	}
	if (!spmc_isolation_check(&fm->spmc, why, sizeof(why))) {
		oracle_fail("isolation", "after %#x: %s", ffa_func(call), why);
	}
	if (ref != NULL) {
		check_ref_records(fm, vm_id, b, call, reply);
	} else if (ffa_mem_type_of(ffa_func(call)) != 0 && reply->x[0] == FFA_SUCCESS_32 &&
		   spmc_txn_find(&fm->spmc, (uint64_t)ffa_w(reply, 2) |
						    (uint64_t)ffa_w(reply, 3) << 32) == NULL) {
		oracle_violation(fm, "share-success-handle", "SUCCESS with handle %#x%08x not on the SPMC's record",
			  ffa_w(reply, 3), ffa_w(reply, 2));
	}
	model_check(fm, vm_id, &b->model, call, reply);
}

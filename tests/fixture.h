/*
 * The test machine: physical memory, the SPMC model and the mediator, built
 * fresh for every test, plus the FF-A assertions every test file uses.
 */
#pragma once

/* cmocka needs these before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ffa/abi.h"
#include "ffa/smccc.h"
#include "mediator/mediator.h"
#include "spmc/spmc.h"

/* The default machine's VMs (mediator_config_default()). */
#define HOST 0
#define GUEST1 1
#define GUEST2 2
#define VM_IPA 0x80000000ULL

/* The default manifest's UUIDs, in text form. */
#define UUID_CRYPTO "7b8f3c2a-51d4-4e6b-9a0c-1d2e3f405162"
#define UUID_STORAGE "3c9d5e7f-8a1b-4c2d-b3e4-f5a6b7c8d9e0"
#define UUID_MULTI0 "a1b2c3d4-e5f6-4789-8abc-def012345678"
#define UUID_MULTI1 "b2c3d4e5-f6a7-4890-9bcd-ef0123456789"
#define UUID_MULTI2 "c3d4e5f6-a7b8-4901-acde-f01234567890"
#define UUID_LEGACY "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"

struct fixture {
	struct mem mem;
	struct spmc spmc;
	struct mediator m;
	struct mediator_config cfg;
	int init_err; /* what mediator_init() returned */
};

/**
 * fixture_new() - a machine for @cfg (NULL: the default with the spec
 * profile) and @manifest (NULL: the default manifest). It is remembered as
 * the test's live machine until fixture_free(), so that
 * fixture_teardown_leftover() can free it when a failed assertion skipped
 * the test's own fixture_free().
 */
struct fixture *fixture_new(const struct mediator_config *cfg,
			    const struct spmc_manifest *manifest);
void fixture_free(struct fixture *f);

/* fixture_new(@cfg, NULL), asserting that start-up succeeded. */
struct fixture *fixture_with(const struct mediator_config *cfg);

/* mediator_config_default() under @profile, as a value to tweak. */
struct mediator_config fixture_config(enum mediator_profile profile);

/* A default spec machine whose VMs' RX/TX buffers are @min_pages..@max_pages. */
struct fixture *fixture_sized(uint32_t min_pages, uint32_t max_pages);

/* A default spec machine in which VM @vm is an AArch32 VM. */
struct fixture *fixture_aarch32(ffa_id_t vm);

/*
 * A cmocka test @name whose body is @helper(*state, ...): one of a family of
 * tests that differ only in the arguments they give one helper.
 */
#define FX_TEST_CASE(name, helper, ...) \
	static void name(void **state)    \
	{                                 \
		helper(*state, __VA_ARGS__); \
	}

/* cmocka setup/teardown: a default machine in *state. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* cmocka teardown for tests that make their own machines: frees one left live. */
int fixture_teardown_leftover(void **state);

/* The UUID @text (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), which must parse. */
struct ffa_uuid fx_uuid(const char *text);

/* Little-endian 16- and 32-bit reads, as descriptors are laid out in RX. */
uint16_t fx_rd16(const uint8_t *p);
uint32_t fx_rd32(const uint8_t *p);

/* A machine with the default VMs under @profile; start-up must succeed. */
struct fixture *fixture_profile(enum mediator_profile profile);

/* FFA_ID_GET from @vm: a harmless call that ends its version negotiation. */
void fx_lock(struct fixture *f, ffa_id_t vm);

/* The mediator's context of @vm (asserted to exist). */
const struct mediator_vm *fx_vm(struct fixture *f, ffa_id_t vm);

/* The VM's call with w0 = @fid and x1..x5 as given, the rest zero. */
struct smccc_regs fx_call(struct fixture *f, ffa_id_t vm, uint32_t fid, uint64_t a1,
			  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* FFA_VERSION(@version) from @vm, asserting it is not refused. */
void fx_negotiate(struct fixture *f, ffa_id_t vm, uint32_t version);

/* Map a one-page pair for @vm: TX at VM_IPA, RX at VM_IPA + 4K. */
void fx_map_rxtx(struct fixture *f, ffa_id_t vm);

/* The contents of @vm's mapped RX buffer. */
const uint8_t *fx_rx(struct fixture *f, ffa_id_t vm);

/* The default layout (mediator_config_default()): VM n's pages at PA
 * VM_PA_BASE + n * VM_PA_STRIDE, VM_PAGES of them, seen at IPA VM_IPA. */
#define VM_PA_BASE 0x20000000ULL
#define VM_PA_STRIDE 0x100000ULL
#define VM_PAGES 18U      /* 16 of RAM, then: */
#define VM_RO_PAGE 16U     /* the read-only page (MEM_KIND_READ_ONLY) */
#define VM_DEVICE_PAGE 17U /* the device page (MEM_KIND_DEVICE) */
#define PAGE ((uint64_t)FFA_PAGE_SIZE)

/* The PA behind @vm's IPA @ipa in the default layout. */
uint64_t fx_vm_pa(ffa_id_t vm, uint64_t ipa);

/* The state of the page at @pa, asserting it is still @owner's. */
enum mem_page_state fx_page_state(struct fixture *f, uint64_t pa, uint32_t owner);

/* Assert every one of @vm's VM_PAGES pages is in @state. */
void fx_assert_all_pages(struct fixture *f, ffa_id_t vm, enum mem_page_state state);

/* @vm's RX/TX pair as the mediator keeps it. */
struct mailbox *fx_mailbox(struct fixture *f, ffa_id_t vm);

/* A full SMCCC frame from @vm: w0 = @fid and x1..x17 from @x (x[0] ignored). */
struct smccc_regs fx_call_regs(struct fixture *f, ffa_id_t vm, uint32_t fid, struct smccc_regs x);

/* Deliver the partition list into @vm's RX: RX becomes the VM's (MAILBOX_RX_CONSUMER). */
void fx_deliver_partition_info(struct fixture *f, ffa_id_t vm);

/* @vm has no pair mapped and all of its pages are still private. */
void fx_assert_nothing_mapped(struct fixture *f, ffa_id_t vm);

/* w0 = FFA_ERROR and x2 = @err zero-extended (0x00000000FFFFFFFE, never -2). */
#define assert_ffa_error(res, err)                                        \
	do {                                                              \
		struct smccc_regs r_ = (res);                             \
		assert_int_equal(r_.x[0], FFA_ERROR_32);                  \
		assert_int_equal(r_.x[2], (uint64_t)(uint32_t)(err));     \
	} while (0)

/* w0 = FFA_SUCCESS_32 or FFA_SUCCESS_64. */
#define assert_ffa_success(res)                                          \
	do {                                                             \
		struct smccc_regs r_ = (res);                            \
		if (r_.x[0] != FFA_SUCCESS_32 && r_.x[0] != FFA_SUCCESS_64) \
			fail_msg("expected FFA_SUCCESS, got x0=%#llx x2=%#llx", \
				 (unsigned long long)r_.x[0],            \
				 (unsigned long long)r_.x[2]);           \
	} while (0)

/* --- Indirect messages (FFA_MSG_SEND2) --- */

/* Partition message header sizes (DEN0077A §"Partition message header"). */
#define HDR_V1_1 20U
#define HDR_V1_2 40U
/* A UUID no partition of the default manifest has. */
#define FOREIGN_UUID "deadbeef-0000-4000-8000-000000000001"

/* A partition message header as a test writes it into a TX buffer. */
struct fx_msg {
	uint32_t hsize; /* bytes of the header written: 20 (v1.1) or 40 (v1.2) */
	uint32_t offset;
	ffa_id_t sender;
	ffa_id_t receiver;
	uint32_t size;
	struct ffa_uuid uuid;
};

/* A v1.2 (v1.1) header from @from to @to of @size bytes at offset 40 (20), Nil UUID. */
struct fx_msg fx_msg_v1_2(ffa_id_t from, ffa_id_t to, uint32_t size);
struct fx_msg fx_msg_v1_1(ffa_id_t from, ffa_id_t to, uint32_t size);

/* @vm's mapped TX buffer, as the VM writes it. */
uint8_t *fx_tx(struct fixture *f, ffa_id_t vm);

/* Write @m's header (@m->hsize bytes of it) at the start of @tx. */
void fx_put_header(uint8_t *tx, const struct fx_msg *m);

/* A payload that is nowhere zero: byte i is @seed + 13 i. */
void fx_pattern(uint8_t *p, uint32_t n, uint8_t seed);

/* @p holds the @n bytes fx_pattern(@seed) writes. */
void fx_assert_pattern(const uint8_t *p, uint32_t n, uint8_t seed);

/* Put @m->size bytes of pattern @seed at @m->offset (as far as TX goes), then the header. */
void fx_put_msg(struct fixture *f, ffa_id_t vm, const struct fx_msg *m, uint8_t seed);

/* @r is FFA_MEM_RETRIEVE_RESP_32 with w1 = @total and w2 = @len, x3-x7 zero. */
void fx_assert_retrieve_resp(struct smccc_regs r, uint32_t total, uint32_t len);

/* fx_put_msg(), then FFA_MSG_SEND2 from @vm with w1..w5 zero. */
struct smccc_regs fx_send2(struct fixture *f, ffa_id_t vm, const struct fx_msg *m, uint8_t seed);

/* FFA_SUCCESS_32 with every result register zero (DEN0077A FFA_MSG_SEND2: no results). */
void fx_assert_send2_ok(struct smccc_regs r);

/* A default machine: guest 1 at @v1 with a pair; guest 2 at @v2 with a pair unless @v2 is 0. */
struct fixture *fixture_mailboxes(uint32_t v1, uint32_t v2);

/* fixture_mailboxes() on fixture_with(@cfg). */
struct fixture *fixture_mailboxes_with(const struct mediator_config *cfg, uint32_t v1,
				       uint32_t v2);

/* A machine whose VMs may map pairs of up to two pages; nothing negotiated or mapped. */
struct fixture *fixture_two_page_pairs(void);

/* Map a two-page pair for @vm: TX at VM_IPA, RX at VM_IPA + 8K. */
void fx_map_two_pages(struct fixture *f, ffa_id_t vm);

/* Rewrites @vm's TX header with @evil when the mediator forwards @on_fid. */
struct fx_tamper {
	struct fixture *f;
	uint32_t on_fid;
	ffa_id_t vm;
	struct fx_msg evil;
	unsigned hits;
};

/* A default machine whose observer is @t's tampering. */
struct fixture *fixture_tampered(struct fx_tamper *t);

/* --- Notifications of the frameworks --- */

/*
 * FFA_NOTIFICATION_GET from @vm of one framework bitmap, @flag:
 * FFA_NOTIFICATION_GET_SPM (w6) or FFA_NOTIFICATION_GET_HYP (w7). Returns
 * that register; every other result register must be 0.
 */
uint32_t fx_get_framework(struct fixture *f, ffa_id_t vm, uint32_t flag);

/* FFA_NOTIFICATION_INFO_GET_64 from @vm: NO_DATA. */
void fx_assert_info_get_no_data(struct fixture *f, ffa_id_t vm);

/* FFA_NOTIFICATION_INFO_GET_64 from @other is NO_DATA; from @vm one list, its ID alone. */
void fx_assert_info_get_news_only_for(struct fixture *f, ffa_id_t vm, ffa_id_t other);

/* --- Partition behaviours --- */

/* Make partition @sp behave as @kind with @arg and @arg2 (spmc_set_behaviour() must succeed). */
void fx_behave(struct spmc *s, ffa_id_t sp, enum spmc_behaviour_kind kind, uint64_t arg,
	       uint16_t arg2);

/* --- The SPMC model alone --- */

/*
 * The SPMC model with no mediator in between: the test plays the hypervisor
 * at the NS physical instance through spmc_ns_call().
 */
struct fx_env {
	struct mem mem;
	struct spmc s;
	struct spmc_manifest mf; /* for tests with their own manifest */
};

/* An SPMC with the default manifest over @pages pages of memory at PA @base. */
struct fx_env *fx_env_new(uint64_t base, uint32_t pages);

/*
 * fx_env_new(), the first two pages the hypervisor's TX and RX (MEM_OWNER_HYP,
 * marked as a mailbox as mediator_init() does); not yet mapped at the SPMC.
 */
struct fx_env *fx_env_hyp_pair(uint64_t base, uint32_t pages);

/* A test on a fresh fx_env: the test file's own env_setup() builds it. */
#define ENV_TEST(fn) cmocka_unit_test_setup_teardown(fn, env_setup, fx_env_teardown)

/* cmocka teardown: frees the fx_env in *state. */
int fx_env_teardown(void **state);

/* The hypervisor's call with w0 = @fid and x1..x5 as given, the rest zero. */
struct smccc_regs fx_ns_call(struct fx_env *e, uint32_t fid, uint64_t a1, uint64_t a2,
			     uint64_t a3, uint64_t a4, uint64_t a5);

/* Exactly @count faults recorded, the last one for @fid with a reason. */
void fx_assert_faults(const struct fx_env *e, uint32_t count, uint32_t fid);

/* --- Notifications through the mediator --- */

/* FFA_VERSION values a cmocka test's initial state points at (NT() below). */
extern uint32_t fx_version_1_0, fx_version_1_1, fx_version_1_2;

/* Requests the mediator forwarded to the SPMC on a fixture_guests_setup() machine. */
extern unsigned fx_spmc_calls;

/* ... and the virtual SRIs and NPIs it gave each VM (by ID). */
#define FX_MAX_VM_ID GUEST2
extern unsigned fx_sris[FX_MAX_VM_ID + 1], fx_npis[FX_MAX_VM_ID + 1];

/*
 * cmocka setup: a default machine, its observer counting fx_spmc_calls, whose
 * guests 1 and 2 negotiated the version in *@state.
 */
int fixture_guests_setup(void **state);

/* Both v1.1 and v1.2 guests; cmocka names say which. */
#define NT_(fn, setup, teardown)                              \
	{#fn " (v1.1)", fn, setup, teardown, &fx_version_1_1}, \
	{#fn " (v1.2)", fn, setup, teardown, &fx_version_1_2}
#define NT(fn) NT_(fn, fixture_guests_setup, fixture_teardown)
#define NT_OWN(fn) NT_(fn, NULL, fixture_teardown_leftover)

/* FFA_NOTIFICATION_GET from @vm: w1 = @vcpu << 16 | @receiver, w2 = @flags. */
struct smccc_regs fx_nf_get(struct fixture *f, ffa_id_t vm, ffa_id_t receiver, uint32_t vcpu,
			    uint32_t flags);

/* Guest @vm binds @bitmap of its own bitmap to @sp (global, or per-vCPU if @flags is 1). */
void fx_bind_ok(struct fixture *f, ffa_id_t vm, ffa_id_t sp, uint32_t flags, uint64_t bitmap);

/*
 * Partition @sp sets notifications @bitmap (per-vCPU ones on @vcpu) for @vm,
 * through its notify behaviour and a direct request from @vm. Returns the
 * status of the partition's own FFA_NOTIFICATION_SET.
 */
int32_t fx_notify_from(struct fixture *f, ffa_id_t sp, ffa_id_t vm, uint64_t bitmap,
		       uint16_t vcpu);

/* What the SPMC keeps of VM @vm's notifications. */
struct spmc_notif *fx_vm_notif(struct fixture *f, ffa_id_t vm);

/* A GET reply: SUCCESS_32, SP bitmap @sp in w2/w3, VM bitmap 0, framework @spm / @hyp. */
void fx_assert_got(struct smccc_regs r, uint64_t sp, uint32_t spm, uint32_t hyp);

/* --- Memory sharing (FFA_MEM_SHARE/LEND/DONATE, FFA_MEM_RECLAIM) --- */

/*
 * What fx_mem_txn() gives: normal write-back inner-shareable memory, data RW,
 * instruction access not specified (a sender leaves it so: Hafnium
 * ffa_memory_send_validate(), TF-A tests 92b99ee).
 */
#define FX_MEM_ATTR FFA_MEM_ATTR_NORMAL_WB_INNER

/*
 * fx_mem_attributes_for() - @t's attributes as a sender of @fid must give
 * them: the memory type left unspecified for a donation or a lend to one
 * borrower (mem_desc.c), when @t has the default FX_MEM_ATTR.
 */
void fx_mem_attributes_for(struct ffa_mem_txn *t, uint32_t fid);
#define FX_MEM_PERMS FFA_DATA_ACCESS_RW

/* Sending a donation clears the receivers' data access (the borrower chooses). */

/* A transaction from @sender to @receiver of one range, @pages pages at @ipa; no flags. */
struct ffa_mem_txn fx_mem_txn(ffa_id_t sender, ffa_id_t receiver, uint64_t ipa, uint32_t pages);

/* Append the range [@ipa, +@pages) to @t (the composite's page count too). */
void fx_mem_add_range(struct ffa_mem_txn *t, uint64_t ipa, uint32_t pages);

/* Append receiver @id with FX_MEM_PERMS to @t. */
void fx_mem_add_receiver(struct ffa_mem_txn *t, ffa_id_t id);

/* Lay @t out in @vm's TX at the VM's negotiated version (ffa_mem_desc_write). Returns its length. */
uint32_t fx_mem_write(struct fixture *f, ffa_id_t vm, const struct ffa_mem_txn *t);

/* fx_mem_write(), then @fid (SHARE/LEND/DONATE, 32 or 64) from @vm: w1 = w2 = the length. */
struct smccc_regs fx_mem_send(struct fixture *f, ffa_id_t vm, uint32_t fid,
			      const struct ffa_mem_txn *t);

/* The handle of @r, which must be FFA_SUCCESS_32 with w1 = 0 and the handle in w2/w3. */
uint64_t fx_mem_handle(struct smccc_regs r);

/* fx_mem_send(), which must succeed: the handle. */
uint64_t fx_mem_send_ok(struct fixture *f, ffa_id_t vm, uint32_t fid, const struct ffa_mem_txn *t);

/* FFA_MEM_RECLAIM_32 from @vm: w1/w2 = @handle, w3 = @flags. */
struct smccc_regs fx_mem_reclaim(struct fixture *f, ffa_id_t vm, uint64_t handle, uint32_t flags);

/* The record of the page at @pa (asserted to exist). */
const struct mem_page *fx_mem_page(struct fixture *f, uint64_t pa);

/* The state a send with @fid moves the lender's pages to: SHARED, LENT or DONATED. */
enum mem_page_state fx_mem_state_of(uint32_t fid);

/* @vm's @count pages from IPA @ipa (default layout) are @owner's, in @state, tagged @handle. */
void fx_mem_assert_pages(struct fixture *f, ffa_id_t vm, uint64_t ipa, uint32_t count,
			 uint32_t owner, enum mem_page_state state, uint64_t handle);

/* The SPMC's isolation oracle agrees with the pages, and no mediator fault was recorded. */
void fx_mem_assert_clean(struct fixture *f);

/* Every VM page (VMs 0..2) and the transaction records, to show a refusal changed nothing. */
struct fx_mem_snap {
	struct mem_page pages[3][VM_PAGES];
	unsigned mediator_txns, spmc_txns;
	bool frag_active, spmc_frag_active;
};

/* Transactions on the mediator's and on the SPMC's record. */
unsigned fx_mem_mediator_txns(const struct fixture *f);
unsigned fx_mem_spmc_txns(const struct fixture *f);

void fx_mem_snap_take(struct fixture *f, struct fx_mem_snap *s);

/* Nothing in @s changed, the oracle agrees and no fault was recorded. */
void fx_mem_assert_unchanged(struct fixture *f, const struct fx_mem_snap *s);

/*
 * cmocka setup: a default machine whose guests 1 and 2 negotiated the version
 * *@state points at and mapped their pairs (fx_map_rxtx()).
 */
int fx_mem_setup(void **state);

/* One test for v1.0, v1.1 and v1.2 guests (fx_mem_setup()). */
#define FX_MEM_TEST(fn)                                                            \
	{#fn " (v1.0)", fn, fx_mem_setup, fixture_teardown, &fx_version_1_0},      \
	{#fn " (v1.1)", fn, fx_mem_setup, fixture_teardown, &fx_version_1_1},      \
	{#fn " (v1.2)", fn, fx_mem_setup, fixture_teardown, &fx_version_1_2}

/*
 * Partition @sp retrieves (SPMC_BEHAVE_RETRIEVE) or relinquishes
 * (SPMC_BEHAVE_RELINQUISH) @handle, run by FFA_MSG_SEND_DIRECT_REQ_64 from
 * @vm with x3 = @handle. Returns the status of the partition's own call.
 */
int32_t fx_mem_sp_does(struct fixture *f, ffa_id_t vm, ffa_id_t sp,
		       enum spmc_behaviour_kind kind, uint64_t handle);

/* --- The borrower's side (FFA_MEM_RETRIEVE_REQ, FFA_MEM_RELINQUISH) --- */

/*
 * Lay @t out in @vm's TX at the VM's version as a retrieve request: no
 * composite (every access descriptor's composite offset 0), the length cut
 * to the header and the access descriptors. Returns that length.
 */
uint32_t fx_mem_retrieve_write(struct fixture *f, ffa_id_t vm, const struct ffa_mem_txn *t);

/* fx_mem_retrieve_write(), then @fid (RETRIEVE_REQ_32/_64) from @vm: w1 = w2 = the length. */
struct smccc_regs fx_mem_retrieve(struct fixture *f, ffa_id_t vm, uint32_t fid,
				  const struct ffa_mem_txn *t);

/* FFA_MEM_RELINQUISH_32 from @vm: handle, @flags, count 1 and ID @endpoint in its TX. */
struct smccc_regs fx_mem_relinquish(struct fixture *f, ffa_id_t vm, uint64_t handle,
				    uint32_t flags, ffa_id_t endpoint);

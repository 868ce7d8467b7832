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
#define VM_PAGES 16U
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

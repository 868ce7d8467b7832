/*
 * The mediator's start-up exchange with the SPMC (mediator_init()):
 * FFA_VERSION(1.2), FFA_ID_GET, FFA_SPM_ID_GET, FFA_FEATURES(FFA_RXTX_MAP_64)
 * and FFA_RXTX_MAP_64 of its own buffers, and what it does when the SPMC
 * answers something else.
 *
 * This binary is linked with -Wl,--wrap=other_world_call: every request the
 * mediator makes reaches __wrap_other_world_call() below, which logs it and
 * either answers from a per-test override table (keyed on the function ID)
 * or passes it to the real SPMC model.
 *
 * Sources: mediator.h (mediator_init), ffa-facts.md §1.4, §2 (FFA_FEATURES,
 * FFA_RXTX_MAP), §5.2-§5.3 (pKVM and Xen start-up) and §6.1 P3/P4.
 */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

#include "mediator/other_world.h"

#define V1_0 FFA_VERSION_1_0
#define V1_1 FFA_VERSION_1_1
#define V1_2 FFA_VERSION_1_2
#define V1_3 FFA_VERSION(1, 3)
#define HYP_PA 0x10000000ULL /* mediator_config_default()'s hyp_pa_base */

/* --- The scripted secure world --- */

#define MAX_OVERRIDES 8
#define MAX_LOG 32

struct smccc_regs __wrap_other_world_call(struct spmc *spmc, const struct smccc_regs *req);
struct smccc_regs __real_other_world_call(struct spmc *spmc, const struct smccc_regs *req);

static struct {
	unsigned override_count;
	struct {
		uint32_t fid;
		struct smccc_regs reply;
	} overrides[MAX_OVERRIDES];
	unsigned log_count;
	struct smccc_regs log[MAX_LOG]; /* every request, as the mediator made it */
} ow;

struct smccc_regs __wrap_other_world_call(struct spmc *spmc, const struct smccc_regs *req)
{
	if (ow.log_count < MAX_LOG) {
		ow.log[ow.log_count] = *req;
	}
	ow.log_count++;
	for (unsigned i = 0; i < ow.override_count; i++) {
		if (ow.overrides[i].fid == (uint32_t)req->x[0]) {
			return ow.overrides[i].reply;
		}
	}
	return __real_other_world_call(spmc, req);
}

/* From now on, answer every request with function ID @fid with @reply. */
static void ow_override(uint32_t fid, struct smccc_regs reply)
{
	assert_true(ow.override_count < MAX_OVERRIDES);
	ow.overrides[ow.override_count].fid = fid;
	ow.overrides[ow.override_count].reply = reply;
	ow.override_count++;
}

/* How many requests with function ID @fid the mediator made. */
static unsigned ow_count(uint32_t fid)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ow.log_count && i < MAX_LOG; i++) {
		n += (uint32_t)ow.log[i].x[0] == fid;
	}
	return n;
}

/* cmocka per-test setup: no overrides, empty log. */
static int ow_reset(void **state)
{
	(void)state;
	memset(&ow, 0, sizeof(ow));
	return 0;
}

/* --- Helpers --- */

/* A machine with the default configuration under @profile and @manifest (NULL: default). */
static struct fixture *new_machine(enum mediator_profile profile,
				   const struct spmc_manifest *manifest)
{
	struct mediator_config cfg = fixture_config(profile);

	return fixture_new(&cfg, manifest);
}

/* A fresh log, every @fid request answered with @reply, and a default spec machine. */
static struct fixture *start_answering(uint32_t fid, struct smccc_regs reply)
{
	ow_reset(NULL);
	ow_override(fid, reply);
	return new_machine(MEDIATOR_PROFILE_SPEC, NULL);
}

/* An FFA_FEATURES(FFA_RXTX_MAP) answer: SUCCESS with interface properties @w2. */
static struct smccc_regs features_w2(uint32_t w2)
{
	return (struct smccc_regs){.x = {FFA_SUCCESS_32, 0, w2}};
}

/* Parse a one-partition manifest for an SPMC at @version ("1.0".."1.3"). */
static void parse_manifest(struct spmc_manifest *mf, const char *version, unsigned min_pages,
			   unsigned max_pages)
{
	char text[512];
	char err[256];
	int n = snprintf(text, sizeof(text),
			 "spmc-version %s\n"
			 "spmc-id 0x8000\n"
			 "rxtx-min-pages %u\n"
			 "rxtx-max-pages %u\n"
			 "partition 0x8001 sp1\n"
			 "    version 1.1\n"
			 "    uuid 7b8f3c2a-51d4-4e6b-9a0c-1d2e3f405162\n"
			 "    execution-contexts 1\n"
			 "    properties direct-req-recv aarch64\n",
			 version, min_pages, max_pages);

	assert_true(n > 0 && (size_t)n < sizeof(text));
	if (!spmc_manifest_parse(text, (size_t)n, "test.manifest", mf, err, sizeof(err))) {
		fail_msg("manifest: %s", err);
	}
}

/* A machine under @profile whose SPMC is at @version ("1.0".."1.3"), with 1-page buffers. */
static struct fixture *machine_with_spmc(enum mediator_profile profile, const char *version)
{
	static struct spmc_manifest mf; /* the SPMC reads it for as long as the machine lives */

	parse_manifest(&mf, version, 1, 1);
	return new_machine(profile, &mf);
}

/* The hypervisor's two buffers (2 * @pages pages at @pa) are in state @st. */
static bool hyp_pages_in(struct fixture *f, uint64_t pa, uint32_t pages, enum mem_page_state st)
{
	return mem_map(&f->mem, pa, 2 * pages, MEM_OWNER_HYP, st) != NULL;
}

/* No FFA_RXTX_MAP was sent: the hypervisor's two buffers (@pages pages each at @pa) are private. */
static void assert_never_mapped(struct fixture *f, uint64_t pa, uint32_t pages)
{
	assert_int_equal(ow_count(FFA_RXTX_MAP_64), 0);
	assert_true(hyp_pages_in(f, pa, pages, MEM_PAGE_PRIVATE));
}

/* After a failed start-up every FF-A call from every VM gets NOT_SUPPORTED (mediator.h). */
static void assert_ffa_disabled(struct fixture *f)
{
	unsigned before = ow.log_count;

	for (ffa_id_t vm = HOST; vm <= GUEST2; vm++) {
		struct smccc_regs r = fx_call(f, vm, FFA_VERSION_32, V1_2, 0, 0, 0, 0);

		assert_int_equal(r.x[0], 0xFFFFFFFFULL);
		for (unsigned i = 1; i < SMCCC_REG_COUNT; i++) {
			assert_int_equal(r.x[i], 0);
		}
		r = fx_call(f, vm, FFA_VERSION_32, V1_1, 0, 0, 0, 0);
		assert_int_equal(r.x[0], 0xFFFFFFFFULL);
		assert_ffa_error(fx_call(f, vm, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
		assert_ffa_error(fx_call(f, vm, FFA_FEATURES_32, FFA_VERSION_32, 0, 0, 0, 0),
				 FFA_NOT_SUPPORTED);
		assert_ffa_error(fx_call(f, vm, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1,
					 0, 0),
				 FFA_NOT_SUPPORTED);
		assert_ffa_error(fx_call(f, vm, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0),
				 FFA_NOT_SUPPORTED);
		assert_ffa_error(fx_call(f, vm, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0),
				 FFA_NOT_SUPPORTED);
		/* Outside FF-A's range it is still just an unknown SMCCC call. */
		assert_int_equal(fx_call(f, vm, 0x84000000U, 0, 0, 0, 0, 0).x[0], SMCCC_UNKNOWN);
		assert_int_equal(mediator_vm(&f->m, vm)->version_state, VM_VERSION_NONE);
		assert_false(mediator_vm(&f->m, vm)->mailbox.mapped);
	}
	/* ... and nothing reaches the SPMC any more. */
	assert_int_equal(ow.log_count, before);
}

/* Start-up with every @fid answered @reply fails before FFA_RXTX_MAP and leaves FF-A off. */
static void check_fails_before_map(uint32_t fid, struct smccc_regs reply)
{
	struct fixture *f = start_answering(fid, reply);

	assert_int_not_equal(f->init_err, FFA_OK);
	assert_false(f->m.ffa_ready);
	assert_never_mapped(f, HYP_PA, 1);
	assert_ffa_disabled(f);
	fixture_free(f);
}

static void assert_regs(const struct smccc_regs *r, uint64_t x0, uint64_t x1, uint64_t x2,
			uint64_t x3)
{
	assert_int_equal(r->x[0], x0);
	assert_int_equal(r->x[1], x1);
	assert_int_equal(r->x[2], x2);
	assert_int_equal(r->x[3], x3);
	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(r->x[i], 0);
	}
}

/* --- Tests --- */

/*
 * mediator_init(): VERSION(1.2), ID_GET, SPM_ID_GET, FEATURES(RXTX_MAP_64), RXTX_MAP_64,
 * then Nil-UUID PARTITION_INFO_GET + RX_RELEASE (cached partitions, as Xen) and one
 * NOTIFICATION_BITMAP_CREATE per VM (w1 = VM ID, w2 = its vCPU count).
 */
static void test_mediator_init_startup_sequence(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC, NULL);

	(void)state;
	assert_int_equal(f->init_err, FFA_OK);
	assert_int_equal(f->spmc.fault_count, 0);
	assert_int_equal(ow.log_count, 10);
	assert_regs(&ow.log[0], FFA_VERSION_32, V1_2, 0, 0);
	assert_regs(&ow.log[1], FFA_ID_GET_32, 0, 0, 0);
	assert_regs(&ow.log[2], FFA_SPM_ID_GET_32, 0, 0, 0);
	assert_regs(&ow.log[3], FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0);
	/* The mediator's own pair: TX at hyp_pa_base, RX right after it, one page each. */
	assert_regs(&ow.log[4], FFA_RXTX_MAP_64, HYP_PA, HYP_PA + FFA_PAGE_SIZE, 1);
	assert_regs(&ow.log[5], FFA_PARTITION_INFO_GET_32, 0, 0, 0);
	assert_regs(&ow.log[6], FFA_RX_RELEASE_32, 0, 0, 0);
	assert_regs(&ow.log[7], FFA_NOTIFICATION_BITMAP_CREATE_32, HOST, 2, 0);
	assert_regs(&ow.log[8], FFA_NOTIFICATION_BITMAP_CREATE_32, GUEST1, 2, 0);
	assert_regs(&ow.log[9], FFA_NOTIFICATION_BITMAP_CREATE_32, GUEST2, 2, 0);
	assert_int_equal(f->m.sp_count, 4); /* the default manifest's partitions, once each */
	assert_int_equal(f->m.sps[2].uuid_count, 3);
	assert_true(f->m.ffa_ready);
	assert_int_equal(f->m.version, V1_2);
	assert_int_equal(f->m.spmc_id, 0x8000);
	assert_true(f->m.hyp_mailbox.mapped);
	assert_true(f->spmc.hyp_mailbox.mapped);
	assert_int_equal(f->spmc.hyp_mailbox.tx_pa, HYP_PA);
	assert_int_equal(f->spmc.hyp_mailbox.rx_pa, HYP_PA + FFA_PAGE_SIZE);
	assert_true(hyp_pages_in(f, HYP_PA, 1, MEM_PAGE_MAILBOX));
	/* And the guests can use FF-A. */
	fx_negotiate(f, GUEST1, V1_2);
	assert_int_equal(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0).x[2], 0x8000);
	fixture_free(f);
}

/* pKVM P3: FFA_VERSION answered x0 = 0x00000000FFFFFFFF: init fails and FF-A is off. */
static void test_mediator_init_spmc_version_not_supported_disables_ffa(void **state)
{
	static const uint64_t answers[] = {0x00000000FFFFFFFFULL, 0xFFFFFFFFFFFFFFFFULL};

	(void)state;
	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		struct fixture *f =
			start_answering(FFA_VERSION_32, (struct smccc_regs){.x = {answers[i]}});

		assert_int_equal(f->init_err, FFA_NOT_SUPPORTED);
		assert_false(f->m.ffa_ready);
		/* Nothing after the refused FFA_VERSION (it would be a call before negotiation). */
		assert_int_equal(ow.log_count, 1);
		assert_int_equal(f->spmc.fault_count, 0);
		assert_true(hyp_pages_in(f, HYP_PA, 1, MEM_PAGE_PRIVATE));
		assert_ffa_disabled(f);
		fixture_free(f);
	}
}

/* pKVM P3 under the pkvm profile itself: the host's FFA_VERSION then gets NOT_SUPPORTED in w0. */
static void test_mediator_init_spmc_version_not_supported_pkvm_host(void **state)
{
	struct fixture *f;

	(void)state;
	ow_override(FFA_VERSION_32, (struct smccc_regs){.x = {0x00000000FFFFFFFFULL}});
	f = new_machine(MEDIATOR_PROFILE_PKVM, NULL);
	assert_int_equal(f->init_err, FFA_NOT_SUPPORTED);
	assert_ffa_disabled(f);
	fixture_free(f);
}

/* pKVM P4 (3f5952917498): FEATURES(RXTX_MAP) w2 = 0x00010000 is masked: init succeeds. */
static void test_mediator_init_features_rxtx_max_in_w2_masked(void **state)
{
	struct fixture *f;

	(void)state;
	ow_override(FFA_FEATURES_32, features_w2(0x00010000U));
	f = new_machine(MEDIATOR_PROFILE_PKVM, NULL);
	assert_int_equal(f->init_err, FFA_OK);
	assert_int_equal(ow_count(FFA_RXTX_MAP_64), 1);
	assert_int_equal(f->spmc.fault_count, 0);
	assert_true(hyp_pages_in(f, HYP_PA, 1, MEM_PAGE_MAILBOX));
	assert_int_equal(fx_call(f, HOST, FFA_VERSION_32, V1_2, 0, 0, 0, 0).x[0], V1_2);
	fixture_free(f);
}

/* ffa-facts.md §2 FFA_FEATURES: w2[31:16] = 0 means "no limit specified", not 0 pages. */
static void test_mediator_init_features_max_zero_means_no_limit(void **state)
{
	struct fixture *f = start_answering(FFA_FEATURES_32, features_w2(0));

	(void)state;
	assert_int_equal(f->init_err, FFA_OK);
	assert_int_equal(ow_count(FFA_RXTX_MAP_64), 1);
	fixture_free(f);
}

/* Xen FFA_MIN_SPMC_VERSION (§5.3): an SPMC at 1.1 is enough; mediator and VMs run at 1.1. */
static void test_mediator_init_spmc_v1_1_caps_vm_version(void **state)
{
	struct fixture *f = machine_with_spmc(MEDIATOR_PROFILE_SPEC, "1.1");

	(void)state;
	assert_int_equal(f->init_err, FFA_OK);
	assert_int_equal(f->spmc.fault_count, 0);
	assert_int_equal(f->m.version, V1_1);
	assert_int_equal(ow_count(FFA_RXTX_MAP_64), 1);
	/* A VM never gets a newer version than the mediator has with the SPMC. */
	assert_int_equal(fx_call(f, GUEST1, FFA_VERSION_32, V1_2, 0, 0, 0, 0).x[0], V1_1);
	assert_int_equal(fx_call(f, GUEST2, FFA_VERSION_32, V1_3, 0, 0, 0, 0).x[0], V1_1);
	assert_int_equal(fx_call(f, HOST, FFA_VERSION_32, V1_0, 0, 0, 0, 0).x[0], V1_1);
	assert_ffa_success(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0));
	assert_int_equal(mediator_vm(&f->m, GUEST1)->version, V1_1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	fixture_free(f);
}

/* Same rule under pKVM (answers the negotiated version) and Xen (answers its own). */
static void test_mediator_init_spmc_v1_1_caps_vm_version_all_profiles(void **state)
{
	struct fixture *f = machine_with_spmc(MEDIATOR_PROFILE_PKVM, "1.1");

	(void)state;
	assert_int_equal(f->init_err, FFA_OK);
	assert_int_equal(fx_call(f, HOST, FFA_VERSION_32, V1_2, 0, 0, 0, 0).x[0], V1_1);
	assert_int_equal(mediator_vm(&f->m, HOST)->version, V1_1);
	fixture_free(f);

	f = machine_with_spmc(MEDIATOR_PROFILE_XEN, "1.1");
	assert_int_equal(f->init_err, FFA_OK);
	assert_int_equal(fx_call(f, GUEST1, FFA_VERSION_32, V1_2, 0, 0, 0, 0).x[0], V1_1);
	assert_int_equal(fx_call(f, GUEST2, FFA_VERSION_32, FFA_VERSION(2, 0), 0, 0, 0, 0).x[0],
			 V1_1);
	assert_ffa_success(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0));
	assert_ffa_success(fx_call(f, GUEST2, FFA_ID_GET_32, 0, 0, 0, 0, 0));
	assert_int_equal(mediator_vm(&f->m, GUEST1)->version, V1_1);
	assert_int_equal(mediator_vm(&f->m, GUEST2)->version, V1_1);
	fixture_free(f);
}

/* Xen FFA_MIN_SPMC_VERSION 1.1 (§5.3): an SPMC at 1.0 is refused and FF-A is off. */
static void test_mediator_init_spmc_v1_0_fails(void **state)
{
	struct fixture *f = machine_with_spmc(MEDIATOR_PROFILE_SPEC, "1.0");

	(void)state;
	assert_int_equal(f->init_err, FFA_NOT_SUPPORTED);
	assert_int_equal(ow.log_count, 1);
	assert_int_equal(f->spmc.fault_count, 0);
	assert_ffa_disabled(f);
	fixture_free(f);
}

/* ffa-facts.md §1.4 callee rule 1 / §5.2 min(SPMC, 1.2): with an SPMC at 1.3 we run at 1.2. */
static void test_mediator_init_spmc_v1_3_runs_at_1_2(void **state)
{
	struct fixture *f = machine_with_spmc(MEDIATOR_PROFILE_SPEC, "1.3");

	(void)state;
	assert_int_equal(f->init_err, FFA_OK);
	assert_int_equal(f->spmc.fault_count, 0);
	assert_int_equal(f->m.version, V1_2);
	assert_int_equal(fx_call(f, GUEST1, FFA_VERSION_32, V1_3, 0, 0, 0, 0).x[0], V1_2);
	assert_ffa_success(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0));
	assert_int_equal(mediator_vm(&f->m, GUEST1)->version, V1_2);
	fixture_free(f);
}

/* ffa-facts.md §1.4 (bit 31 MBZ, major 1), Xen §5.3 (SPMC major != 1): bad version words fail. */
static void test_mediator_init_spmc_version_bad_word_fails(void **state)
{
	static const uint32_t answers[] = {FFA_VERSION(2, 0), 0x80010002U, FFA_VERSION(0, 2),
					   FFA_ERROR_32};

	(void)state;
	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		struct fixture *f = start_answering(
			FFA_VERSION_32, (struct smccc_regs){.x = {answers[i], 0, 0xFFFFFFFFU}});

		assert_int_equal(f->init_err, FFA_NOT_SUPPORTED);
		assert_int_equal(ow.log_count, 1);
		assert_false(f->m.ffa_ready);
		fixture_free(f);
	}
}

/* ffa-facts.md §2/§5.2: "ID value 0 must be returned at the Non-secure physical FF-A instance" */
static void test_mediator_init_id_get_nonzero_fails(void **state)
{
	struct fixture *f;

	(void)state;
	check_fails_before_map(FFA_ID_GET_32, ffa_success(1));

	/* An FFA_ERROR answer to FFA_ID_GET is no better. */
	f = start_answering(FFA_ID_GET_32, ffa_error(FFA_NOT_SUPPORTED));
	assert_int_not_equal(f->init_err, FFA_OK);
	assert_int_equal(ow_count(FFA_RXTX_MAP_64), 0);
	fixture_free(f);
}

/* ffa-facts.md §2 (bit 15 marks a secure ID): a non-secure FFA_SPM_ID_GET answer fails init. */
static void test_mediator_init_spm_id_get_non_secure_fails(void **state)
{
	(void)state;
	check_fails_before_map(FFA_SPM_ID_GET_32, ffa_success(0x7FFF));
}

/* mediator.h mediator_init(): RXTX_MAP refused fails init; the hyp pages go back to private. */
static void test_mediator_init_rxtx_map_refused_releases_pages(void **state)
{
	static const int32_t errors[] = {FFA_DENIED, FFA_INVALID_PARAMETERS, FFA_NO_MEMORY};

	(void)state;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct fixture *f = start_answering(FFA_RXTX_MAP_64, ffa_error(errors[i]));

		assert_int_not_equal(f->init_err, FFA_OK);
		assert_int_equal(ow_count(FFA_RXTX_MAP_64), 1);
		assert_false(f->m.hyp_mailbox.mapped);
		assert_true(hyp_pages_in(f, HYP_PA, 1, MEM_PAGE_PRIVATE));
		assert_false(hyp_pages_in(f, HYP_PA, 1, MEM_PAGE_MAILBOX));
		assert_ffa_disabled(f);
		fixture_free(f);
	}
}

/* ffa-facts.md §2 FEATURES(RXTX_MAP) w2[1:0] = 0b10 (16K) with a 1-page buffer: NO_MEMORY. */
static void test_mediator_init_features_16k_min_one_page_no_memory(void **state)
{
	struct fixture *f = start_answering(FFA_FEATURES_32, features_w2(0x2));

	(void)state;
	assert_int_equal(f->init_err, FFA_NO_MEMORY);
	assert_int_equal(f->spmc.fault_count, 0);
	assert_never_mapped(f, HYP_PA, 1);
	assert_ffa_disabled(f);
	fixture_free(f);

	/* 64K (0b01) too. */
	f = start_answering(FFA_FEATURES_32, features_w2(0x1));
	assert_int_equal(f->init_err, FFA_NO_MEMORY);
	assert_int_equal(ow_count(FFA_RXTX_MAP_64), 0);
	fixture_free(f);
}

/* ffa-facts.md §2 FFA_FEATURES: w2[1:0] = 0b11 is reserved, so the mediator must not map on it. */
static void test_mediator_init_features_reserved_min_size_fails(void **state)
{
	struct fixture *f = start_answering(FFA_FEATURES_32, features_w2(0x3));

	(void)state;
	assert_int_not_equal(f->init_err, FFA_OK);
	assert_never_mapped(f, HYP_PA, 1);
	fixture_free(f);
}

/* ffa-facts.md §2 FEATURES v1.2 w2[31:16] maximum: 2-page buffers over a 1-page max: NO_MEMORY. */
static void test_mediator_init_features_max_below_buffer_no_memory(void **state)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;

	(void)state;
	cfg.hyp_buffer_pages = 2;
	ow_override(FFA_FEATURES_32, features_w2(1U << 16));
	f = fixture_new(&cfg, NULL);
	assert_int_equal(f->init_err, FFA_NO_MEMORY);
	assert_never_mapped(f, HYP_PA, 2);
	fixture_free(f);
}

/* ffa-facts.md §2 FFA_RXTX_MAP: a 16K-granule SPMC maps a 4-page pair at 16K-aligned addresses. */
static void test_mediator_init_16k_granule_four_pages_succeeds(void **state)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct spmc_manifest mf;
	struct fixture *f;

	(void)state;
	parse_manifest(&mf, "1.2", 4, 4);
	cfg.hyp_buffer_pages = 4;
	f = fixture_new(&cfg, &mf);
	assert_int_equal(f->init_err, FFA_OK);
	assert_int_equal(f->spmc.fault_count, 0);
	assert_int_equal(ow_count(FFA_RXTX_MAP_64), 1);
	assert_regs(&ow.log[4], FFA_RXTX_MAP_64, HYP_PA, HYP_PA + 4 * FFA_PAGE_SIZE, 4);
	assert_true(hyp_pages_in(f, HYP_PA, 4, MEM_PAGE_MAILBOX));
	fixture_free(f);
}

/*
 * ffa-facts.md §2 FFA_RXTX_MAP: buffers must be aligned to the minimum size FFA_FEATURES
 * reports (ACS ffa_rxtx_map_and_unmap). With a 16K granule and a buffer only 4K-aligned the
 * mediator must not send a map it knows is invalid; init fails and the pages stay private.
 */
static void test_mediator_init_16k_granule_misaligned_buffer_fails(void **state)
{
	const uint64_t pa = HYP_PA + FFA_PAGE_SIZE; /* 4K- but not 16K-aligned */
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct spmc_manifest mf;
	struct fixture *f;

	(void)state;
	parse_manifest(&mf, "1.2", 4, 4);
	cfg.hyp_pa_base = pa;
	cfg.hyp_buffer_pages = 4;
	f = fixture_new(&cfg, &mf);
	assert_int_not_equal(f->init_err, FFA_OK);
	assert_never_mapped(f, pa, 4);
	fixture_free(f);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, ow_reset, fixture_teardown_leftover)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_mediator_init_startup_sequence),
		TEST(test_mediator_init_spmc_version_not_supported_disables_ffa),
		TEST(test_mediator_init_spmc_version_not_supported_pkvm_host),
		TEST(test_mediator_init_features_rxtx_max_in_w2_masked),
		TEST(test_mediator_init_features_max_zero_means_no_limit),
		TEST(test_mediator_init_spmc_v1_1_caps_vm_version),
		TEST(test_mediator_init_spmc_v1_1_caps_vm_version_all_profiles),
		TEST(test_mediator_init_spmc_v1_0_fails),
		TEST(test_mediator_init_spmc_v1_3_runs_at_1_2),
		TEST(test_mediator_init_spmc_version_bad_word_fails),
		TEST(test_mediator_init_id_get_nonzero_fails),
		TEST(test_mediator_init_spm_id_get_non_secure_fails),
		TEST(test_mediator_init_rxtx_map_refused_releases_pages),
		TEST(test_mediator_init_features_16k_min_one_page_no_memory),
		TEST(test_mediator_init_features_reserved_min_size_fails),
		TEST(test_mediator_init_features_max_below_buffer_no_memory),
		TEST(test_mediator_init_16k_granule_four_pages_succeeds),
		TEST(test_mediator_init_16k_granule_misaligned_buffer_fails),
	};

	return cmocka_run_group_tests_name("startup", tests, NULL, NULL);
}

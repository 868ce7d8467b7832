/*
 * The SPMC model on its own (spmc-model/): the manifest parser, and the
 * model as the hypervisor's peer through spmc_ns_call(), with no mediator in
 * between. Each test plays the hypervisor: the well-behaved start-up and
 * discovery sequence must record no mediator fault, and each way the
 * hypervisor can break DEN0077A v1.2 must get the FF-A error *and* a fault
 * naming the function ID.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Physical layout of every test: the hypervisor's TX and RX pages (owned by
 * MEM_OWNER_HYP, marked as a mailbox as mediator_init() does), two
 * hypervisor pages left private, two pages of VM 1 marked as its mailbox,
 * and two unowned pages.
 */
#define PG MEM_PAGE_SIZE
#define HYP_TX 0x10000000ULL
#define HYP_RX (HYP_TX + PG)
#define HYP_PRIV (HYP_TX + 2 * PG)
#define VM1_PAGES (HYP_TX + 4 * PG)
#define UNOWNED (HYP_TX + 6 * PG)
#define ENV_PAGES 8U

struct env {
	struct mem mem;
	struct spmc s;
};

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	assert_int_equal(mem_init(&e->mem, HYP_TX, ENV_PAGES), FFA_OK);
	assert_int_equal(mem_assign(&e->mem, HYP_TX, 2, MEM_OWNER_HYP), FFA_OK);
	assert_int_equal(mem_transition(&e->mem, HYP_TX, 2, MEM_OWNER_HYP, MEM_PAGE_PRIVATE,
					MEM_PAGE_MAILBOX),
			 FFA_OK);
	assert_int_equal(mem_assign(&e->mem, HYP_PRIV, 2, MEM_OWNER_HYP), FFA_OK);
	assert_int_equal(mem_assign(&e->mem, VM1_PAGES, 2, 1), FFA_OK);
	assert_int_equal(mem_transition(&e->mem, VM1_PAGES, 2, 1, MEM_PAGE_PRIVATE,
					MEM_PAGE_MAILBOX),
			 FFA_OK);
	spmc_init(&e->s, spmc_manifest_default(), &e->mem);
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;

	mem_fini(&e->mem);
	free(e);
	return 0;
}

/* The hypervisor's call with w0 = @fid and x1..x5 as given, the rest zero. */
static struct smccc_regs ns_call(struct env *e, uint32_t fid, uint64_t a1, uint64_t a2,
				 uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct smccc_regs r = ffa_call(fid, a1, a2, a3, a4, a5);

	return spmc_ns_call(&e->s, &r);
}

/* FFA_VERSION(@version), which the SPMC at 1.2 must accept. */
static void ns_negotiate(struct env *e, uint32_t version)
{
	struct smccc_regs r = ns_call(e, FFA_VERSION_32, version, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_VERSION_1_2);
}

static void ns_map(struct env *e)
{
	assert_ffa_success(ns_call(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1, 0, 0));
}

/* The usual start: FFA_VERSION(1.2), then the hypervisor's pair mapped. */
static void ns_start(struct env *e)
{
	ns_negotiate(e, FFA_VERSION_1_2);
	ns_map(e);
}

/* Exactly @count faults recorded, the last one for @fid with a reason. */
static void assert_faults(const struct env *e, uint32_t count, uint32_t fid)
{
	assert_int_equal(e->s.fault_count, count);
	if (count > 0) {
		assert_int_equal(e->s.faults[count - 1].fid, fid);
		assert_non_null(e->s.faults[count - 1].reason);
		assert_true(strlen(e->s.faults[count - 1].reason) > 0);
	}
}

/* The hypervisor's @fid(@a1, @a2, @a3) gets FFA_ERROR(@err) and is recorded as fault @nth. */
static void assert_refused(struct env *e, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			   int32_t err, uint32_t nth)
{
	assert_ffa_error(ns_call(e, fid, a1, a2, a3, 0, 0), err);
	assert_faults(e, nth, fid);
}

/* FFA_PARTITION_INFO_GET(Nil UUID, flags @w5): SUCCESS with w2 = @count and w3 = @size. */
static void assert_info_get(struct env *e, uint32_t w5, uint64_t count, uint64_t size)
{
	struct smccc_regs r = ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, w5);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], count);
	assert_int_equal(r.x[3], size);
}

/* The hypervisor's one-page RX buffer, where the SPMC writes descriptors. */
static const uint8_t *hyp_rx(struct env *e)
{
	const uint8_t *rx = mem_map(&e->mem, HYP_RX, 1, MEM_OWNER_HYP, MEM_PAGE_MAILBOX);

	assert_non_null(rx);
	return rx;
}

/* --- The manifest --- */

/* The SPMC-wide keys of @mf and how many partitions it has. */
static void assert_manifest(const struct spmc_manifest *mf, uint32_t version, ffa_id_t spmc_id,
			    uint32_t min_pages, uint32_t max_pages, uint32_t partition_count)
{
	assert_int_equal(mf->version, version);
	assert_int_equal(mf->spmc_id, spmc_id);
	assert_int_equal(mf->rxtx_min_pages, min_pages);
	assert_int_equal(mf->rxtx_max_pages, max_pages);
	assert_int_equal(mf->partition_count, partition_count);
}

/* What a test expects of one parsed partition. */
struct want_partition {
	ffa_id_t id;
	const char *name;
	uint32_t version;
	uint16_t exec_ctx_count;
	uint32_t uuid_count;
	uint32_t properties;
	const char *uuids[SPMC_MAX_UUIDS]; /* the UUIDs compared, in order, up to a NULL */
};

/* Partition @p is @w, and starts with the UUIDs @w lists; a failure names both. */
static void assert_partition(const struct spmc_partition *p, const struct want_partition *w)
{
	if (p->id != w->id || strcmp(p->name, w->name) != 0 || p->version != w->version ||
	    p->exec_ctx_count != w->exec_ctx_count || p->uuid_count != w->uuid_count ||
	    p->properties != w->properties) {
		fail_msg("partition %#x '%s' version %#x contexts %u uuids %u properties %#x, "
			 "expected %#x '%s' %#x %u %u %#x",
			 p->id, p->name, p->version, p->exec_ctx_count, p->uuid_count,
			 p->properties, w->id, w->name, w->version, w->exec_ctx_count,
			 w->uuid_count, w->properties);
	}
	for (unsigned k = 0; k < SPMC_MAX_UUIDS && w->uuids[k] != NULL; k++) {
		struct ffa_uuid u = fx_uuid(w->uuids[k]);

		if (memcmp(&p->uuids[k], &u, sizeof(u)) != 0) {
			fail_msg("partition %#x: uuids[%u] is not %s", w->id, k, w->uuids[k]);
		}
	}
}

/* default.manifest: four partitions covering 1.0/1.1/1.2, three UUIDs, eight contexts. */
static void test_spmc_manifest_default_content(void **state)
{
	static const struct want_partition want[] = {
		{0x8001, "crypto", FFA_VERSION_1_2, 8, 1, 0x70F, {UUID_CRYPTO}},
		{0x8002, "storage", FFA_VERSION_1_1, 1, 1, 0x10D, {NULL}},
		{0x8003, "multi-service", FFA_VERSION_1_2, 2, 3, 0x3C1,
		 {UUID_MULTI0, UUID_MULTI1, UUID_MULTI2}},
		{0x8004, "legacy", FFA_VERSION_1_0, 1, 1, 0x3, {UUID_LEGACY}},
	};
	const struct spmc_manifest *mf = spmc_manifest_default();

	(void)state;
	assert_manifest(mf, FFA_VERSION_1_2, 0x8000, 1, 1, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_partition(&mf->partitions[i], &want[i]);
	}
}

/* spmc.h spmc_manifest_parse(): defaults and every key of the format are read. */
static void test_spmc_manifest_parse_minimal_with_defaults(void **state)
{
	static const char text[] = "# comment only\n"
				   "\n"
				   "partition 0x8010 one   # trailing comment\n"
				   "\tuuid " UUID_STORAGE "\r\n";
	static const struct want_partition want = {0x8010, "one", FFA_VERSION_1_2, 1, 1, 0, {NULL}};
	struct spmc_manifest mf;
	char err[256] = "";

	(void)state;
	assert_true(spmc_manifest_parse(text, sizeof(text) - 1, "t.manifest", &mf, err,
					sizeof(err)));
	assert_manifest(&mf, FFA_VERSION_1_2, 0x8000, 1, 1, 1);
	assert_partition(&mf.partitions[0], &want);
}

/* Parse @text; it must fail with "t.manifest:@line: " and contain @what. */
static void assert_rejected(const char *text, size_t len, unsigned line, const char *what)
{
	struct spmc_manifest mf;
	char err[256] = "";
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "t.manifest:%u: ", line);
	if (spmc_manifest_parse(text, len, "t.manifest", &mf, err, sizeof(err))) {
		fail_msg("accepted; expected \"%s... %s\"", prefix, what);
	}
	if (strncmp(err, prefix, strlen(prefix)) != 0 || strstr(err, what) == NULL) {
		fail_msg("error \"%s\"; expected \"%s... %s\"", err, prefix, what);
	}
}

#define REJECT(text, line, what) assert_rejected(text, sizeof(text) - 1, line, what)

/* spmc.h: the keys of a partition are version, uuid, execution-contexts, properties. */
static void test_spmc_manifest_parse_unknown_key_rejected(void **state)
{
	(void)state;
	REJECT("partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n"
	       "    colour blue\n",
	       3, "unknown key 'colour'");
}

/* spmc.h: uuid is xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx. */
static void test_spmc_manifest_parse_bad_uuid_rejected(void **state)
{
	(void)state;
	REJECT("partition 0x8001 a\n"
	       "    uuid 7b8f3c2a-51d4-4e6b-9a0c-1d2e3f40516\n",
	       2, "uuid '7b8f3c2a-51d4-4e6b-9a0c-1d2e3f40516'");
	REJECT("partition 0x8001 a\n"
	       "    uuid\n",
	       2, "expected 'uuid <value>'");
}

/* DEN0077A §6 (manifest.c header): every partition has a non-Nil UUID. */
static void test_spmc_manifest_parse_nil_uuid_rejected(void **state)
{
	(void)state;
	REJECT("# nil\n"
	       "partition 0x8001 a\n"
	       "    uuid 00000000-0000-0000-0000-000000000000\n",
	       3, "non-Nil");
}

/* DEN0077A §6 / ffa-facts §2: partition IDs are secure IDs (bit 15 set). */
static void test_spmc_manifest_parse_non_secure_id_rejected(void **state)
{
	(void)state;
	REJECT("# first line\n"
	       "partition 0x0001 a\n"
	       "    uuid " UUID_CRYPTO "\n",
	       2, "partition ID '0x0001'");
	REJECT("partition 0x18001 a\n", 1, "partition ID '0x18001'");
	REJECT("partition -0x8001 a\n", 1, "partition ID '-0x8001'");
}

/* manifest.c header: partition IDs are unique and not the SPMC's. */
static void test_spmc_manifest_parse_duplicate_id_rejected(void **state)
{
	(void)state;
	REJECT("partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n"
	       "partition 0x8001 b\n"
	       "    uuid " UUID_STORAGE "\n",
	       3, "0x8001 is already used");
	REJECT("spmc-id 0x8005\n"
	       "partition 0x8005 a\n"
	       "    uuid " UUID_CRYPTO "\n",
	       2, "SPMC's own ID");
}

/* manifest.c header: every partition has at least one UUID; the error names the partition's line. */
static void test_spmc_manifest_parse_partition_without_uuid_rejected(void **state)
{
	(void)state;
	/* Followed by another partition ... */
	REJECT("partition 0x8001 a\n"
	       "    execution-contexts 2\n"
	       "\n"
	       "partition 0x8002 b\n"
	       "    uuid " UUID_STORAGE "\n",
	       1, "partition 0x8001 has no 'uuid' line");
	/* ... and as the last partition of the file. */
	REJECT("partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n"
	       "partition 0x8002 b\n"
	       "    version 1.1\n",
	       3, "partition 0x8002 has no 'uuid' line");
}

/* DEN0077A v1.2 partition properties bits 9/10 (REQ2) exist only for v1.2 partitions. */
static void test_spmc_manifest_parse_req2_on_v1_1_partition_rejected(void **state)
{
	static const char text[] = "partition 0x8001 a\n"
				   "    version 1.1\n"
				   "    uuid " UUID_CRYPTO "\n"
				   "    properties direct-req-recv direct-req2-recv\n"
				   "partition 0x8002 b\n"
				   "    uuid " UUID_STORAGE "\n";
	static const char ok[] = "partition 0x8001 a\n"
				 "    version 1.2\n"
				 "    uuid " UUID_CRYPTO "\n"
				 "    properties direct-req2-recv direct-req2-send\n";
	struct spmc_manifest mf;
	char err[256] = "";

	(void)state;
	/* Named at the partition's own line, like the other whole-partition checks. */
	REJECT(text, 1, "partition 0x8001: direct-req2-* properties need 'version 1.2'");
	REJECT("partition 0x8001 a\n"
	       "    version 1.0\n"
	       "    uuid " UUID_CRYPTO "\n"
	       "    properties direct-req2-send\n"
	       "partition 0x8002 b\n"
	       "    uuid " UUID_STORAGE "\n",
	       1, "direct-req2-* properties need 'version 1.2'");
	assert_true(spmc_manifest_parse(ok, sizeof(ok) - 1, "t.manifest", &mf, err, sizeof(err)));
	assert_int_equal(mf.partitions[0].properties, 0x600);
}

/* spmc.h: properties are the nine names of the format. */
static void test_spmc_manifest_parse_unknown_property_rejected(void **state)
{
	(void)state;
	REJECT("partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n"
	       "    properties direct-req-recv teleport aarch64\n",
	       3, "unknown property 'teleport'");
}

/* spmc.h: a partition's version is 1.0, 1.1 or 1.2; the SPMC's 1.0 to 1.3. */
static void test_spmc_manifest_parse_bad_version_rejected(void **state)
{
	(void)state;
	REJECT("partition 0x8001 a\n"
	       "    version 1.5\n"
	       "    uuid " UUID_CRYPTO "\n",
	       2, "version '1.5'");
	REJECT("partition 0x8001 a\n"
	       "    version 2.0\n"
	       "    uuid " UUID_CRYPTO "\n",
	       2, "version '2.0'");
	REJECT("partition 0x8001 a\n"
	       "    version 1.3\n",
	       2, "version '1.3'");
	REJECT("partition 0x8001 a\n"
	       "    version 1.10\n",
	       2, "version '1.10'");
	REJECT("# spmc\n"
	       "spmc-version 2.0\n"
	       "partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n",
	       2, "spmc-version");
	REJECT("spmc-version 1.4\n", 1, "spmc-version");
}

/* spmc.h: execution-contexts is 1..64. */
static void test_spmc_manifest_parse_zero_execution_contexts_rejected(void **state)
{
	(void)state;
	REJECT("partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n"
	       "    execution-contexts 0\n",
	       3, "execution-contexts '0'");
	REJECT("partition 0x8001 a\n"
	       "    execution-contexts 65\n",
	       2, "execution-contexts '65'");
}

/* spmc.h: partition keys follow a 'partition' line. */
static void test_spmc_manifest_parse_key_outside_partition_rejected(void **state)
{
	(void)state;
	REJECT("spmc-id 0x8000\n"
	       "uuid " UUID_CRYPTO "\n"
	       "partition 0x8001 a\n",
	       2, "'uuid' outside a partition");
}

/* spmc.h / manifest.c: a manifest describes at least one partition. */
static void test_spmc_manifest_parse_no_partitions_rejected(void **state)
{
	(void)state;
	REJECT("spmc-version 1.2\n"
	       "spmc-id 0x8000\n",
	       2, "no partitions");
}

/* manifest.c: a line is at most 511 characters, and the error names it. */
static void test_spmc_manifest_parse_too_long_line_rejected(void **state)
{
	char text[1024];
	int n = snprintf(text, sizeof(text), "partition 0x8001 a\n    uuid %s\n#", UUID_CRYPTO);

	(void)state;
	memset(text + n, 'x', 600);
	text[n + 600] = '\n';
	text[n + 601] = '\0';
	assert_rejected(text, strlen(text), 3, "line longer than 511");
	/* The boundary: 511 characters are a line, 512 are not. */
	memset(text + n, 'x', 510);
	text[n + 510] = '\n';
	text[n + 511] = '\0';
	{
		struct spmc_manifest mf;
		char err[256] = "";

		if (!spmc_manifest_parse(text, strlen(text), "t.manifest", &mf, err, sizeof(err))) {
			fail_msg("a 511-character line was refused: %s", err);
		}
	}
	memset(text + n, 'x', 511);
	text[n + 511] = '\n';
	text[n + 512] = '\0';
	assert_rejected(text, strlen(text), 3, "line longer than 511");
}

/* manifest.c: the manifest is text; a NUL byte is named at its line. */
static void test_spmc_manifest_parse_nul_byte_rejected(void **state)
{
	static const char text[] = "partition 0x8001 a\n"
				   "    uuid " UUID_CRYPTO "\n"
				   "    execution-contexts 1\0 2\n";

	(void)state;
	REJECT(text, 3, "NUL byte");
}

/* DEN0077A FFA_RXTX_MAP: the maximum size is a multiple of the minimum; named at its line. */
static void test_spmc_manifest_parse_max_pages_not_multiple_rejected(void **state)
{
	(void)state;
	REJECT("rxtx-min-pages 4\n"
	       "rxtx-max-pages 6\n"
	       "partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n",
	       2, "rxtx-max-pages 6 is not a multiple of rxtx-min-pages 4");
	REJECT("rxtx-min-pages 3\n", 1, "rxtx-min-pages");
	REJECT("rxtx-max-pages 64\n", 1, "rxtx-max-pages 1..63");
}

/* ffa-facts §2 FFA_SPM_ID_GET: the SPMC's ID is a secure ID. */
static void test_spmc_manifest_parse_non_secure_spmc_id_rejected(void **state)
{
	(void)state;
	REJECT("spmc-id 0x7fff\n"
	       "partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n",
	       1, "spmc-id");
}

/* spmc.h spmc_manifest_load(): "path: cannot read". */
static void test_spmc_manifest_load_missing_file_names_path(void **state)
{
	static const char path[] = "/nonexistent-ffa-emu-dir/none.manifest";
	struct spmc_manifest mf;
	char err[256] = "";

	(void)state;
	assert_false(spmc_manifest_load(path, &mf, err, sizeof(err)));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	assert_non_null(strstr(err, "cannot read"));
}

/* Write @text to a fresh mkstemp() file; *@path receives its name. */
static void write_temp(char *path, size_t path_len, const char *text)
{
	int fd;

	snprintf(path, path_len, "/tmp/ffa-emu-manifest-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

/* spmc.h spmc_manifest_load(): a file is parsed, and its errors carry its path. */
static void test_spmc_manifest_load_temp_file(void **state)
{
	char path[64], expect[128];
	struct spmc_manifest mf;
	char err[256] = "";
	bool ok;

	(void)state;
	write_temp(path, sizeof(path), "spmc-id 0x8100\n"
				       "partition 0x8101 only\n"
				       "    uuid " UUID_LEGACY "\n"
				       "    execution-contexts 3\n");
	ok = spmc_manifest_load(path, &mf, err, sizeof(err));
	unlink(path);
	if (!ok) {
		fail_msg("load failed: %s", err);
	}
	assert_int_equal(mf.spmc_id, 0x8100);
	assert_int_equal(mf.partition_count, 1);
	assert_int_equal(mf.partitions[0].id, 0x8101);
	assert_int_equal(mf.partitions[0].exec_ctx_count, 3);

	write_temp(path, sizeof(path), "partition 0x8101 only\n"
				       "    uuid " UUID_LEGACY "\n"
				       "    bogus 1\n");
	ok = spmc_manifest_load(path, &mf, err, sizeof(err));
	unlink(path);
	assert_false(ok);
	snprintf(expect, sizeof(expect), "%s:3: ", path);
	assert_int_equal(strncmp(err, expect, strlen(expect)), 0);
}

/* --- The model as the hypervisor's peer --- */

/* DEN0077A v1.2 §13.2.2: the caller negotiates first; a call before FFA_VERSION is a fault. */
static void test_spmc_call_before_version_not_supported_fault(void **state)
{
	struct env *e = *state;

	assert_refused(e, FFA_ID_GET_32, 0, 0, 0, FFA_NOT_SUPPORTED, 1);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1, FFA_NOT_SUPPORTED, 2);
	assert_false(e->s.hyp_mailbox.mapped);
	/* Negotiation is still open afterwards. */
	ns_negotiate(e, FFA_VERSION_1_2);
	assert_int_equal(e->s.ns_version, FFA_VERSION_1_2);
}

/* DEN0077A FFA_RXTX_MAP / Hafnium api_vm_configure_pages: pages not the hypervisor's, DENIED. */
static void test_ffa_rxtx_map_not_hyp_pages_denied_fault(void **state)
{
	struct env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	/* VM 1's mailbox pages. */
	assert_refused(e, FFA_RXTX_MAP_64, VM1_PAGES, VM1_PAGES + PG, 1, FFA_DENIED, 1);
	/* Unowned pages. */
	assert_refused(e, FFA_RXTX_MAP_64, UNOWNED, UNOWNED + PG, 1, FFA_DENIED, 2);
	/* The hypervisor's TX with someone else's RX. */
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, VM1_PAGES, 1, FFA_DENIED, 3);
	assert_false(e->s.hyp_mailbox.mapped);
}

/* spmc-model rxtx.c: the hypervisor must mark its pages as a mailbox before mapping them. */
static void test_ffa_rxtx_map_private_pages_denied_fault(void **state)
{
	struct env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_PRIV, HYP_PRIV + PG, 1, FFA_DENIED, 1);
	assert_false(e->s.hyp_mailbox.mapped);
}

/* DEN0077A FFA_RXTX_MAP, ACS ffa_rxtx_map_and_unmap: a second map is DENIED. */
static void test_ffa_rxtx_map_twice_denied_fault(void **state)
{
	struct env *e = *state;

	ns_start(e);
	assert_faults(e, 0, 0);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1, FFA_DENIED, 1);
	assert_true(e->s.hyp_mailbox.mapped);
	assert_int_equal(e->s.hyp_mailbox.tx_pa, HYP_TX);
	assert_int_equal(e->s.hyp_mailbox.rx_pa, HYP_RX);
	assert_int_equal(e->s.hyp_mailbox.page_count, 1);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
}

/* ffa-facts §2 FFA_RXTX_MAP: w3[31:6] MBZ (and x3[63:32] for SMC64). */
static void test_ffa_rxtx_map_x3_mbz_invalid_fault(void **state)
{
	struct env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1 | 1U << 6, FFA_INVALID_PARAMETERS, 1);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1 | 1ULL << 32, FFA_INVALID_PARAMETERS,
		       2);
	assert_false(e->s.hyp_mailbox.mapped);
}

/* Xen X15 (309e8edfe3): FFA_RXTX_UNMAP while the caller owns RX is DENIED. */
static void test_ffa_rxtx_unmap_rx_owned_denied_fault(void **state)
{
	struct env *e = *state;

	ns_start(e);
	assert_ffa_success(ns_call(e, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0));
	assert_refused(e, FFA_RXTX_UNMAP_32, 0, 0, 0, FFA_DENIED, 1);
	assert_true(e->s.hyp_mailbox.mapped);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
}

/* DEN0077A FFA_RX_RELEASE: DENIED if the caller does not own its RX buffer. */
static void test_ffa_rx_release_not_held_denied_fault(void **state)
{
	struct env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_refused(e, FFA_RX_RELEASE_32, 0, 0, 0, FFA_DENIED, 1);
	ns_map(e);
	assert_refused(e, FFA_RX_RELEASE_32, 0, 0, 0, FFA_DENIED, 2);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
}

/* ffa-facts §2 FFA_RX_RELEASE w1[15:0] = VM ID: an ID the SPMC does not know, INVALID. */
static void test_ffa_rx_release_unknown_endpoint_invalid_fault(void **state)
{
	struct env *e = *state;

	ns_start(e);
	assert_ffa_success(ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0));
	assert_refused(e, FFA_RX_RELEASE_32, 5, 0, 0, FFA_INVALID_PARAMETERS, 1);
	/* The hypervisor's own buffer is untouched. */
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
}

/* Hafnium 67686054: FFA_RX_ACQUIRE with a non-existent VM ID must be refused, not crash. */
static void test_ffa_rx_acquire_unknown_endpoint_invalid_fault(void **state)
{
	struct env *e = *state;

	ns_start(e);
	assert_refused(e, FFA_RX_ACQUIRE_32, 5, 0, 0, FFA_INVALID_PARAMETERS, 1);
	assert_refused(e, FFA_RX_ACQUIRE_32, 0xFFFF, 0, 0, FFA_INVALID_PARAMETERS, 2);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
}

/* ffa-facts §2 FFA_RXTX_UNMAP w1[31:16] = endpoint: an ID the SPMC does not know, INVALID. */
static void test_ffa_rxtx_unmap_unknown_endpoint_invalid_fault(void **state)
{
	struct env *e = *state;

	ns_start(e);
	assert_refused(e, FFA_RXTX_UNMAP_32, 5U << 16, 0, 0, FFA_INVALID_PARAMETERS, 1);
	/* w1[15:0] is MBZ. */
	assert_refused(e, FFA_RXTX_UNMAP_32, 1, 0, 0, FFA_INVALID_PARAMETERS, 2);
	assert_true(e->s.hyp_mailbox.mapped);
}

/* DEN0077A FFA_RXTX_UNMAP, ACS ffa_rxtx_map_and_unmap: nothing mapped is INVALID_PARAMETERS. */
static void test_ffa_rxtx_unmap_nothing_mapped_invalid_fault(void **state)
{
	struct env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_refused(e, FFA_RXTX_UNMAP_32, 0, 0, 0, FFA_INVALID_PARAMETERS, 1);
	ns_map(e);
	assert_ffa_success(ns_call(e, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_refused(e, FFA_RXTX_UNMAP_32, 0, 0, 0, FFA_INVALID_PARAMETERS, 2);
}

/* ffa-facts §2 RX ownership: PARTITION_INFO_GET while the caller still owns RX is BUSY. */
static void test_ffa_partition_info_get_hyp_holds_rx_busy_fault(void **state)
{
	struct env *e = *state;

	ns_start(e);
	assert_ffa_success(ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0));
	assert_faults(e, 0, 0);
	assert_refused(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, FFA_BUSY, 1);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
	/* And with no RX buffer mapped at all. */
	assert_ffa_success(ns_call(e, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(ns_call(e, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_refused(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, FFA_BUSY, 2);
}

/* The hypervisor's start-up and discovery as pKVM/Xen do it: no fault anywhere. */
static void test_spmc_well_behaved_sequence_no_faults(void **state)
{
	struct env *e = *state;
	struct smccc_regs r;
	const uint8_t *rx;
	struct ffa_uuid u = fx_uuid(UUID_CRYPTO);

	ns_negotiate(e, FFA_VERSION_1_2);
	r = ns_call(e, FFA_ID_GET_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0);
	r = ns_call(e, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0x8000);
	/* ffa-facts §2 FFA_FEATURES(RXTX_MAP): v1.2 w2[31:16] = max pages (1), w2[1:0] = 4K. */
	r = ns_call(e, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0x00010000);
	assert_int_equal(r.x[3], 0);
	ns_map(e);
	assert_info_get(e, 0, 6, 24);
	rx = hyp_rx(e);
	assert_int_equal(fx_rd16(rx), 0x8001);
	assert_int_equal(fx_rd16(rx + 2), 8);
	assert_int_equal(fx_rd32(rx + 4), 0x70F);
	assert_memory_equal(rx + 8, u.b, 16);
	assert_int_equal(fx_rd16(rx + 5 * 24), 0x8004);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
	assert_ffa_success(ns_call(e, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
	/* FFA_RX_ACQUIRE takes a free buffer; a second one finds it owned. */
	assert_ffa_success(ns_call(e, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0));
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
	assert_ffa_error(ns_call(e, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0), FFA_BUSY);
	assert_ffa_success(ns_call(e, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(ns_call(e, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_false(e->s.hyp_mailbox.mapped);
	assert_faults(e, 0, 0);
}

/* ffa-facts §2 FFA_FEATURES(RXTX_MAP): before v1.2, w2[31:2] are MBZ (no maximum). */
static void test_ffa_features_rxtx_map_v1_1_caller_no_max(void **state)
{
	struct env *e = *state;
	struct smccc_regs r;

	ns_negotiate(e, FFA_VERSION_1_1);
	r = ns_call(e, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0);
	assert_faults(e, 0, 0);
}

/* Hafnium aa100c1b: as SPMC only the SMC64 form of FFA_RXTX_MAP exists. */
static void test_ffa_rxtx_map_32_not_supported(void **state)
{
	struct env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_ffa_error(ns_call(e, FFA_RXTX_MAP_32, HYP_TX, HYP_RX, 1, 0, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(ns_call(e, FFA_FEATURES_32, FFA_RXTX_MAP_32, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_false(e->s.hyp_mailbox.mapped);
}

/* DEN0077A v1.2 §13.2.2, ACS ffa_version_negotiation: locked at the first other call. */
static void test_ffa_version_locked_after_first_other_call(void **state)
{
	struct env *e = *state;
	struct smccc_regs r;

	/* Still open: a second FFA_VERSION may change the request. */
	ns_negotiate(e, FFA_VERSION_1_1);
	ns_negotiate(e, FFA_VERSION_1_2);
	assert_ffa_success(ns_call(e, FFA_ID_GET_32, 0, 0, 0, 0, 0));
	r = ns_call(e, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_VERSION_NOT_SUPPORTED);
	assert_int_equal(e->s.ns_version, FFA_VERSION_1_2);
	r = ns_call(e, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_VERSION_1_2);
	assert_faults(e, 0, 0);
}

/* Hafnium 48546b1e, ffa-facts §3.1: a v1.1 caller sees each partition once, w3 = 24. */
static void test_ffa_partition_info_get_v1_1_caller_one_per_partition(void **state)
{
	static const struct {
		uint16_t id, exec;
		uint32_t props;
		const char *uuid;
	} want[] = {
		{0x8001, 8, 0x10F, UUID_CRYPTO},
		{0x8002, 1, 0x10D, UUID_STORAGE},
		{0x8003, 2, 0x1C1, UUID_MULTI0},
		{0x8004, 1, 0x003, UUID_LEGACY},
	};
	struct env *e = *state;
	const uint8_t *rx;

	ns_negotiate(e, FFA_VERSION_1_1);
	ns_map(e);
	assert_info_get(e, 0, 4, 24);
	rx = hyp_rx(e);
	for (unsigned i = 0; i < 4; i++) {
		struct ffa_uuid u = fx_uuid(want[i].uuid);

		assert_int_equal(fx_rd16(rx + 24 * i), want[i].id);
		assert_int_equal(fx_rd16(rx + 24 * i + 2), want[i].exec);
		assert_int_equal(fx_rd32(rx + 24 * i + 4), want[i].props);
		assert_memory_equal(rx + 24 * i + 8, u.b, 16);
	}
	/* Nothing written past the fourth descriptor. */
	for (unsigned i = 4 * 24; i < 6 * 24; i++) {
		assert_int_equal(rx[i], 0);
	}
	assert_faults(e, 0, 0);
}

/* ffa-facts §2 FFA_PARTITION_INFO_GET: w5 bits[31:1] MBZ; v1.0: all of w5 MBZ. */
static void test_ffa_partition_info_get_flags_mbz_invalid(void **state)
{
	struct env *e = *state;

	ns_start(e);
	assert_ffa_error(ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 2),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0x80000001U),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
}

/* ffa-facts §2 FFA_PARTITION_INFO_GET: v1.0 has no flags, so w5 = 1 is INVALID_PARAMETERS. */
static void test_ffa_partition_info_get_v1_0_caller_flags_invalid(void **state)
{
	struct env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_0);
	ns_map(e);
	assert_ffa_error(ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 1),
			 FFA_INVALID_PARAMETERS);
	/* Without flags: 8-byte descriptors, one per partition, w3 = 0. */
	assert_info_get(e, 0, 4, 0);
}

/* ffa-facts §2 FFA_PARTITION_INFO_GET: count only (w5 = 1) gives w2 = count, w3 = 0, no RX. */
static void test_ffa_partition_info_get_count_only_leaves_rx_free(void **state)
{
	struct env *e = *state;

	ns_start(e);
	assert_info_get(e, 1, 6, 0);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
	assert_faults(e, 0, 0);
}

#define ENV_TEST(fn) cmocka_unit_test_setup_teardown(fn, env_setup, env_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spmc_manifest_default_content),
		cmocka_unit_test(test_spmc_manifest_parse_minimal_with_defaults),
		cmocka_unit_test(test_spmc_manifest_parse_unknown_key_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_bad_uuid_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_nil_uuid_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_non_secure_id_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_duplicate_id_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_partition_without_uuid_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_req2_on_v1_1_partition_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_unknown_property_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_bad_version_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_zero_execution_contexts_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_key_outside_partition_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_no_partitions_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_too_long_line_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_nul_byte_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_max_pages_not_multiple_rejected),
		cmocka_unit_test(test_spmc_manifest_parse_non_secure_spmc_id_rejected),
		cmocka_unit_test(test_spmc_manifest_load_missing_file_names_path),
		cmocka_unit_test(test_spmc_manifest_load_temp_file),
		ENV_TEST(test_spmc_call_before_version_not_supported_fault),
		ENV_TEST(test_ffa_rxtx_map_not_hyp_pages_denied_fault),
		ENV_TEST(test_ffa_rxtx_map_private_pages_denied_fault),
		ENV_TEST(test_ffa_rxtx_map_twice_denied_fault),
		ENV_TEST(test_ffa_rxtx_map_x3_mbz_invalid_fault),
		ENV_TEST(test_ffa_rxtx_unmap_rx_owned_denied_fault),
		ENV_TEST(test_ffa_rx_release_not_held_denied_fault),
		ENV_TEST(test_ffa_rx_release_unknown_endpoint_invalid_fault),
		ENV_TEST(test_ffa_rx_acquire_unknown_endpoint_invalid_fault),
		ENV_TEST(test_ffa_rxtx_unmap_unknown_endpoint_invalid_fault),
		ENV_TEST(test_ffa_rxtx_unmap_nothing_mapped_invalid_fault),
		ENV_TEST(test_ffa_partition_info_get_hyp_holds_rx_busy_fault),
		ENV_TEST(test_spmc_well_behaved_sequence_no_faults),
		ENV_TEST(test_ffa_features_rxtx_map_v1_1_caller_no_max),
		ENV_TEST(test_ffa_rxtx_map_32_not_supported),
		ENV_TEST(test_ffa_version_locked_after_first_other_call),
		ENV_TEST(test_ffa_partition_info_get_v1_1_caller_one_per_partition),
		ENV_TEST(test_ffa_partition_info_get_flags_mbz_invalid),
		ENV_TEST(test_ffa_partition_info_get_v1_0_caller_flags_invalid),
		ENV_TEST(test_ffa_partition_info_get_count_only_leaves_rx_free),
	};

	return cmocka_run_group_tests_name("spmc", tests, NULL, NULL);
}

/*
 * The SPMC model's manifest parser (spmc-model/src/manifest.c): the shipped
 * default manifest's content, and every malformed manifest rejected with
 * "name:line: what was expected" naming the line that caused it.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* manifest.c header: every partition has a non-Nil UUID. */
static void test_spmc_manifest_parse_nil_uuid_rejected(void **state)
{
	(void)state;
	REJECT("# nil\n"
	       "partition 0x8001 a\n"
	       "    uuid 00000000-0000-0000-0000-000000000000\n",
	       3, "non-Nil");
}

/* ffa-facts §2: partition IDs are secure IDs (bit 15 set). */
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

/* spmc.h: execution-contexts is 1..8 (SPMC_MAX_VCPUS). */
static void test_spmc_manifest_parse_zero_execution_contexts_rejected(void **state)
{
	(void)state;
	REJECT("partition 0x8001 a\n"
	       "    uuid " UUID_CRYPTO "\n"
	       "    execution-contexts 0\n",
	       3, "execution-contexts '0'");
	REJECT("partition 0x8001 a\n"
	       "    execution-contexts 9\n",
	       2, "execution-contexts '9'");
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

/* Load @path, which is not a regular file: refused, "@path: cannot read: ...@what". */
static void assert_load_refused(const char *path, const char *what)
{
	struct spmc_manifest mf;
	char err[256] = "", prefix[160];

	snprintf(prefix, sizeof(prefix), "%s: cannot read: ", path);
	if (spmc_manifest_load(path, &mf, err, sizeof(err))) {
		fail_msg("%s was loaded as a manifest", path);
	}
	if (strncmp(err, prefix, strlen(prefix)) != 0 || strstr(err, what) == NULL) {
		fail_msg("error \"%s\"; expected \"%s... %s\"", err, prefix, what);
	}
}

/*
 * spmc.h spmc_manifest_load(): only a regular file is read. A directory was
 * sized by seeking to its end (LONG_MAX: a 2^63-byte allocation), a device
 * read as an empty manifest, a FIFO waited on for a writer forever.
 */
static void test_spmc_manifest_load_not_regular_file_refused(void **state)
{
	char dir[] = "/tmp/ffa-emu-manifest-dir-XXXXXX", fifo[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_load_refused(dir, "expected a manifest file, found a directory");
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10); /* waiting for a writer would hang the test: let SIGALRM fail it */
	assert_load_refused(fifo, "found a FIFO");
	alarm(0);
	unlink(fifo);
	rmdir(dir);
	assert_load_refused("/dev/null", "found a device");
}

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
		cmocka_unit_test(test_spmc_manifest_load_not_regular_file_refused),
	};

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}

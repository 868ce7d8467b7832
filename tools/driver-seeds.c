/*
 * Writes Linux's FF-A driver's real call sequences as seeds for the
 * raw-call fuzz targets: each client program in corpus/client/ (the
 * driver's probe and operations, fuzz/client_input.h) runs through the
 * driver on ref, every call it makes is recorded (x1-x7 as made, and the TX
 * bytes a memory transaction or an indirect message carries), and the
 * sequence, cut at FUZZ_MAX_CALLS, is written in the format of fuzz/input.h
 * as corpus/<target>/driver-<program> for every target whose ABI set has
 * calls of it (the others dropped, as tools/fuzz-seeds does). `make seeds`
 * runs it; the seeds are committed.
 *
 * Usage: driver-seeds <corpus directory>. Exit status 0; 1 if the driver
 * breaks an oracle rule on a program (a seed must run clean); 2 if a file
 * cannot be read or written.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_machine.h"

static struct fuzz_machine fm;
static struct fuzz_program rec; /* the calls of the program being run */
static uint64_t tx_ipa;         /* the driver's TX buffer, from its FFA_RXTX_MAP */

/* The bytes of the driver's TX buffer a call carries: a memory transaction's fragment, a message. */
static uint32_t tx_bytes(const struct smccc_regs *call, const uint8_t *tx)
{
	uint32_t fid = (uint32_t)call->x[0], len = 0;

	switch (fid) {
	case FFA_MEM_SHARE_32: case FFA_MEM_SHARE_64: case FFA_MEM_LEND_32: case FFA_MEM_LEND_64:
	case FFA_MEM_DONATE_32: case FFA_MEM_DONATE_64: case FFA_MEM_RETRIEVE_REQ_32:
	case FFA_MEM_RETRIEVE_REQ_64: case FFA_MEM_FRAG_TX_32:
		len = (uint32_t)(fid == FFA_MEM_FRAG_TX_32 ? call->x[3] : call->x[2]);
		break;
	case FFA_MSG_SEND2_32: {
		struct ffa_partition_msg_header_v1_1 h;

		memcpy(&h, tx, sizeof(h));
		len = h.offset + h.size < h.offset ? FFA_PAGE_SIZE : h.offset + h.size;
		break;
	}
	default:
		break;
	}
	return len < FFA_PAGE_SIZE ? len : FFA_PAGE_SIZE;
}

static void record(const struct smccc_regs *call, const struct smccc_regs *reply,
		   const uint64_t got[FFA_CLIENT_REGS])
{
	struct fuzz_call *c = &rec.calls[rec.call_count];
	struct mem_window w;
	const uint8_t *tx = NULL;

	(void)reply;
	(void)got;
	if ((uint32_t)call->x[0] == FFA_RXTX_MAP_64 || (uint32_t)call->x[0] == FFA_RXTX_MAP_32) {
		tx_ipa = call->x[1];
	}
	if (rec.call_count == FUZZ_MAX_CALLS) {
		return;
	}
	*c = (struct fuzz_call){.vm = 0, .fid = (uint32_t)call->x[0], .present = 0x7F};
	memcpy(&c->x[1], &call->x[1], 7 * sizeof(c->x[1]));
	if (mediator_config_window(&fm.cfg, 0, &w) && tx_ipa >= w.ipa_base &&
	    tx_ipa < w.ipa_base + (uint64_t)w.page_count * FFA_PAGE_SIZE) {
		tx = mem_host(&fm.mem, w.pa_base + (tx_ipa - w.ipa_base), 1);
	}
	c->payload_len = tx ? (uint16_t)tx_bytes(call, tx) : 0;
	if (rec.payload_used + c->payload_len > sizeof(rec.payload)) {
		c->payload_len = 0;
	}
	c->payload_off = (uint16_t)rec.payload_used;
	if (c->payload_len != 0) {
		memcpy(rec.payload + rec.payload_used, tx, c->payload_len);
	}
	rec.payload_used += c->payload_len;
	rec.call_count++;
}

static void broke(const char *rule, const char *detail)
{
	fprintf(stderr, "driver-seeds: the driver broke %s: %s\n", rule, detail);
	exit(1);
}

/* Run client program @path through the driver, its calls into rec. Returns: false if unreadable. */
static bool run_program(const char *path)
{
	static uint8_t bytes[FUZZ_CLIENT_HEADER + FUZZ_CLIENT_MAX_OPS * FUZZ_CLIENT_RECORD];
	static struct fuzz_client_program cp;
	static struct fuzz_client fc;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		return false;
	}
	n = fread(bytes, 1, sizeof(bytes), f);
	fclose(f);
	fuzz_client_decode(bytes, n, &cp);
	memset(&rec, 0, sizeof(rec));
	rec = (struct fuzz_program){.profile = cp.profile, .vm_count = FUZZ_MAX_VMS, .lie = cp.lie};
	tx_ipa = 0;
	if (!fuzz_machine_init(&fm, &rec)) {
		broke("startup", "the mediator could not start");
	}
	fc.trace = record;
	fuzz_client_probe(&fc, &fm, 0, NULL, cp.hvc); /* the calls are the same through the stub */
	for (unsigned i = 0; i < cp.op_count; i++) {
		fuzz_client_op(&fc, &cp.ops[i]);
	}
	fuzz_client_remove(&fc);
	return true;
}

/* Whether @set's seeds of this run hold @n bytes @out already (the probe alone is the same for many). */
static bool written(const struct fuzz_abi_set *set, const uint8_t *out, size_t n)
{
	static struct {
		const struct fuzz_abi_set *set;
		uint64_t hash;
	} seen[256];
	static unsigned count;
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (size_t i = 0; i < n; i++) {
		h = (h ^ out[i]) * 0x100000001b3ULL;
	}
	for (unsigned i = 0; i < count; i++) {
		if (seen[i].set == set && seen[i].hash == h) {
			return true;
		}
	}
	if (count < 256) {
		seen[count].set = set;
		seen[count++].hash = h;
	}
	return false;
}

/* Write rec, the calls of @set's ABIs only, as @dir/<target>/driver-@name. Returns: false on a write error. */
static bool write_seed(const char *dir, const struct fuzz_abi_set *set, const char *name)
{
	static struct fuzz_program p;
	static uint8_t out[FUZZ_MAX_CALLS * 80 + sizeof(p.payload) + FUZZ_HEADER_SIZE];
	char path[512];
	size_t n;
	FILE *f;

	if (fuzz_keep_set(set, &rec, &p) == 0 || (n = fuzz_encode(set, &p, out, sizeof(out))) == 0 ||
	    written(set, out, n)) {
		return true; /* nothing of this target's, or a seed it has already: none */
	}
	snprintf(path, sizeof(path), "%s/%s/driver-%s", dir, set->target, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(out, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "driver-seeds: %s: cannot write\n", path);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	char dir[512];
	struct dirent *e;
	DIR *d;
	unsigned programs = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: driver-seeds <corpus directory>\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s/client", argv[1]);
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "driver-seeds: %s: cannot read\n", dir);
		return 2;
	}
	unsetenv("FFA_EMU_SUPPRESS");
	oracle_failure_hook = broke;
	backend_finding_hook = broke;
	fuzz_machine_use_backend(&fm, &backend_ref);
	while ((e = readdir(d)) != NULL) {
		char path[1024];

		if (e->d_name[0] == '.') {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!run_program(path)) {
			fprintf(stderr, "driver-seeds: %s: cannot read\n", path);
			return 2;
		}
		for (unsigned s = 0; s < fuzz_abi_set_count; s++) {
			if (!write_seed(argv[1], &fuzz_abi_sets[s], e->d_name)) {
				return 2;
			}
		}
		programs++;
	}
	closedir(d);
	printf("driver-seeds: %u of the driver's programs written for %u targets\n", programs,
	       fuzz_abi_set_count);
	return 0;
}

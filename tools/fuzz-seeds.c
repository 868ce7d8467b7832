/*
 * Writes the seed corpora of the fuzz targets (corpus/<target>/): one
 * program per FF-A flow a mediator must get right, in the format of
 * fuzz/input.h, built with fuzz_encode() so the seeds follow the format
 * wherever it goes. Each target gets every flow with the calls outside its
 * ABI set dropped (a flow left with none is skipped). `make seeds` runs
 * it; the seeds are committed.
 *
 * Usage: fuzz-seeds <corpus directory>. Exit status 0, or 2 if a file
 * cannot be written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ffa/mem_desc.h"
#include "input.h"

/* Special selectors (fuzz/harness.c special()). */
#define S_ZERO 0xC0
#define S_ONE 0xC1
#define S_V1_2 0xC2
#define S_V1_1 0xC3
#define S_V1_0 0xC4
#define S_SP1 0xC7
#define S_TX 0xD0
#define S_RX 0xD1
#define S_FREE 0xD2
#define S_TO_SP1 0xD3
#define S_HANDLE_LO 0xD6
#define S_HANDLE_HI 0xD7
#define S_HANDLE1_LO 0xDE /* the second handle a reply carried */
#define S_HANDLE1_HI 0xDF

static struct fuzz_program prog;

static void begin(enum mediator_profile profile, uint32_t vm_count, uint8_t aarch32_mask)
{
	memset(&prog, 0, sizeof(prog));
	prog.profile = profile;
	prog.vm_count = vm_count;
	prog.aarch32_mask = aarch32_mask;
}

/* Append a call from VM @vm; @regs gives x1..x7, a value >= 0x100 or 0 is
 * raw (sel 0), a value in 0xC0..0xFF a special selector. */
static struct fuzz_call *call(uint8_t vm, uint32_t fid, unsigned n, const uint64_t *regs)
{
	struct fuzz_call *c = &prog.calls[prog.call_count++];

	*c = (struct fuzz_call){.vm = vm, .fid = fid};
	for (unsigned i = 0; i < n; i++) {
		c->present |= (uint8_t)(1U << i);
		if (regs[i] >= 0xC0 && regs[i] <= 0xFF) {
			c->special[i + 1] = (uint8_t)regs[i];
		} else {
			c->x[i + 1] = regs[i];
		}
	}
	return c;
}

#define CALL(vm, fid, ...)                                                                  \
	call(vm, fid, sizeof((uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t),                 \
	     (uint64_t[]){__VA_ARGS__})
#define CALL0(vm, fid) call(vm, fid, 0, NULL)

static void payload(struct fuzz_call *c, const void *data, uint32_t len)
{
	c->payload_off = (uint16_t)prog.payload_used;
	c->payload_len = (uint16_t)len;
	memcpy(prog.payload + prog.payload_used, data, len);
	prog.payload_used += len;
}

static void setup(uint8_t vm, uint64_t version, uint32_t map_fid)
{
	CALL(vm, FFA_VERSION_32, version);
	CALL(vm, map_fid, S_TX, S_RX, S_ONE);
}

/* Write the program as @name for every target whose ABI set keeps a call of it. */
static void save(const char *dir, const char *name)
{
	static uint8_t out[sizeof(prog.payload) + 4096];
	static struct fuzz_program kept;

	for (unsigned t = 0; t < fuzz_abi_set_count; t++) {
		const struct fuzz_abi_set *set = &fuzz_abi_sets[t];
		char path[512];
		size_t n;
		FILE *f;

		if (fuzz_keep_set(set, &prog, &kept) == 0) {
			continue;
		}
		n = fuzz_encode(set, &kept, out, sizeof(out));
		snprintf(path, sizeof(path), "%s/%s/%s", dir, set->target, name);
		f = fopen(path, "wb");
		if (n == 0 || f == NULL || fwrite(out, 1, n, f) != n || fclose(f) != 0) {
			fprintf(stderr, "fuzz-seeds: %s: cannot write\n", path);
			exit(2);
		}
	}
}

/* A share, lend or donate of the VM's first free page to 0x8001, then reclaim. */
static void mem_seed(uint8_t vm, uint32_t fid, uint32_t version)
{
	struct ffa_mem_txn t = {
		.sender = vm,
		.attributes = 0x2F, /* normal, write-back, inner shareable */
		.receiver_count = 1,
		.receivers = {{.id = 0x8001, .perms = 0x2}}, /* RW */
		.page_count = 1,
		.range_count = 1,
		.ranges = {{.address = 0x80000000ULL + 2 * 4096, .page_count = 1}},
	};
	uint8_t desc[256];
	uint32_t len;
	struct fuzz_call *c;

	if (fid == FFA_MEM_DONATE_32 || fid == FFA_MEM_DONATE_64) {
		t.receivers[0].perms = 0;
	}
	if (ffa_mem_type_of(fid) != FFA_MEM_TYPE_SHARE) {
		t.attributes &= (uint16_t)~FFA_MEM_ATTR_TYPE_MASK; /* one borrower: the type is its to choose */
	}
	len = ffa_mem_desc_write(&t, version, desc, sizeof(desc));
	setup(vm, version == FFA_VERSION_1_0 ? S_V1_0 : version == FFA_VERSION_1_1 ? S_V1_1 : S_V1_2,
	      FFA_RXTX_MAP_64);
	c = CALL(vm, fid, len, len, 0, 0);
	payload(c, desc, len);
	CALL(vm, FFA_MEM_RECLAIM_32, S_HANDLE_LO, S_HANDLE_HI, 0);
}

/* A v1.2 descriptor from VM @vm of its page 2 to @to: its length. */
static uint32_t page_desc(uint8_t vm, ffa_id_t to, uint32_t fid, uint8_t *desc, uint32_t size)
{
	struct ffa_mem_txn t = {
		.sender = vm,
		.attributes = ffa_mem_type_of(fid) == FFA_MEM_TYPE_SHARE ? 0x2F : 0x0F,
		.receiver_count = 1,
		.receivers = {{.id = to, .perms = 0x2}},
		.page_count = 1,
		.range_count = 1,
		.ranges = {{.address = 0x80000000ULL + 2 * 4096, .page_count = 1}},
	};

	return ffa_mem_desc_write(&t, FFA_VERSION_1_2, desc, size);
}

/*
 * Deep state: a lend between two VMs, the borrower's retrieve (of the
 * handle the send's reply carried, FUZZ_HANDLE_MARK), release, relinquish,
 * the lender's reclaim, then both pairs unmapped.
 */
static void vm_lend_lifecycle(const char *dir)
{
	uint8_t desc[256];
	struct ffa_mem_relinquish rel = {.handle = FUZZ_HANDLE_MARK, .endpoint_count = 1};
	uint8_t relinquish[sizeof(rel) + 2];
	struct ffa_mem_txn req = {.sender = 0, .attributes = 0x0F, .handle = FUZZ_HANDLE_MARK,
				  .receiver_count = 1, .receivers = {{.id = 1, .perms = 0x2}}};
	uint32_t len;
	struct fuzz_call *c;

	begin(MEDIATOR_PROFILE_SPEC, 2, 0);
	setup(0, S_V1_2, FFA_RXTX_MAP_64);
	setup(1, S_V1_2, FFA_RXTX_MAP_64);
	len = page_desc(0, 1, FFA_MEM_LEND_64, desc, sizeof(desc));
	c = CALL(0, FFA_MEM_LEND_64, len, len, 0, 0);
	payload(c, desc, len);
	len = ffa_mem_desc_write_request(&req, FFA_VERSION_1_2, desc, sizeof(desc));
	c = CALL(1, FFA_MEM_RETRIEVE_REQ_64, len, len, 0, 0);
	payload(c, desc, len);
	CALL0(1, FFA_RX_RELEASE_32);
	memcpy(relinquish, &rel, sizeof(rel));
	memcpy(relinquish + sizeof(rel), &(uint16_t){1}, 2);
	c = CALL0(1, FFA_MEM_RELINQUISH_32);
	payload(c, relinquish, sizeof(relinquish));
	CALL(0, FFA_MEM_RECLAIM_32, S_HANDLE_LO, S_HANDLE_HI, 0);
	CALL(0, FFA_RXTX_UNMAP_32, 0);
	CALL(1, FFA_RXTX_UNMAP_32, 0);
	save(dir, "memory-vm-lend-lifecycle");
}

/* Deep state: the second VM sends in two fragments (FRAG_RX's handle, then FRAG_TX), then reclaims. */
static void vm_fragmented_send(const char *dir)
{
	uint8_t desc[256];
	uint32_t len = page_desc(1, 0x8001, FFA_MEM_SHARE_64, desc, sizeof(desc)), first = len - 16;
	struct fuzz_call *c;

	begin(MEDIATOR_PROFILE_SPEC, 2, 0);
	setup(1, S_V1_2, FFA_RXTX_MAP_64);
	c = CALL(1, FFA_MEM_SHARE_64, len, first, 0, 0);
	payload(c, desc, first);
	c = CALL(1, FFA_MEM_FRAG_TX_32, S_HANDLE_LO, S_HANDLE_HI, len - first, 0);
	payload(c, desc + first, len - first);
	CALL(1, FFA_MEM_RECLAIM_32, S_HANDLE1_LO, S_HANDLE1_HI, 0);
	save(dir, "memory-vm1-two-fragments");
}

/* Deep state: messages between a v1.1 and a v1.2 VM, each read, its notification got, released. */
static void vm_messages(const char *dir)
{
	struct ffa_partition_msg_header h = {.offset = 20, .sender_receiver = 0x00000001, .size = 8};
	uint8_t msg[sizeof(h) + 8] = {0};
	struct fuzz_call *c;

	begin(MEDIATOR_PROFILE_SPEC, 2, 0);
	setup(0, S_V1_1, FFA_RXTX_MAP_64);
	setup(1, S_V1_2, FFA_RXTX_MAP_64);
	memcpy(msg, &h, 20); /* a v1.1 header: 20 bytes */
	memcpy(msg + 20, "from 1.1", 8);
	c = CALL0(0, FFA_MSG_SEND2_32);
	payload(c, msg, 28);
	CALL(1, FFA_NOTIFICATION_GET_32, 1, 0xF);
	CALL0(1, FFA_RX_RELEASE_32);
	h = (struct ffa_partition_msg_header){.offset = sizeof(h), .sender_receiver = 0x00010000, .size = 8};
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "from 1.2", 8);
	c = CALL0(1, FFA_MSG_SEND2_32);
	payload(c, msg, sizeof(msg));
	CALL(0, FFA_NOTIFICATION_GET_32, 0, 0xF);
	CALL0(0, FFA_RX_RELEASE_32);
	save(dir, "indirect-vm-to-vm-v1.1-v1.2");
}

int main(int argc, char **argv)
{
	const char *dir = argc == 2 ? argv[1] : NULL;
	static const uint32_t mem_fids[] = {FFA_MEM_SHARE_64, FFA_MEM_LEND_64, FFA_MEM_DONATE_64,
					    FFA_MEM_SHARE_32};
	static const uint32_t mem_versions[] = {FFA_VERSION_1_2, FFA_VERSION_1_1, FFA_VERSION_1_0,
						FFA_VERSION_1_2};

	if (dir == NULL) {
		fprintf(stderr, "usage: fuzz-seeds <directory>\n");
		return 2;
	}

	/* Discovery at each version, under each profile. */
	for (unsigned prof = 0; prof < MEDIATOR_PROFILE_COUNT; prof++) {
		char name[64];

		begin(prof, 2, 0);
		setup(0, S_V1_2, FFA_RXTX_MAP_64);
		CALL0(0, FFA_ID_GET_32);
		CALL0(0, FFA_SPM_ID_GET_32);
		CALL(0, FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ2_64);
		CALL(0, FFA_FEATURES_32, FFA_RXTX_MAP_64);
		CALL(0, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0);
		CALL0(0, FFA_RX_RELEASE_32);
		CALL(0, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0);
		setup(1, S_V1_1, FFA_RXTX_MAP_64);
		CALL(1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0);
		CALL(1, FFA_RXTX_UNMAP_32, 0x10000);
		snprintf(name, sizeof(name), "discovery-%s", prof == 0 ? "spec" : prof == 1 ? "pkvm" : "xen");
		save(dir, name);
	}

	/* Version negotiation: a v1.0 AArch32 VM, renegotiation before and after use. */
	begin(MEDIATOR_PROFILE_SPEC, 2, 1);
	CALL(0, FFA_VERSION_32, S_V1_0);
	CALL(0, FFA_VERSION_32, S_V1_2);
	CALL(0, FFA_RXTX_MAP_32, S_TX, S_RX, S_ONE);
	CALL(0, FFA_VERSION_32, S_V1_1);
	CALL(1, FFA_VERSION_32, 0x20000);
	CALL(1, FFA_VERSION_32, 0x80010002);
	CALL0(1, FFA_ID_GET_32);
	CALL(1, FFA_VERSION_32, S_V1_1);
	save(dir, "version-renegotiation");

	/* Direct messaging: REQ from v1.0, REQ2 (x8-x17 payload) from v1.2, a yield resumed by RUN. */
	begin(MEDIATOR_PROFILE_SPEC, 2, 0);
	prog.behaviour[2] = SPMC_BEHAVE_YIELD;
	CALL(0, FFA_VERSION_32, S_V1_0);
	CALL(0, FFA_MSG_SEND_DIRECT_REQ_32, S_TO_SP1, 0, 0x11, 0x22, 0x33, 0x44, 0x55);
	CALL(0, FFA_MSG_SEND_DIRECT_REQ_64, S_TO_SP1, 0, 0x11, 0x22, 0x33, 0x44, 0x55);
	CALL(1, FFA_VERSION_32, S_V1_2);
	CALL(1, FFA_MSG_SEND_DIRECT_REQ2_64, S_TO_SP1, 0, 0, 0x1111, 0x2222, 0x3333, 0x4444);
	CALL(1, FFA_MSG_SEND_DIRECT_REQ_64, 0x18003, 0, 1, 2, 3, 4, 5);
	CALL(1, FFA_RUN_32, 0x80030000);
	save(dir, "direct-req-req2-run");

	/* Indirect messaging: SEND2 to a partition that sends back, then RX_RELEASE. */
	{
		struct ffa_partition_msg_header h = {
			.offset = sizeof(h), .sender_receiver = 0x00018001, .size = 8};
		uint8_t msg[sizeof(h) + 8] = {0};
		struct fuzz_call *c;

		begin(MEDIATOR_PROFILE_SPEC, 2, 0); /* VM 1: the host (0) is not registered */
		prog.behaviour[0] = SPMC_BEHAVE_SEND_BACK;
		setup(1, S_V1_2, FFA_RXTX_MAP_64);
		memcpy(msg, &h, sizeof(h));
		memcpy(msg + sizeof(h), "ffa-emu!", 8);
		c = CALL0(1, FFA_MSG_SEND2_32);
		payload(c, msg, sizeof(msg));
		CALL(1, FFA_MSG_SEND_DIRECT_REQ_32, S_TO_SP1, 0, 1, 2, 3, 4, 5);
		CALL(1, FFA_NOTIFICATION_INFO_GET_64);
		CALL0(1, FFA_RX_RELEASE_32);
		save(dir, "indirect-send2-send-back");
	}

	/* Notifications: bind to a partition, have it notify, get, INFO_GET. */
	begin(MEDIATOR_PROFILE_SPEC, 1, 0);
	prog.behaviour[0] = SPMC_BEHAVE_NOTIFY;
	CALL(0, FFA_VERSION_32, S_V1_2);
	CALL(0, FFA_NOTIFICATION_BIND_32, 0x80010000, 0, 1, 0);
	CALL(0, FFA_MSG_SEND_DIRECT_REQ_32, S_TO_SP1, 0, 1, 2, 3, 4, 5);
	CALL0(0, FFA_NOTIFICATION_INFO_GET_64);
	CALL(0, FFA_NOTIFICATION_GET_32, 0, 0xF);
	CALL(0, FFA_NOTIFICATION_UNBIND_32, 0x80010000, 0, 1, 0);
	save(dir, "notifications-bind-set-get");

	/* Memory: each transaction type at each descriptor version, then reclaim. */
	for (unsigned i = 0; i < sizeof(mem_fids) / sizeof(mem_fids[0]); i++) {
		char name[64];

		begin(MEDIATOR_PROFILE_SPEC, 2, 0);
		mem_seed(0, mem_fids[i], mem_versions[i]);
		snprintf(name, sizeof(name), "memory-%u-v1.%u", i, mem_versions[i] & 0xFFFF);
		save(dir, name);
	}

	vm_lend_lifecycle(dir);
	vm_fragmented_send(dir);
	vm_messages(dir);

	/* A yielded request another VM may not finish; its own VM's FFA_RUN does. */
	begin(MEDIATOR_PROFILE_SPEC, 2, 0);
	prog.behaviour[2] = SPMC_BEHAVE_YIELD;
	CALL(0, FFA_VERSION_32, S_V1_2);
	CALL(1, FFA_VERSION_32, S_V1_2);
	CALL(0, FFA_MSG_SEND_DIRECT_REQ_64, 0x8003, 0, 1, 2, 3, 4, 5);
	CALL(1, FFA_RUN_32, 0x80030000);
	CALL(0, FFA_RUN_32, 0x80030000);
	save(dir, "direct-yield-run-by-owner");

	/* Memory with fragments to the SPMC and a partition that retrieves it. */
	begin(MEDIATOR_PROFILE_SPEC, 1, 0);
	prog.small_frags = true;
	mem_seed(0, FFA_MEM_LEND_64, FFA_VERSION_1_2);
	save(dir, "memory-lend-fragmented");
	return 0;
}

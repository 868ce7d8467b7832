/*
 * Decoded traces: see trace.h. Argument names follow DEN0077A v1.2's
 * register tables for each ABI; registers an ABI does not name are printed
 * as xN=value when they are not zero.
 */
#include "trace.h"

#include <string.h>

#include "ffa/abi.h"

/*
 * How each ABI's registers read: one word per register from x1, "-" for
 * one not named. A name's first character says how to print it:
 * '@' a sender|receiver pair, 'v' a version word, '#' a decimal count,
 * 'U' a UUID in this and the next three registers' low words, 'O' a UUID in
 * this and the next register; otherwise hex. 32-bit names are printed from
 * the register's low word.
 */
static const struct {
	uint32_t fid;
	const char *regs;
} layouts[] = {
	{FFA_VERSION_32, "vversion"},
	{FFA_FEATURES_32, "id props"},
	{FFA_RXTX_MAP_32, "tx rx #pages"},
	{FFA_RXTX_MAP_64, "tx rx #pages"},
	{FFA_RXTX_UNMAP_32, "id"},
	{FFA_RX_RELEASE_32, "id"},
	{FFA_RX_ACQUIRE_32, "id"},
	{FFA_PARTITION_INFO_GET_32, "Uuuid - - - flags"},
	{FFA_PARTITION_INFO_GET_REGS_64, "Ouuid - start-tag"},
	{FFA_MSG_SEND_DIRECT_REQ_32, "@from-to flags a3 a4 a5 a6 a7"},
	{FFA_MSG_SEND_DIRECT_REQ_64, "@from-to flags a3 a4 a5 a6 a7"},
	{FFA_MSG_SEND_DIRECT_RESP_32, "@from-to flags a3 a4 a5 a6 a7"},
	{FFA_MSG_SEND_DIRECT_RESP_64, "@from-to flags a3 a4 a5 a6 a7"},
	{FFA_MSG_SEND_DIRECT_REQ2_64, "@from-to Ouuid - a4 a5 a6 a7"},
	{FFA_MSG_SEND_DIRECT_RESP2_64, "@from-to - - a4 a5 a6 a7"},
	{FFA_RUN_32, "target"},
	{FFA_MSG_SEND2_32, "sender flags"},
	{FFA_MEM_SHARE_32, "#total #fragment address #pages"},
	{FFA_MEM_SHARE_64, "#total #fragment address #pages"},
	{FFA_MEM_LEND_32, "#total #fragment address #pages"},
	{FFA_MEM_LEND_64, "#total #fragment address #pages"},
	{FFA_MEM_DONATE_32, "#total #fragment address #pages"},
	{FFA_MEM_DONATE_64, "#total #fragment address #pages"},
	{FFA_MEM_RETRIEVE_REQ_32, "#total #fragment address #pages"},
	{FFA_MEM_RETRIEVE_REQ_64, "#total #fragment address #pages"},
	{FFA_MEM_RECLAIM_32, "handle-lo handle-hi flags"},
	{FFA_MEM_RELINQUISH_32, ""},
	{FFA_MEM_FRAG_TX_32, "handle-lo handle-hi #length sender"},
	{FFA_MEM_FRAG_RX_32, "handle-lo handle-hi #offset sender"},
	{FFA_NOTIFICATION_BITMAP_CREATE_32, "vm #vcpus"},
	{FFA_NOTIFICATION_BITMAP_DESTROY_32, "vm"},
	{FFA_NOTIFICATION_BIND_32, "@from-to flags bits-lo bits-hi"},
	{FFA_NOTIFICATION_UNBIND_32, "@from-to - bits-lo bits-hi"},
	{FFA_NOTIFICATION_SET_32, "@from-to flags bits-lo bits-hi"},
	{FFA_NOTIFICATION_GET_32, "@vcpu-receiver flags"},
};

static const char *layout_of(uint32_t fid)
{
	for (unsigned i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		if (layouts[i].fid == fid) {
			return layouts[i].regs;
		}
	}
	return NULL;
}

static void print_uuid(FILE *f, struct ffa_uuid u)
{
	fprintf(f, " uuid=");
	for (unsigned i = 0; i < 16; i++) {
		fprintf(f, "%02x%s", u.b[i], i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
	}
}

static void print_value(FILE *f, const char *name, uint64_t v, bool width32)
{
	const char *shown = (name[0] == '@' || name[0] == 'v' || name[0] == '#') ? name + 1 : name;

	if (width32) {
		v &= 0xFFFFFFFFU;
	}
	fprintf(f, " %s=", shown);
	if (name[0] == '@') {
		fprintf(f, "%#x->%#x", (unsigned)(v >> 16 & 0xFFFF), (unsigned)(v & 0xFFFF));
	} else if (name[0] == 'v' && !(v & 0x80000000U)) {
		fprintf(f, "v%u.%u", (unsigned)(v >> 16), (unsigned)(v & 0xFFFF));
	} else if (name[0] == '#') {
		fprintf(f, "%llu", (unsigned long long)v);
	} else {
		fprintf(f, "%#llx", (unsigned long long)v);
	}
}

/* Registers x1..x@last of @r, named by @layout (NULL: every non-zero one as xN). */
static void print_regs(FILE *f, const char *layout, const struct smccc_regs *r, unsigned last)
{
	bool width32 = !smccc_is_smc64((uint32_t)r->x[0]);
	unsigned n = 1;

	while (layout && *layout && n <= last) {
		char name[24];
		size_t len = strcspn(layout, " ");

		snprintf(name, sizeof(name), "%.*s", (int)len, layout);
		if (name[0] == 'U' && n + 3 <= 7) {
			print_uuid(f, ffa_uuid_from_words32((uint32_t)r->x[n], (uint32_t)r->x[n + 1],
							    (uint32_t)r->x[n + 2], (uint32_t)r->x[n + 3]));
		} else if (name[0] == 'O' && n + 1 <= 7) {
			print_uuid(f, ffa_uuid_from_words64(r->x[n], r->x[n + 1]));
		} else if (strcmp(name, "-") != 0) {
			print_value(f, name, r->x[n], width32);
		}
		layout += len + (layout[len] == ' ');
		n++;
	}
	for (; n <= last; n++) {
		if (r->x[n] != 0) {
			fprintf(f, " x%u=%#llx", n, (unsigned long long)r->x[n]);
		}
	}
}

void trace_call(FILE *f, ffa_id_t vm, const struct smccc_regs *r)
{
	const char *name = ffa_func_name((uint32_t)r->x[0]);

	fprintf(f, "vm%u %s", vm, name ? name : "(not FF-A)");
	if (name == NULL) {
		fprintf(f, " x0=%#llx", (unsigned long long)r->x[0]);
	}
	print_regs(f, layout_of((uint32_t)r->x[0]), r, 7);
	fputc('\n', f);
}

void trace_reply(FILE *f, const struct smccc_regs *call, const struct smccc_regs *r)
{
	uint32_t w0 = (uint32_t)r->x[0];
	const char *name = ffa_func_name(w0);

	fprintf(f, "    -> ");
	if (ffa_func(call) == FFA_VERSION_32) {
		if (w0 & 0x80000000U) {
			fprintf(f, "%s (%#x)\n", ffa_error_name((int32_t)w0), w0);
		} else {
			fprintf(f, "v%u.%u\n", w0 >> 16, w0 & 0xFFFF);
		}
		return;
	}
	if (w0 == FFA_ERROR_32) {
		fprintf(f, "FFA_ERROR_32 %s", ffa_error_name((int32_t)(uint32_t)r->x[2]));
		print_regs(f, "- -", r, 7);
		fputc('\n', f);
		return;
	}
	fprintf(f, "%s", name ? name : "(not FF-A)");
	if (name == NULL) {
		fprintf(f, " x0=%#llx", (unsigned long long)r->x[0]);
	}
	if (w0 == FFA_SUCCESS_32 || w0 == FFA_SUCCESS_64) {
		print_regs(f, NULL, r, 7);
	} else {
		print_regs(f, layout_of(w0), r, 7);
	}
	fputc('\n', f);
}

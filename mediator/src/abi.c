/*
 * Names and introduction versions of the FF-A function IDs and status codes
 * (DEN0077A v1.2 §"Function ID table" and §"Status error codes"), and UUID
 * text parsing. Shared by every component for logs, traces and the
 * dispatchers' version gates.
 */
#include "ffa/abi.h"

#include <stddef.h>

struct ffa_func_desc {
	uint32_t fid;
	uint32_t since;
	const char *name;
};

#define F(id, v) {id, FFA_VERSION_##v, #id}

static const struct ffa_func_desc ffa_funcs[] = {
	F(FFA_ERROR_32, 1_0),
	F(FFA_SUCCESS_32, 1_0),
	F(FFA_SUCCESS_64, 1_0),
	F(FFA_INTERRUPT_32, 1_0),
	F(FFA_VERSION_32, 1_0),
	F(FFA_FEATURES_32, 1_0),
	F(FFA_RX_RELEASE_32, 1_0),
	F(FFA_RXTX_MAP_32, 1_0),
	F(FFA_RXTX_MAP_64, 1_0),
	F(FFA_RXTX_UNMAP_32, 1_0),
	F(FFA_PARTITION_INFO_GET_32, 1_0),
	F(FFA_ID_GET_32, 1_0),
	F(FFA_MSG_POLL_32, 1_0),
	F(FFA_MSG_WAIT_32, 1_0),
	F(FFA_YIELD_32, 1_0),
	F(FFA_RUN_32, 1_0),
	F(FFA_MSG_SEND_32, 1_0),
	F(FFA_MSG_SEND_DIRECT_REQ_32, 1_0),
	F(FFA_MSG_SEND_DIRECT_REQ_64, 1_0),
	F(FFA_MSG_SEND_DIRECT_RESP_32, 1_0),
	F(FFA_MSG_SEND_DIRECT_RESP_64, 1_0),
	F(FFA_MEM_DONATE_32, 1_0),
	F(FFA_MEM_DONATE_64, 1_0),
	F(FFA_MEM_LEND_32, 1_0),
	F(FFA_MEM_LEND_64, 1_0),
	F(FFA_MEM_SHARE_32, 1_0),
	F(FFA_MEM_SHARE_64, 1_0),
	F(FFA_MEM_RETRIEVE_REQ_32, 1_0),
	F(FFA_MEM_RETRIEVE_REQ_64, 1_0),
	F(FFA_MEM_RETRIEVE_RESP_32, 1_0),
	F(FFA_MEM_RELINQUISH_32, 1_0),
	F(FFA_MEM_RECLAIM_32, 1_0),
	F(FFA_MEM_OP_PAUSE_32, 1_0),
	F(FFA_MEM_OP_RESUME_32, 1_0),
	F(FFA_MEM_FRAG_RX_32, 1_0),
	F(FFA_MEM_FRAG_TX_32, 1_0),
	F(FFA_NORMAL_WORLD_RESUME_32, 1_1),
	F(FFA_NOTIFICATION_BITMAP_CREATE_32, 1_1),
	F(FFA_NOTIFICATION_BITMAP_DESTROY_32, 1_1),
	F(FFA_NOTIFICATION_BIND_32, 1_1),
	F(FFA_NOTIFICATION_UNBIND_32, 1_1),
	F(FFA_NOTIFICATION_SET_32, 1_1),
	F(FFA_NOTIFICATION_GET_32, 1_1),
	F(FFA_NOTIFICATION_INFO_GET_32, 1_1),
	F(FFA_NOTIFICATION_INFO_GET_64, 1_1),
	F(FFA_RX_ACQUIRE_32, 1_1),
	F(FFA_SPM_ID_GET_32, 1_1),
	F(FFA_MSG_SEND2_32, 1_1),
	F(FFA_SECONDARY_EP_REGISTER_32, 1_1),
	F(FFA_SECONDARY_EP_REGISTER_64, 1_1),
	F(FFA_MEM_PERM_GET_32, 1_1),
	F(FFA_MEM_PERM_GET_64, 1_1),
	F(FFA_MEM_PERM_SET_32, 1_1),
	F(FFA_MEM_PERM_SET_64, 1_1),
	F(FFA_CONSOLE_LOG_32, 1_2),
	F(FFA_CONSOLE_LOG_64, 1_2),
	F(FFA_PARTITION_INFO_GET_REGS_64, 1_2),
	F(FFA_EL3_INTR_HANDLE_32, 1_2),
	F(FFA_MSG_SEND_DIRECT_REQ2_64, 1_2),
	F(FFA_MSG_SEND_DIRECT_RESP2_64, 1_2),
};

#undef F

static const struct ffa_func_desc *ffa_func_find(uint32_t fid)
{
	for (size_t i = 0; i < sizeof(ffa_funcs) / sizeof(ffa_funcs[0]); i++) {
		if (ffa_funcs[i].fid == fid) {
			return &ffa_funcs[i];
		}
	}
	return NULL;
}

const char *ffa_func_name(uint32_t fid)
{
	const struct ffa_func_desc *d = ffa_func_find(fid);

	return d ? d->name : NULL;
}

uint32_t ffa_func_since(uint32_t fid)
{
	const struct ffa_func_desc *d = ffa_func_find(fid);

	return d ? d->since : 0;
}

const char *ffa_error_name(int32_t err)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "NO_MEMORY",
		"BUSY",    "INTERRUPTED",   "DENIED",             "RETRY",
		"ABORTED", "NO_DATA",       "NOT_READY",
	};

	if (err > 0 || err < FFA_NOT_READY) {
		return "UNKNOWN";
	}
	return names[-err];
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

bool ffa_uuid_parse(const char *text, struct ffa_uuid *out)
{
	/* Dashes after bytes 4, 6, 8 and 10, as in RFC 4122's text form. */
	static const char dash_after[16] = {[3] = 1, [5] = 1, [7] = 1, [9] = 1};
	const char *p = text;

	for (unsigned i = 0; i < 16; i++) {
		int hi = hex_digit(p[0]);
		int lo = hi < 0 ? -1 : hex_digit(p[1]);

		if (lo < 0) {
			return false;
		}
		out->b[i] = (uint8_t)(hi << 4 | lo);
		p += 2;
		if (dash_after[i]) {
			if (*p != '-') {
				return false;
			}
			p++;
		}
	}
	return *p == '\0';
}

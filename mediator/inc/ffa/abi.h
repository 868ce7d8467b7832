/*
 * The FF-A wire ABI shared by every ffa-emu component: function IDs, status
 * codes, the version word, endpoint IDs and every descriptor that crosses an
 * RX/TX buffer, as Arm DEN0077A (FF-A) v1.0, v1.1 and v1.2 define them.
 *
 * Spec references are DEN0077A v1.2 section and table *titles* (the table
 * numbers move between revisions); ffa-facts.md §1 to §3 has the values and
 * the implementations each was cross-checked against.
 *
 * This header depends only on <stdint.h>, <stdbool.h> and <stddef.h>.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- Function IDs (DEN0077A §"Function ID table"; SMCCC function identifiers) --- */

#define FFA_ERROR_32 0x84000060U
#define FFA_SUCCESS_32 0x84000061U
#define FFA_SUCCESS_64 0xC4000061U
#define FFA_INTERRUPT_32 0x84000062U
#define FFA_VERSION_32 0x84000063U
#define FFA_FEATURES_32 0x84000064U
#define FFA_RX_RELEASE_32 0x84000065U
#define FFA_RXTX_MAP_32 0x84000066U
#define FFA_RXTX_MAP_64 0xC4000066U
#define FFA_RXTX_UNMAP_32 0x84000067U
#define FFA_PARTITION_INFO_GET_32 0x84000068U
#define FFA_ID_GET_32 0x84000069U
#define FFA_MSG_POLL_32 0x8400006AU
#define FFA_MSG_WAIT_32 0x8400006BU
#define FFA_YIELD_32 0x8400006CU
#define FFA_RUN_32 0x8400006DU
#define FFA_MSG_SEND_32 0x8400006EU
#define FFA_MSG_SEND_DIRECT_REQ_32 0x8400006FU
#define FFA_MSG_SEND_DIRECT_REQ_64 0xC400006FU
#define FFA_MSG_SEND_DIRECT_RESP_32 0x84000070U
#define FFA_MSG_SEND_DIRECT_RESP_64 0xC4000070U
#define FFA_MEM_DONATE_32 0x84000071U
#define FFA_MEM_DONATE_64 0xC4000071U
#define FFA_MEM_LEND_32 0x84000072U
#define FFA_MEM_LEND_64 0xC4000072U
#define FFA_MEM_SHARE_32 0x84000073U
#define FFA_MEM_SHARE_64 0xC4000073U
#define FFA_MEM_RETRIEVE_REQ_32 0x84000074U
#define FFA_MEM_RETRIEVE_REQ_64 0xC4000074U
#define FFA_MEM_RETRIEVE_RESP_32 0x84000075U
#define FFA_MEM_RELINQUISH_32 0x84000076U
#define FFA_MEM_RECLAIM_32 0x84000077U
#define FFA_MEM_OP_PAUSE_32 0x84000078U  /* v1.0 only, withdrawn in v1.1 */
#define FFA_MEM_OP_RESUME_32 0x84000079U /* v1.0 only, withdrawn in v1.1 */
#define FFA_MEM_FRAG_RX_32 0x8400007AU
#define FFA_MEM_FRAG_TX_32 0x8400007BU
#define FFA_NORMAL_WORLD_RESUME_32 0x8400007CU
#define FFA_NOTIFICATION_BITMAP_CREATE_32 0x8400007DU
#define FFA_NOTIFICATION_BITMAP_DESTROY_32 0x8400007EU
#define FFA_NOTIFICATION_BIND_32 0x8400007FU
#define FFA_NOTIFICATION_UNBIND_32 0x84000080U
#define FFA_NOTIFICATION_SET_32 0x84000081U
#define FFA_NOTIFICATION_GET_32 0x84000082U
#define FFA_NOTIFICATION_INFO_GET_32 0x84000083U
#define FFA_NOTIFICATION_INFO_GET_64 0xC4000083U
#define FFA_RX_ACQUIRE_32 0x84000084U
#define FFA_SPM_ID_GET_32 0x84000085U
#define FFA_MSG_SEND2_32 0x84000086U
#define FFA_SECONDARY_EP_REGISTER_32 0x84000087U
#define FFA_SECONDARY_EP_REGISTER_64 0xC4000087U
#define FFA_MEM_PERM_GET_32 0x84000088U
#define FFA_MEM_PERM_GET_64 0xC4000088U
#define FFA_MEM_PERM_SET_32 0x84000089U
#define FFA_MEM_PERM_SET_64 0xC4000089U
#define FFA_CONSOLE_LOG_32 0x8400008AU
#define FFA_CONSOLE_LOG_64 0xC400008AU
#define FFA_PARTITION_INFO_GET_REGS_64 0xC400008BU
#define FFA_EL3_INTR_HANDLE_32 0x8400008CU
#define FFA_MSG_SEND_DIRECT_REQ2_64 0xC400008DU
#define FFA_MSG_SEND_DIRECT_RESP2_64 0xC400008EU

/*
 * The FF-A range of fast-call function numbers, 0x60 to 0xFF in both the
 * SMC32 (0x840000NN) and SMC64 (0xC40000NN) forms (ffa-facts.md §1.1).
 */
#define FFA_FUNC_NUM_MIN 0x60U
#define FFA_FUNC_NUM_MAX 0xFFU

/* --- Status codes (DEN0077A §"Status error codes") --- */

/*
 * Status codes are signed 32-bit values. They travel in w2 of FFA_ERROR (or
 * w0 of FFA_VERSION) and, like every W-register result, are zero-extended
 * in the 64-bit register: NOT_SUPPORTED arrives as x2 = 0x00000000FFFFFFFF,
 * never as (uint64_t)-1. Compare them as 32-bit values (ffa-facts.md §1.3).
 */
enum ffa_error {
	FFA_OK = 0,
	FFA_NOT_SUPPORTED = -1,
	FFA_INVALID_PARAMETERS = -2,
	FFA_NO_MEMORY = -3,
	FFA_BUSY = -4,
	FFA_INTERRUPTED = -5,
	FFA_DENIED = -6,
	FFA_RETRY = -7,
	FFA_ABORTED = -8,
	FFA_NO_DATA = -9,   /* v1.1 */
	FFA_NOT_READY = -10 /* v1.2 (Hafnium e4fe2969); not in Linux/TF-A/Xen */
};

/* --- The version word (DEN0077A §"FFA_VERSION") --- */

#define FFA_VERSION_MBZ (1U << 31)
#define FFA_VERSION_MAJOR_SHIFT 16
#define FFA_VERSION_MAJOR_MASK 0x7FFFU
#define FFA_VERSION_MINOR_MASK 0xFFFFU
#define FFA_VERSION(major, minor) \
	((((uint32_t)(major)&FFA_VERSION_MAJOR_MASK) << FFA_VERSION_MAJOR_SHIFT) | \
	 ((uint32_t)(minor)&FFA_VERSION_MINOR_MASK))
#define FFA_VERSION_1_0 FFA_VERSION(1, 0)
#define FFA_VERSION_1_1 FFA_VERSION(1, 1)
#define FFA_VERSION_1_2 FFA_VERSION(1, 2)
/* FFA_VERSION answers NOT_SUPPORTED in w0 itself, not through FFA_ERROR. */
#define FFA_VERSION_NOT_SUPPORTED 0xFFFFFFFFU

static inline uint32_t ffa_version_major(uint32_t v)
{
	return (v >> FFA_VERSION_MAJOR_SHIFT) & FFA_VERSION_MAJOR_MASK;
}

static inline uint32_t ffa_version_minor(uint32_t v)
{
	return v & FFA_VERSION_MINOR_MASK;
}

/* --- Endpoint IDs (DEN0077A §"Partition identification and discovery") --- */

typedef uint16_t ffa_id_t;

/* ID 0 is the hypervisor / NS physical instance; bit 15 marks a secure ID. */
#define FFA_HOST_ID 0U
#define FFA_ID_SECURE_BIT 0x8000U

static inline bool ffa_id_is_secure(ffa_id_t id)
{
	return (id & FFA_ID_SECURE_BIT) != 0;
}

/* --- FFA_FEATURES (DEN0077A §"FFA_FEATURES") --- */

#define FFA_FEATURE_ID_MASK 0xFFU /* feature IDs have bit 31 clear */
#define FFA_FEATURE_NPI 1U
#define FFA_FEATURE_SRI 2U
#define FFA_FEATURE_MEI 3U

/*
 * The interrupt IDs of ffa-emu's platform, the ones Hafnium gives (its
 * HF_*_INTID): the schedule receiver interrupt, SGI 8, physical from the
 * SPMC to the NS world and virtual from the hypervisor to a VM; the
 * notification pending interrupt, SGI 5, virtual, to a partition's vCPU
 * from the SPMC and to a VM from the hypervisor.
 */
#define FFA_SRI_INTID 8U
#define FFA_NPI_INTID 5U

/* FFA_MEM_RETRIEVE_REQ interface properties in w2 (v1.1+): NS-bit handling. */
#define FFA_FEAT_RETRIEVE_NS_BIT (1U << 1)

/* FFA_RXTX_MAP interface properties in w2. */
#define FFA_FEAT_RXTX_MIN_SIZE_MASK 0x3U
#define FFA_FEAT_RXTX_MIN_SIZE_4K 0x0U
#define FFA_FEAT_RXTX_MIN_SIZE_64K 0x1U
#define FFA_FEAT_RXTX_MIN_SIZE_16K 0x2U
#define FFA_FEAT_RXTX_MAX_PAGES_SHIFT 16 /* v1.2: w2[31:16], 0 = no limit */

/* --- RX/TX buffers (DEN0077A §"FFA_RXTX_MAP") --- */

#define FFA_PAGE_SIZE 4096U
#define FFA_RXTX_PAGE_COUNT_MASK 0x3FU /* w3[5:0]; w3[31:6] MBZ */

/* --- Partition discovery (DEN0077A §"FFA_PARTITION_INFO_GET") --- */

#define FFA_PARTITION_INFO_GET_COUNT_ONLY 0x1U /* w5 bit 0, v1.1 */

/* Partition properties (DEN0077A table "Partition properties"). */
#define FFA_PARTITION_DIRECT_REQ_RECV (1U << 0)
#define FFA_PARTITION_DIRECT_REQ_SEND (1U << 1)
#define FFA_PARTITION_INDIRECT_MSG (1U << 2)
#define FFA_PARTITION_NOTIFICATION (1U << 3)
#define FFA_PARTITION_ID_TYPE_SHIFT 4 /* bits[5:4] */
#define FFA_PARTITION_ID_TYPE_MASK (3U << 4)
#define FFA_PARTITION_ID_TYPE_PE 0U
#define FFA_PARTITION_ID_TYPE_SEPID_INDEP 1U
#define FFA_PARTITION_ID_TYPE_SEPID_DEP 2U
#define FFA_PARTITION_ID_TYPE_AUX 3U
#define FFA_PARTITION_VM_CREATED (1U << 6)
#define FFA_PARTITION_VM_DESTROYED (1U << 7)
#define FFA_PARTITION_AARCH64 (1U << 8)
#define FFA_PARTITION_DIRECT_REQ2_RECV (1U << 9)  /* v1.2 */
#define FFA_PARTITION_DIRECT_REQ2_SEND (1U << 10) /* v1.2 */
/* Bits a caller of each version may see; the rest are MBZ for it. */
#define FFA_PARTITION_PROPS_V1_0 0x7U
#define FFA_PARTITION_PROPS_V1_1 0x1FFU
#define FFA_PARTITION_PROPS_V1_2 0x7FFU

/* The partition property bits a caller at @version may see. */
static inline uint32_t ffa_partition_props_mask(uint32_t version)
{
	if (version >= FFA_VERSION_1_2) {
		return FFA_PARTITION_PROPS_V1_2;
	}
	return version >= FFA_VERSION_1_1 ? FFA_PARTITION_PROPS_V1_1 : FFA_PARTITION_PROPS_V1_0;
}

/*
 * A UUID as 16 bytes in the order of its text form. In registers, each
 * 32-bit (PARTITION_INFO_GET w1-w4) or 64-bit (GET_REGS x1/x2, REQ2 x2/x3)
 * word holds consecutive bytes with the lowest-numbered byte in the
 * low-order bits (DEN0077A §"FFA_MSG_SEND_DIRECT_REQ2": "Bytes[0...7] of
 * UUID with byte 0 in the low-order bits").
 */
struct ffa_uuid {
	uint8_t b[16];
};

/* Partition information descriptor, v1.0 (DEN0077A v1.0 Table 82). */
struct ffa_partition_info_v1_0 {
	uint16_t id;
	uint16_t exec_ctx_count;
	uint32_t properties;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_partition_info_v1_0) == 8,
	       "DEN0077A v1.0 Table 82: partition information descriptor is 8 bytes");

/* Partition information descriptor, v1.1/v1.2 ("Partition information descriptor" table). */
struct ffa_partition_info {
	uint16_t id;
	uint16_t exec_ctx_count;
	uint32_t properties;
	struct ffa_uuid uuid;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_partition_info) == 24,
	       "DEN0077A v1.1 Table 13.34 / v1.2: partition information descriptor is 24 bytes");

/* FFA_PARTITION_INFO_GET_REGS (v1.2, SMC64 only). */
#define FFA_PART_INFO_REGS_START_MASK 0xFFFFULL   /* x3[15:0] */
#define FFA_PART_INFO_REGS_TAG_SHIFT 16           /* x3[31:16]; x3[63:32] MBZ */
#define FFA_PART_INFO_REGS_PER_CALL 5             /* 3 registers each in x3-x17 */
#define FFA_PART_INFO_REGS_REGS_PER_DESC 3
/* Reply x2: [15:0] last index, [31:16] current index, [47:32] tag, [63:48] size. */
#define FFA_PART_INFO_REGS_CUR_SHIFT 16
#define FFA_PART_INFO_REGS_TAG_OUT_SHIFT 32
#define FFA_PART_INFO_REGS_SIZE_SHIFT 48

/* --- Direct messaging (DEN0077A §"FFA_MSG_SEND_DIRECT_REQ", "..._REQ2") --- */

#define FFA_DIRECT_MSG_FRAMEWORK (1U << 31) /* w2: a framework message */
#define FFA_DIRECT_MSG_FRAMEWORK_TYPE_MASK 0xFFU
#define FFA_DIRECT_REQ2_PAYLOAD_FIRST 4 /* x4 .. x17: 14 registers */
#define FFA_DIRECT_REQ2_PAYLOAD_COUNT 14

/* w1 of FFA_RUN, FFA_YIELD, FFA_INTERRUPT and FFA_MSG_WAIT results: endpoint | vCPU. */
static inline uint32_t ffa_target_info(ffa_id_t endpoint, uint16_t vcpu)
{
	return (uint32_t)endpoint << 16 | vcpu;
}

/* w1 of direct messages and notification calls: sender | receiver. */
static inline uint32_t ffa_sender_receiver(ffa_id_t sender, ffa_id_t receiver)
{
	return (uint32_t)sender << 16 | receiver;
}

/* --- Indirect messaging flags (DEN0077A §"FFA_MSG_SEND2") --- */

#define FFA_MSG_SEND2_DELAY_SRI (1U << 1) /* w2; every other bit MBZ */

/* --- Notifications (DEN0077A v1.1+ §"Notifications") --- */

#define FFA_NOTIFICATION_FLAG_PER_VCPU (1U << 0) /* BIND, SET: w2 bit 0 */
#define FFA_NOTIFICATION_FLAG_DELAY_SRI (1U << 1) /* SET: w2 bit 1 */
#define FFA_NOTIFICATION_SET_VCPU_SHIFT 16        /* SET: w2[31:16] receiver vCPU */
#define FFA_NOTIFICATION_SET_MBZ 0x0000FFFCU       /* SET: w2[15:2] */
/* GET: w2 flags, which bitmaps to return; w1 = vCPU << 16 | receiver. */
#define FFA_NOTIFICATION_GET_SP (1U << 0)
#define FFA_NOTIFICATION_GET_VM (1U << 1)
#define FFA_NOTIFICATION_GET_SPM (1U << 2)
#define FFA_NOTIFICATION_GET_HYP (1U << 3)
#define FFA_NOTIFICATION_GET_MBZ 0xFFFFFFF0U
/* Framework notifications: bit 0 of the SPM (w6) and hypervisor (w7) bitmaps. */
#define FFA_FRAMEWORK_NOTIF_RX_FULL (1U << 0)
/* INFO_GET x2: bit 0 more pending, [11:7] list count, [12+2i+1:12+2i] vCPU IDs in list i. */
#define FFA_NOTIF_INFO_MORE_PENDING (1ULL << 0)
#define FFA_NOTIF_INFO_LIST_COUNT_SHIFT 7
#define FFA_NOTIF_INFO_LIST_COUNT_MASK 0x1FU
#define FFA_NOTIF_INFO_LIST_SIZE_SHIFT 12
#define FFA_NOTIF_INFO_MAX_VCPUS_PER_LIST 3
#define FFA_NOTIF_INFO_MAX_IDS_64 20 /* 16-bit IDs in x3-x7 */
#define FFA_NOTIF_INFO_MAX_IDS_32 10 /* 16-bit IDs in w3-w7 */

/* The 64-bit notification bitmap from its low (w3) and high (w4) halves. */
static inline uint64_t ffa_notification_bitmap(uint32_t lo, uint32_t hi)
{
	return (uint64_t)hi << 32 | lo;
}

/* --- Memory management descriptors (DEN0077A §"Memory management") --- */

/* Memory access permissions descriptor ("Memory access permissions descriptor" table). */
struct ffa_mem_access_perm {
	uint16_t endpoint;
	uint8_t perms; /* [1:0] data access, [3:2] instruction access */
	uint8_t flags; /* bit 0: non-retrieval borrower */
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_mem_access_perm) == 4,
	       "DEN0077A: memory access permissions descriptor is 4 bytes");

#define FFA_DATA_ACCESS_MASK 0x3U
#define FFA_DATA_ACCESS_NOT_SPECIFIED 0U
#define FFA_DATA_ACCESS_RO 1U
#define FFA_DATA_ACCESS_RW 2U
#define FFA_INSTRUCTION_ACCESS_SHIFT 2
#define FFA_INSTRUCTION_ACCESS_MASK (3U << 2)
#define FFA_INSTRUCTION_ACCESS_NOT_SPECIFIED 0U
#define FFA_INSTRUCTION_ACCESS_NX 1U
#define FFA_INSTRUCTION_ACCESS_X 2U

/* Endpoint memory access descriptor, v1.0/v1.1 (16 bytes). */
struct ffa_mem_access_v1_0 {
	struct ffa_mem_access_perm perm;
	uint32_t composite_off; /* from the start of the transaction descriptor; 0 = none */
	uint64_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_mem_access_v1_0) == 16,
	       "DEN0077A v1.0/v1.1: endpoint memory access descriptor is 16 bytes");

/* Endpoint memory access descriptor, v1.2 (32 bytes, with an IMPDEF value). */
struct ffa_mem_access {
	struct ffa_mem_access_perm perm;
	uint32_t composite_off;
	uint8_t impdef[16];
	uint64_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_mem_access) == 32,
	       "DEN0077A v1.2: endpoint memory access descriptor is 32 bytes");

/* Memory transaction descriptor, v1.0 (32-byte header). */
struct ffa_mem_region_v1_0 {
	uint16_t sender;
	uint8_t attributes;
	uint8_t reserved0;
	uint32_t flags;
	uint64_t handle;
	uint64_t tag;
	uint32_t reserved1;
	uint32_t ep_count;
	/* struct ffa_mem_access_v1_0 ep[] follows at offset 32. */
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_mem_region_v1_0) == 32,
	       "DEN0077A v1.0: memory transaction descriptor header is 32 bytes");

/* Memory transaction descriptor, v1.1 and v1.2 (48-byte header). */
struct ffa_mem_region {
	uint16_t sender;
	uint16_t attributes; /* bits[15:7] MBZ */
	uint32_t flags;
	uint64_t handle;
	uint64_t tag;
	uint32_t ep_mem_size;   /* 16 in v1.1, 32 in v1.2 */
	uint32_t ep_count;
	uint32_t ep_mem_offset; /* 16-byte aligned */
	uint8_t reserved[12];
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_mem_region) == 48,
	       "DEN0077A v1.1/v1.2: memory transaction descriptor header is 48 bytes");

/* Composite memory region descriptor (unchanged v1.0 to v1.2). */
struct ffa_composite_mem_region {
	uint32_t page_count; /* sum of the constituents' page counts */
	uint32_t constituent_count;
	uint64_t reserved;
	/* struct ffa_mem_region_constituent constituents[] follow. */
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_composite_mem_region) == 16,
	       "DEN0077A: composite memory region descriptor header is 16 bytes");

/* Constituent memory region descriptor. */
struct ffa_mem_region_constituent {
	uint64_t address; /* 4K aligned */
	uint32_t page_count;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_mem_region_constituent) == 16,
	       "DEN0077A: constituent memory region descriptor is 16 bytes");

/* FFA_MEM_RELINQUISH descriptor (header; u16 endpoint IDs follow). */
struct ffa_mem_relinquish {
	uint64_t handle;
	uint32_t flags;
	uint32_t endpoint_count;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_mem_relinquish) == 16,
	       "DEN0077A: memory relinquish descriptor header is 16 bytes");

/* Memory region attributes (u8 in v1.0, u16 in v1.1+). */
#define FFA_MEM_ATTR_SHAREABILITY_MASK 0x3U
#define FFA_MEM_ATTR_CACHEABILITY_SHIFT 2
#define FFA_MEM_ATTR_TYPE_SHIFT 4
#define FFA_MEM_ATTR_TYPE_MASK (3U << 4)
#define FFA_MEM_ATTR_TYPE_DEVICE (1U << 4)
#define FFA_MEM_ATTR_TYPE_NORMAL (2U << 4)
#define FFA_MEM_ATTR_NS (1U << 6) /* v1.1: set only by the relayer */
#define FFA_MEM_ATTR_NORMAL_WB_INNER 0x2FU

/* Transaction flags. */
#define FFA_MEM_FLAG_ZERO_MEMORY (1U << 0)
#define FFA_MEM_FLAG_TIME_SLICING (1U << 1)
#define FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH (1U << 2)
#define FFA_MEM_FLAG_TYPE_SHIFT 3 /* retrieve: [4:3] 0 any, 1 share, 2 lend, 3 donate */
#define FFA_MEM_FLAG_TYPE_MASK (3U << 3)
#define FFA_MEM_FLAG_ALIGN_HINT_SHIFT 5
#define FFA_MEM_FLAG_ALIGN_HINT_VALID (1U << 9)
#define FFA_MEM_FLAG_BYPASS_BORROWERS_CHECK (1U << 10) /* v1.2 */

/* Memory handles: bit 63 says who allocated it (0 SPMC, 1 hypervisor). */
#define FFA_HANDLE_ALLOCATOR_HYP (1ULL << 63)
#define FFA_HANDLE_INVALID 0xFFFFFFFFFFFFFFFFULL

/* --- Indirect messaging (DEN0077A §"Partition message header") --- */

struct ffa_partition_msg_header_v1_1 {
	uint32_t flags; /* SBZ */
	uint32_t reserved;
	uint32_t offset;          /* from the buffer start to the payload */
	uint32_t sender_receiver; /* [31:16] sender, [15:0] receiver */
	uint32_t size;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_partition_msg_header_v1_1) == 20,
	       "DEN0077A v1.1: partition message header is 20 bytes");

struct ffa_partition_msg_header {
	uint32_t flags;
	uint32_t reserved;
	uint32_t offset;
	uint32_t sender_receiver;
	uint32_t size;
	uint32_t reserved2;
	struct ffa_uuid uuid;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_partition_msg_header) == 40,
	       "DEN0077A v1.2: partition message header is 40 bytes");

/* --- Endpoint RX/TX descriptor (hypervisor-forwarded FFA_RXTX_MAP, v1.1) --- */

struct ffa_endpoint_rxtx_descriptor {
	uint16_t endpoint_id;
	uint16_t reserved;
	uint32_t rx_composite_off; /* 8-byte aligned, from the descriptor start */
	uint32_t tx_composite_off;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_endpoint_rxtx_descriptor) == 12,
	       "DEN0077A v1.1: endpoint RX/TX descriptor is 12 bytes");

/* v1.0 variant: range counts instead of offsets (Xen ffa_endpoint_rxtx_descriptor_1_0). */
struct ffa_endpoint_rxtx_descriptor_v1_0 {
	uint16_t endpoint_id;
	uint16_t reserved;
	uint32_t rx_range_count;
	uint32_t tx_range_count;
} __attribute__((packed));
_Static_assert(sizeof(struct ffa_endpoint_rxtx_descriptor_v1_0) == 12,
	       "DEN0077A v1.0: endpoint RX/TX descriptor is 12 bytes");

/* --- Names for logs and traces --- */

/**
 * ffa_func_name() - the spec name of an FF-A function ID, with its width
 * suffix, e.g. "FFA_RXTX_MAP_64".
 *
 * Returns: a static string, or NULL if @fid is not an FF-A 1.2 function ID.
 */
const char *ffa_func_name(uint32_t fid);

/**
 * ffa_func_since() - the FF-A version that introduced @fid.
 *
 * Returns: FFA_VERSION_1_0, _1_1 or _1_2, or 0 if @fid is not an FF-A 1.2
 * function ID. FFA_MEM_OP_PAUSE/RESUME return FFA_VERSION_1_0 although v1.1
 * withdrew them.
 */
uint32_t ffa_func_since(uint32_t fid);

/**
 * ffa_error_name() - the spec name of a status code, e.g. "DENIED".
 *
 * Returns: a static string; "UNKNOWN" for a value the spec does not define.
 */
const char *ffa_error_name(int32_t err);

/* Parse "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". Returns true on success. */
bool ffa_uuid_parse(const char *text, struct ffa_uuid *out);

static inline bool ffa_uuid_is_nil(const struct ffa_uuid *u)
{
	for (size_t i = 0; i < sizeof(u->b); i++) {
		if (u->b[i] != 0) {
			return false;
		}
	}
	return true;
}

static inline bool ffa_uuid_equal(const struct ffa_uuid *a, const struct ffa_uuid *b)
{
	for (size_t i = 0; i < sizeof(a->b); i++) {
		if (a->b[i] != b->b[i]) {
			return false;
		}
	}
	return true;
}

/* True if @u is one of @list[0..@n). */
static inline bool ffa_uuid_in(const struct ffa_uuid *list, uint32_t n, const struct ffa_uuid *u)
{
	for (uint32_t i = 0; i < n; i++) {
		if (ffa_uuid_equal(&list[i], u)) {
			return true;
		}
	}
	return false;
}

/* UUID bytes [4n, 4n+3] as the 32-bit register word n (byte 4n lowest). */
static inline uint32_t ffa_uuid_word32(const struct ffa_uuid *u, unsigned n)
{
	const uint8_t *p = &u->b[4 * n];
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* UUID bytes [8n, 8n+7] as the 64-bit register word n (byte 8n lowest). */
static inline uint64_t ffa_uuid_word64(const struct ffa_uuid *u, unsigned n)
{
	return (uint64_t)ffa_uuid_word32(u, 2 * n) | (uint64_t)ffa_uuid_word32(u, 2 * n + 1) << 32;
}

/* The inverse of ffa_uuid_word64(): bytes from two 64-bit register words. */
static inline struct ffa_uuid ffa_uuid_from_words64(uint64_t lo, uint64_t hi)
{
	struct ffa_uuid u;
	for (unsigned i = 0; i < 8; i++) {
		u.b[i] = (uint8_t)(lo >> (8 * i));
		u.b[8 + i] = (uint8_t)(hi >> (8 * i));
	}
	return u;
}

/* The inverse of ffa_uuid_word32(): bytes from four 32-bit register words. */
static inline struct ffa_uuid ffa_uuid_from_words32(uint32_t w0, uint32_t w1, uint32_t w2,
						    uint32_t w3)
{
	return ffa_uuid_from_words64((uint64_t)w0 | (uint64_t)w1 << 32,
				     (uint64_t)w2 | (uint64_t)w3 << 32);
}

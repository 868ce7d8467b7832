/*
 * The client: Linux's FF-A driver (drivers/firmware/arm_ffa/driver.c, bus.c
 * and smccc.c from the kernel tree, compiled unmodified for the host against
 * the shim in this folder) as the caller of a mediator, and a small client
 * driver of ours bound to its bus that makes the driver's operations:
 * partition info, direct requests (32 and 64 bit, REQ2), indirect messages,
 * memory share, lend and reclaim, notifications, FFA_RUN.
 *
 * The driver's SMCCC calls (arm_smccc_1_2_smc/hvc, smccc.c) go to the
 * conduit the caller gives: a backend's call, through the emulator's stub
 * or directly, with whatever watches the wire in between (fuzz/client.c
 * puts the oracle there). Its pages (alloc_pages_exact(): RX/TX, descriptor
 * buffers, the pages our client shares) come from the guest RAM the caller
 * gives, and virt_to_phys() is their IPA, so the mediator reads what the
 * driver wrote.
 *
 * Linux's driver keeps its state in file-scope variables (drv_info, the
 * bus's IDA): one client is live in a process at a time, and
 * ffa_client_remove() returns every one of them to where the kernel starts
 * them, whatever state the driver was left in.
 *
 * What the driver does that the shim cannot stand for is reported, never
 * guessed (rule "client-not-modelled"); what the driver does wrong is a
 * finding in the driver: "client-hang" (a call loop that does not end),
 * "client-lock" (a lock taken twice or released unheld), "client-leak"
 * (allocations left after a clean unload), "client-pages" (a page freed
 * that was not allocated so), "client-device" and "client-irq" (device
 * references and interrupts misused). A crash or a sanitizer report in the
 * driver is a finding as it stands.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FFA_CLIENT_MAX_PAGES 64   /* guest RAM the driver's page allocator manages */
#define FFA_CLIENT_MAX_DEVICES 16 /* devices on the FF-A bus our client tracks */
#define FFA_CLIENT_MAX_UUIDS 8    /* the id_table our client driver binds with */
#define FFA_CLIENT_MAX_HANDLES 8  /* memory handles our client keeps to reclaim */
#define FFA_CLIENT_LOG 4096       /* the driver's kernel log, last bytes */

/*
 * Where the driver's SMCCC calls go: x0-x17 as the driver made the call,
 * x0-x17 as it gets them back (the layout of struct smccc_regs; this header
 * stays free of our wire ABI, whose names Linux's arm_ffa.h also defines).
 */
#define FFA_CLIENT_REGS 18
struct ffa_client_conduit {
	void (*call)(void *ctx, const uint64_t in[FFA_CLIENT_REGS], uint64_t out[FFA_CLIENT_REGS]);
	void *ctx;
};

struct ffa_client_config {
	uint8_t *ram;       /* the guest's RAM as the host sees it ... */
	uint64_t ipa_base;  /* ... at this IPA in the guest ... */
	uint32_t pages;     /* ... this many pages (at most FFA_CLIENT_MAX_PAGES) */
	bool hvc;           /* the conduit arm_smccc_1_1_get_conduit() reports: HVC, else SMC */
	bool gic;           /* a GICv3 node in the device tree: interrupts can be mapped */
	uint16_t cpus;      /* nr_cpu_ids (1..) */
	uint32_t call_limit; /* SMCCC calls one operation may make before it is a hang (0: 1000) */
	/* The UUIDs our client driver's id_table names (FF-A 1.0 binds through them). */
	uint8_t uuids[FFA_CLIENT_MAX_UUIDS][16];
	unsigned uuid_count;
};

/* A device on the FF-A bus as our client sees it. */
struct ffa_client_device {
	uint16_t vm_id; /* the partition's ID (or the host's own) */
	uint32_t properties;
	uint8_t uuid[16];
	bool bound; /* our client driver's probe ran for it */
	uint64_t requested; /* notification IDs our client requested on it, not relinquished */
	bool sched_recv;    /* our client registered its schedule-receiver callback */
	void *dev;  /* the driver's struct ffa_device */
};

struct ffa_client {
	struct ffa_client_config cfg;
	struct ffa_client_conduit conduit;
	bool probed;     /* ffa_init() succeeded: the driver's ops may be called */
	bool broken;     /* a finding stopped the driver midway: removal only resets */
	int probe_error; /* ffa_init()'s return */
	uint32_t version; /* the version the driver settled on (its api_version_get) */
	struct ffa_client_device devices[FFA_CLIENT_MAX_DEVICES];
	unsigned device_count;
	uint64_t handles[FFA_CLIENT_MAX_HANDLES]; /* memory shared or lent, not reclaimed */
	unsigned handle_count;
	struct ffa_client_txn { /* handles[i]'s pages, given back when it is reclaimed */
		void *pages[8];
		size_t sizes[8];
		unsigned count;
	} txns[FFA_CLIENT_MAX_HANDLES];
	uint64_t notified;  /* notification IDs whose callback ran (bit n: ID n) */
	unsigned long calls; /* SMCCC calls the driver made */
	unsigned long op_calls; /* ... in the current operation */
	char log[FFA_CLIENT_LOG]; /* the driver's kernel log (pr_*), NUL-terminated */
	size_t log_len;
	/* The shim's own records (shim.c): pages, locks, devices, interrupts, work. */
	void *shim;
};

/*
 * ffa_client_finding_hook - when set, a finding in the driver or what the
 * shim cannot model (the rules above) calls it; it must not return. Unset, the finding
 * is printed as "ffa-emu client: <rule>: <detail>" and the process aborts.
 */
extern void (*ffa_client_finding_hook)(const char *rule, const char *detail);

/**
 * ffa_client_probe() - load the driver as the kernel does: the FF-A bus
 * (arm_ffa_bus_init), then ffa_init() (version, ID, RX/TX, features,
 * notifications, partitions), then our client driver on the bus.
 * @c is zeroed first; @cfg and @conduit are copied.
 * Returns: ffa_init()'s return, 0 or a negative Linux errno (the driver
 * then has no devices and c->probed is false).
 */
int ffa_client_probe(struct ffa_client *c, const struct ffa_client_config *cfg,
		     const struct ffa_client_conduit *conduit);

/*
 * ffa_client_remove() - unload as a well-behaved client driver does: its
 * notifications relinquished and its callbacks unregistered, then our
 * client driver, ffa_exit() if the probe succeeded (RX/TX unmap,
 * notification bitmap destroy), the bus; then every file-scope variable of
 * the driver back to its start. After a finding (c->broken) it only resets.
 */
void ffa_client_remove(struct ffa_client *c);

/* The driver's ops on device @dev (an index into c->devices); each returns what the op returns
 * (0 or a negative Linux errno), or -ENODEV if there is no such device or no probe. */

/* partition_info_get(@uuid, a 32-entry buffer); *@count gets the entries the driver found. */
int ffa_client_partition_info(struct ffa_client *c, const uint8_t uuid[16], unsigned *count);
/* sync_send_receive: @data (x3-x7) in and out; @mode_32bit sets the device's width first. */
int ffa_client_direct_req(struct ffa_client *c, unsigned dev, bool mode_32bit, uint64_t data[5]);
/* sync_send_receive2: @uuid and @data (x4-x17) in, @data out. */
int ffa_client_direct_req2(struct ffa_client *c, unsigned dev, const uint8_t uuid[16],
			   uint64_t data[14]);
/* indirect_send (FFA_MSG_SEND2): @len bytes of @buf. */
int ffa_client_indirect_send(struct ffa_client *c, unsigned dev, const void *buf, size_t len);

struct ffa_client_mem {
	bool lend;          /* memory_lend, else memory_share */
	bool use_txbuf;     /* the descriptor in the TX buffer, else in a buffer of its own */
	uint32_t flags, attrs; /* the transaction's flags; each receiver's access (attrs) */
	uint64_t tag;
	unsigned receivers[4], receiver_count; /* device indices (1..4) */
	uint32_t ranges[8], range_count;      /* pages per constituent, each allocated apart (1..8) */
};
/* memory_share or memory_lend with the driver's own descriptor building; *@handle on success. */
int ffa_client_mem_send(struct ffa_client *c, const struct ffa_client_mem *m, uint64_t *handle);
/* memory_reclaim(@handle, @flags); a reclaimed handle leaves c->handles. */
int ffa_client_mem_reclaim(struct ffa_client *c, uint64_t handle, uint32_t flags);

/* notify_request (with a callback that sets bit @id of c->notified), notify_relinquish, notify_send. */
int ffa_client_notify_request(struct ffa_client *c, unsigned dev, bool per_vcpu, int id);
int ffa_client_notify_relinquish(struct ffa_client *c, unsigned dev, int id);
int ffa_client_notify_send(struct ffa_client *c, unsigned dev, int id, bool per_vcpu,
			   uint16_t vcpu);
/* sched_recv_cb_register (a callback that counts) or _unregister. */
int ffa_client_sched_recv(struct ffa_client *c, unsigned dev, bool reg);
/* cpu_ops->run(@vcpu). */
int ffa_client_run(struct ffa_client *c, unsigned dev, uint16_t vcpu);

enum ffa_client_irq {
	FFA_CLIENT_SRI, /* the schedule receiver interrupt */
	FFA_CLIENT_NPI, /* the notification pending interrupt */
};
/* Raise @irq on CPU 0 and run the work it queues. Returns: 0, or -ENODEV if the driver mapped no such interrupt. */
int ffa_client_irq(struct ffa_client *c, enum ffa_client_irq irq);

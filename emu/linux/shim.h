/*
 * The shim's records for the live client (client.h's c->shim), shared by
 * shim.c (memory, conduit, locks, CPUs, UUIDs) and shim_bus.c (the device
 * model, interrupts, work, xarray, IDA). Kernel side: kernel.h's types.
 */
#pragma once

#include "client.h"

#define SHIM_MAX_DEVICES 32
#define SHIM_MAX_DRIVERS 4
#define SHIM_MAX_NOTIFIERS 4
#define SHIM_MAX_IRQS 4
#define SHIM_MAX_WORK 8

struct shim_irq {
	unsigned int irq;
	irq_handler_t handler;
	void *percpu_dev_id;
	const char *name;
	bool enabled;
};

struct shim_alloc;

struct ffa_shim {
	struct shim_alloc *allocs; /* kmalloc()'s, not yet freed */
	/* Guest pages: 0 free, the run length at a run's first page, UINT16_MAX inside. */
	uint16_t page_run[FFA_CLIENT_MAX_PAGES];
	struct device *devices[SHIM_MAX_DEVICES]; /* the bus's devices, in registration order */
	unsigned device_count;
	struct device_driver *drivers[SHIM_MAX_DRIVERS];
	unsigned driver_count;
	struct notifier_block *notifiers[SHIM_MAX_NOTIFIERS];
	unsigned notifier_count;
	bool bus_registered;
	struct device_node gic; /* the GICv3 node, when cfg.gic */
	unsigned irq_mappings;  /* irq_create_of_mapping() not yet disposed */
	struct shim_irq irqs[SHIM_MAX_IRQS];
	struct work_struct *work[SHIM_MAX_WORK]; /* queued, in order */
	unsigned work_count;
	bool cpuhp_set; /* the driver's CPU hotplug state, with its teardown */
	int (*cpuhp_teardown)(unsigned int cpu);
};

extern struct ffa_client *ffa_shim_live;

/* A finding in the driver (or what the shim cannot model): ffa_client_finding_hook, else abort. */
__attribute__((noreturn, format(printf, 2, 3))) void ffa_shim_finding(const char *rule,
								       const char *fmt, ...);

/* Free every kmalloc() allocation left. Returns: how many there were. */
size_t ffa_shim_free_all(void);

/* Run the queued work in order, including work it queues. */
void ffa_shim_run_work(void);

/* The registered per-CPU interrupt requested as @name, or NULL. */
struct shim_irq *ffa_shim_irq_named(const char *name);

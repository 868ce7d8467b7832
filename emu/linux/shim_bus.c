/*
 * The kernel's device model as Linux's FF-A bus uses it (kernel.h), for the
 * live client: one bus, its devices in registration order, its drivers and
 * notifiers; binding as the driver core does it (match, the
 * BUS_NOTIFY_BIND_DRIVER notifiers, the bus's probe; a failed probe leaves
 * the device unbound); device references and release. Then the interrupts
 * (the GICv3 node, per-CPU IRQs requested by name), work queued and run in
 * order, the xarray and the IDA.
 */
#include "shim.h"

#define live ffa_shim_live
#define S ((struct ffa_shim *)live->shim)

/* --- Devices and drivers --- */

static void notify(unsigned long action, struct device *dev)
{
	for (unsigned i = 0; i < S->notifier_count; i++) {
		S->notifiers[i]->notifier_call(S->notifiers[i], action, dev);
	}
}

/* Bind @dev to @drv if the bus matches them: the driver core's really_probe(). */
static void try_bind(struct device *dev, struct device_driver *drv)
{
	if (dev->driver != NULL || !dev->bus->match(dev, drv)) {
		return;
	}
	dev->driver = drv;
	notify(BUS_NOTIFY_BIND_DRIVER, dev);
	if (dev->bus->probe != NULL && dev->bus->probe(dev) != 0) {
		dev->driver = NULL;
	}
}

static void unbind(struct device *dev)
{
	if (dev->driver != NULL) {
		if (dev->bus->remove != NULL) {
			dev->bus->remove(dev);
		}
		dev->driver = NULL;
	}
}

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->name, sizeof(dev->name), fmt, ap);
	va_end(ap);
	return 0;
}

int device_register(struct device *dev)
{
	dev->refs = 1;
	if (!S->bus_registered || S->device_count == SHIM_MAX_DEVICES) {
		return -ENOMEM;
	}
	S->devices[S->device_count++] = dev;
	dev->registered = true;
	for (unsigned i = 0; i < S->driver_count; i++) {
		try_bind(dev, S->drivers[i]);
	}
	return 0;
}

void device_unregister(struct device *dev)
{
	unsigned i = 0;

	if (!dev->registered) {
		ffa_shim_finding("client-device", "device_unregister(%s): not registered", dev->name);
	}
	unbind(dev);
	while (S->devices[i] != dev) {
		i++;
	}
	memmove(&S->devices[i], &S->devices[i + 1],
		(S->device_count - i - 1) * sizeof(S->devices[0]));
	S->device_count--;
	dev->registered = false;
	put_device(dev);
}

struct device *get_device(struct device *dev)
{
	if (dev != NULL) {
		dev->refs++;
	}
	return dev;
}

void put_device(struct device *dev)
{
	if (dev == NULL) {
		return;
	}
	if (dev->refs <= 0) {
		ffa_shim_finding("client-device", "put_device(%s) with no reference held", dev->name);
	}
	if (--dev->refs == 0) {
		if (dev->release == NULL) {
			ffa_shim_finding("client-device", "device %s has no release()", dev->name);
		}
		dev->release(dev);
	}
}

int driver_register(struct device_driver *drv)
{
	if (S->driver_count == SHIM_MAX_DRIVERS) {
		return -ENOMEM;
	}
	S->drivers[S->driver_count++] = drv;
	for (unsigned i = 0; i < S->device_count; i++) {
		try_bind(S->devices[i], drv);
	}
	return 0;
}

void driver_unregister(struct device_driver *drv)
{
	unsigned i = 0;

	for (unsigned d = 0; d < S->device_count; d++) {
		if (S->devices[d]->driver == drv) {
			unbind(S->devices[d]);
		}
	}
	while (i < S->driver_count && S->drivers[i] != drv) {
		i++;
	}
	if (i < S->driver_count) {
		S->drivers[i] = S->drivers[--S->driver_count];
	}
}

int bus_register(const struct bus_type *bus)
{
	(void)bus;
	S->bus_registered = true;
	return 0;
}

void bus_unregister(const struct bus_type *bus)
{
	(void)bus;
	S->bus_registered = false;
}

/* @fn on each device from the one after @start, over a copy of the list (@fn may unregister). */
int bus_for_each_dev(const struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data))
{
	struct device *each[SHIM_MAX_DEVICES];
	unsigned n = S->device_count, i = 0;
	int ret = 0;

	(void)bus;
	memcpy(each, S->devices, n * sizeof(each[0]));
	if (start != NULL) {
		while (i < n && each[i] != start) {
			i++;
		}
		i++;
	}
	for (; i < n && ret == 0; i++) {
		ret = fn(each[i], data);
	}
	return ret;
}

struct device *bus_find_next_device(const struct bus_type *bus, struct device *cur)
{
	unsigned i = 0;

	(void)bus;
	if (cur != NULL) {
		while (i < S->device_count && S->devices[i] != cur) {
			i++;
		}
		i++;
		put_device(cur);
	}
	return i < S->device_count ? get_device(S->devices[i]) : NULL;
}

int bus_register_notifier(const struct bus_type *bus, struct notifier_block *nb)
{
	(void)bus;
	if (S->notifier_count == SHIM_MAX_NOTIFIERS) {
		return -ENOMEM;
	}
	S->notifiers[S->notifier_count++] = nb;
	return 0;
}

int bus_unregister_notifier(const struct bus_type *bus, struct notifier_block *nb)
{
	(void)bus;
	for (unsigned i = 0; i < S->notifier_count; i++) {
		if (S->notifiers[i] == nb) {
			S->notifiers[i] = S->notifiers[--S->notifier_count];
			return 0;
		}
	}
	return -ENOENT;
}

int sysfs_emit(char *buf, const char *fmt, ...)
{
	(void)buf;
	ffa_shim_finding("client-not-modelled", "sysfs_emit(\"%s\"): no sysfs", fmt);
}

int add_uevent_var(struct kobj_uevent_env *env, const char *fmt, ...)
{
	(void)env;
	ffa_shim_finding("client-not-modelled", "add_uevent_var(\"%s\"): no uevents", fmt);
}

/* --- Interrupts: a GICv3 node when the configuration has one; IRQ n + 100 for INTID n --- */

struct device_node *of_find_compatible_node(struct device_node *from, const char *type,
					    const char *compat)
{
	(void)from;
	(void)type;
	if (!live->cfg.gic || strcmp(compat, "arm,gic-v3") != 0) {
		return NULL;
	}
	S->gic.compatible = "arm,gic-v3";
	return &S->gic;
}

void of_node_put(struct device_node *np)
{
	(void)np;
}

unsigned int irq_create_of_mapping(struct of_phandle_args *irq_data)
{
	if (irq_data->np != &S->gic || irq_data->args_count != 1 || irq_data->args[0] >= 1020) {
		return 0; /* no such interrupt: the kernel's mapping fails the same way */
	}
	S->irq_mappings++;
	return irq_data->args[0] + 100;
}

void irq_dispose_mapping(unsigned int irq)
{
	if (S->irq_mappings == 0) {
		ffa_shim_finding("client-irq", "irq_dispose_mapping(%u) with none mapped", irq);
	}
	S->irq_mappings--;
}

static struct shim_irq *irq_slot(unsigned int irq)
{
	for (unsigned i = 0; i < SHIM_MAX_IRQS; i++) {
		if (S->irqs[i].handler != NULL && S->irqs[i].irq == irq) {
			return &S->irqs[i];
		}
	}
	return NULL;
}

int request_percpu_irq(unsigned int irq, irq_handler_t handler, const char *name,
		       void __percpu *percpu_dev_id)
{
	if (irq_slot(irq) != NULL) {
		return -EBUSY;
	}
	for (unsigned i = 0; i < SHIM_MAX_IRQS; i++) {
		if (S->irqs[i].handler == NULL) {
			S->irqs[i] = (struct shim_irq){irq, handler, percpu_dev_id, name, false};
			return 0;
		}
	}
	return -ENOMEM;
}

void free_percpu_irq(unsigned int irq, void __percpu *percpu_dev_id)
{
	struct shim_irq *i = irq_slot(irq);

	if (i == NULL || i->percpu_dev_id != percpu_dev_id) {
		ffa_shim_finding("client-irq", "free_percpu_irq(%u) of no such request", irq);
	}
	*i = (struct shim_irq){0};
}

void enable_percpu_irq(unsigned int irq, unsigned int type)
{
	struct shim_irq *i = irq_slot(irq);

	(void)type;
	if (i == NULL) {
		ffa_shim_finding("client-irq", "enable_percpu_irq(%u) not requested", irq);
	}
	i->enabled = true;
}

void disable_percpu_irq(unsigned int irq)
{
	struct shim_irq *i = irq_slot(irq);

	if (i == NULL) {
		ffa_shim_finding("client-irq", "disable_percpu_irq(%u) not requested", irq);
	}
	i->enabled = false;
}

struct shim_irq *ffa_shim_irq_named(const char *name)
{
	for (unsigned i = 0; i < SHIM_MAX_IRQS; i++) {
		if (S->irqs[i].handler != NULL && strcmp(S->irqs[i].name, name) == 0) {
			return &S->irqs[i];
		}
	}
	return NULL;
}

/* --- Work: queued in order, run when the client runs it --- */

struct workqueue_struct {
	const char *name;
};

struct workqueue_struct *create_workqueue(const char *name)
{
	struct workqueue_struct *wq = kmalloc(sizeof(*wq), GFP_KERNEL);

	if (wq != NULL) {
		wq->name = name;
	}
	return wq;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	ffa_shim_run_work(); /* the kernel drains a queue before destroying it */
	kfree(wq);
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	(void)wq;
	if (work->pending) {
		return false;
	}
	if (S->work_count == SHIM_MAX_WORK) {
		ffa_shim_finding("client-not-modelled", "more than %d works queued", SHIM_MAX_WORK);
	}
	work->pending = true;
	S->work[S->work_count++] = work;
	return true;
}

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	(void)cpu; /* the work runs on CPU 0's thread, like everything */
	return queue_work(wq, work);
}

void ffa_shim_run_work(void)
{
	while (S->work_count > 0) {
		struct work_struct *w = S->work[0];

		memmove(&S->work[0], &S->work[1], --S->work_count * sizeof(S->work[0]));
		w->pending = false;
		w->func(w);
	}
}

/* --- The xarray: (index, entry) pairs --- */

struct xa_slot {
	unsigned long index;
	void *entry;
};

void xa_init(struct xarray *xa)
{
	*xa = (struct xarray){0};
}

static struct xa_slot *xa_slot_of(struct xarray *xa, unsigned long index)
{
	for (unsigned i = 0; i < xa->count; i++) {
		if (xa->slots[i].index == index) {
			return &xa->slots[i];
		}
	}
	return NULL;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	struct xa_slot *s = xa_slot_of(xa, index);

	return s != NULL ? s->entry : NULL;
}

int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	(void)gfp;
	if (xa_slot_of(xa, index) != NULL) {
		return -EBUSY;
	}
	if (xa->count == xa->cap) {
		unsigned cap = xa->cap ? xa->cap * 2 : 8;
		struct xa_slot *s = kcalloc(cap, sizeof(*s), GFP_KERNEL);

		if (s == NULL) {
			return -ENOMEM;
		}
		if (xa->count > 0) {
			memcpy(s, xa->slots, xa->count * sizeof(*s));
		}
		kfree(xa->slots);
		xa->slots = s;
		xa->cap = cap;
	}
	xa->slots[xa->count++] = (struct xa_slot){index, entry};
	return 0;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	struct xa_slot *s = xa_slot_of(xa, index);
	void *entry;

	if (s == NULL) {
		return NULL;
	}
	entry = s->entry;
	*s = xa->slots[--xa->count];
	return entry;
}

void xa_destroy(struct xarray *xa)
{
	kfree(xa->slots);
	*xa = (struct xarray){0};
}

/* The entry at the lowest index >= *@index (> when @after), with *@index set to it. */
static void *xa_next(struct xarray *xa, unsigned long *index, unsigned long max, bool after)
{
	struct xa_slot *best = NULL;

	for (unsigned i = 0; i < xa->count; i++) {
		struct xa_slot *s = &xa->slots[i];

		if ((after ? s->index > *index : s->index >= *index) && s->index <= max &&
		    (best == NULL || s->index < best->index)) {
			best = s;
		}
	}
	if (best == NULL) {
		return NULL;
	}
	*index = best->index;
	return best->entry;
}

void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max)
{
	return xa_next(xa, index, max, false);
}

void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max)
{
	return xa_next(xa, index, max, true);
}

/* --- The IDA: the lowest free ID >= min --- */

int ida_alloc_min(struct ida *ida, unsigned int min, gfp_t gfp)
{
	const unsigned bits = 8 * sizeof(ida->used[0]);

	(void)gfp;
	for (unsigned id = min; id < bits * ARRAY_SIZE(ida->used); id++) {
		if (!(ida->used[id / bits] & (1UL << (id % bits)))) {
			ida->used[id / bits] |= 1UL << (id % bits);
			return (int)id;
		}
	}
	return -ENOSPC;
}

void ida_free(struct ida *ida, unsigned int id)
{
	const unsigned bits = 8 * sizeof(ida->used[0]);

	if (id >= bits * ARRAY_SIZE(ida->used) || !(ida->used[id / bits] & (1UL << (id % bits)))) {
		ffa_shim_finding("client-device", "ida_free(%u): not allocated", id);
	}
	ida->used[id / bits] &= ~(1UL << (id % bits));
}

void ida_destroy(struct ida *ida)
{
	memset(ida, 0, sizeof(*ida));
}

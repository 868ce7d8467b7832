/*
 * The client (client.h), kernel side: loading and unloading Linux's FF-A
 * driver, and our client driver on its bus, which makes the driver's
 * operations through the ops every FF-A client driver gets
 * (include/linux/arm_ffa.h: struct ffa_ops) on the devices the driver
 * registered. Memory our client shares or lends comes from the driver's
 * page allocator (the guest's RAM), one allocation per constituent, and
 * goes back when the handle is reclaimed.
 */
#include <stdlib.h>

#include <linux/arm_ffa.h>

#include "shim.h"
#include "unit.h"

#define live ffa_shim_live

static struct ffa_device_id client_ids[FFA_CLIENT_MAX_UUIDS + 1];

static struct ffa_client_device *device_of(struct ffa_device *fdev)
{
	for (unsigned i = 0; i < live->device_count; i++) {
		if (live->devices[i].dev == fdev) {
			return &live->devices[i];
		}
	}
	return NULL;
}

static int client_drv_probe(struct ffa_device *fdev)
{
	struct ffa_client_device *d = device_of(fdev);

	if (d != NULL) {
		d->bound = true;
	}
	return 0;
}

static void client_drv_remove(struct ffa_device *fdev)
{
	struct ffa_client_device *d = device_of(fdev);

	if (d != NULL) {
		d->bound = false;
	}
}

static struct ffa_driver client_drv = {
	.name = "ffa-emu-client",
	.probe = client_drv_probe,
	.remove = client_drv_remove,
	.id_table = client_ids,
};
static bool client_drv_registered;

static int record_device(struct device *dev, void *data)
{
	struct ffa_device *fdev = to_ffa_dev(dev);
	struct ffa_client_device *d;

	(void)data;
	if (live->device_count == FFA_CLIENT_MAX_DEVICES) {
		return 0;
	}
	d = &live->devices[live->device_count++];
	*d = (struct ffa_client_device){.vm_id = (uint16_t)fdev->vm_id,
					.properties = fdev->properties,
					.dev = fdev};
	memcpy(d->uuid, &fdev->uuid, sizeof(d->uuid));
	return 0;
}

int ffa_client_probe(struct ffa_client *c, const struct ffa_client_config *cfg,
		     const struct ffa_client_conduit *conduit)
{
	int ret;

	if (live != NULL) {
		fprintf(stderr, "ffa-emu client: a second client while one is live\n");
		abort(); /* our invariant: the driver's file scope is one client's */
	}
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->conduit = *conduit;
	c->cfg.pages = c->cfg.pages > FFA_CLIENT_MAX_PAGES ? FFA_CLIENT_MAX_PAGES : c->cfg.pages;
	c->cfg.cpus = c->cfg.cpus == 0 ? 1 : c->cfg.cpus;
	c->cfg.call_limit = c->cfg.call_limit == 0 ? 1000 : c->cfg.call_limit;
	c->shim = calloc(1, sizeof(struct ffa_shim));
	if (c->shim == NULL) {
		abort();
	}
	live = c;
	nr_cpu_ids = c->cfg.cpus;
	ffa_shim_cpu = 0;
	ret = ffa_unit_bus_init();
	if (ret == 0) {
		ret = ffa_unit_driver_init();
	}
	c->probe_error = ret;
	if (ret != 0) {
		return ret;
	}
	c->probed = true;
	bus_for_each_dev(&ffa_bus_type, NULL, NULL, record_device);
	if (c->device_count > 0) {
		struct ffa_device *fdev = c->devices[0].dev;

		c->version = fdev->ops->info_ops->api_version_get();
	}
	memset(client_ids, 0, sizeof(client_ids));
	for (unsigned i = 0; i < c->cfg.uuid_count && i < FFA_CLIENT_MAX_UUIDS; i++) {
		memcpy(&client_ids[i].uuid, c->cfg.uuids[i], sizeof(uuid_t));
	}
	c->op_calls = 0;
	client_drv_registered = ffa_driver_register(&client_drv, THIS_MODULE, "ffa_emu") == 0;
	return 0;
}

void ffa_client_remove(struct ffa_client *c)
{
	size_t left;

	if (live != c) {
		return;
	}
	c->op_calls = 0;
	for (unsigned d = 0; !c->broken && c->probed && d < c->device_count; d++) {
		struct ffa_device *fdev = c->devices[d].dev;

		for (int id = 0; id < 64; id++) {
			if (c->devices[d].requested >> id & 1) {
				fdev->ops->notifier_ops->notify_relinquish(fdev, id);
			}
		}
		if (c->devices[d].sched_recv) {
			fdev->ops->notifier_ops->sched_recv_cb_unregister(fdev);
		}
	}
	if (!c->broken) {
		if (client_drv_registered) {
			ffa_driver_unregister(&client_drv);
		}
		if (c->probed) {
			ffa_unit_driver_exit();
		}
		ffa_unit_bus_exit();
	}
	client_drv_registered = false;
	ffa_unit_driver_reset();
	ffa_unit_bus_reset();
	left = ffa_shim_free_all();
	free(c->shim);
	c->shim = NULL;
	c->probed = false;
	live = NULL;
	if (left > 0 && !c->broken) {
		ffa_shim_finding("client-leak", "%zu allocations left after the driver unloaded", left);
	}
}

/* Device @i for an operation (its call count starts again), or NULL. */
static struct ffa_device *op_device(struct ffa_client *c, unsigned i)
{
	c->op_calls = 0;
	if (live != c || !c->probed || i >= c->device_count) {
		return NULL;
	}
	return c->devices[i].dev;
}

int ffa_client_partition_info(struct ffa_client *c, const uint8_t uuid[16], unsigned *count)
{
	struct ffa_device *fdev = op_device(c, 0);
	struct ffa_partition_info buf[32] = {0};
	char text[40];
	int ret;

	*count = 0;
	if (fdev == NULL) {
		return -ENODEV;
	}
	snprintf(text, sizeof(text),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", uuid[0],
		 uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9],
		 uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
	ret = fdev->ops->info_ops->partition_info_get(text, buf);
	while (ret == 0 && *count < ARRAY_SIZE(buf) && (buf[*count].id != 0 || buf[*count].properties != 0)) {
		(*count)++;
	}
	return ret;
}

int ffa_client_direct_req(struct ffa_client *c, unsigned dev, bool mode_32bit, uint64_t data[5])
{
	struct ffa_device *fdev = op_device(c, dev);
	struct ffa_send_direct_data d;
	int ret;

	if (fdev == NULL) {
		return -ENODEV;
	}
	if (mode_32bit) {
		fdev->ops->msg_ops->mode_32bit_set(fdev);
	} else {
		fdev->mode_32bit = false; /* no op clears it: a 64-bit client's device as registered */
	}
	d = (struct ffa_send_direct_data){data[0], data[1], data[2], data[3], data[4]};
	ret = fdev->ops->msg_ops->sync_send_receive(fdev, &d);
	data[0] = d.data0;
	data[1] = d.data1;
	data[2] = d.data2;
	data[3] = d.data3;
	data[4] = d.data4;
	return ret;
}

int ffa_client_direct_req2(struct ffa_client *c, unsigned dev, const uint8_t uuid[16],
			   uint64_t data[14])
{
	struct ffa_device *fdev = op_device(c, dev);
	struct ffa_send_direct_data2 d;
	uuid_t u;
	int ret;

	if (fdev == NULL) {
		return -ENODEV;
	}
	import_uuid(&u, uuid);
	memcpy(d.data, data, sizeof(d.data));
	ret = fdev->ops->msg_ops->sync_send_receive2(fdev, &u, &d);
	memcpy(data, d.data, sizeof(d.data));
	return ret;
}

int ffa_client_indirect_send(struct ffa_client *c, unsigned dev, const void *buf, size_t len)
{
	struct ffa_device *fdev = op_device(c, dev);
	uint8_t msg[256];

	if (fdev == NULL) {
		return -ENODEV;
	}
	len = len > sizeof(msg) ? sizeof(msg) : len;
	memcpy(msg, buf, len);
	return fdev->ops->msg_ops->indirect_send(fdev, msg, len);
}

static void txn_free(struct ffa_client_txn *t)
{
	for (unsigned i = 0; i < t->count; i++) {
		free_pages_exact(t->pages[i], t->sizes[i]);
	}
	t->count = 0;
}

int ffa_client_mem_send(struct ffa_client *c, const struct ffa_client_mem *m, uint64_t *handle)
{
	struct ffa_device *fdev = op_device(c, 0);
	struct ffa_mem_region_attributes attrs[4] = {0};
	struct scatterlist sg[8] = {0};
	struct ffa_client_txn t = {0};
	struct ffa_mem_ops_args args = {0};
	int ret;

	if (fdev == NULL || m->receiver_count == 0 || m->receiver_count > 4 ||
	    m->range_count == 0 || m->range_count > 8 || c->handle_count == FFA_CLIENT_MAX_HANDLES) {
		return -ENODEV;
	}
	for (unsigned i = 0; i < m->receiver_count; i++) {
		if (m->receivers[i] >= c->device_count) {
			return -ENODEV;
		}
		attrs[i].receiver = c->devices[m->receivers[i]].vm_id;
		attrs[i].attrs = (u8)m->attrs;
	}
	for (unsigned i = 0; i < m->range_count; i++) {
		size_t size = (size_t)(m->ranges[i] == 0 ? 1 : m->ranges[i]) * PAGE_SIZE;

		t.pages[i] = alloc_pages_exact(size, GFP_KERNEL);
		if (t.pages[i] == NULL) {
			txn_free(&t);
			return -ENOMEM;
		}
		t.sizes[i] = size;
		t.count++;
		sg[i] = (struct scatterlist){.page_link = (unsigned long)t.pages[i],
					     .length = (unsigned int)size};
	}
	sg[m->range_count - 1].page_link |= SG_END;
	args = (struct ffa_mem_ops_args){.use_txbuf = m->use_txbuf,
					 .nattrs = m->receiver_count,
					 .flags = m->flags,
					 .tag = m->tag,
					 .sg = sg,
					 .attrs = attrs};
	ret = m->lend ? fdev->ops->mem_ops->memory_lend(&args)
		      : fdev->ops->mem_ops->memory_share(&args);
	if (ret != 0) {
		txn_free(&t);
		return ret;
	}
	c->txns[c->handle_count] = t;
	c->handles[c->handle_count++] = args.g_handle;
	*handle = args.g_handle;
	return 0;
}

int ffa_client_mem_reclaim(struct ffa_client *c, uint64_t handle, uint32_t flags)
{
	struct ffa_device *fdev = op_device(c, 0);
	int ret;

	if (fdev == NULL) {
		return -ENODEV;
	}
	ret = fdev->ops->mem_ops->memory_reclaim(handle, flags);
	for (unsigned i = 0; ret == 0 && i < c->handle_count; i++) {
		if (c->handles[i] == handle) {
			txn_free(&c->txns[i]);
			c->handles[i] = c->handles[--c->handle_count];
			c->txns[i] = c->txns[c->handle_count];
			break;
		}
	}
	return ret;
}

static void notified(int notify_id, void *cb_data)
{
	struct ffa_client *c = cb_data;

	if (notify_id >= 0 && notify_id < 64) {
		c->notified |= 1ULL << notify_id;
	}
}

int ffa_client_notify_request(struct ffa_client *c, unsigned dev, bool per_vcpu, int id)
{
	struct ffa_device *fdev = op_device(c, dev);
	int ret;

	if (fdev == NULL) {
		return -ENODEV;
	}
	ret = fdev->ops->notifier_ops->notify_request(fdev, per_vcpu, notified, c, id);
	if (ret == 0 && id >= 0 && id < 64) {
		c->devices[dev].requested |= 1ULL << id;
	}
	return ret;
}

int ffa_client_notify_relinquish(struct ffa_client *c, unsigned dev, int id)
{
	struct ffa_device *fdev = op_device(c, dev);
	int ret;

	if (fdev == NULL) {
		return -ENODEV;
	}
	ret = fdev->ops->notifier_ops->notify_relinquish(fdev, id);
	if (ret == 0 && id >= 0 && id < 64) {
		c->devices[dev].requested &= ~(1ULL << id);
	}
	return ret;
}

int ffa_client_notify_send(struct ffa_client *c, unsigned dev, int id, bool per_vcpu,
			   uint16_t vcpu)
{
	struct ffa_device *fdev = op_device(c, dev);

	return fdev == NULL ? -ENODEV
			    : fdev->ops->notifier_ops->notify_send(fdev, id, per_vcpu, vcpu);
}

static void scheduled(u16 vcpu, bool is_per_vcpu, void *cb_data)
{
	(void)vcpu;
	(void)is_per_vcpu;
	(void)cb_data;
}

int ffa_client_sched_recv(struct ffa_client *c, unsigned dev, bool reg)
{
	struct ffa_device *fdev = op_device(c, dev);
	int ret;

	if (fdev == NULL) {
		return -ENODEV;
	}
	ret = reg ? fdev->ops->notifier_ops->sched_recv_cb_register(fdev, scheduled, c)
		  : fdev->ops->notifier_ops->sched_recv_cb_unregister(fdev);
	if (ret == 0) {
		c->devices[dev].sched_recv = reg;
	}
	return ret;
}

int ffa_client_run(struct ffa_client *c, unsigned dev, uint16_t vcpu)
{
	struct ffa_device *fdev = op_device(c, dev);

	return fdev == NULL ? -ENODEV : fdev->ops->cpu_ops->run(fdev, vcpu);
}

int ffa_client_irq(struct ffa_client *c, enum ffa_client_irq irq)
{
	struct shim_irq *i;

	if (op_device(c, 0) == NULL) {
		return -ENODEV;
	}
	i = ffa_shim_irq_named(irq == FFA_CLIENT_SRI ? "ARM-FFA-SRI" : "ARM-FFA-NPI");
	if (i == NULL || !i->enabled) {
		return -ENODEV;
	}
	i->handler((int)i->irq, i->percpu_dev_id); /* CPU 0's element is the first */
	ffa_shim_run_work();
	return 0;
}

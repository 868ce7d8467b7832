/*
 * Force-included (-include) before every line of Linux's FF-A driver
 * (driver.c, bus.c, smccc.c) and of our kernel-side files, the way Kbuild
 * force-includes kconfig.h: the kernel services those files use, declared
 * for the host from what each means in the kernel. Every <linux/...> header
 * they include is an empty stand-in (the build makes them); the tree's own
 * <linux/arm_ffa.h> and <linux/arm-smccc.h> are the real ones. Implemented
 * in shim.c, grouped as here. Nothing here changes what the driver does.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* --- Configuration and compiler words --- */
#define CONFIG_64BIT 1
#define CONFIG_ARM64 1
#define CONFIG_ARM_FFA_TRANSPORT 1
#define CONFIG_ARM_FFA_SMCCC 1
#define CONFIG_HAVE_ARM_SMCCC 1
/* Only ever in #if here (arm_ffa.h), where an option not defined reads 0. */
#define IS_REACHABLE(option) (option + 0)

#define __init
#define __exit
#define __percpu
#define __user
#define asmlinkage
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __maybe_unused __attribute__((unused))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define _AC(x, y) (x##y)
#define _UL(x) (_AC(x, UL))
#define _ULL(x) (_AC(x, ULL))

typedef uint8_t u8, __u8;
typedef uint16_t u16, __u16;
typedef uint32_t u32, __u32;
typedef uint64_t u64, __u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 __le64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;
typedef unsigned short umode_t;

/* --- Numbers and bits --- */
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define ENXIO 6
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENODATA 61
#define EOPNOTSUPP 95
#define ECANCELED 125

#define SZ_4K 0x00001000
#define SZ_16K 0x00004000
#define SZ_64K 0x00010000
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define GENMASK(h, l) (((~0UL) - (1UL << (l)) + 1) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) GENMASK(h, l)
#define __bf_shf(x) (__builtin_ffsll(x) - 1)
#define FIELD_GET(mask, reg) ((__typeof__(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_PREP(mask, val) (((__typeof__(mask))(val) << __bf_shf(mask)) & (mask))
/* ilog2 of a constant power of two up to 2^8 (hashtable sizes). */
#define ilog2(n) ((n) >= 256 ? 8 : (n) >= 128 ? 7 : (n) >= 64 ? 6 : (n) >= 32 ? 5 : \
		  (n) >= 16 ? 4 : (n) >= 8 ? 3 : (n) >= 4 ? 2 : (n) >= 2 ? 1 : 0)
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_not_zero(x, y) ((x) == 0 ? (y) : ((y) == 0 ? (x) : min(x, y)))
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define le64_to_cpu(x) ((u64)(x))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define container_of_const(ptr, type, member) container_of(ptr, type, member)
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-4095)

/* --- printk (into the client's log); pr_fmt is each file's, or the stand-in headers' --- */
__attribute__((format(printf, 2, 3))) void ffa_shim_log(char level, const char *fmt, ...);
#define pr_err(fmt, ...) ffa_shim_log('E', pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) ffa_shim_log('W', pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) ffa_shim_log('I', pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) ffa_shim_log('D', pr_fmt(fmt), ##__VA_ARGS__)

/* --- Modules and initcalls: the client calls the init and exit functions itself --- */
struct module;
#define THIS_MODULE ((struct module *)0)
#define MODULE_ALIAS(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_LICENSE(x)
#define EXPORT_SYMBOL(x)
#define EXPORT_SYMBOL_GPL(x)
#define module_exit(fn)
#define rootfs_initcall(fn)
#define subsys_initcall(fn)

/* --- Lists, hash tables, xarray --- */
struct list_head {
	struct list_head *next, *prev;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};
struct hlist_head {
	struct hlist_node *first;
};
#define LIST_HEAD_INIT(name) {&(name), &(name)}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member)                                           \
	for (pos = list_first_entry(head, __typeof__(*pos), member); &pos->member != (head); \
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)                                   \
	for (pos = list_first_entry(head, __typeof__(*pos), member),                     \
	    n = list_next_entry(pos, member);                                              \
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))
static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l->prev = l;
}
static inline void list_add(struct list_head *n, struct list_head *head)
{
	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
}
static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}
#define hlist_entry_safe(ptr, type, member) \
	({ __typeof__(ptr) ____p = (ptr); ____p ? container_of(____p, type, member) : NULL; })
#define hlist_for_each_entry(pos, head, member)                                           \
	for (pos = hlist_entry_safe((head)->first, __typeof__(*(pos)), member); pos;      \
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))
static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	n->next = h->first;
	if (h->first)
		h->first->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}
static inline void hlist_del(struct hlist_node *n)
{
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	n->next = NULL;
	n->pprev = NULL;
}
#define DECLARE_HASHTABLE(name, bits) struct hlist_head name[1 << (bits)]
#define HASH_SIZE(name) (ARRAY_SIZE(name))
/* The bucket is key % size: which bucket holds a node is not the driver's concern. */
#define hash_init(table) memset(table, 0, sizeof(table))
#define hash_add(table, node, key) hlist_add_head(node, &(table)[(key) % HASH_SIZE(table)])
#define hash_del(node) hlist_del(node)
#define hash_for_each_possible(table, obj, member, key) \
	hlist_for_each_entry(obj, &(table)[(key) % HASH_SIZE(table)], member)

struct xarray {
	struct xa_slot *slots; /* shim.c: (index, entry) pairs */
	unsigned count, cap;
};
void xa_init(struct xarray *xa);
void *xa_load(struct xarray *xa, unsigned long index);
int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
void xa_destroy(struct xarray *xa);
void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max);
void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max);
#define xa_for_each(xa, index, entry)                                        \
	for (index = 0, entry = xa_find(xa, &index, ~0UL); entry;               \
	     entry = xa_find_after(xa, &index, ~0UL))

/* --- Memory: kmalloc on the host heap, pages from the guest's RAM --- */
#define GFP_KERNEL 0u
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void kfree(const void *p);
void *alloc_pages_exact(size_t size, gfp_t gfp);
void free_pages_exact(void *virt, size_t size);
phys_addr_t virt_to_phys(const volatile void *virt);
struct page; /* a page's struct page * is its address in the guest RAM's host view */
#define page_to_phys(page) virt_to_phys(page)
#define virt_to_page(virt) ((struct page *)(virt))

struct scatterlist {
	unsigned long page_link; /* the page; bit 1: the last entry */
	unsigned int offset;
	unsigned int length;
};
#define SG_END 0x02UL
#define sg_is_last(sg) ((sg)->page_link & SG_END)
#define sg_page(sg) ((struct page *)((sg)->page_link & ~3UL))
static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	return sg_is_last(sg) ? NULL : sg + 1;
}
static inline int sg_nents(struct scatterlist *sg)
{
	int n;

	for (n = 0; sg; sg = sg_next(sg))
		n++;
	return n;
}
static inline phys_addr_t sg_phys(struct scatterlist *sg)
{
	return page_to_phys(sg_page(sg)) + sg->offset;
}

/* --- Locks: one thread; a lock taken twice, or released unheld, is the finding client-lock --- */
struct mutex {
	int held;
};
typedef struct {
	int readers, writer;
} rwlock_t;
void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
void rwlock_init(rwlock_t *l);
void read_lock(rwlock_t *l);
void read_unlock(rwlock_t *l);
void write_lock(rwlock_t *l);
void write_unlock(rwlock_t *l);

/* --- CPUs: nr_cpu_ids of them, the driver on CPU 0 but for a cross call --- */
extern unsigned int nr_cpu_ids;
extern unsigned int ffa_shim_cpu; /* the CPU the driver runs on (smp_call_function_single) */
#define smp_processor_id() ffa_shim_cpu
#define for_each_present_cpu(cpu) for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
int smp_call_function_single(int cpu, void (*func)(void *info), void *info, int wait);
void *__alloc_percpu(size_t size);
#define alloc_percpu(type) ((type *)__alloc_percpu(sizeof(type)))
#define per_cpu_ptr(ptr, cpu) (&(ptr)[cpu])
void free_percpu(void *p);
enum cpuhp_state {
	CPUHP_AP_ONLINE_DYN = 200,
};
int cpuhp_setup_state(enum cpuhp_state state, const char *name, int (*startup)(unsigned int cpu),
		      int (*teardown)(unsigned int cpu));
void cpuhp_remove_state(enum cpuhp_state state);
void fsleep(unsigned long usecs);

/* --- Interrupts, the device tree and work --- */
typedef enum {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
} irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);
#define IRQ_TYPE_NONE 0
#define acpi_disabled 1
struct device_node {
	const char *compatible;
};
struct of_phandle_args {
	struct device_node *np;
	int args_count;
	uint32_t args[16];
};
struct device_node *of_find_compatible_node(struct device_node *from, const char *type,
					    const char *compat);
void of_node_put(struct device_node *np);
unsigned int irq_create_of_mapping(struct of_phandle_args *irq_data);
void irq_dispose_mapping(unsigned int irq);
int request_percpu_irq(unsigned int irq, irq_handler_t handler, const char *name,
		       void __percpu *percpu_dev_id);
void free_percpu_irq(unsigned int irq, void __percpu *percpu_dev_id);
void enable_percpu_irq(unsigned int irq, unsigned int type);
void disable_percpu_irq(unsigned int irq);

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
	work_func_t func;
	bool pending;
};
struct workqueue_struct;
#define INIT_WORK(w, f) ((w)->func = (f), (w)->pending = false)
struct workqueue_struct *create_workqueue(const char *name);
void destroy_workqueue(struct workqueue_struct *wq);
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);

/* --- UUIDs --- */
typedef struct {
	u8 b[16];
} uuid_t;
extern const uuid_t uuid_null;
int uuid_parse(const char *uuid, uuid_t *u);
static inline bool uuid_equal(const uuid_t *a, const uuid_t *b)
{
	return memcmp(a, b, sizeof(uuid_t)) == 0;
}
static inline bool uuid_is_null(const uuid_t *u)
{
	return uuid_equal(u, &uuid_null);
}
static inline void uuid_copy(uuid_t *dst, const uuid_t *src)
{
	memcpy(dst, src, sizeof(uuid_t));
}
static inline void import_uuid(uuid_t *dst, const u8 *src)
{
	memcpy(dst, src, sizeof(uuid_t));
}
static inline void export_uuid(u8 *dst, const uuid_t *src)
{
	memcpy(dst, src, sizeof(uuid_t));
}

/* --- The device model: one bus, its devices and drivers, its notifiers --- */
struct device;
struct device_driver;
struct kobj_uevent_env {
	int unused;
};
struct attribute {
	const char *name;
	umode_t mode;
};
struct device_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr, char *buf);
};
struct attribute_group {
	struct attribute **attrs;
};
#define DEVICE_ATTR_RO(_name) \
	struct device_attribute dev_attr_##_name = {{#_name, 0444}, _name##_show}
#define ATTRIBUTE_GROUPS(_name)                                                     \
	static const struct attribute_group _name##_group = {.attrs = _name##_attrs}; \
	static const struct attribute_group *_name##_groups[] = {&_name##_group, NULL}
int sysfs_emit(char *buf, const char *fmt, ...);
int add_uevent_var(struct kobj_uevent_env *env, const char *fmt, ...);

struct bus_type {
	const char *name;
	int (*match)(struct device *dev, const struct device_driver *drv);
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
	int (*uevent)(const struct device *dev, struct kobj_uevent_env *env);
	const struct attribute_group **dev_groups;
};
struct device_driver {
	const char *name;
	const struct bus_type *bus;
	struct module *owner;
	const char *mod_name;
};
struct device {
	const struct bus_type *bus;
	struct device_driver *driver;
	void *driver_data;
	void (*release)(struct device *dev);
	u64 *dma_mask;
	u64 coherent_dma_mask;
	char name[32];
	int refs;        /* get_device/put_device */
	bool registered; /* on the bus's list (shim.c) */
};
static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}
static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}
static inline const char *dev_name(const struct device *dev)
{
	return dev->name;
}
#define dev_err(dev, fmt, ...) pr_err("%s: " fmt, dev_name(dev), ##__VA_ARGS__)
__attribute__((format(printf, 2, 3))) int dev_set_name(struct device *dev, const char *fmt, ...);
int device_register(struct device *dev);
void device_unregister(struct device *dev);
struct device *get_device(struct device *dev);
void put_device(struct device *dev);
int driver_register(struct device_driver *drv);
void driver_unregister(struct device_driver *drv);
int bus_register(const struct bus_type *bus);
void bus_unregister(const struct bus_type *bus);
int bus_for_each_dev(const struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data));
struct device *bus_find_next_device(const struct bus_type *bus, struct device *cur);

#define NOTIFY_DONE 0x0000
#define NOTIFY_OK 0x0001
#define BUS_NOTIFY_BIND_DRIVER 0x00000004
struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action, void *data);
};
int bus_register_notifier(const struct bus_type *bus, struct notifier_block *nb);
int bus_unregister_notifier(const struct bus_type *bus, struct notifier_block *nb);

/* IDs from 1 up, as ida_alloc_min() hands them out. */
struct ida {
	unsigned long used[4];
};
#define DEFINE_IDA(name) struct ida name = {{0}}
int ida_alloc_min(struct ida *ida, unsigned int min, gfp_t gfp);
void ida_free(struct ida *ida, unsigned int id);
void ida_destroy(struct ida *ida);

/*
 * --- SMCCC: the driver's entry points, renamed for the link: the pkvm
 * backend's shim defines the EL2 proxy's own arm_smccc_1_2_smc (shim.c
 * defines these, onto the client's conduit) ---
 */
#define arm_smccc_1_2_smc ffa_client_smccc_1_2_smc
#define arm_smccc_1_2_hvc ffa_client_smccc_1_2_hvc
#define arm_smccc_get_version ffa_client_smccc_get_version
#define arm_smccc_1_1_get_conduit ffa_client_smccc_1_1_get_conduit

/*
 * The platform's physical memory as the mediator and the SPMC model see it:
 * host-backed 4 KiB pages, each with an owner and a state, and each VM's IPA
 * window onto its own pages. Nothing touches a VM or hypervisor page except
 * through mem_translate() and mem_map(), which check who owns the page and
 * whether it is private, an RX/TX mailbox, or shared through FF-A memory
 * management.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/abi.h"

#define MEM_PAGE_SIZE FFA_PAGE_SIZE

/* Page owners are FF-A endpoint IDs (0..0xFFFF) or one of these. */
#define MEM_OWNER_NONE 0xFFFFFFFFU
#define MEM_OWNER_HYP 0x10000U /* the hypervisor itself (mediator buffers) */

enum mem_page_state {
	MEM_PAGE_PRIVATE, /* exclusive to its owner */
	MEM_PAGE_MAILBOX, /* one of its owner's RX/TX buffers, mapped for FF-A */
	MEM_PAGE_SHARED,  /* shared through FFA_MEM_SHARE; the owner keeps access */
	MEM_PAGE_LENT,    /* lent through FFA_MEM_LEND; the owner lost access */
	MEM_PAGE_DONATED, /* being donated: the receiver becomes the owner on retrieval */
};

/*
 * What a page is, fixed by the platform (mem_set_kind()) and kept through
 * every change of owner or state: the memory-send checks refuse some
 * transactions by it (mediator/src/memory.c).
 */
enum mem_page_kind {
	MEM_KIND_RAM,       /* normal memory its owner may read and write */
	MEM_KIND_READ_ONLY, /* normal memory its owner may only read (mapped so for it) */
	MEM_KIND_DEVICE,    /* a device's registers (MMIO), not memory */
};

struct mem_page {
	uint32_t owner;
	uint8_t state;   /* enum mem_page_state */
	uint8_t kind;    /* enum mem_page_kind */
	uint64_t handle; /* the FF-A memory transaction a SHARED/LENT/DONATED page is in */
};

struct mem {
	uint64_t pa_base;
	uint32_t page_count;
	uint8_t *ram; /* page_count * MEM_PAGE_SIZE bytes */
	struct mem_page *pages;
	uint64_t *dirty; /* bit per page: may have been written since mem_init()/mem_reset() */
	uint64_t epoch;  /* bumped by every change to a page record; never goes back */
};

/* An endpoint's view of its memory: IPA [ipa_base, +pages) at PA pa_base. */
struct mem_window {
	uint32_t owner;
	uint64_t ipa_base;
	uint64_t pa_base;
	uint32_t page_count;
};

/**
 * mem_init() - allocate @page_count unowned, zeroed pages at @pa_base.
 * Returns: FFA_OK, FFA_INVALID_PARAMETERS (bad size or alignment) or
 * FFA_NO_MEMORY.
 */
int mem_init(struct mem *m, uint64_t pa_base, uint32_t page_count);

/* Release what mem_init() allocated. */
void mem_fini(struct mem *m);

/*
 * mem_reset() - every page of @m back to zeroed, private and unowned, as
 * mem_init() left it, without moving the RAM (an emulator keeps it mapped).
 * Only pages marked dirty are zeroed: every write must come through
 * mem_map() or mem_zero(), or be declared with mem_touch().
 */
void mem_reset(struct mem *m);

/* A memory's page records and the bytes of its dirty pages, to go back to. */
struct mem_snapshot {
	uint32_t page_count;
	struct mem_page *pages;
	uint64_t *dirty;
	uint8_t *ram; /* the dirty pages' bytes, in page order */
};

/**
 * mem_snapshot_take() - copy @m's page records and dirty pages into @s,
 * which it allocates.
 * Returns: FFA_OK or FFA_NO_MEMORY (@s is then empty).
 */
int mem_snapshot_take(const struct mem *m, struct mem_snapshot *s);

/* Release what mem_snapshot_take() allocated; @s is then empty. */
void mem_snapshot_free(struct mem_snapshot *s);

/*
 * mem_restore() - @m as it was when @s was taken of it: its records, its
 * dirty pages' bytes, the pages dirtied since then zeroed, without moving
 * the RAM. Costs what was dirty at either time, not the whole memory.
 */
void mem_restore(struct mem *m, const struct mem_snapshot *s);

/*
 * mem_touch() - mark the pages holding bytes [pa, +len) dirty, for writers
 * that bypass mem_map(): the emulator's guest stores. Bytes outside @m are
 * ignored.
 */
void mem_touch(struct mem *m, uint64_t pa, uint64_t len);

/* True if page @index of @m may have been written since the last reset. */
bool mem_page_dirty(const struct mem *m, uint32_t index);

/**
 * mem_assign() - give unowned pages [pa, +pages) to @owner, private.
 * Returns: FFA_OK, FFA_INVALID_PARAMETERS (outside memory) or FFA_DENIED
 * (a page already has an owner).
 */
int mem_assign(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner);

/**
 * mem_set_kind() - make pages [pa, +pages) of kind @kind.
 * Returns: FFA_OK, or FFA_INVALID_PARAMETERS (outside memory or @pages is 0).
 */
int mem_set_kind(struct mem *m, uint64_t pa, uint32_t pages, enum mem_page_kind kind);

/**
 * mem_kinds() - the kinds of pages [pa, +pages): bit K set for a page of kind K.
 * Returns: the mask, or 0 outside memory or if @pages is 0.
 */
unsigned mem_kinds(const struct mem *m, uint64_t pa, uint32_t pages);

/**
 * mem_translate() - the PA of IPA range [ipa, +pages) in window @w.
 * Returns: FFA_OK with *@pa set, or FFA_INVALID_PARAMETERS if any byte of
 * the range lies outside the window (overflow included) or @pages is 0.
 */
int mem_translate(const struct mem_window *w, uint64_t ipa, uint32_t pages, uint64_t *pa);

/**
 * mem_transition() - move pages [pa, +pages) from state @from to @to, all or
 * nothing, if @owner owns every one of them.
 * Returns: FFA_OK, FFA_INVALID_PARAMETERS (outside memory or @pages is 0) or
 * FFA_DENIED (a page has another owner or is not in state @from).
 */
int mem_transition(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner,
		   enum mem_page_state from, enum mem_page_state to);

/**
 * mem_transition_handle() - mem_transition(), also recording @handle on every
 * page moved (0 when the pages return to MEM_PAGE_PRIVATE).
 * Returns: as mem_transition().
 */
int mem_transition_handle(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner,
			  enum mem_page_state from, enum mem_page_state to, uint64_t handle);

/**
 * mem_give() - pages [pa, +pages), @from's and in @state, become @to's and
 * private (a completed donation), all or nothing. A read-only page becomes
 * RAM: read-only was the giver's access; the new owner maps it as it
 * retrieved it (the compliance suite's donate_retrieve_input_checks5).
 * Returns: FFA_OK, FFA_INVALID_PARAMETERS (outside memory) or FFA_DENIED.
 */
int mem_give(struct mem *m, uint64_t pa, uint32_t pages, uint32_t from,
	     enum mem_page_state state, uint32_t to);

/* Zero the bytes of pages [pa, +pages) (FFA_MEM_FLAG_ZERO_MEMORY); they must exist. */
void mem_zero(struct mem *m, uint64_t pa, uint32_t pages);

/**
 * mem_host() - the host bytes of pages [pa, +pages), unchecked: only for
 * the emulator to map a VM's own pages into its CPU. FF-A code reaches
 * memory through mem_map(), which checks owner and state. Not marked
 * dirty: whoever writes through it calls mem_touch().
 * Returns: the pointer, or NULL outside memory.
 */
uint8_t *mem_host(struct mem *m, uint64_t pa, uint32_t pages);

/**
 * mem_page_at() - the record of the page holding @pa.
 * Returns: the page, or NULL outside memory.
 */
const struct mem_page *mem_page_at(const struct mem *m, uint64_t pa);

/**
 * mem_map() - a host pointer to pages [pa, +pages), checked: every page must
 * be owned by @owner and in @state. The pages are marked dirty.
 * Returns: the pointer, or NULL if the check fails.
 */
void *mem_map(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner,
	      enum mem_page_state state);

/* True if [a, a + a_len) and [b, b + b_len) intersect (no overflow). */
bool mem_ranges_overlap(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len);

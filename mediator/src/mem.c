/*
 * Physical memory with per-page ownership and state: see mediator/mem.h.
 *
 * The RAM is mapped between inaccessible guards, a page before it and 4 GiB
 * and a page after it (address space only): an access past the physical
 * memory at any 32-bit offset faults, as an address with nothing behind it
 * does on hardware (in the pkvm backend, an EL2 data abort), instead of
 * landing in a neighbouring heap block, an allocator's redzone or whatever
 * mapping the address space layout put next.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "mediator/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mediator/check.h"

/* Every page record back to private and unowned. */
static void unown_all(struct mem *m)
{
	for (uint32_t i = 0; i < m->page_count; i++) {
		m->pages[i] = (struct mem_page){.owner = MEM_OWNER_NONE, .state = MEM_PAGE_PRIVATE};
	}
	m->epoch++;
}

#define GUARD_AFTER ((size_t)1 << 32 | MEM_PAGE_SIZE)

static size_t mapped_len(uint32_t pages)
{
	return MEM_PAGE_SIZE + (size_t)pages * MEM_PAGE_SIZE + GUARD_AFTER;
}

/* @pages zeroed pages between the guards. Returns: the first, or NULL. */
static uint8_t *map_ram(uint32_t pages)
{
	size_t len = mapped_len(pages);
	uint8_t *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		return NULL;
	}
	if (mprotect(p + MEM_PAGE_SIZE, (size_t)pages * MEM_PAGE_SIZE, PROT_READ | PROT_WRITE) != 0) {
		munmap(p, len);
		return NULL;
	}
	return p + MEM_PAGE_SIZE;
}

int mem_init(struct mem *m, uint64_t pa_base, uint32_t page_count)
{
	*m = (struct mem){0};
	if (page_count == 0 || pa_base % MEM_PAGE_SIZE != 0 ||
	    pa_base + (uint64_t)page_count * MEM_PAGE_SIZE < pa_base) {
		return FFA_INVALID_PARAMETERS;
	}
	m->pa_base = pa_base;
	m->page_count = page_count; /* before a failure: mem_fini() unmaps by it */
	m->ram = map_ram(page_count);
	m->pages = calloc(page_count, sizeof(*m->pages));
	m->dirty = calloc((page_count + 63) / 64, sizeof(*m->dirty));
	if (m->ram == NULL || m->pages == NULL || m->dirty == NULL) {
		mem_fini(m);
		return FFA_NO_MEMORY;
	}
	unown_all(m); /* mapped RAM is already zero: not touched, so large memories stay cheap */
	return FFA_OK;
}

void mem_reset(struct mem *m)
{
	for (uint32_t w = 0; w < (m->page_count + 63) / 64; w++) {
		for (uint64_t bits = m->dirty[w]; bits != 0; bits &= bits - 1) {
			uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(bits);

			memset(m->ram + (uint64_t)i * MEM_PAGE_SIZE, 0, MEM_PAGE_SIZE);
		}
		m->dirty[w] = 0;
	}
	unown_all(m);
}

static bool dirty_in(const uint64_t *dirty, uint32_t i)
{
	return (dirty[i / 64] >> (i % 64) & 1) != 0;
}

int mem_snapshot_take(const struct mem *m, struct mem_snapshot *s)
{
	size_t words = (m->page_count + 63) / 64;
	uint32_t n = 0;

	for (size_t w = 0; w < words; w++) {
		n += (uint32_t)__builtin_popcountll(m->dirty[w]);
	}
	*s = (struct mem_snapshot){.page_count = m->page_count};
	s->pages = malloc(m->page_count * sizeof(*s->pages));
	s->dirty = malloc(words * sizeof(*s->dirty));
	s->ram = malloc((size_t)(n ? n : 1) * MEM_PAGE_SIZE);
	if (s->pages == NULL || s->dirty == NULL || s->ram == NULL) {
		mem_snapshot_free(s);
		return FFA_NO_MEMORY;
	}
	memcpy(s->pages, m->pages, m->page_count * sizeof(*s->pages));
	memcpy(s->dirty, m->dirty, words * sizeof(*s->dirty));
	n = 0;
	for (uint32_t i = 0; i < m->page_count; i++) {
		if (dirty_in(m->dirty, i)) {
			memcpy(s->ram + (size_t)n++ * MEM_PAGE_SIZE, m->ram + (size_t)i * MEM_PAGE_SIZE,
			       MEM_PAGE_SIZE);
		}
	}
	return FFA_OK;
}

void mem_snapshot_free(struct mem_snapshot *s)
{
	free(s->pages);
	free(s->dirty);
	free(s->ram);
	*s = (struct mem_snapshot){0};
}

void mem_restore(struct mem *m, const struct mem_snapshot *s)
{
	uint32_t slot = 0; /* the snapshot's pages are in page order: the next one's slot */

	CHECK(s->page_count == m->page_count);
	for (uint32_t w = 0; w < (m->page_count + 63) / 64; w++) {
		for (uint64_t bits = m->dirty[w] | s->dirty[w]; bits != 0; bits &= bits - 1) {
			uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(bits);
			uint8_t *page = m->ram + (size_t)i * MEM_PAGE_SIZE;

			if (dirty_in(s->dirty, i)) {
				memcpy(page, s->ram + (size_t)slot++ * MEM_PAGE_SIZE, MEM_PAGE_SIZE);
			} else {
				memset(page, 0, MEM_PAGE_SIZE);
			}
		}
		m->dirty[w] = s->dirty[w];
	}
	memcpy(m->pages, s->pages, m->page_count * sizeof(*m->pages));
	m->epoch++;
}

void mem_fini(struct mem *m)
{
	if (m->ram != NULL) {
		munmap(m->ram - MEM_PAGE_SIZE, mapped_len(m->page_count));
	}
	free(m->pages);
	free(m->dirty);
	*m = (struct mem){0};
}

/* The index of the first page of [pa, +pages) if it lies inside @m, else -1. */
static int64_t page_index(const struct mem *m, uint64_t pa, uint32_t pages)
{
	uint64_t first;

	if (pages == 0 || pa < m->pa_base || (pa - m->pa_base) % MEM_PAGE_SIZE != 0) {
		return -1;
	}
	first = (pa - m->pa_base) / MEM_PAGE_SIZE;
	if (first >= m->page_count || pages > m->page_count - first) {
		return -1;
	}
	return (int64_t)first;
}

int mem_assign(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner)
{
	int64_t first = page_index(m, pa, pages);

	if (first < 0) {
		return FFA_INVALID_PARAMETERS;
	}
	for (uint32_t i = 0; i < pages; i++) {
		if (m->pages[first + i].owner != MEM_OWNER_NONE) {
			return FFA_DENIED;
		}
	}
	for (uint32_t i = 0; i < pages; i++) {
		m->pages[first + i] = (struct mem_page){.owner = owner, .state = MEM_PAGE_PRIVATE};
	}
	m->epoch++;
	return FFA_OK;
}

int mem_set_kind(struct mem *m, uint64_t pa, uint32_t pages, enum mem_page_kind kind)
{
	int64_t first = page_index(m, pa, pages);

	if (first < 0) {
		return FFA_INVALID_PARAMETERS;
	}
	for (uint32_t i = 0; i < pages; i++) {
		m->pages[first + i].kind = (uint8_t)kind;
	}
	m->epoch++;
	return FFA_OK;
}

unsigned mem_kinds(const struct mem *m, uint64_t pa, uint32_t pages)
{
	int64_t first = page_index(m, pa, pages);
	unsigned kinds = 0;

	for (uint32_t i = 0; first >= 0 && i < pages; i++) {
		kinds |= 1U << m->pages[first + i].kind;
	}
	return kinds;
}

int mem_translate(const struct mem_window *w, uint64_t ipa, uint32_t pages, uint64_t *pa)
{
	uint64_t off;

	if (pages == 0 || ipa < w->ipa_base) {
		return FFA_INVALID_PARAMETERS;
	}
	off = ipa - w->ipa_base;
	if (off / MEM_PAGE_SIZE >= w->page_count ||
	    (uint64_t)pages * MEM_PAGE_SIZE > (uint64_t)w->page_count * MEM_PAGE_SIZE - off) {
		return FFA_INVALID_PARAMETERS;
	}
	*pa = w->pa_base + off;
	return FFA_OK;
}

/* True if every page of [first, +pages) is @owner's and in @state. */
static bool pages_are(const struct mem *m, int64_t first, uint32_t pages, uint32_t owner,
		      enum mem_page_state state)
{
	for (uint32_t i = 0; i < pages; i++) {
		const struct mem_page *p = &m->pages[first + i];

		if (p->owner != owner || p->state != state) {
			return false;
		}
	}
	return true;
}

/* Move pages [pa, +pages) of @owner from @from; set each via @set (a new owner: mem_give()). */
static int move(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner,
		enum mem_page_state from, struct mem_page set, bool set_handle)
{
	int64_t first = page_index(m, pa, pages);

	if (first < 0) {
		return FFA_INVALID_PARAMETERS;
	}
	if (!pages_are(m, first, pages, owner, from)) {
		return FFA_DENIED;
	}
	for (uint32_t i = 0; i < pages; i++) {
		struct mem_page *p = &m->pages[first + i];

		p->kind = p->kind == MEM_KIND_READ_ONLY && set.owner != owner ? MEM_KIND_RAM : p->kind;
		p->owner = set.owner;
		p->state = set.state;
		p->handle = set_handle ? set.handle : p->handle;
	}
	m->epoch++;
	return FFA_OK;
}

int mem_transition(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner,
		   enum mem_page_state from, enum mem_page_state to)
{
	return move(m, pa, pages, owner, from,
		    (struct mem_page){.owner = owner, .state = (uint8_t)to}, false);
}

int mem_transition_handle(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner,
			  enum mem_page_state from, enum mem_page_state to, uint64_t handle)
{
	return move(m, pa, pages, owner, from,
		    (struct mem_page){.owner = owner, .state = (uint8_t)to, .handle = handle},
		    true);
}

int mem_give(struct mem *m, uint64_t pa, uint32_t pages, uint32_t from,
	     enum mem_page_state state, uint32_t to)
{
	return move(m, pa, pages, from, state,
		    (struct mem_page){.owner = to, .state = MEM_PAGE_PRIVATE}, true);
}

/* Mark pages [first, +pages) dirty; the range is inside @m. */
static void mark_dirty(struct mem *m, uint32_t first, uint32_t pages)
{
	for (uint32_t i = first; i < first + pages; i++) {
		m->dirty[i / 64] |= 1ULL << (i % 64);
	}
}

void mem_touch(struct mem *m, uint64_t pa, uint64_t len)
{
	uint64_t size = (uint64_t)m->page_count * MEM_PAGE_SIZE;
	uint64_t start = pa < m->pa_base ? 0 : pa - m->pa_base;
	uint64_t end = pa + len < pa ? UINT64_MAX : pa + len; /* offsets from pa_base below */

	if (len == 0 || end <= m->pa_base || start >= size) {
		return;
	}
	end = end - m->pa_base < size ? end - m->pa_base : size;
	mark_dirty(m, (uint32_t)(start / MEM_PAGE_SIZE),
		   (uint32_t)((end - 1) / MEM_PAGE_SIZE - start / MEM_PAGE_SIZE + 1));
}

bool mem_page_dirty(const struct mem *m, uint32_t index)
{
	return index < m->page_count && (m->dirty[index / 64] >> (index % 64) & 1) != 0;
}

void mem_zero(struct mem *m, uint64_t pa, uint32_t pages)
{
	int64_t first = page_index(m, pa, pages);

	CHECK(first >= 0);
	mark_dirty(m, (uint32_t)first, pages);
	memset(m->ram + (uint64_t)first * MEM_PAGE_SIZE, 0, (size_t)pages * MEM_PAGE_SIZE);
}

uint8_t *mem_host(struct mem *m, uint64_t pa, uint32_t pages)
{
	int64_t first = page_index(m, pa, pages);

	return first < 0 ? NULL : m->ram + (uint64_t)first * MEM_PAGE_SIZE;
}

const struct mem_page *mem_page_at(const struct mem *m, uint64_t pa)
{
	int64_t i = page_index(m, pa - (pa - m->pa_base) % MEM_PAGE_SIZE, 1);

	return pa < m->pa_base || i < 0 ? NULL : &m->pages[i];
}

void *mem_map(struct mem *m, uint64_t pa, uint32_t pages, uint32_t owner,
	      enum mem_page_state state)
{
	int64_t first = page_index(m, pa, pages);

	if (first < 0 || !pages_are(m, first, pages, owner, state)) {
		return NULL;
	}
	mark_dirty(m, (uint32_t)first, pages);
	return m->ram + (uint64_t)first * MEM_PAGE_SIZE;
}

bool mem_ranges_overlap(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	/* Written without a + a_len so that ranges ending at 2^64 cannot wrap. */
	return a_len != 0 && b_len != 0 && (a >= b ? a - b < b_len : b - a < a_len);
}

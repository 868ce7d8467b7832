/*
 * An endpoint's RX/TX buffer pair and the ownership of its RX buffer, as an
 * explicit state machine (DEN0077A v1.2 §"RX/TX buffer ownership"; the
 * "buffer state" rules of FFA_RX_RELEASE and FFA_RX_ACQUIRE). Used by the
 * mediator for each VM's pair and by the SPMC model for the hypervisor's.
 *
 *   FREE --acquire--> PRODUCER --deliver--> CONSUMER --release--> FREE
 *     \                   \--abandon--> FREE           ^
 *      \------------------take (FFA_RX_ACQUIRE)-------/
 *
 * The producer (mediator or SPMC) writes RX only while it holds PRODUCER;
 * the consumer (the endpoint) reads it while it holds CONSUMER.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum mailbox_rx_state {
	MAILBOX_RX_FREE,     /* the producer may take it */
	MAILBOX_RX_PRODUCER, /* being written by the producer */
	MAILBOX_RX_CONSUMER, /* owned by the endpoint until FFA_RX_RELEASE */
};

struct mailbox {
	bool mapped;
	uint64_t tx_pa;
	uint64_t rx_pa;
	uint32_t page_count;
	enum mailbox_rx_state rx;
};

/* Record a newly mapped pair: TX at @tx_pa, RX at @rx_pa, @pages each; RX free. */
void mailbox_map(struct mailbox *mb, uint64_t tx_pa, uint64_t rx_pa, uint32_t pages);

/* Forget the pair. */
void mailbox_unmap(struct mailbox *mb);

/**
 * mailbox_rx_acquire() - the producer takes a free RX buffer to write it.
 * Returns: FFA_OK, or FFA_BUSY if the pair is not mapped or RX is not free.
 */
int mailbox_rx_acquire(struct mailbox *mb);

/* The producer hands the RX buffer it wrote to the consumer. */
void mailbox_rx_deliver(struct mailbox *mb);

/* The producer gives up an RX buffer it took but did not fill. */
void mailbox_rx_abandon(struct mailbox *mb);

/**
 * mailbox_rx_take() - the consumer takes a free RX buffer directly
 * (FFA_RX_ACQUIRE).
 * Returns: FFA_OK, or FFA_BUSY if RX is not free; FFA_DENIED if not mapped.
 */
int mailbox_rx_take(struct mailbox *mb);

/**
 * mailbox_rx_release() - the consumer gives its RX buffer back.
 * Returns: FFA_OK, or FFA_DENIED if the pair is not mapped or the consumer
 * does not own RX.
 */
int mailbox_rx_release(struct mailbox *mb);

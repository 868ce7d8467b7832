/*
 * Fuzz target "seq": whole call sequences from up to three VMs (AArch64 and
 * AArch32, any FF-A version) against the mediator and the SPMC model, with
 * the partitions' behaviour and the SPMC model's lies taken from the input.
 * Every FF-A 1.2 ABI is reachable; the oracle (oracle.c) checks each call.
 * Input format: input.h. Seeds: corpus/seq/. Dictionary: corpus/seq.dict.
 */
#include "harness.h"

FUZZ_TARGET(seq)

/*
 * make bench's reference point: an empty fuzz target. tools/bench runs it
 * under each engine exactly as the real targets are run there (libFuzzer
 * -O2 with coverage and no sanitizers, libFuzzer with ASan+UBSan, AFL++'s
 * persistent driver), from the same 8-call inputs, so its exec/s is that
 * engine's own ceiling on this machine and every target is set beside it.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* AFL++'s driver (fuzz/driver_afl.c) calls it; libFuzzer would if it were absent. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}

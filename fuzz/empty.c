/*
 * make bench's reference point: an empty libFuzzer target, built and run
 * exactly as the real targets are measured there (-O2, coverage, no
 * sanitizers, the same 8-call inputs), so its exec/s is libFuzzer's own
 * ceiling on this machine. tools/fuzz-bench sets every target beside it.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}

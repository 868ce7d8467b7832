/*
 * The AFL++ driver: persistent mode with shared-memory test cases around
 * any target's LLVMFuzzerTestOneInput(), built only with afl-clang-fast
 * (make fuzz builds it twice: without sanitizers for speed, and with
 * AFL_USE_ASAN/AFL_USE_UBSAN). Every input starts from a fresh machine
 * (fuzz_machine_init()), so 100,000 inputs per process are safe.
 */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__AFL_FUZZ_INIT();

int main(void)
{
	unsigned char *buf;

	LLVMFuzzerInitialize(NULL, NULL); /* in the fork server: done once */
	__AFL_INIT();
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000)) {
		LLVMFuzzerTestOneInput(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
	}
	return 0;
}

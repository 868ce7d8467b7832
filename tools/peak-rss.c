/*
 * peak-rss FILE COMMAND [ARG...]: run COMMAND and write its peak resident
 * memory in KiB (wait4()'s ru_maxrss: the largest of the process and the
 * descendants it waited for) to FILE. make bench measures with it what
 * does not report its own (the replay driver).
 *
 * Exit status: COMMAND's, 128 + the signal that ended it, or 2 if it could
 * not be run or FILE not written.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: peak-rss FILE COMMAND [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], &argv[2]);
		perror(argv[2]);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) {
		perror("peak-rss");
		return 2;
	}
	f = fopen(argv[1], "w");
	if (f == NULL || fprintf(f, "%ld\n", ru.ru_maxrss) < 0 || fclose(f) != 0) {
		perror(argv[1]);
		return 2;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

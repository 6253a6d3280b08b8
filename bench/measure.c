/*
 * bench/measure: run commands in alternation and compare them with the first.
 *
 *   measure RUNS -- LABEL CMD [ARG]... -- LABEL CMD [ARG]... ...
 *
 * The first command is the reference (the floor). After one warm-up round
 * (page cache, dynamic loader), each round runs every command once, so slow
 * drift of the machine hits all of them alike; the order rotates from round
 * to round. For each
 * command it prints one line:
 *
 *   LABEL WALL_SECONDS WALL_RATIO CPU_SECONDS CPU_RATIO PEAK_RSS_KIB EXIT
 *
 * WALL_SECONDS is the median elapsed time; CPU_SECONDS the median user +
 * system time of the child (what the run itself cost, and much less
 * disturbed than elapsed time by other work on a shared machine). A RATIO
 * is the median over the rounds of (this run / the reference's run in the
 * same round). Peak RSS is the largest ru_maxrss wait4() reported
 * over the runs: the child's own high-water mark, no GNU time needed.
 * Standard output and error of the commands go to /dev/null.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct command {
	const char *label;
	char **argv;
	double *seconds, *ratio;
	double *cpu, *cpu_ratio;
	long peak_kib;
	int exit_status;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static int run(struct command *c, double *seconds, double *cpu)
{
	double start = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
			close(null);
		}
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("measure: wait4");
			return -1;
		}
	}
	*seconds = now() - start;
	*cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
	if (ru.ru_maxrss > c->peak_kib)
		c->peak_kib = ru.ru_maxrss;
	c->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[2], "--") != 0) {
		fputs("usage: measure RUNS -- LABEL CMD [ARG]... [-- LABEL CMD [ARG]...]...\n",
		      stderr);
		return 2;
	}
	int runs = atoi(argv[1]);
	if (runs < 1)
		return 2;
	struct command *cmds = calloc((size_t)argc, sizeof(*cmds));
	if (!cmds)
		return 2;
	int count = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") != 0)
			continue;
		argv[i] = NULL; /* ends the previous command's argv */
		if (i + 2 >= argc || strcmp(argv[i + 1], "--") == 0) {
			fputs("measure: each command needs a label and a program\n", stderr);
			return 2;
		}
		cmds[count].label = argv[i + 1];
		cmds[count].argv = &argv[i + 2];
		cmds[count].seconds = calloc((size_t)runs, sizeof(double));
		cmds[count].ratio = calloc((size_t)runs, sizeof(double));
		cmds[count].cpu = calloc((size_t)runs, sizeof(double));
		cmds[count].cpu_ratio = calloc((size_t)runs, sizeof(double));
		if (!cmds[count].seconds || !cmds[count].ratio || !cmds[count].cpu ||
		    !cmds[count].cpu_ratio)
			return 2;
		count++;
	}
	for (int r = -1; r < runs; r++) {
		/* Each round starts one command later, so every command takes
		 * every place in the order equally often: whatever runs just
		 * after another (or after the round's gap) is nobody's bias. */
		for (int k = 0; k < count; k++) {
			int i = (k + (r < 0 ? 0 : r)) % count;
			double s, cpu;
			if (run(&cmds[i], &s, &cpu) != 0)
				return 2;
			if (r >= 0) {
				cmds[i].seconds[r] = s;
				/* a clock tick is the resolution: never divide by zero */
				cmds[i].cpu[r] = cpu > 1e-6 ? cpu : 1e-6;
			}
		}
		if (r >= 0)
			for (int i = 0; i < count; i++) {
				cmds[i].ratio[r] = cmds[i].seconds[r] / cmds[0].seconds[r];
				cmds[i].cpu_ratio[r] = cmds[i].cpu[r] / cmds[0].cpu[r];
			}
	}
	for (int i = 0; i < count; i++) {
		printf("%s %.6f %.3f %.6f %.3f %ld %d\n", cmds[i].label,
		       median(cmds[i].seconds, runs), median(cmds[i].ratio, runs),
		       median(cmds[i].cpu, runs), median(cmds[i].cpu_ratio, runs), cmds[i].peak_kib,
		       cmds[i].exit_status);
		free(cmds[i].seconds);
		free(cmds[i].ratio);
		free(cmds[i].cpu);
		free(cmds[i].cpu_ratio);
	}
	free(cmds);
	return fflush(stdout) ? 2 : 0;
}

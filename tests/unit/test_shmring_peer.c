/* shmring across processes. Without arguments: cmocka tests with two real
 * processes on one region file (every frame checked; a SIGKILLed peer seen
 * stopped by its heartbeat; a peer that closes seen gone at once). With
 * arguments it is one end, for tests/integration/lab_ivshmem.sh, which
 * runs side b inside a QEMU guest on the ivshmem BAR:
 *   test_shmring_peer create FILE
 *   test_shmring_peer FILE a|b tx|rx NB_FRAMES
 * tx sends NB_FRAMES frames and exits without detaching (as a killed
 * process would); rx checks every frame, then waits for the peer to be
 * seen stopped. Exit 0 when everything checked out. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/shmring.h"
#include "../../harness/util.h"

#define WAIT_PEER_NS 300000000000ull	/* a guest under emulation boots slowly */

static uint16_t len_of(uint64_t seq)
{
	return (uint16_t)(60 + seq % 1455);
}

static int peer_wait(struct shmring_region *r, unsigned side, uint64_t *beat)
{
	struct shmring_peer w = { 0 };
	uint64_t t0 = util_now_ns();

	while (shmring_peer_check(&w, r->hdr, !side, util_now_ns(),
				  SHMRING_PEER_TIMEOUT_NS, NULL) !=
	       SHMRING_PEER_ALIVE) {
		shmring_beat(r->hdr, side, beat);
		usleep(1000);
		if (util_now_ns() - t0 > WAIT_PEER_NS)
			return -ETIMEDOUT;
	}
	return 0;
}

static int peer_tx(struct shmring_region *r, unsigned side, uint64_t nb,
		   uint64_t *beat)
{
	struct shmring_prod p;
	uint8_t *b[32];
	uint16_t len[32];
	uint64_t seq = 0;

	if (shmring_prod_init(&p, r, side) < 0)
		return -EINVAL;
	while (seq < nb) {
		unsigned n, k;

		shmring_beat(r->hdr, side, beat);
		n = shmring_reserve(&p, b, 32);
		for (k = 0; k < n && seq < nb; k++, seq++) {
			len[k] = len_of(seq);
			memcpy(b[k], &seq, 8);
			b[k][len[k] - 1] = (uint8_t)(seq ^ 0xa5);
		}
		shmring_commit(&p, len, k);
		if (!n)
			usleep(10);
	}
	/* Stay until the consumer took everything. */
	while (__atomic_load_n(&r->hdr->ring[side].cons.idx, __ATOMIC_ACQUIRE) !=
	       p.head) {
		shmring_beat(r->hdr, side, beat);
		usleep(1000);
	}
	printf("tx: sent %llu frames\n", (unsigned long long)nb);
	return 0;
}

static int peer_rx(struct shmring_region *r, unsigned side, uint64_t nb,
		   uint64_t *beat)
{
	struct shmring_cons c;
	struct shmring_peer w = { 0 };
	const uint8_t *b[32];
	uint16_t len[32];
	uint64_t seq = 0, nb_bad = 0, t0;
	enum shmring_peer_state st;

	if (shmring_cons_init(&c, r, !side, 0) < 0)
		return -EINVAL;
	while (seq < nb) {
		unsigned n;

		shmring_beat(r->hdr, side, beat);
		n = shmring_peek(&c, b, len, 32);
		for (unsigned i = 0; i < n; i++, seq++) {
			uint64_t s;

			memcpy(&s, b[i], 8);
			nb_bad += s != seq || len[i] != len_of(seq) ||
				  b[i][len[i] - 1] != (uint8_t)(seq ^ 0xa5);
		}
		shmring_release(&c);
		if (!n)
			usleep(10);
	}
	printf("rx: %llu frames, %llu bad\n", (unsigned long long)seq,
	       (unsigned long long)nb_bad);
	/* The sender exits without detaching: its heartbeat must be seen
	 * stopped after the timeout, not before. */
	t0 = util_now_ns();
	do {
		usleep(10000);
		st = shmring_peer_check(&w, r->hdr, !side, util_now_ns(),
					SHMRING_PEER_TIMEOUT_NS, NULL);
	} while (st == SHMRING_PEER_ALIVE && util_now_ns() - t0 < 20000000000ull);
	printf("rx: peer %s after %.1f s\n", shmring_peer_name(st),
	       (double)(util_now_ns() - t0) / 1e9);
	return nb_bad || st != SHMRING_PEER_STOPPED ? -EIO : 0;
}

/* One end: attach, wait for the peer, move nb frames. 0 or -errno. */
static int peer_run(const char *path, unsigned side, int is_tx, uint64_t nb)
{
	struct shmring_region r;
	char why[512];
	uint64_t beat = 0;
	int rc = shmring_attach(&r, path, why, sizeof(why));

	if (rc < 0) {
		fprintf(stderr, "%s\n", why);
		return rc;
	}
	printf("side %c: attached %s (%zu bytes, %u slots)\n", 'a' + side,
	       path, r.size, r.nb_slots);
	shmring_side_attach(r.hdr, side);
	rc = peer_wait(&r, side, &beat);
	if (rc < 0)
		fprintf(stderr, "side %c: the peer never attached\n", 'a' + side);
	else
		rc = is_tx ? peer_tx(&r, side, nb, &beat) :
			     peer_rx(&r, side, nb, &beat);
	shmring_detach(&r);
	fflush(stdout);	/* a forked end leaves through _exit */
	return rc;
}

static int tool(int argc, char **argv)
{
	struct shmring_region r;
	char why[512];
	uint64_t nb;

	if (argc == 3 && !strcmp(argv[1], "create")) {
		if (shmring_create(&r, argv[2], SHMRING_DEF_SLOTS,
				   SHMRING_SLOT_SIZE, why, sizeof(why)) < 0) {
			fprintf(stderr, "%s\n", why);
			return 1;
		}
		printf("created %s (%zu bytes)\n", argv[2], r.size);
		shmring_detach(&r);
		return 0;
	}
	if (argc != 5 || (strcmp(argv[2], "a") && strcmp(argv[2], "b")) ||
	    (strcmp(argv[3], "tx") && strcmp(argv[3], "rx")) ||
	    util_parse_u64(argv[4], 1, UINT64_MAX, 1, &nb) < 0) {
		fprintf(stderr, "usage: %s create FILE | FILE a|b tx|rx NB_FRAMES\n",
			argv[0]);
		return 2;
	}
	return peer_run(argv[1], argv[2][0] == 'b', !strcmp(argv[3], "tx"),
			nb) < 0;
}

static char path[128];

static int setup(void **state)
{
	struct shmring_region r;
	char why[256];

	(void)state;
	snprintf(path, sizeof(path), "/dev/shm/vioperf-test-%d-shmpeer",
		 (int)getpid());
	if (access("/dev/shm", W_OK) < 0)
		snprintf(path, sizeof(path), "/tmp/vioperf-test-%d-shmpeer",
			 (int)getpid());
	unlink(path);
	if (shmring_create(&r, path, SHMRING_DEF_SLOTS, SHMRING_SLOT_SIZE, why,
			   sizeof(why)) < 0) {
		print_error("%s\n", why);
		return -1;
	}
	shmring_detach(&r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Side b in a child process receives and checks 2M frames from side a in
 * this one, then sees this side stop. */
static void test_two_processes(void **state)
{
	pid_t pid;

	(void)state;
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(peer_run(path, SHMRING_SIDE_B, 0, 2000000) < 0);
	assert_int_equal(peer_run(path, SHMRING_SIDE_A, 1, 2000000), 0);
	assert_int_equal(wait_child(pid), 0);
}

/* A child attaches side b and beats until killed; a clean close shows at
 * once, a SIGKILL after the heartbeat timeout. */
static void test_killed_and_closed_peer(void **state)
{
	struct shmring_region r;
	struct shmring_peer w = { 0 };
	char why[256];
	uint64_t beat = 0, t0 = 0, still = 0;
	enum shmring_peer_state st;
	pid_t pid;
	int pipefd[2];
	char c;

	(void)state;
	assert_int_equal(shmring_attach(&r, path, why, sizeof(why)), 0);
	shmring_side_attach(r.hdr, SHMRING_SIDE_A);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(pipe(pipefd), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct shmring_region rc;
			uint32_t gen;
			uint64_t b = 0;

			close(pipefd[0]);
			if (shmring_attach(&rc, path, why, sizeof(why)) < 0)
				_exit(1);
			gen = shmring_side_attach(rc.hdr, SHMRING_SIDE_B);
			if (write(pipefd[1], "x", 1) != 1)
				_exit(1);
			for (int i = 0; i < 200 || round == 0; i++) {
				shmring_beat(rc.hdr, SHMRING_SIDE_B, &b);
				usleep(5000);
			}
			shmring_side_detach(rc.hdr, SHMRING_SIDE_B, gen);
			_exit(0);
		}
		close(pipefd[1]);
		assert_int_equal(read(pipefd[0], &c, 1), 1);
		close(pipefd[0]);
		usleep(20000);
		assert_int_equal(shmring_peer_check(&w, r.hdr, SHMRING_SIDE_B,
						    util_now_ns(),
						    SHMRING_PEER_TIMEOUT_NS,
						    NULL), SHMRING_PEER_ALIVE);
		if (round == 0) {
			kill(pid, SIGKILL);
			assert_int_equal(wait_child(pid), 128 + SIGKILL);
			t0 = util_now_ns();
		} else {
			assert_int_equal(wait_child(pid), 0);
		}
		do {
			shmring_beat(r.hdr, SHMRING_SIDE_A, &beat);
			usleep(10000);
			st = shmring_peer_check(&w, r.hdr, SHMRING_SIDE_B,
						util_now_ns(),
						SHMRING_PEER_TIMEOUT_NS, &still);
		} while (st == SHMRING_PEER_ALIVE &&
			 util_now_ns() - t0 < 5000000000ull);
		if (round == 0) {
			/* Killed: its words stay, its heartbeat stops. */
			assert_int_equal(st, SHMRING_PEER_STOPPED);
			assert_true(util_now_ns() - t0 >= SHMRING_PEER_TIMEOUT_NS);
			assert_true(still > SHMRING_PEER_TIMEOUT_NS);
		} else {
			/* Closed: gone at the first look. */
			assert_int_equal(st, SHMRING_PEER_ABSENT);
		}
	}
	shmring_detach(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_processes),
		cmocka_unit_test(test_killed_and_closed_peer),
	};

	if (argc > 1)
		return tool(argc, argv);
	return cmocka_run_group_tests(tests, setup, teardown);
}

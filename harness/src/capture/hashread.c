/* hashread.c: one read of a file, hashed in a second thread while the
 * caller parses it (see hashread.h). */
#define _GNU_SOURCE
#include "capture/hashread.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 8 x 128 KiB: enough slack that the two threads rarely wait for each
 * other, and small enough that a chunk is still in cache when hashed and
 * parsed (measured: larger chunks were slower).  Peak memory stays 1 MiB
 * whatever the file's size. */
#define CHUNK_SIZE ((size_t)128 * 1024)
#define NCHUNKS 8

struct tb_hashread {
	int fd;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t changed; /* a chunk was read, hashed or parsed */
	uint8_t *ring;          /* NCHUNKS chunks of CHUNK_SIZE */
	size_t len[NCHUNKS];
	uint64_t produced;         /* chunks read so far */
	uint64_t consumed, hashed; /* chunks the parser and the hasher are done with */
	int reading;               /* a thread is reading the next chunk */
	int done, failed;          /* the file's end was reached, or a read failed */
	/* hasher side only */
	EVP_MD_CTX *md;
	uint64_t bytes;
	/* parser side only */
	size_t off; /* into the chunk being parsed */
	int ready;  /* that chunk was acquired (peek) */
};

/* Fill buf as far as the file goes: 0 at the end, -1 on an error. */
static ssize_t read_full(int fd, uint8_t *buf, size_t cap)
{
	size_t got = 0;
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static uint64_t min_u64(uint64_t x, uint64_t y)
{
	return x < y ? x : y;
}

/* Wait until chunk number want has been read; 0 when the file ended (or
 * failed) before it.  Whichever thread needs the next chunk first reads it
 * (the other is still busy with earlier ones): the read()s go to the thread
 * that is ahead, which balances parsing against hashing on its own.  A
 * chunk is reused only when both the parser and the hasher are done with it. */
static int acquire(struct tb_hashread *h, uint64_t want)
{
	pthread_mutex_lock(&h->mu);
	for (;;) {
		if (want < h->produced || h->done)
			break;
		if (!h->reading && h->produced - min_u64(h->consumed, h->hashed) < NCHUNKS) {
			size_t slot = (size_t)(h->produced % NCHUNKS);
			h->reading = 1;
			pthread_mutex_unlock(&h->mu);
			ssize_t n = read_full(h->fd, h->ring + slot * CHUNK_SIZE, CHUNK_SIZE);
			pthread_mutex_lock(&h->mu);
			h->reading = 0;
			if (n > 0) {
				h->len[slot] = (size_t)n;
				h->produced++;
			} else {
				h->done = 1;
				h->failed = n < 0;
			}
			pthread_cond_broadcast(&h->changed);
			continue;
		}
		pthread_cond_wait(&h->changed, &h->mu);
	}
	int have = want < h->produced;
	pthread_mutex_unlock(&h->mu);
	return have;
}

static void done_with(struct tb_hashread *h, uint64_t *counter)
{
	pthread_mutex_lock(&h->mu);
	(*counter)++;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->mu);
}

static void *hasher(void *arg)
{
	struct tb_hashread *h = arg;
	for (uint64_t k = 0; acquire(h, k); k++) {
		size_t slot = (size_t)(k % NCHUNKS);
		EVP_DigestUpdate(h->md, h->ring + slot * CHUNK_SIZE, h->len[slot]);
		h->bytes += h->len[slot];
		done_with(h, &h->hashed);
	}
	return NULL;
}

static ssize_t stream_read(void *cookie, char *out, size_t n)
{
	struct tb_hashread *h = cookie;
	size_t got = 0;
	while (got < n) {
		if (!acquire(h, h->consumed)) {
			if (got == 0 && h->failed)
				return -1;
			break;
		}
		size_t slot = (size_t)(h->consumed % NCHUNKS);
		size_t k = h->len[slot] - h->off;
		if (k > n - got)
			k = n - got;
		memcpy(out + got, h->ring + slot * CHUNK_SIZE + h->off, k);
		got += k;
		h->off += k;
		if (h->off == h->len[slot]) {
			h->off = 0;
			done_with(h, &h->consumed);
		}
	}
	return (ssize_t)got;
}

int tb_hashread_peek(struct tb_hashread *h, const uint8_t **p, size_t *n)
{
	if (!h->ready) {
		if (!acquire(h, h->consumed))
			return 0;
		h->ready = 1;
	}
	size_t slot = (size_t)(h->consumed % NCHUNKS);
	*p = h->ring + slot * CHUNK_SIZE + h->off;
	*n = h->len[slot] - h->off;
	return 1;
}

void tb_hashread_consume(struct tb_hashread *h, size_t n)
{
	size_t slot = (size_t)(h->consumed % NCHUNKS);
	h->off += n;
	if (h->off == h->len[slot]) {
		h->off = 0;
		h->ready = 0;
		done_with(h, &h->consumed);
	}
}

/* tb_hashread_finish() does the cleaning up. */
static int stream_close(void *cookie)
{
	(void)cookie;
	return 0;
}

static void hashread_free(struct tb_hashread *h)
{
	if (h->fd >= 0)
		close(h->fd);
	EVP_MD_CTX_free(h->md);
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->mu);
	free(h->ring);
	free(h);
}

enum tb_err tb_hashread_open(const char *path, struct tb_hashread **out, FILE **stream,
			     struct tb_diag *d)
{
	*out = NULL;
	*stream = NULL;
	struct tb_hashread *h = tb_xcalloc(1, sizeof *h);
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->changed, NULL);
	h->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (h->fd < 0) {
		enum tb_err e = tb_diag_set(d, TB_E_IO, "%s: cannot read the capture: %s", path,
					    strerror(errno));
		hashread_free(h);
		return e;
	}
	(void)posix_fadvise(h->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	h->ring = tb_xmalloc(NCHUNKS * CHUNK_SIZE);
	h->md = EVP_MD_CTX_new();
	if (!h->md || !EVP_DigestInit_ex(h->md, EVP_sha256(), NULL)) {
		hashread_free(h);
		return tb_diag_set(d, TB_E_INTERNAL, "SHA-256 is not available");
	}
	cookie_io_functions_t io = { .read = stream_read, .close = stream_close };
	*stream = fopencookie(h, "rb", io);
	if (!*stream) {
		hashread_free(h);
		return tb_diag_set(d, TB_E_NOMEM, "%s: cannot make a stream", path);
	}
	if (pthread_create(&h->thread, NULL, hasher, h) != 0) {
		fclose(*stream);
		*stream = NULL;
		hashread_free(h);
		return tb_diag_set(d, TB_E_INTERNAL, "%s: cannot start the hashing thread", path);
	}
	*out = h;
	return TB_OK;
}

enum tb_err tb_hashread_finish(struct tb_hashread *h, uint8_t sum[32], uint64_t *bytes)
{
	/* What the parser left (a file cut short mid-record, trailing bytes)
	 * still belongs to the file's digest: read and hash to the end. */
	while (acquire(h, h->consumed)) {
		h->off = 0;
		h->ready = 0;
		done_with(h, &h->consumed);
	}
	pthread_join(h->thread, NULL);
	unsigned int len = 32;
	int ok = !h->failed && EVP_DigestFinal_ex(h->md, sum, &len);
	*bytes = h->bytes;
	hashread_free(h);
	return ok ? TB_OK : TB_E_IO;
}

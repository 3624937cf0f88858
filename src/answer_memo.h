/* answer_memo — whole answers (bytes) remembered per process under a key,
 * the database's generation and the second they were made in (issue 9: the
 * order list at 50× Fossil's report). A caller puts in the key everything
 * the answer depends on but the database; order_generation gives the rest.
 * See answer_memo.c for how stale an answer can be. */
#ifndef DJ_ANSWER_MEMO_H
#define DJ_ANSWER_MEMO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define ANSWER_MEMO_KEY 512
/* Appends the answer remembered for (key, gen, now) to out: false when there
 * is none (or the key is too long to remember). */
bool answer_memo_get(const char *key, const int64_t gen[3], int64_t now, buf *out);
void answer_memo_put(const char *key, const int64_t gen[3], int64_t now, const char *body, size_t len);
/* Forgets every answer (tests). */
void answer_memo_clear(void);

#endif

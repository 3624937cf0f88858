/* util — small house helpers: time, ids, random tokens, constant-time compare. */
#ifndef DJ_UTIL_H
#define DJ_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint64_t now_ns(void);  /* monotonic */
int64_t now_unix(void); /* wall clock, seconds; tests may pin it with DANGJIAN_NOW */
/* Writes "YYYY-MM-DD HH:MM" in Asia/Shanghai (UTC+8, no DST) for t. */
void fmt_time(int64_t t, char out[20]);
int64_t parse_id(const char *s);              /* a positive decimal id, or 0 */
bool str_eq_ct(const char *a, const char *b); /* constant time for equal lengths */
/* n random bytes as URL-safe base64 (no padding) into out (size ≥ 4*n/3+2). */
void random_token(char *out, size_t outlen, size_t nbytes);
/* True when s is valid UTF-8 without control characters other than \n \r \t. */
bool utf8_valid(const char *s);
/* True when the n bytes at s are well-formed UTF-8 (control characters and
 * NUL allowed): what OpenCC needs, it reads past the end of a cut sequence. */
bool utf8_wellformed(const char *s, size_t n);
/* Number of code points in a UTF-8 string. */
size_t utf8_len(const char *s);
/* s made safe for one log line, into out (always NUL-terminated, cut at a
 * character boundary when too long): control characters (C0, DEL, C1) and
 * bytes that are not valid UTF-8 become \xNN, '"' and '\' get a backslash,
 * so no input can start a new line, forge a field or reach the terminal as a
 * control sequence. Returns out. Every log line with outside text uses it. */
const char *log_safe(const char *s, char *out, size_t outlen);
/* Trims ASCII whitespace at both ends, in place. */
char *str_trim(char *s);
/* s (NULL as "") into dst of n bytes (n ≥ 1), always NUL-terminated; a string
 * too long is cut at a character boundary, so a cut never leaves half a UTF-8
 * sequence. The one copy of a record's text fields into fixed buffers. */
void str_copy(char *dst, size_t n, const char *s);

#endif

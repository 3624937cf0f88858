/* password — hashing and strength of passwords, for the domain (users.c),
 * which may not include auth.h (a web-layer header). Defined in auth.c,
 * where login uses them too. */
#ifndef DJ_PASSWORD_H
#define DJ_PASSWORD_H
#include <stdbool.h>

/* argon2id via libsodium, with at most a few hashes at once; false when busy. */
bool password_hash(const char *password, char out[128]);
bool password_verify(const char *hash, const char *password);
/* Checks a new password's strength; NULL when fine, else the reason in Chinese. */
const char *password_weak(const char *password);
/* The rules for a password being set (user add, passwd, the password page,
 * the admin form): password_weak, and not containing the username (any case),
 * not the demo password, not in the list of common passwords. NULL when fine. */
const char *password_refused(const char *username, const char *password);
/* Whether the lower-cased password is in the list shipped in password_list.c. */
bool password_common(const char *lowercase);

#endif

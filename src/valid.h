/* valid — field validation shared by forms, the API and importers (SPEC §5):
 * every error names its field and says what is wrong, in Chinese. Domain
 * modules fill a field_errors; the web layer shows each beside its field. */
#ifndef DJ_VALID_H
#define DJ_VALID_H
#include <stdbool.h>
#include <stdint.h>

struct field_errors {
	int n;
	struct {
		char field[32];
		char msg[160];
	} e[24];
};

void ferr_add(struct field_errors *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *ferr_get(const struct field_errors *e, const char *field);

/* GB 11643-1999 citizen ID: 18 characters, a valid birth date, the check digit.
 * On success fills birth ("YYYY-MM-DD") and gender ("男"/"女") when not NULL;
 * on failure returns the reason. */
const char *idcard_check(const char *id, char birth[11], const char **gender);
/* The GB 11643 check character for the first 17 digits. */
char idcard_check_char(const char *first17);
/* A mainland mobile number: 11 digits starting 13–19. */
bool phone_valid(const char *p);
/* A real calendar date written YYYY-MM-DD. */
bool date_valid(const char *d);
/* Masks for people who do not need the full value: 138****5678, 3201**********1234. */
void mask_phone(const char *p, char out[24]);
void mask_idcard(const char *id, char out[24]);
/* Today's date in Asia/Shanghai, YYYY-MM-DD. */
void today(char out[11]);

#endif

/* log_safe (util.h): what every log line does with outside text (issue 8, defect 7). */
#include <criterion/criterion.h>
#include <string.h>

#include "util.h"

static const char *safe(const char *s)
{
	static char out[256];
	return log_safe(s, out, sizeof out);
}

Test(log, control_characters_become_hex)
{
	cr_assert_str_eq(safe("a\nb\rc\td\x1b[31m\x7f"), "a\\x0ab\\x0dc\\x09d\\x1b[31m\\x7f");
	cr_assert_str_eq(safe("say \"hi\" \\ bye"), "say \\\"hi\\\" \\\\ bye");
	cr_assert_null(strchr(safe("x\n2026-01-01 fake line\n"), '\n'));
}

Test(log, utf8_passes_broken_bytes_and_c1_do_not)
{
	cr_assert_str_eq(safe("诉求 繁體"), "诉求 繁體");
	cr_assert_str_eq(safe("\xff\xfe\xc3("), "\\xff\\xfe\\xc3(");
	cr_assert_str_eq(safe("\xc2\x9b"
			      "2J"),
			 "\\xc2\\x9b2J");                          /* C1 CSI */
	cr_assert_str_eq(safe("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* a surrogate */
	cr_assert_str_eq(safe(NULL), "");
}

Test(log, cut_at_a_character_boundary)
{
	char out[8];
	cr_assert_str_eq(log_safe("abcdefghij", out, sizeof out), "abcdefg");
	cr_assert_str_eq(log_safe("ab\ncdef", out, sizeof out), "ab\\x0ac"); /* 2 + 4 + 1 */
	cr_assert_str_eq(log_safe("诉求诉求", out, sizeof out), "诉求");
	cr_assert_str_eq(log_safe("a\nb", out, 4), "a"); /* no half escape */
}

Test(utf8, wellformed_allows_controls_and_refuses_cut_sequences)
{
	cr_assert(utf8_wellformed("a\0b\x01党", 8));
	cr_assert(utf8_wellformed("", 0));
	cr_assert_not(utf8_wellformed("党", 2)); /* cut */
	cr_assert_not(utf8_wellformed("\xe5", 1));
	cr_assert_not(utf8_wellformed("\xff", 1));
	cr_assert_not(utf8_wellformed("\xc0\x80", 2)); /* overlong */
}

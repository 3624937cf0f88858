/* accounts — logins for roster members (issue 10 §1). Codes are random, kept
 * only as a BLAKE2b hash of "account id:code" (as session tokens are),
 * expire after ACTIVATION_TTL and are used once. The throttle of the
 * activation page is auth.c's (accounts_web.c asks it). */
#include "accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "members.h"
#include "orgs.h"
#include "users.h"
#include "util.h"

const struct permission perm_account_issue = {"account.issue", "为党员开通账号、打印激活码", R_ADMIN | R_COMMITTEE | R_BRANCH};

/* no 0/O, 1/I/L: read off a slip of paper and typed on a phone */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

bool account_code_normalise(const char *in, char out[ACTIVATION_CODE_LEN + 1])
{
	size_t n = 0;
	out[0] = 0;
	for (const char *p = in ? in : ""; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!strchr(code_alphabet, c) || c == 0 || n == ACTIVATION_CODE_LEN)
			return false;
		out[n++] = c;
	}
	out[n] = 0;
	return n == ACTIVATION_CODE_LEN;
}

static void code_hash(int64_t user_id, const char *code, char out[65])
{
	char msg[64];
	int n = snprintf(msg, sizeof msg, "%lld:%s", (long long)user_id, code);
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)msg, (unsigned long long)n, NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
	sodium_memzero(msg, sizeof msg);
}

/* Ends the unused codes of an account. */
static enum dj_result codes_end(db *d, int64_t user_id, struct field_errors *e)
{
	if (db_run(d, "DELETE FROM activation_codes WHERE user_id = ? AND used_at IS NULL", "I", user_id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

/* A new code for the account (the older unused ones end), into slip->code. */
static enum dj_result code_new(db *d, const struct actor *a, int64_t user_id, struct account_slip *slip, struct field_errors *e)
{
	enum dj_result res = codes_end(d, user_id, e);
	if (res != DJ_OK)
		return res;
	char code[ACTIVATION_CODE_LEN + 1];
	for (int i = 0; i < ACTIVATION_CODE_LEN; i++)
		code[i] = code_alphabet[randombytes_uniform(sizeof code_alphabet - 1)];
	code[ACTIVATION_CODE_LEN] = 0;
	char hash[65];
	code_hash(user_id, code, hash);
	int64_t now = now_unix();
	slip->expires_at = now + ACTIVATION_TTL;
	if (db_run(d, "INSERT INTO activation_codes (user_id, code_hash, created_by, created_at, expires_at) VALUES (?, ?, NULLIF(?, 0), ?, ?)", "ItIII",
		   user_id, hash, a->user_id, now, slip->expires_at) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	snprintf(slip->code, sizeof slip->code, "%.4s-%.4s", code, code + 4);
	sodium_memzero(code, sizeof code);
	return DJ_OK;
}

static bool has_duty(const char *duties, const char *duty)
{
	/* 、-separated names; none is a part of another */
	return duties && strstr(duties, duty) != NULL;
}

/* Gives the loaded member (checked by the caller) an account and a code. */
static enum dj_result issue(db *d, const struct actor *a, const struct member *m, struct account_slip *slip, struct field_errors *e)
{
	memset(slip, 0, sizeof *slip);
	if (!strcmp(m->status, "stopped"))
		return dj_fail(e, DJ_CONFLICT, "已停止党籍的党员不能开通账号");
	if (!strcmp(m->status, "transferred"))
		return dj_fail(e, DJ_CONFLICT, "组织关系已转出本镇的党员不能开通账号");
	if (!phone_valid(m->phone)) {
		ferr_add(e, "phone", "请先在党员信息中填写正确的手机号（11 位），党员凭手机号激活账号");
		return DJ_INVALID;
	}
	int64_t other;
	int taken = member_accounts_by_phone(d, m->phone, m->id, &other, 1);
	if (taken > 0)
		return dj_fail(e, DJ_CONFLICT, "手机号 %s 已被另一名党员的账号使用，请先核对花名册中的手机号", m->phone);
	const char *role = has_duty(m->duties, "网格员") ? "grid" : "member";
	int64_t uid = member_account_of(d, m->id);
	/* a failed read must not pass for "no account": a second one would follow */
	if (taken < 0 || uid < 0)
		return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	enum dj_result res;
	bool reissue = uid != 0;
	struct user u;
	if (uid) {
		if (!users_get(d, uid, &u))
			return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
		if (strcmp(u.role, "member") && strcmp(u.role, "grid"))
			return dj_fail(e, DJ_CONFLICT, "该党员已有工作人员账号（用户名 %s），由系统管理员管理", u.username);
		if ((res = users_reopen(d, a, uid, m->name, role, m->org_id, e)) != DJ_OK)
			return res;
	} else {
		/* the phone number is the username when it is free (a staff account may hold it) */
		char username[64];
		snprintf(username, sizeof username, "%s", m->phone);
		if (users_id_by_username(d, username))
			snprintf(username, sizeof username, "m%lld", (long long)m->id);
		if ((res = users_create_pending(d, a, username, m->name, role, m->org_id, &uid, e)) != DJ_OK ||
		    (res = member_link_account(d, m->id, uid, e)) != DJ_OK)
			return res;
		if (!users_get(d, uid, &u))
			return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	}
	if ((res = code_new(d, a, uid, slip, e)) != DJ_OK)
		return res;
	slip->member_id = m->id;
	slip->user_id = uid;
	snprintf(slip->name, sizeof slip->name, "%s", m->name);
	snprintf(slip->username, sizeof slip->username, "%s", u.username);
	snprintf(slip->phone, sizeof slip->phone, "%s", m->phone);
	snprintf(slip->role, sizeof slip->role, "%s", role);
	struct org o;
	snprintf(slip->org_name, sizeof slip->org_name, "%s", org_load(d, m->org_id, &o) ? o.name : "");
	char sum[300];
	snprintf(sum, sizeof sum, "%s %s：账号 %s（%s），激活码 7 天内有效", reissue ? "重新生成激活码" : "开通账号", m->name, u.username,
		 role_label(role_from_key(role)));
	if (audit_write(d, a, reissue ? "account.reissue" : "account.issue", "member", m->id, m->org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

enum dj_result account_issue(db *d, const struct actor *a, int64_t member_id, struct account_slip *slip, struct field_errors *e)
{
	struct member m;
	memset(slip, 0, sizeof *slip);
	if (!member_id || !member_load(d, member_id, &m) || !member_visible(d, a, &m))
		return dj_fail(e, DJ_NOT_FOUND, "党员不存在或不在您的管辖范围内");
	if (!permission_allows(&perm_account_issue, a) || !member_org_covered(d, a, m.org_id))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能为该党员开通账号");
	return issue(d, a, &m, slip, e);
}

enum dj_result account_issue_branch(db *d, const struct actor *a, int64_t org_id,
				    void (*fn)(void *ctx, const struct account_slip *slip, const char *name, const char *why), void *ctx, int *issued,
				    struct field_errors *e)
{
	*issued = 0;
	struct org o;
	if (!org_id || !org_load(d, org_id, &o) || !actor_covers(a, o.path))
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
	if (!permission_allows(&perm_account_issue, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能为党员开通账号");
	if (strcmp(o.type, "branch"))
		return dj_fail(e, DJ_INVALID, "请在党支部的花名册中批量开通账号");
	size_t n;
	int64_t *ids = member_ids_without_account(d, o.path, &n);
	if (!ids)
		return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	enum dj_result res = DJ_OK;
	for (size_t i = 0; i < n; i++) {
		struct member m;
		if (!member_load(d, ids[i], &m)) {
			res = dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
			break;
		}
		struct account_slip slip;
		struct field_errors one = {0};
		enum dj_result r1 = issue(d, a, &m, &slip, &one);
		if (r1 == DJ_OK) {
			++*issued;
			fn(ctx, &slip, m.name, NULL);
		} else if (r1 == DJ_INVALID || r1 == DJ_CONFLICT) {
			fn(ctx, NULL, m.name, one.n ? one.e[0].msg : "无法开通");
		} else {
			res = dj_fail(e, r1, "%s", one.n ? one.e[0].msg : "系统繁忙，请稍后再试");
			break;
		}
	}
	free(ids);
	if (res != DJ_OK)
		return res;
	char sum[300];
	snprintf(sum, sizeof sum, "%s：批量开通 %d 个党员账号", o.name, *issued);
	if (audit_write(d, a, "account.issue_branch", "org", o.id, o.id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

#define BAD_CODE "手机号或激活码不正确，或激活码已过期、已使用。请核对激活单，或请支部书记重新生成激活码"

enum dj_result account_activate(db *d, const struct actor *a, const char *phone, const char *code, const char *password, char username[64],
				struct field_errors *e)
{
	username[0] = 0;
	char c[ACTIVATION_CODE_LEN + 1];
	if (!phone_valid(phone) || !account_code_normalise(code, c))
		return dj_fail(e, DJ_INVALID, BAD_CODE);
	int64_t ids[4];
	int n = member_accounts_by_phone(d, phone, 0, ids, 4);
	if (n < 0)
		return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	int64_t uid = 0, code_id = 0, now = now_unix();
	for (int i = 0; i < n && !uid; i++) {
		char hash[65];
		code_hash(ids[i], c, hash);
		code_id = db_int1(d, 0, "SELECT id FROM activation_codes WHERE code_hash = ? AND user_id = ? AND used_at IS NULL AND expires_at > ?",
				  "tII", hash, ids[i], now);
		if (code_id)
			uid = ids[i];
	}
	sodium_memzero(c, sizeof c);
	struct user u;
	if (!uid || !users_get(d, uid, &u))
		return dj_fail(e, DJ_INVALID, BAD_CODE);
	snprintf(username, 64, "%s", u.username);
	if (!password)
		return DJ_OK;
	enum dj_result res = users_activate(d, a, uid, phone, password, e);
	if (res != DJ_OK)
		return res;
	if (db_run(d, "UPDATE activation_codes SET used_at = ? WHERE id = ?", "II", now, code_id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return codes_end(d, uid, e);
}

enum dj_result account_follow_member(db *d, const struct actor *a, int64_t member_id, struct field_errors *e)
{
	int64_t uid = member_account_of(d, member_id);
	struct user u;
	struct member m;
	if (!uid)
		return DJ_OK;
	/* the link is a foreign key: an account that cannot be read is a failed read */
	if (uid < 0 || !users_get(d, uid, &u))
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	if (!u.active || (strcmp(u.role, "member") && strcmp(u.role, "grid")))
		return DJ_OK;
	struct org acc, now;
	if (!member_load(d, member_id, &m) || !org_load(d, u.org_id, &acc) || !org_load(d, m.org_id, &now))
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	bool stopped = !strcmp(m.status, "stopped"), gone = !strcmp(m.status, "transferred");
	bool moved = strncmp(now.path, acc.path, strlen(acc.path)) != 0;
	if (!stopped && !gone && !moved)
		return DJ_OK;
	enum dj_result res = users_deactivate(d, a, uid, stopped ? "党员停止党籍" : gone ? "党员组织关系转出本镇" : "党员组织关系转出本支部", e);
	if (res != DJ_OK)
		return res;
	return codes_end(d, uid, e);
}

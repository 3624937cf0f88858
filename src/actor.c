/* actor — the caller of a domain function, and the names of the roles (SPEC §1). */
#include "actor.h"

#include <stdio.h>
#include <string.h>

#include "result.h"

static const struct {
	int role;
	const char *key, *label;
} role_names[] = {
	{R_ADMIN, "admin", "系统管理员"}, {R_COMMITTEE, "committee", "镇党委"}, {R_BRANCH, "branch", "支部书记"}, {R_MEMBER, "member", "党员"},
	{R_GRID, "grid", "网格员"},       {R_REVIEWER, "reviewer", "联审部门"}, {A_PUBLIC, "public", "群众"},     {A_SYSTEM, "system", "系统"},
};

const char *role_key(int role)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (role_names[i].role == role)
			return role_names[i].key;
	return "";
}

const char *role_label(int role)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (role_names[i].role == role)
			return role_names[i].label;
	return "";
}

int role_from_key(const char *k)
{
	/* only the roles an account can hold */
	for (size_t i = 0; k && i < sizeof role_names / sizeof role_names[0]; i++)
		if (role_names[i].role <= R_REVIEWER && !strcmp(role_names[i].key, k))
			return role_names[i].role;
	return 0;
}

void actor_public(struct actor *a, const char *ip)
{
	memset(a, 0, sizeof *a);
	a->role = A_PUBLIC;
	snprintf(a->label, sizeof a->label, "群众");
	snprintf(a->ip, sizeof a->ip, "%s", ip ? ip : "");
}

void actor_system(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->role = A_SYSTEM;
	snprintf(a->org_path, sizeof a->org_path, "/");
	snprintf(a->username, sizeof a->username, "system");
	snprintf(a->label, sizeof a->label, "系统");
	snprintf(a->ip, sizeof a->ip, "local");
}

void actor_cli(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->role = R_ADMIN;
	snprintf(a->org_path, sizeof a->org_path, "/");
	snprintf(a->username, sizeof a->username, "cli");
	snprintf(a->name, sizeof a->name, "命令行");
	snprintf(a->label, sizeof a->label, "命令行");
	snprintf(a->ip, sizeof a->ip, "local");
}

void actor_set_label(struct actor *a) { snprintf(a->label, sizeof a->label, "%.120s %.60s", a->org_name, a->name); }

const char *actor_scope(const struct actor *a)
{
	if (a->role == R_ADMIN || a->role == A_SYSTEM)
		return "/";
	if (a->role == A_PUBLIC || !*a->org_path)
		return "";
	return a->org_path;
}

bool actor_covers(const struct actor *a, const char *org_path)
{
	const char *scope = actor_scope(a);
	return *scope && org_path && !strncmp(org_path, scope, strlen(scope));
}

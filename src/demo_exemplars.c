/* demo_exemplars — role-model selection in the demo town (issue 15 §10),
 * made through the domain functions only: the consulted departments with
 * their reviewers; a 两优一先 campaign finished, its 优秀共产党员 awarded with
 * certificates (seed 001's 41, scaled to 陈集镇's roster), a lecture tour with
 * its sessions and care records; a 身边好人 campaign on public notice with an
 * open objection; a 最美家庭 campaign in consultation, where 镇纪委 vetoed one
 * candidate. A campaign's 年度 is the year it runs in (campaign_year):
 * whatever the clock, its dates fall where a real one's would — in its
 * year, or wrapping it up early the next (in January the 身边好人 on public
 * notice is last year's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor.h"
#include "db.h"
#include "exemplars.h"
#include "orgs.h"
#include "users.h"
#include "util.h"

int demo_exemplars(db *d, const struct actor *cli, FILE *out);

/* A campaign's 年度 from the day its nominations open (t0): the Beijing year
 * it runs in, or the year before when it opens in January — committees
 * select a year's role models during that year and wrap the selection up
 * early the next, never open next year's in December. */
static int campaign_year(int64_t t0)
{
	time_t tt = (time_t)(t0 + 8 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	return tm.tm_year + 1900 - (tm.tm_mon == 0);
}

static const struct {
	const char *code, *name, *user, *person;
} depts[] = {
	{"CJZ-ZF", "陈集镇政法委员会", "zhengfa", "高德胜"},
	{"CJZ-XF", "陈集镇信访办公室", "xinfang", "马桂芳"},
	{"CJZ-GA", "东阿县公安局陈集派出所", "gongan", "韩立军"},
};

static const char *const deeds[] = {
	"担任党员中心户以来，联系群众十二户，帮助独居老人代办医保、代购药品，常年义务为村里修理电路。",
	"带头发展黄瓜大棚种植，成立合作社带动二十余户群众增收，每年为困难户免费提供种苗和技术指导。",
	"在疫情防控和防汛工作中冲锋在前，连续值守卡口四十余天，组织党员突击队转移群众三十余人。",
	"退休后主动担任村级调解员，化解邻里纠纷五十余起，被群众称为“和事佬”。",
	"坚持为村里留守儿童义务辅导功课八年，自费购买图书两千余册，建起“红色书屋”。",
	"在阿胶分厂一线岗位上钻研技术，完成工艺改进三项，带出徒弟十二名，主动认领微心愿二十余个。",
	"担任网格员以来走遍辖区三百余户，收集社情民意一百余条，推动解决了村西排水沟、路灯等民生问题。",
	"常年照顾瘫痪在床的婆婆，家庭和睦、邻里互助，带动左邻右舍形成孝老爱亲的好风气。",
	"组织“红色七点半”宣讲二十余场，用群众听得懂的话讲政策，带领党员志愿者开展环境整治。",
	"放弃城里的工作回村创业，带头流转土地发展特色种植，吸纳本村劳动力四十余人就近就业。",
};

static const char *const org_deeds[] = {
	"坚持“党建+合作社”模式，流转土地一千二百亩发展黄瓜大棚，村集体年收入突破五十万元，带动群众人均增收三千元。",
	"推行“红色物业”，组建党员志愿服务队十二支，建立“民情日记”，一年来解决居民急难愁盼问题八十余件。",
	"把支部建在生产线上，党员先锋岗带头攻关，产品合格率提升到百分之九十九点八，吸纳周边群众就业二百余人。",
	"落实“三会一课”“主题党日”制度，建成党群服务中心，群众点单、支部接单、党员送单的闭环办理率百分之九十六。",
	"抓实网格化管理，党员中心户联系群众全覆盖，连续三年无信访积案、无安全事故。",
};

static int user_actor(db *d, const char *username, struct actor *a)
{
	memset(a, 0, sizeof *a);
	db_stmt *s = db_query(d, "SELECT u.id, u.role, u.org_id, o.path, o.name, u.name FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ?",
			      "t", username);
	bool ok = db_next(s);
	if (ok) {
		a->user_id = db_int(s, 0);
		a->role = role_from_key(db_str(s, 1));
		a->org_id = db_int(s, 2);
		snprintf(a->org_path, sizeof a->org_path, "%s", db_str(s, 3));
		snprintf(a->org_name, sizeof a->org_name, "%s", db_str(s, 4));
		snprintf(a->name, sizeof a->name, "%s", db_str(s, 5));
	}
	if (db_done(s) != DB_OK || !ok)
		return -1;
	snprintf(a->username, sizeof a->username, "%s", username);
	snprintf(a->ip, sizeof a->ip, "demo");
	actor_set_label(a);
	return 0;
}

static int fail(const char *what, enum dj_result r, const struct field_errors *e)
{
	fprintf(stderr, "dangjian demo: exemplars: %s: %s\n", what, dj_message(r, e));
	return -1;
}

/* Roster members of the town, as nominees: name and the branch they belong to. */
struct nominee {
	char name[64], unit[128];
};
static int roster(db *d, int offset, int n, struct nominee *out)
{
	db_stmt *s = db_query(d,
			      "SELECT m.name, o.name FROM members m JOIN orgs o ON o.id = m.org_id ORDER BY (m.id * 7919) % 1009, m.id LIMIT ? OFFSET ?",
			      "ii", n, offset);
	int k = 0;
	while (db_next(s) && k < n) {
		snprintf(out[k].name, sizeof out[k].name, "%s", db_str(s, 0));
		snprintf(out[k].unit, sizeof out[k].unit, "%s", db_str(s, 1));
		k++;
	}
	return db_done(s) == DB_OK ? k : -1;
}

struct actors {
	struct actor zuzhi, jiwei, depts[3], chenji, dangyuan;
};

/* One campaign from nomination up to (and including) stage `until`:
 * "consultation" (answers as given by veto_at), "notice", "closed". */
static int campaign(db *d, const struct actor *cli, struct actors *A, const struct exemplar_campaign_new *n, const struct nominee *people, int count,
		    const char *const *texts, int ntexts, int shortlist, int veto_at, const char *until, int64_t t0, int64_t *cid_out, int64_t *awarded,
		    int *nawarded)
{
	struct field_errors e = {0};
	int64_t cid;
	enum dj_result r = exemplar_campaign_create(d, &A->zuzhi, n, t0, &cid, &e);
	if (r != DJ_OK)
		return fail("campaign", r, &e);
	*cid_out = cid;
	int64_t ids[64];
	for (int i = 0; i < count && i < 64; i++) {
		struct exemplar_nomination nm;
		memset(&nm, 0, sizeof nm);
		snprintf(nm.name, sizeof nm.name, "%s", people[i].name);
		snprintf(nm.unit, sizeof nm.unit, "%s", people[i].unit);
		snprintf(nm.deeds, sizeof nm.deeds, "%s", texts[ntexts == count ? i : (i * 3 + (int)cid) % ntexts]);
		struct actor pub;
		actor_public(&pub, "demo");
		const struct actor *who = i % 3 == 0 ? &A->chenji : i % 3 == 1 ? &A->dangyuan : &pub;
		if (who == &pub) {
			snprintf(nm.nominator_name, sizeof nm.nominator_name, "%s", i % 2 ? "王大爷" : "刘大姐");
			snprintf(nm.nominator_phone, sizeof nm.nominator_phone, "1390530%04d", 1000 + i);
		}
		bool rep;
		e.n = 0;
		if ((r = exemplar_nominate(d, who, cid, &nm, t0 + 86400 + i * 3600, &ids[i], &rep, &e)) != DJ_OK)
			return fail("nominate", r, &e);
	}
	/* one of the branch's nominations repeats the first: it is merged on acceptance */
	{
		struct exemplar_nomination nm;
		memset(&nm, 0, sizeof nm);
		snprintf(nm.name, sizeof nm.name, "%s", people[0].name);
		snprintf(nm.unit, sizeof nm.unit, "%s", people[0].unit);
		snprintf(nm.deeds, sizeof nm.deeds, "%s", texts[ntexts == count ? 0 : (int)cid % ntexts]);
		int64_t dup;
		bool rep;
		if ((r = exemplar_nominate(d, &A->zuzhi, cid, &nm, t0 + 2 * 86400, &dup, &rep, &e)) != DJ_OK)
			return fail("nominate", r, &e);
		if ((r = exemplar_act(d, &A->zuzhi, ids[0], "accept", NULL, t0 + 9 * 86400, &e)) != DJ_OK ||
		    (r = exemplar_act(d, &A->zuzhi, dup, "accept", NULL, t0 + 9 * 86400, &e)) != DJ_OK)
			return fail("accept", r, &e);
	}
	for (int i = 1; i < count; i++)
		if ((r = exemplar_act(d, &A->zuzhi, ids[i], "accept", NULL, t0 + 9 * 86400, &e)) != DJ_OK)
			return fail("accept", r, &e);
	if ((r = exemplar_open_review(d, &A->zuzhi, cid, t0 + 10 * 86400, &e)) != DJ_OK)
		return fail("open_review", r, &e);
	/* two reviewers score; the first candidates score best */
	for (int i = 0; i < count; i++) {
		/* 政治素质 30, 工作实绩 40, 群众公认 30: the first candidates score best */
		int64_t p1[3] = {29 - i / 4, 39 - i / 2, 28 - (i + 1) / 3}, p2[3] = {28 - i / 3, 37 - i / 2 + i % 2, 28 - i / 4};
		if ((r = exemplar_score(d, &A->zuzhi, ids[i], p1, 3, "事迹突出，群众认可", t0 + 12 * 86400, &e)) != DJ_OK ||
		    (r = exemplar_score(d, &A->jiwei, ids[i], p2, 3, NULL, t0 + 12 * 86400, &e)) != DJ_OK)
			return fail("score", r, &e);
	}
	if ((r = exemplar_shortlist(d, &A->zuzhi, cid, ids, shortlist, t0 + 14 * 86400, &e)) != DJ_OK)
		return fail("shortlist", r, &e);
	/* the departments answer: 纪委 first, then the others */
	int64_t tasks[256];
	int nt = 0;
	db_stmt *s = db_query(
		d,
		"SELECT t.id FROM exemplar_consults t JOIN exemplar_candidates c ON c.id = t.candidate_id JOIN orgs o ON o.id = t.dept_org_id "
		"WHERE c.campaign_id = ? ORDER BY CASE WHEN o.code = 'CJZ-JW' THEN 0 ELSE 1 END, c.id, o.id",
		"I", cid);
	while (db_next(s) && nt < 256)
		tasks[nt++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return -1;
	bool stop_early = !strcmp(until, "consultation");
	for (int i = 0; i < nt; i++) {
		int64_t dept = db_int1(d, 0, "SELECT dept_org_id FROM exemplar_consults WHERE id = ?", "I", tasks[i]);
		int64_t cand = db_int1(d, 0, "SELECT candidate_id FROM exemplar_consults WHERE id = ?", "I", tasks[i]);
		const struct actor *who = NULL;
		if (dept == A->jiwei.org_id)
			who = &A->jiwei;
		for (int k = 0; k < 3; k++)
			if (dept == A->depts[k].org_id)
				who = &A->depts[k];
		if (!who)
			continue;
		/* in a running consultation only 纪委 has answered yet */
		if (stop_early && who != &A->jiwei)
			continue;
		bool veto = veto_at >= 0 && cand == ids[veto_at] && who == &A->jiwei;
		/* the veto comes with its evidence: the record of the talk, a one-page PDF */
		static const char record[] =
			"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
			"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
			"4 0 obj<</Length 60>>stream\nBT /F1 14 Tf 72 760 Td (Admonition talk record, 2024) Tj ET\nendstream endobj\n"
			"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
		const struct exemplar_file evidence[] = {{"诫勉谈话记录.pdf", (const unsigned char *)record, sizeof record - 1}};
		if ((r = exemplar_consult_answer_files(d, who, tasks[i], veto ? "disagree" : "agree",
						       veto ? "经查，该同志2024年因违规操办酒席受到诫勉谈话，影响期未满，不宜推荐为榜样人选。"
							    : "经核查，未发现问题",
						       evidence, veto ? 1 : 0, t0 + 16 * 86400 + i * 600, &e)) != DJ_OK)
			return fail("consult", r, &e);
	}
	if (stop_early)
		return 0;
	if ((r = exemplar_publish(d, &A->zuzhi, cid, t0 + 20 * 86400, &e)) != DJ_OK)
		return fail("publish", r, &e);
	if (!strcmp(until, "notice"))
		return 0;
	if ((r = exemplar_award(d, &A->zuzhi, cid, t0 + 26 * 86400, &e)) != DJ_OK)
		return fail("award", r, &e);
	(void)cli;
	*nawarded = 0;
	s = db_query(d, "SELECT id FROM exemplar_candidates WHERE campaign_id = ? AND state = 'awarded' ORDER BY id", "I", cid);
	while (db_next(s) && *nawarded < 64)
		awarded[(*nawarded)++] = db_int(s, 0);
	return db_done(s) == DB_OK ? 0 : -1;
}

int demo_exemplars(db *d, const struct actor *cli, FILE *out)
{
	struct field_errors e = {0};
	enum dj_result r;
	int64_t town = orgs_id_by_code(d, "CJZ");
	for (size_t i = 0; i < sizeof depts / sizeof depts[0]; i++) {
		int64_t org = orgs_create(d, town, depts[i].code, depts[i].name, "dept", "机关");
		int64_t uid;
		if (!org)
			return fail("department", DJ_DB_ERROR, &e);
		if ((r = users_create_demo(d, cli, depts[i].user, depts[i].person, "reviewer", org, "Demo2026", &uid, &e)) != DJ_OK)
			return fail("reviewer", r, &e);
	}
	struct actors A;
	if (user_actor(d, "zuzhi", &A.zuzhi) || user_actor(d, "jiwei", &A.jiwei) || user_actor(d, "chenji", &A.chenji) ||
	    user_actor(d, "dangyuan", &A.dangyuan))
		return fail("accounts", DJ_NOT_FOUND, &e);
	for (int i = 0; i < 3; i++)
		if (user_actor(d, depts[i].user, &A.depts[i]))
			return fail("accounts", DJ_NOT_FOUND, &e);
	int64_t now = now_unix();
	struct nominee people[40];
	int got = roster(d, 0, 40, people);
	if (got < 30)
		return fail("roster", DJ_NOT_FOUND, &e);

	/* 1. a 两优一先: 优秀共产党员, finished half a year ago */
	int64_t t0 = now - 200 * 86400;
	int award_year = campaign_year(t0);
	struct exemplar_campaign_new n;
	memset(&n, 0, sizeof n);
	snprintf(n.title, sizeof n.title, "%d年度“两优一先”评选（优秀共产党员）", award_year);
	snprintf(n.category, sizeof n.category, "youxiu_dangyuan");
	snprintf(n.subject, sizeof n.subject, "person");
	n.year = award_year, n.quota = 12, n.notice_days = 5;
	char d1[11], d2[11], d3[11];
	struct tm tm;
	time_t tt;
#define DAY(buf, t) (tt = (time_t)((t) + 8 * 3600), gmtime_r(&tt, &tm), strftime(buf, sizeof buf, "%Y-%m-%d", &tm))
	DAY(d1, t0 + 9 * 86400), DAY(d2, t0 + 13 * 86400), DAY(d3, t0 + 19 * 86400);
	snprintf(n.nominate_until, 11, "%s", d1), snprintf(n.review_until, 11, "%s", d2), snprintf(n.consult_until, 11, "%s", d3);
	n.depts[0] = "CJZ-JW", n.depts[1] = "CJZ-ZF", n.depts[2] = "CJZ-XF", n.depts[3] = "CJZ-GA", n.depts_n = 4;
	int64_t c1, awarded[64];
	int na = 0;
	if (campaign(d, cli, &A, &n, people, 16, deeds, 10, 12, -1, "closed", t0, &c1, awarded, &na))
		return -1;

	/* the same 两优一先's 先进基层党组织: organisations as candidates (seed 001's 8, scaled) */
	memset(&n, 0, sizeof n);
	snprintf(n.title, sizeof n.title, "%d年度“两优一先”评选（先进基层党组织）", award_year);
	snprintf(n.category, sizeof n.category, "xianjin_zuzhi");
	snprintf(n.subject, sizeof n.subject, "org");
	n.year = award_year, n.quota = 3, n.notice_days = 5;
	t0 = now - 200 * 86400;
	DAY(d1, t0 + 9 * 86400), DAY(d2, t0 + 13 * 86400), DAY(d3, t0 + 19 * 86400);
	snprintf(n.nominate_until, 11, "%s", d1), snprintf(n.review_until, 11, "%s", d2), snprintf(n.consult_until, 11, "%s", d3);
	n.depts[0] = "CJZ-JW", n.depts[1] = "CJZ-ZF", n.depts[2] = "CJZ-XF", n.depts[3] = "CJZ-GA", n.depts_n = 4;
	struct nominee orgs[5] = {
		{"陈集村党支部", "农村党支部"}, {"东升社区党支部", "社区党支部"}, {"东阿阿胶陈集分厂党支部", "企业党支部"},
		{"王庄村党支部", "农村党支部"}, {"幸福社区党支部", "社区党支部"},
	};
	int64_t c1b, awarded_orgs[64];
	int nao = 0;
	if (campaign(d, cli, &A, &n, orgs, 5, org_deeds, 5, 3, -1, "closed", t0, &c1b, awarded_orgs, &nao))
		return -1;

	/* care and courtesy for the awarded, and the lecture tour they speak in */
	static const char *const care_notes[][2] = {
		{"visit", "春节前走访慰问，送去慰问金和米面油"},
		{"honour", "邀请参加“七一”表彰大会并在主席台就座"},
		{"benefit", "落实优秀党员健康体检一次"},
		{"visit", "中秋节上门走访，了解生产生活困难"},
	};
	for (int i = 0; i < na && i < 8; i++) {
		char day[11];
		DAY(day, t0 + (40 + i * 15) * 86400);
		int64_t id;
		if ((r = exemplar_care_add(d, &A.zuzhi, awarded[i], care_notes[i % 4][0], day, care_notes[i % 4][1], t0 + (40 + i * 15) * 86400, &id,
					   &e)) != DJ_OK)
			return fail("care", r, &e);
	}
	int64_t tour;
	if ((r = exemplar_tour_create(d, &A.zuzhi, "陈集镇榜样事迹宣讲团", awarded, na < 8 ? na : 8, t0 + 30 * 86400, &tour, &e)) != DJ_OK)
		return fail("tour", r, &e);
	static const char *const places[][2] = {
		{"enterprise", "东阿阿胶陈集分厂"}, {"village", "陈集村文化广场"}, {"village", "西街村党群服务中心"}, {"community", "东升社区活动室"},
		{"community", "幸福社区议事厅"},    {"school", "陈集镇中学"},      {"school", "陈集镇中心小学"},      {"family", "后赵村党员中心户家中"},
		{"village", "王庄村党员活动室"},    {"village", "李桥村文化大院"},
	};
	/* 27 sessions held, their audiences reported (seed 002's figures, counted from these rows), and 3 booked */
	static const int audience[27] = {52, 38, 41, 35, 47, 60, 28, 33, 45, 39, 36, 44, 30, 25, 58, 40, 37, 42, 31, 29, 46, 34, 27, 43, 38, 35, 21};
	for (int i = 0; i < 30; i++) {
		char day[11];
		int64_t t = i < 27 ? t0 + (35 + i * 5) * 86400 : now + (i - 25) * 86400 * 3;
		DAY(day, t);
		int64_t sid;
		if ((r = exemplar_session_book(d, &A.zuzhi, tour, places[i % 10][0], places[i % 10][1], day, t - 7 * 86400, &sid, &e)) != DJ_OK)
			return fail("session", r, &e);
		if (i < 27 && (r = exemplar_session_report(d, &A.zuzhi, sid, audience[i], &e)) != DJ_OK)
			return fail("session report", r, &e);
	}

	/* 2. a 身边好人 (this year's; in January last year's): on public notice for two days, one objection open, one dismissed */
	t0 = now - 22 * 86400;
	memset(&n, 0, sizeof n);
	snprintf(n.title, sizeof n.title, "%d年度“身边好人”评选", campaign_year(t0));
	snprintf(n.category, sizeof n.category, "haoren");
	snprintf(n.subject, sizeof n.subject, "person");
	n.year = campaign_year(t0), n.quota = 5, n.notice_days = 5;
	DAY(d1, t0 + 9 * 86400), DAY(d2, t0 + 13 * 86400), DAY(d3, t0 + 19 * 86400);
	snprintf(n.nominate_until, 11, "%s", d1), snprintf(n.review_until, 11, "%s", d2), snprintf(n.consult_until, 11, "%s", d3);
	n.depts[0] = "CJZ-JW", n.depts[1] = "CJZ-XF", n.depts[2] = "CJZ-GA", n.depts_n = 3;
	int64_t c2;
	if (campaign(d, cli, &A, &n, people + 16, 8, deeds, 10, 5, -1, "notice", t0, &c2, awarded, &na))
		return -1;
	int64_t first = db_int1(d, 0, "SELECT id FROM exemplar_candidates WHERE campaign_id = ? AND state = 'on_notice' ORDER BY id LIMIT 1", "I", c2);
	int64_t second = db_int1(d, 0, "SELECT id FROM exemplar_candidates WHERE campaign_id = ? AND state = 'on_notice' ORDER BY id LIMIT 1 OFFSET 1",
				 "I", c2);
	struct actor pub;
	actor_public(&pub, "demo");
	struct exemplar_objection_new o;
	memset(&o, 0, sizeof o);
	snprintf(o.name, sizeof o.name, "赵春生");
	snprintf(o.phone, sizeof o.phone, "13905301888");
	snprintf(o.content, sizeof o.content, "公示材料说其义务辅导留守儿童八年，据我了解前几年是收费的，请组织核实。");
	int64_t oid;
	if ((r = exemplar_object(d, &pub, second, &o, now - 86400, &oid, &e)) != DJ_OK)
		return fail("objection", r, &e);
	snprintf(o.name, sizeof o.name, "孙玉兰");
	snprintf(o.phone, sizeof o.phone, "13905302777");
	snprintf(o.content, sizeof o.content, "该同志家里的大棚占了集体的路，是否符合条件？");
	if ((r = exemplar_object(d, &pub, first, &o, now - 36 * 3600, &oid, &e)) != DJ_OK)
		return fail("objection", r, &e);
	if ((r = exemplar_objection_answer(d, &A.zuzhi, oid, "dismissed",
					   "经镇党委会同陈集村两委实地核查，大棚建在本人承包地内，未占用集体道路，异议不成立，已电话告知反映人。",
					   now - 20 * 3600, &e)) != DJ_OK)
		return fail("objection answer", r, &e);

	/* 3. a 最美家庭 (this year's; in January last year's): in consultation, 纪委 vetoed the best-scored family */
	t0 = now - 17 * 86400;
	memset(&n, 0, sizeof n);
	snprintf(n.title, sizeof n.title, "%d年度“最美家庭”评选", campaign_year(t0));
	snprintf(n.category, sizeof n.category, "jiating");
	snprintf(n.subject, sizeof n.subject, "person");
	n.year = campaign_year(t0), n.quota = 4, n.notice_days = 5;
	DAY(d1, t0 + 9 * 86400), DAY(d2, t0 + 13 * 86400), DAY(d3, now + 3 * 86400);
	snprintf(n.nominate_until, 11, "%s", d1), snprintf(n.review_until, 11, "%s", d2), snprintf(n.consult_until, 11, "%s", d3);
	n.depts[0] = "CJZ-JW", n.depts[1] = "CJZ-ZF", n.depts[2] = "CJZ-GA", n.depts_n = 3;
	int64_t c3;
	if (campaign(d, cli, &A, &n, people + 24, 6, deeds, 10, 4, 0, "consultation", t0, &c3, awarded, &na))
		return -1;
#undef DAY
	struct exemplar_tour_stats st;
	exemplar_tour_stats(d, "/", &st);
	fprintf(out,
		"Role models: 4 campaigns (两优一先 %d finished: members and organisations; on notice with an objection, in consultation with a veto); %s.\n",
		award_year, st.summary);
	fprintf(out, "  Departments consulted: zhengfa, xinfang, gongan (reviewers, password %s) beside jiwei.\n", "Demo2026");
	return 0;
}

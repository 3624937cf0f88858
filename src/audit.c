/* audit — the audit log (issue 2 §5): every write, who, when, what, which
 * record, a short before/after. Written by the domain function that makes the
 * change, in its transaction, so a page, the API, the CLI and a background
 * task leave the same row. The page is in audit_web.c. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util.h"
#include "valid.h"

const struct permission perm_audit_view = {"audit.view", "查看审计日志", R_ADMIN | R_COMMITTEE};

int audit_write(db *d, const struct actor *a, const char *action, const char *entity, int64_t entity_id, int64_t org_id, const char *summary)
{
	char sum[600];
	snprintf(sum, sizeof sum, "%s", summary ? summary : "");
	return db_run(d,
		      "INSERT INTO audit (at, user_id, username, ip, action, entity, entity_id, org_id, summary) "
		      "VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?)",
		      "IIttttIIt", /* 0 stands for "none" (an anonymous caller, no record) */
		      now_unix(), a->user_id, a->username, a->ip, action, entity, entity_id, org_id, sum);
}

/* ---- labels ---- */

const char *const audit_actions[] = {
	"login.ok",
	"登录",
	"login.fail",
	"登录失败",
	"logout",
	"退出登录",
	"token.create",
	"签发接口令牌",
	"user.create",
	"新建账号",
	"user.update",
	"修改账号",
	"user.password",
	"重置密码",
	"org.create",
	"新建组织",
	"org.update",
	"修改组织",
	"org.move",
	"调整隶属关系",
	"org.dissolve",
	"撤销组织",
	"member.create",
	"新增党员",
	"member.update",
	"修改党员信息",
	"member.full",
	"预备党员转正",
	"member.status",
	"党籍状态变更",
	"member.reveal",
	"查看完整证件号",
	"member.import",
	"导入花名册",
	"member.export",
	"导出花名册",
	"member.export_full",
	"导出完整花名册（含证件号）",
	"order.stats_export",
	"导出诉求统计",
	"order.create",
	"群众点单",
	"order.action",
	"诉求办理",
	"order.reveal",
	"查看群众完整电话",
	"order.collect",
	"代群众点单（三长制）",
	"grid.create",
	"新建网格",
	"grid.update",
	"修改网格",
	"household.create",
	"登记住户",
	"household.update",
	"修改住户",
	"household.delete",
	"删除住户",
	"leader.create",
	"登记三长",
	"leader.update",
	"修改三长",
	"leader.delete",
	"移除三长",
	"volunteer.create",
	"新建志愿服务活动",
	"volunteer.publish",
	"发布志愿服务活动",
	"volunteer.start",
	"志愿服务活动开始",
	"volunteer.finish",
	"志愿服务活动结束",
	"volunteer.cancel",
	"取消志愿服务活动",
	"volunteer.signup",
	"志愿服务报名",
	"volunteer.signup_cancel",
	"取消志愿服务报名",
	"volunteer.checkin",
	"扫码签到",
	"volunteer.checkout",
	"扫码签退",
	"volunteer.manual_checkin",
	"手工签到",
	"volunteer.manual_checkout",
	"手工签退",
	"volunteer.manual_hours",
	"手工核定服务时长",
	"volunteer.public",
	"登记参与群众人数",
	"volunteer.team_create",
	"组建服务队",
	"volunteer.team_add",
	"服务队添加队员",
	"volunteer.minimum",
	"规定志愿服务最低次数",
	"volunteer.report_export",
	"导出志愿服务统计",
	"volunteer.minimums_export",
	"导出未达最低次数名单",
	"setting.set",
	"修改站点设置",
	"setting.clear",
	"恢复默认设置",
	"backup.create",
	"数据备份",
	"dues.rate",
	"调整党费标准",
	"dues.base",
	"登记党费基数",
	"dues.generate",
	"生成月度党费",
	"dues.pay",
	"收缴党费",
	"dues.reduce",
	"申请党费减免",
	"dues.approve",
	"批准党费减免",
	"dues.reject",
	"不批准党费减免",
	"dues.remit",
	"上缴党费",
	"dues.flag",
	"连续6个月未交党费",
	"dues.export",
	"导出党费台账",
	"dues.import",
	"导入党费基数",
	"transfer.issue",
	"开具组织关系介绍信",
	"transfer.receive",
	"接收组织关系",
	"transfer.return",
	"退回组织关系",
	"transfer.lapse",
	"介绍信逾期失效",
	"transfer.incoming",
	"登记镇外转入",
	"audit.export",
	"导出审计日志",
	/* issue 14: the theme party day */
	"lesson.create",
	"新增微党课",
	"lesson_topic.create",
	"新增微党课主题",
	"lesson_topic.rename",
	"微党课主题改名",
	"lesson_topic.retire",
	"停用微党课主题",
	"lesson_topic.restore",
	"启用微党课主题",
	"film_kind.create",
	"新增教育片类别",
	"film_kind.rename",
	"教育片类别改名",
	"film_kind.retire",
	"停用教育片类别",
	"film_kind.restore",
	"启用教育片类别",
	"lesson_order.create",
	"微党课点单",
	"lesson_order.action",
	"微党课点单办理",
	"film_list.create",
	"发布教育片清单",
	"film.create",
	"添加教育片",
	"screening.create",
	"记录观看场次",
	"reflection.create",
	"提交观后感",
	"reflection.share",
	"分享观后感",
	"reflection.unshare",
	"取消分享观后感",
	"practice.create",
	"记录实践活动",
	"plan.create",
	"制定主题党日计划",
	"plan.complete",
	"主题党日计划完成一项",
	"plan.chase",
	"主题党日催办",
	"themeday.export",
	"导出主题党日统计",
	"points.rule",
	"修改积分规则",
	"points.correct",
	"更正积分",
	"points.propose",
	"提出积分调整",
	"points.approve",
	"批准积分调整",
	"points.reject",
	"驳回积分调整",
	"points.export",
	"导出积分排名",
	/* meetings and decisions (issue 13) */
	"meeting.plan",
	"安排会议",
	"meeting.hold",
	"会议召开",
	"meeting.cancel",
	"取消会议",
	"meeting.attendance",
	"会议考勤",
	"meeting.signin",
	"会议扫码签到",
	"meeting.leave",
	"会议请假",
	"meeting.leave_decide",
	"审批请假",
	"meeting.plan_publish",
	"发布月度会议计划",
	"meeting.requirement",
	"设置三会一课频次",
	"meeting.export",
	"导出会议统计",
	"meeting.photo",
	"上传会议照片",
	"decision.create",
	"议事决策",
	"decision.progress",
	"决策进展",
	"decision.done",
	"决策办结",
	"matter.create",
	"登记四议两公开事项",
	"matter.step",
	"四议两公开",
	/* role-model selection (issue 15) */
	"exemplar.campaign_create",
	"发起评选活动",
	"exemplar.nominate",
	"推荐榜样人选",
	"exemplar.accept",
	"受理推荐",
	"exemplar.merge",
	"合并重复推荐",
	"exemplar.reject",
	"推荐不予受理",
	"exemplar.score",
	"联合评审评分",
	"exemplar.shortlist",
	"确定初步人选",
	"exemplar.pass_over",
	"未入围初步人选",
	"exemplar.consult",
	"部门征询意见",
	"exemplar.veto",
	"一票否决",
	"exemplar.clear",
	"征询通过",
	"exemplar.publish",
	"公示人选",
	"exemplar.stage",
	"评选阶段推进",
	"exemplar.object",
	"对公示人选提出异议",
	"exemplar.objection_answer",
	"答复异议",
	"exemplar.uphold",
	"异议成立",
	"exemplar.award",
	"表彰并颁发证书",
	"exemplar.revoke",
	"撤销荣誉证书",
	"exemplar.category_add",
	"新增评选类别",
	"exemplar.category_set",
	"修改评选类别",
	"exemplar.care",
	"关爱礼遇",
	"exemplar.tour_create",
	"组建宣讲团",
	"exemplar.session_book",
	"预约宣讲",
	"exemplar.session_report",
	"填报宣讲情况",
	/* issue 17 */
	"campaign.create",
	"制定主题活动",
	"campaign.activity",
	"添加活动",
	"campaign.task",
	"分解任务",
	"campaign.task_state",
	"任务办理",
	"campaign.link",
	"关联记录",
	"campaign.target",
	"设定目标",
	"campaign.plan_upload",
	"上传实施方案",
	"campaign.plan_download",
	"下载实施方案",
	"campaign.export",
	"导出活动概况",
	"dashboard.export",
	"导出数据统计",
	"display.issue",
	"发放大屏令牌",
	"display.revoke",
	"收回大屏令牌",
	/* issue 16: branch assessment */
	"assess.rules",
	"修改考核细则",
	"bulletin.publish",
	"发布月通报",
	"assess.evaluate",
	"考核评价打分",
	"stars.publish",
	"发布评星定级",
	"excellent.designate",
	"评定优秀党支部",
	NULL,
};

const char *audit_action_label(const char *action)
{
	for (const char *const *p = audit_actions; action && *p; p += 2)
		if (!strcmp(p[0], action))
			return p[1];
	return action ? action : "";
}

/* ---- reading ---- */

/* A filter as SQL parameters: the LIKE pattern of q, the action codes whose
 * label holds q (",a,b,"), the id q names, and the time range. */
struct where {
	char like[300], codes[1200];
	int64_t id, from, to;
};

/* 'YYYY-MM-DD' at 00:00 in Beijing time, as Unix seconds. */
static int64_t day_start(const char *date)
{
	struct tm tm = {0};
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8);
	return (int64_t)timegm(&tm) - 8 * 3600;
}

static enum dj_result where_of(const struct audit_filter *f, struct where *w, struct field_errors *e)
{
	memset(w, 0, sizeof *w);
	int errors = e->n;
	bool from = f->from && *f->from, to = f->to && *f->to;
	if (from && !date_valid(f->from))
		ferr_add(e, "from", "开始日期应为有效日期，格式 YYYY-MM-DD");
	if (to && !date_valid(f->to))
		ferr_add(e, "to", "结束日期应为有效日期，格式 YYYY-MM-DD");
	if (e->n == errors && from && to && strcmp(f->from, f->to) > 0)
		ferr_add(e, "to", "结束日期不能早于开始日期");
	if (e->n > errors)
		return DJ_INVALID;
	w->from = from ? day_start(f->from) : 0;
	w->to = to ? day_start(f->to) + 86400 : INT64_C(1) << 52;
	if (f->q && *f->q) {
		char q[200];
		snprintf(q, sizeof q, "%s", f->q);
		str_trim(q);
		/* q's own % _ and \ are matched as themselves */
		size_t n = 0;
		w->like[n++] = '%';
		for (const char *c = q; *c && n + 3 < sizeof w->like; c++) {
			if (*c == '%' || *c == '_' || *c == '\\')
				w->like[n++] = '\\';
			w->like[n++] = *c;
		}
		w->like[n++] = '%';
		w->like[n] = 0;
		w->id = parse_id(q[0] == '#' ? q + 1 : q);
		size_t l = 0;
		w->codes[l++] = ',';
		for (const char *const *p = audit_actions; *p && *q; p += 2)
			if (strstr(p[1], q) && l + strlen(p[0]) + 2 < sizeof w->codes)
				l += (size_t)snprintf(w->codes + l, sizeof w->codes - l, "%s,", p[0]);
		w->codes[l] = 0;
	}
	return DJ_OK;
}

const char *const audit_sorts[] = {"new", "最新在前", "old", "最早在前", NULL};

static enum dj_result sort_of(const struct audit_filter *f, bool *oldest, struct field_errors *e)
{
	*oldest = false;
	if (!f->sort || !*f->sort || !strcmp(f->sort, "new"))
		return DJ_OK;
	if (!strcmp(f->sort, "old")) {
		*oldest = true;
		return DJ_OK;
	}
	ferr_add(e, "sort", "排序方式应为“最新在前”或“最早在前”");
	return DJ_INVALID;
}

/* The rows a filter keeps: the actor's subtree, the time range, the exact
 * action, and q anywhere in the text columns. */
#define VISIBLE                                                                                                                      \
	"FROM audit a LEFT JOIN orgs o ON o.id = a.org_id WHERE (o.path LIKE ? || '%' OR (? = '/' AND a.org_id IS NULL)) "           \
	"AND a.at >= ? AND a.at < ? AND (CAST(? AS TEXT) IS NULL OR a.action = ?) "                                                  \
	"AND (CAST(? AS TEXT) IS NULL OR LOWER(a.username) LIKE LOWER(?) ESCAPE '\\' OR LOWER(a.summary) LIKE LOWER(?) ESCAPE '\\' " \
	"OR LOWER(a.entity) LIKE LOWER(?) ESCAPE '\\' OR LOWER(a.action) LIKE LOWER(?) ESCAPE '\\' OR o.name LIKE ? ESCAPE '\\' "    \
	"OR a.entity_id = ? OR ? LIKE '%,' || a.action || ',%') "
#define VISIBLE_TYPES "ttIIttttttttIt"
#define VISIBLE_ARGS(scope, f, w)                                                                                                                 \
	scope, scope, (w)->from, (w)->to, (f)->action &&*(f)->action ? (f)->action : NULL, (f)->action, *(w)->like ? (w)->like : NULL, (w)->like, \
		(w)->like, (w)->like, (w)->like, (w)->like, (w)->id, (w)->codes

enum dj_result audit_list(db *d, const struct actor *a, const struct audit_filter *f, void (*fn)(void *ctx, const struct audit_entry *e), void *ctx,
			  int64_t *total, struct field_errors *e)
{
	*total = 0;
	if (!permission_allows(&perm_audit_view, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权查看审计日志");
	struct where w;
	enum dj_result res = where_of(f, &w, e);
	if (res != DJ_OK)
		return res;
	bool oldest = false;
	if ((res = sort_of(f, &oldest, e)) != DJ_OK)
		return res;
	const char *scope = actor_scope(a);
	/* counted up to AUDIT_COUNT_CAP + 1: a county's years of rows are not worth counting per view */
	*total = db_int1(d, 0, "SELECT COUNT(*) FROM (SELECT a.id " VISIBLE "LIMIT ?) x", VISIBLE_TYPES "I", VISIBLE_ARGS(scope, f, &w),
			 (int64_t)AUDIT_COUNT_CAP + 1);
	/* the order is the statement's, not a parameter: one statement each */
	db_stmt *s =
		oldest ? db_query(d,
				  "SELECT a.at, a.username, a.ip, a.action, a.entity, COALESCE(a.entity_id, 0), COALESCE(o.name, ''), a.summary " VISIBLE
				  "ORDER BY a.id LIMIT ? OFFSET ?",
				  VISIBLE_TYPES "II", VISIBLE_ARGS(scope, f, &w), f->limit > 0 ? f->limit : 50, f->offset)
		       : db_query(d,
				  "SELECT a.at, a.username, a.ip, a.action, a.entity, COALESCE(a.entity_id, 0), COALESCE(o.name, ''), a.summary " VISIBLE
				  "ORDER BY a.id DESC LIMIT ? OFFSET ?",
				  VISIBLE_TYPES "II", VISIBLE_ARGS(scope, f, &w), f->limit > 0 ? f->limit : 50, f->offset);
	while (db_next(s)) {
		struct audit_entry en = {db_int(s, 0), db_str(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_int(s, 5), db_str(s, 6), db_str(s, 7)};
		fn(ctx, &en);
	}
	if (db_done(s) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "读取失败：%s", db_errmsg(d));
	return DJ_OK;
}

/* ---- export ---- */

struct sheet_ctx {
	lxw_worksheet *ws;
	lxw_row_t row;
};

static void sheet_row(void *ctx, const struct audit_entry *en)
{
	struct sheet_ctx *c = ctx;
	char t[20], rec[80];
	fmt_time(en->at, t);
	if (en->entity_id)
		snprintf(rec, sizeof rec, "%s #%lld", en->entity, (long long)en->entity_id);
	else
		snprintf(rec, sizeof rec, "%s", en->entity);
	const char *cells[] = {t, en->username, en->ip, audit_action_label(en->action), en->action, rec, en->org_name, en->summary};
	for (lxw_col_t col = 0; col < 8; col++)
		if (*cells[col])
			worksheet_write_string(c->ws, c->row, col, cells[col], NULL);
	c->row++;
}

enum dj_result audit_export(db *d, const struct actor *a, const struct audit_filter *f, const char *filename, int64_t *rows, struct field_errors *e)
{
	*rows = 0;
	if (!permission_allows(&perm_audit_view, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权查看审计日志");
	struct where w;
	enum dj_result res = where_of(f, &w, e);
	if (res != DJ_OK)
		return res;
	/* usernames and addresses: the file is 0600 before a byte is written */
	int fd = open(filename, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return dj_fail(e, DJ_DB_ERROR, "无法写入导出文件：%s", strerror(errno));
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(filename, &opt);
	if (!wb) {
		unlink(filename);
		return dj_fail(e, DJ_DB_ERROR, "无法写入导出文件");
	}
	lxw_doc_properties props = {.title = "审计日志", .author = "dangjian"};
	workbook_set_properties(wb, &props);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "审计日志");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_bg_color(bold, 0xFDEEEE);
	static const char *const headers[] = {"时间", "用户", "地址", "操作", "操作代码", "记录", "组织", "内容"};
	static const double widths[] = {17, 12, 16, 18, 18, 16, 20, 50};
	for (lxw_col_t col = 0; col < 8; col++) {
		worksheet_set_column(ws, col, col, widths[col], NULL);
		worksheet_write_string(ws, 0, col, headers[col], bold);
	}
	worksheet_freeze_panes(ws, 1, 0);
	struct sheet_ctx c = {ws, 1};
	struct audit_filter all = *f;
	all.limit = 100000;
	all.offset = 0;
	int64_t total;
	res = audit_list(d, a, &all, sheet_row, &c, &total, e);
	worksheet_autofilter(ws, 0, 0, c.row > 1 ? c.row - 1 : 1, 7);
	lxw_error xe = workbook_close(wb);
	if (res != DJ_OK || xe != LXW_NO_ERROR) {
		unlink(filename);
		return res != DJ_OK ? res : dj_fail(e, DJ_DB_ERROR, "导出失败：%s", lxw_strerror(xe));
	}
	*rows = (int64_t)c.row - 1;
	char sum[500];
	snprintf(sum, sizeof sum, "%lld 条（%s%s%s%s%s%s%s）", (long long)*rows, f->q && *f->q ? "检索“" : "", f->q && *f->q ? f->q : "",
		 f->q && *f->q ? "” " : "", f->from && *f->from ? f->from : "…", "～", f->to && *f->to ? f->to : "…",
		 f->action && *f->action ? " 指定操作" : "");
	if (audit_write(d, a, "audit.export", "audit", 0, a->org_id, sum) != DB_OK) {
		unlink(filename);
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	}
	return DJ_OK;
}
#undef FROM_AUDIT
#undef VIS_ALL
#undef VIS_SUBTREE
#undef ACTION

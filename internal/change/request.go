package change

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/unit"
	"huicai/internal/validate"
)

// Migrations creates change types, requests and their history.
func Migrations() []store.Migration {
	return append([]store.Migration{
		{Version: 13, Name: "change: types", Up: typesMigration},
		{Version: 14, Name: "change: requests", Up: store.Exec(append([]string{
			`CREATE TABLE change_requests (
				id INTEGER PRIMARY KEY,
				talent_id INTEGER NOT NULL REFERENCES talents(user_id),
				card_id INTEGER NOT NULL REFERENCES cards(id),
				commissioner_id INTEGER NOT NULL REFERENCES users(id),
				type_id INTEGER NOT NULL REFERENCES change_types(id),
				state TEXT NOT NULL,
				version INTEGER NOT NULL DEFAULT 1,
				change_date TEXT NOT NULL,
				description TEXT NOT NULL,
				receiving_unit_name TEXT NOT NULL DEFAULT '',
				receiving_unit_code TEXT NOT NULL DEFAULT '',
				new_department_id INTEGER REFERENCES departments(id),
				created_at TEXT NOT NULL,
				updated_at TEXT NOT NULL
			)`,
			`CREATE INDEX change_requests_talent ON change_requests(talent_id)`,
		}, flow.EventsTable("change_events", "request_id", "change_requests")...)...)},
		{Version: 25, Name: "change: fixed-width times", Up: store.FixTimesStep(map[string][]string{
			"change_requests": {"created_at", "updated_at"}, "change_events": {"at"}})},
		{Version: 33, Name: "change: list indexes", Up: store.Exec(
			`CREATE INDEX change_requests_state ON change_requests(state)`,
			`CREATE INDEX change_requests_commissioner ON change_requests(commissioner_id)`)},
		{Version: 37, Name: "change: sort by change date", Up: store.Exec(
			`CREATE INDEX change_requests_change_date ON change_requests(change_date)`)},
		requestNames.Migration(53, "change: requests by name in the list's order"),
		requestNames.Migration(56, "change: requests by name in each of the list's orders"),
		{Version: 61, Name: "change: late requests counted from an index", Up: store.Exec(
			`CREATE INDEX change_requests_state_date ON change_requests(state, change_date)`)},
		store.KeepTotal(64, "change_requests"),
		departmentMigration,
	}, append(countsMigrations, requestNames.Moves(73, "commissioner_id", "department_id"))...)
}

// States of a change request.
const (
	StateUnitReview       = "unit_review"       // 待单位审核
	StateRejected         = "rejected"          // 审核不通过
	StateApproved         = "approved"          // 审核通过（待汇总提交）
	StateWithdrawn        = "withdrawn"         // 已撤回
	StateDeleted          = "deleted"           // 已删除（单位负责人）
	StateBatched          = "batched"           // 已汇总提交
	StateProvinceReview   = "province_review"   // 省级审核中
	StateAccepted         = "accepted"          // 省级审核通过
	StateProvinceRejected = "province_rejected" // 省级不通过
)

// StateOrder is the states in the order of the workflow.
var StateOrder = []string{StateUnitReview, StateRejected, StateApproved, StateBatched, StateProvinceReview,
	StateAccepted, StateProvinceRejected, StateWithdrawn, StateDeleted}

// StateLabels are the states as the UI names them.
var StateLabels = map[string]string{
	StateUnitReview: "待单位审核", StateRejected: "审核不通过", StateApproved: "审核通过", StateWithdrawn: "已撤回",
	StateDeleted: "已删除（单位负责人删除）", StateBatched: "已汇总提交", StateProvinceReview: "省级审核中",
	StateAccepted: "省级审核通过", StateProvinceRejected: "省级不通过",
}

// Actions on a change request.
const (
	ActionResubmit = "resubmit"
	ActionWithdraw = "withdraw"
	ActionApprove  = "approve"
	ActionReject   = "reject"
	ActionDelete   = "delete"
	ActionBatch    = "batch"
	ActionUnbatch  = "unbatch"
	ActionSend     = "send"
	ActionAccept   = "accept"
	ActionRefuse   = "refuse"
	actionApply    = "apply" // the commissioner's first 保存
)

var actionLabels = map[string]string{
	actionApply: "提交专家变动申请", ActionResubmit: "修改后重新提交变动申请", ActionWithdraw: "撤回变动申请",
	ActionApprove: "变动申请审核通过", ActionReject: "变动申请审核不通过", ActionDelete: "删除变动申请",
	ActionBatch: "加入变动汇总提交", ActionUnbatch: "移出变动汇总提交", ActionSend: "变动提交到省级审核",
	ActionAccept: "省级审核通过变动", ActionRefuse: "省级审核不通过变动",
}

// Machine is the change request's whole workflow.
var Machine = flow.Machine{
	{From: StateRejected, Action: ActionResubmit, Role: "commissioner", To: StateUnitReview},
	{From: StateUnitReview, Action: ActionWithdraw, Role: "commissioner", To: StateWithdrawn},
	{From: StateUnitReview, Action: ActionApprove, Role: "leader", To: StateApproved},
	{From: StateUnitReview, Action: ActionReject, Role: "leader", To: StateRejected},
	{From: StateApproved, Action: ActionDelete, Role: "leader", To: StateDeleted},
	{From: StateApproved, Action: ActionBatch, Role: "leader", To: StateBatched},
	{From: StateBatched, Action: ActionUnbatch, Role: "leader", To: StateApproved},
	{From: StateBatched, Action: ActionSend, Role: "leader", To: StateProvinceReview},
	{From: StateProvinceReview, Action: ActionAccept, Role: "leader", To: StateAccepted},
	{From: StateProvinceReview, Action: ActionRefuse, Role: "leader", To: StateProvinceRejected},
}

// TodoStates are the states in which a request waits for a role (待我处理):
// the commissioner's correction, the leader's review.
var TodoStates = map[account.Role][]string{
	account.RoleCommissioner: {StateRejected},
	account.RoleLeader:       {StateUnitReview},
}

// openStates are the states in which a request still counts against a
// second one of the same type for the same talent.
var openStates = []string{StateUnitReview, StateRejected, StateApproved, StateBatched, StateProvinceReview}

// FlowSteps are the steps of the 审核流程 for an expert change.
var FlowSteps = []string{"服务专员申请", "单位负责人审核", "汇总提交", "省级审核", "办结"}

// workflow is how requests move, and how their 审核流程 is drawn.
var workflow = flow.Workflow{
	Machine: Machine, Items: "change_requests", Events: "change_events", ItemColumn: "request_id",
	Labels: actionLabels, Province: []string{ActionAccept, ActionRefuse},
	Refused: func(state string) error {
		return apperr.Conflict("该变动申请当前为“" + state + "”，不能执行此操作，请刷新后查看")
	},
	Stale: ErrStale,
	ReviewFlow: flow.ReviewFlow{Steps: FlowSteps,
		At: map[string]int{StateUnitReview: 1, StateRejected: 0, StateWithdrawn: 1, StateApproved: 2, StateBatched: 2,
			StateDeleted: 2, StateProvinceReview: 3, StateAccepted: 5, StateProvinceRejected: 5},
		Stopped: []string{StateDeleted, StateWithdrawn},
		StepOf:  map[string]int{actionApply: 0, ActionResubmit: 0, ActionApprove: 1, ActionSend: 2, ActionAccept: 3, ActionRefuse: 3}},
}

// pageActions are the actions taken on a request itself (in its lists and
// dialogs, or by choosing it for a batch); the others follow from its batch.
var pageActions = []string{ActionResubmit, ActionWithdraw, ActionApprove, ActionReject, ActionDelete, ActionBatch}

// actionsFor are the actions u may take now on a request in state that u
// may see; correctable says whether its talent is still bound to u and
// holds a valid card, as 修改后重新提交 needs.
func actionsFor(u account.User, state string, correctable bool) flow.Actions {
	out := flow.Actions{}
	for _, a := range Machine.Actions(state, string(u.Role)).Only(pageActions...) {
		if a != ActionResubmit || correctable {
			out = append(out, a)
		}
	}
	return out
}

// Input is what the 变动 dialog sends.
type Input struct {
	TalentID          int64  `json:"talent_id"`
	TypeID            int64  `json:"change_type_id"`
	ChangeDate        string `json:"change_date"`
	Description       string `json:"description"`
	ReceivingUnitName string `json:"receiving_unit_name"`
	ReceivingUnitCode string `json:"receiving_unit_code"`
	NewDepartmentID   int64  `json:"new_department_id"`
	Version           int    `json:"version"`
}

func (in *Input) normalize() {
	in.ChangeDate = strings.TrimSpace(in.ChangeDate)
	in.Description = strings.TrimSpace(in.Description)
	in.ReceivingUnitName = strings.TrimSpace(in.ReceivingUnitName)
	in.ReceivingUnitCode = validate.NormalizeUSCC(in.ReceivingUnitCode)
}

// check validates in against its type and the talent's card.
func (in *Input) check(ctx context.Context, q store.Querier, held card.Card) (Type, error) {
	var c validate.Checker
	var t Type
	if in.TypeID == 0 {
		c.Add("change_type_id", "请选择变动类型")
	} else {
		var err error
		if t, err = TypeByID(ctx, q, in.TypeID); err != nil {
			return Type{}, err
		}
		c.Check("change_type_id", t.Active, "该变动类型已停用")
	}
	_, err := time.Parse(time.DateOnly, in.ChangeDate)
	switch {
	case in.ChangeDate == "":
		c.Add("change_date", "请选择变动发生日期")
	case err != nil:
		c.Add("change_date", "变动发生日期不正确")
	case in.ChangeDate > clock.Today():
		c.Add("change_date", "变动发生日期不能晚于今天")
	case in.ChangeDate < held.IssuedOn:
		c.Add("change_date", "变动发生日期不能早于惠才卡发卡日期（"+held.IssuedOn+"）")
	}
	c.Text("description", in.Description, "变动情况描述", 500)
	if t.MovesOut {
		c.Text("receiving_unit_name", in.ReceivingUnitName, "调入单位名称", 100)
		if in.ReceivingUnitCode != "" {
			if p := validate.USCCProblem(in.ReceivingUnitCode); p != "" {
				c.Add("receiving_unit_code", "调入单位编码（统一社会信用代码）有误："+p)
			}
		}
	} else {
		in.ReceivingUnitName, in.ReceivingUnitCode = "", ""
	}
	if t.Internal {
		if in.NewDepartmentID == 0 {
			c.Add("new_department_id", "请选择调入的二级单位")
		} else if _, err := unit.ActiveDepartment(ctx, q, in.NewDepartmentID, "new_department_id"); err != nil {
			return Type{}, err
		}
	} else {
		in.NewDepartmentID = 0
	}
	return t, c.Err()
}

// Request is one change request.
type Request struct {
	ID                int64  `json:"id"`
	TalentID          int64  `json:"talent_id"`
	CardID            int64  `json:"card_id"`
	CommissionerID    int64  `json:"commissioner_id"`
	TypeID            int64  `json:"change_type_id"`
	TypeName          string `json:"change_type"`
	State             string `json:"state"`
	StateLabel        string `json:"state_label"`
	Version           int    `json:"version"`
	ChangeDate        string `json:"change_date"`
	Description       string `json:"description"`
	ReceivingUnitName string `json:"receiving_unit_name"`
	ReceivingUnitCode string `json:"receiving_unit_code"`
	NewDepartmentID   int64  `json:"new_department_id"`
	CreatedAt         string `json:"created_at"`
	UpdatedAt         string `json:"updated_at"`
	// Actions are what the user who loaded it may do now (see Visible).
	Actions flow.Actions `json:"actions"`
}

const requestColumns = `r.id, r.talent_id, r.card_id, r.commissioner_id, r.type_id, ct.name, r.state, r.version, r.change_date,
	r.description, r.receiving_unit_name, r.receiving_unit_code, COALESCE(r.new_department_id, 0), r.created_at, r.updated_at`

func scanRequest(row interface{ Scan(...any) error }) (Request, error) {
	var r Request
	err := row.Scan(&r.ID, &r.TalentID, &r.CardID, &r.CommissionerID, &r.TypeID, &r.TypeName, &r.State, &r.Version,
		&r.ChangeDate, &r.Description, &r.ReceivingUnitName, &r.ReceivingUnitCode, &r.NewDepartmentID, &r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("change: scan: %w", err)
	}
	r.StateLabel = StateLabels[r.State]
	return r, nil
}

// ErrNotFound is returned for an unknown change request.
var ErrNotFound = apperr.NotFound("该专家变动申请不存在")

// ByID returns one request.
func ByID(ctx context.Context, q store.Querier, id int64) (Request, error) {
	return scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM change_requests r
		JOIN change_types ct ON ct.id = r.type_id WHERE r.id = ?`, id))
}

// Visible returns request id, with the actions u may take on it now, if u
// may see it: the leader, and the commissioner who made it.
func Visible(ctx context.Context, q store.Querier, u account.User, id int64) (Request, error) {
	r, err := ByID(ctx, q, id)
	if err != nil {
		return Request{}, err
	}
	if u.Role != account.RoleLeader && (u.Role != account.RoleCommissioner || r.CommissionerID != u.ID) {
		return Request{}, apperr.Forbidden()
	}
	correctable := false
	if Machine.Allows(r.State, ActionResubmit, string(u.Role)) {
		if correctable, err = mayCorrect(ctx, q, u, r.TalentID); err != nil {
			return Request{}, err
		}
	}
	r.Actions = actionsFor(u, r.State, correctable)
	return r, nil
}

// mayCorrect says whether u may still report changes for the talent: bound
// to u, holding a valid card.
func mayCorrect(ctx context.Context, q store.Querier, u account.User, talentID int64) (bool, error) {
	_, _, err := heldCard(ctx, q, u, talentID)
	if _, refused := apperr.As(err); refused {
		return false, nil
	}
	return err == nil, err
}

// heldCard returns the card of a talent bound to the commissioner.
func heldCard(ctx context.Context, q store.Querier, u account.User, talentID int64) (talent.Talent, card.Card, error) {
	t, err := talent.ByID(ctx, q, talentID)
	if err != nil {
		return talent.Talent{}, card.Card{}, err
	}
	if t.CommissionerID != u.ID {
		return talent.Talent{}, card.Card{}, apperr.Forbidden()
	}
	held, err := card.HeldBy(ctx, q, talentID)
	if err != nil {
		return talent.Talent{}, card.Card{}, err
	}
	if held.Status != card.StatusValid {
		return talent.Talent{}, card.Card{}, apperr.Conflict("该高层次人才的惠才卡" + held.Status + "，不能报送变动")
	}
	return t, held, nil
}

// Apply records a new change request (【保存】 in the 变动 dialog), sending
// it to the leader.
func Apply(ctx context.Context, db *store.DB, u account.User, in Input, client string) (Request, error) {
	in.normalize()
	var out Request
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if in.TalentID == 0 {
			return in.noTalent(ctx, tx)
		}
		t, held, err := heldCard(ctx, tx, u, in.TalentID)
		if err != nil {
			return err
		}
		typ, err := in.check(ctx, tx, held)
		if err != nil {
			return err
		}
		if err := noOpenTwin(ctx, tx, t.ID, typ.ID, 0); err != nil {
			return err
		}
		now := store.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO change_requests(talent_id, card_id, commissioner_id, type_id, state,
			change_date, description, receiving_unit_name, receiving_unit_code, new_department_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, held.ID, u.ID, typ.ID, StateUnitReview, in.ChangeDate,
			in.Description, in.ReceivingUnitName, in.ReceivingUnitCode, nullID(in.NewDepartmentID), now, now)
		if err != nil {
			return fmt.Errorf("change: apply: %w", err)
		}
		id, _ := res.LastInsertId()
		r, err := ByID(ctx, tx, id)
		if err != nil {
			return err
		}
		applied := from(r)
		applied.State, applied.Action, applied.By, applied.ByName = "", actionApply, u.Actor(client), u.Name
		if err := workflow.Record(ctx, tx, applied, StateUnitReview, now); err != nil {
			return err
		}
		out, err = ByID(ctx, tx, id)
		return err
	})
	return out, err
}

// noTalent is the form's errors when no talent is chosen: that, and
// whatever else the rest of the form lacks. A failure to check the form is
// no form error: it is returned as it is.
func (in *Input) noTalent(ctx context.Context, q store.Querier) error {
	_, err := in.check(ctx, q, card.Card{})
	e, ok := apperr.As(err)
	switch {
	case err == nil:
		e = apperr.Invalid(map[string]string{})
	case !ok || e.Code != apperr.CodeValidation:
		return err
	}
	e.Fields["talent_id"] = "请选择要报送变动的高层次人才"
	return e
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// noOpenTwin refuses a second open request of the same type for a talent.
func noOpenTwin(ctx context.Context, tx *sql.Tx, talentID, typeID, except int64) error {
	n, err := store.From("change_requests").Where("talent_id = ? AND type_id = ? AND id <> ?", talentID, typeID, except).
		WhereIn("state", store.Args(openStates)).Count(ctx, tx)
	if err != nil {
		return fmt.Errorf("change: open twin: %w", err)
	}
	if n > 0 {
		return apperr.InvalidField("change_type_id", "该高层次人才已有一条同类型的变动申请正在办理，请勿重复提交")
	}
	return nil
}

// from is request r as a transition starts from it.
func from(r Request) flow.Transition {
	return flow.Transition{ID: r.ID, State: r.State, StateLabel: r.StateLabel, Version: r.Version,
		Object: fmt.Sprintf("专家变动申请 #%d（%s）", r.ID, r.TypeName)}
}

// transition moves r by action inside tx, checking the version the user
// saw; reason is the 不通过原因 of a rejection.
func transition(ctx context.Context, tx *sql.Tx, r Request, action string, by account.User, version int, reason, client string) error {
	t := from(r)
	t.Version, t.Action, t.By, t.ByName, t.Opinion = version, action, by.Actor(client), by.Name, reason
	_, err := workflow.Move(ctx, tx, t)
	return err
}

// ErrStale refuses an action based on an outdated version.
var ErrStale = apperr.Conflict("该变动申请已被他人处理或修改，请刷新后再试")

// Resubmit corrects a rejected request and sends it to the leader again.
func Resubmit(ctx context.Context, db *store.DB, u account.User, id int64, in Input, client string) (Request, error) {
	in.normalize()
	var out Request
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := Visible(ctx, tx, u, id)
		if err != nil {
			return err
		}
		in.TalentID = r.TalentID
		_, held, err := heldCard(ctx, tx, u, r.TalentID)
		if err != nil {
			return err
		}
		if !Machine.Allows(r.State, ActionResubmit, string(u.Role)) {
			return apperr.Conflict("只有审核不通过的变动申请才能修改后重新提交")
		}
		typ, err := in.check(ctx, tx, held)
		if err != nil {
			return err
		}
		if err := noOpenTwin(ctx, tx, r.TalentID, typ.ID, r.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE change_requests SET type_id = ?, change_date = ?, description = ?,
			receiving_unit_name = ?, receiving_unit_code = ?, new_department_id = ? WHERE id = ?`, typ.ID, in.ChangeDate,
			in.Description, in.ReceivingUnitName, in.ReceivingUnitCode, nullID(in.NewDepartmentID), id); err != nil {
			return fmt.Errorf("change: resubmit: %w", err)
		}
		r.TypeName = typ.Name
		if err := transition(ctx, tx, r, ActionResubmit, u, in.Version, "", client); err != nil {
			return err
		}
		out, err = ByID(ctx, tx, id)
		return err
	})
	return out, err
}

// Decision is a leader's or commissioner's action on a request.
type Decision struct {
	Version      int    `json:"version"`
	Action       string `json:"action"` // approve, reject, delete (leader); withdraw (commissioner)
	RejectReason string `json:"reason"` // 不通过原因, required to reject
}

// Decide applies a decision: 通过 / 不通过 (with 不通过原因) by the leader,
// 删除 of an approved request by the leader, 撤回 by its commissioner.
func Decide(ctx context.Context, db *store.DB, u account.User, id int64, d Decision, client string) (Request, error) {
	d.RejectReason = strings.TrimSpace(d.RejectReason)
	if d.Action == ActionReject {
		var c validate.Checker
		c.Text("reason", d.RejectReason, "不通过原因", 200)
		if err := c.Err(); err != nil {
			return Request{}, err
		}
	}
	switch d.Action {
	case ActionApprove, ActionReject, ActionDelete, ActionWithdraw:
	default:
		return Request{}, apperr.InvalidField("action", "操作不正确")
	}
	var out Request
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := Visible(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if d.Action == ActionDelete && (r.State == StateBatched || r.State == StateProvinceReview) {
			return apperr.Conflict("该变动申请已在汇总提交批次中，不能删除")
		}
		if err := transition(ctx, tx, r, d.Action, u, d.Version, d.RejectReason, client); err != nil {
			return err
		}
		out, err = ByID(ctx, tx, id)
		return err
	})
	return out, err
}

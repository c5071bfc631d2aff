// Package card owns 惠才卡申领: one application per talent, its materials
// and attachments, the unit's review, and the history every step leaves.
package card

import (
	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/flow"
)

// States of an application.
const (
	StateSupplement       = "supplement"        // 待补充材料
	StateUnitReview       = "unit_review"       // 待单位审核
	StateUnitApproved     = "unit_approved"     // 单位审核通过
	StateReturned         = "returned"          // 退回修改
	StateBatched          = "batched"           // 已汇总提交
	StateProvinceReview   = "province_review"   // 省级审核中
	StateIssued           = "issued"            // 已制卡
	StateProvinceRejected = "province_rejected" // 省级不通过
)

// StateOrder is the states in the order of the workflow.
var StateOrder = []string{StateSupplement, StateReturned, StateUnitReview, StateUnitApproved, StateBatched,
	StateProvinceReview, StateIssued, StateProvinceRejected}

// StateLabels are the states as the UI names them.
var StateLabels = map[string]string{
	StateSupplement: "待补充材料", StateUnitReview: "待单位审核", StateUnitApproved: "单位审核通过",
	StateReturned: "退回修改", StateBatched: "已汇总提交", StateProvinceReview: "省级审核中",
	StateIssued: "已制卡", StateProvinceRejected: "省级不通过",
}

// Actions on an application.
const (
	ActionSave        = "save"         // 保存 a draft
	ActionEditProfile = "edit_profile" // the talent edits what they registered
	ActionSubmit      = "submit"       // 提交到单位负责人
	ActionApprove     = "approve"      // 单位审核 通过
	ActionReject      = "reject"       // 单位审核 不通过 → 退回修改
	ActionBatch       = "batch"        // 汇总提交: gathered into a batch
	ActionUnbatch     = "unbatch"      // taken out of a batch before export
	ActionSend        = "send"         // 提交到省级审核
	ActionIssue       = "issue"        // the province's receipt issues a card
	ActionRefuse      = "refuse"       // the province's receipt refuses it
)

// ActionLabels name actions in the history.
var ActionLabels = map[string]string{
	ActionSubmit: "提交到单位负责人", ActionApprove: "单位审核通过", ActionReject: "单位审核不通过，退回修改",
	ActionBatch: "加入汇总提交", ActionUnbatch: "移出汇总提交", ActionSend: "提交到省级审核",
	ActionIssue: "省级审核通过，已制卡", ActionRefuse: "省级审核不通过",
}

const (
	commissioner = "commissioner"
	leader       = "leader"
	roleTalent   = "talent"
)

// Machine is the application's whole workflow: (state, action, role) →
// next state. The backend refuses anything not listed.
var Machine = flow.Machine{
	{From: StateSupplement, Action: ActionSave, Role: commissioner, To: StateSupplement},
	{From: StateReturned, Action: ActionSave, Role: commissioner, To: StateReturned},
	{From: StateSupplement, Action: ActionEditProfile, Role: roleTalent, To: StateSupplement},
	{From: StateReturned, Action: ActionEditProfile, Role: roleTalent, To: StateReturned},
	{From: StateSupplement, Action: ActionSubmit, Role: commissioner, To: StateUnitReview},
	{From: StateReturned, Action: ActionSubmit, Role: commissioner, To: StateUnitReview},
	{From: StateUnitReview, Action: ActionApprove, Role: leader, To: StateUnitApproved},
	{From: StateUnitReview, Action: ActionReject, Role: leader, To: StateReturned},
	{From: StateUnitApproved, Action: ActionBatch, Role: leader, To: StateBatched},
	{From: StateBatched, Action: ActionUnbatch, Role: leader, To: StateUnitApproved},
	{From: StateBatched, Action: ActionSend, Role: leader, To: StateProvinceReview},
	{From: StateProvinceReview, Action: ActionIssue, Role: leader, To: StateIssued},
	{From: StateProvinceReview, Action: ActionRefuse, Role: leader, To: StateProvinceRejected},
}

// TodoStates are the states in which an application waits for a role
// (待我处理): the commissioner's materials, the leader's review.
var TodoStates = map[account.Role][]string{
	account.RoleCommissioner: {StateSupplement, StateReturned},
	account.RoleLeader:       {StateUnitReview},
}

// FlowSteps are the steps of the 审核流程 for a card application.
var FlowSteps = []string{"服务专员提交", "单位负责人审核", "单位汇总提交", "省级审核", "办结"}

// workflow is how applications move, and how their 审核流程 is drawn.
var workflow = flow.Workflow{
	Machine: Machine, Items: "card_applications", Events: "card_events", ItemColumn: "application_id",
	Labels: ActionLabels, Unlabelled: "保存惠才卡申领材料", Province: []string{ActionIssue, ActionRefuse},
	Refused: func(state string) error {
		return apperr.Conflict("该申领当前为“" + state + "”，不能执行此操作，请刷新后查看")
	},
	Stale: ErrStale,
	ReviewFlow: flow.ReviewFlow{Steps: FlowSteps,
		At: map[string]int{StateSupplement: 0, StateReturned: 0, StateUnitReview: 1, StateUnitApproved: 2, StateBatched: 2,
			StateProvinceReview: 3, StateIssued: 5, StateProvinceRejected: 5},
		StepOf: map[string]int{ActionSubmit: 0, ActionApprove: 1, ActionSend: 2, ActionIssue: 3, ActionRefuse: 3}},
}

// ErrStale refuses a save based on an outdated version.
var ErrStale = apperr.Conflict("该申领已被他人修改。您填写的内容仍保留在页面上，请复制保存后刷新，再重新修改提交")

// ActionRenew is 重新申领: a new application after the province refused one.
const ActionRenew = "renew"

// pageActions are the actions taken on an application itself (on its
// pages, or by choosing it for a batch); the others follow from its batch.
var pageActions = []string{ActionSave, ActionEditProfile, ActionSubmit, ActionApprove, ActionReject, ActionBatch}

// actionsFor are the actions u may take now on an application in state
// that u may see (a commissioner's talents are bound to them, a talent's
// application is their own); othersOpen says whether its talent has an
// application still open, which rules out 重新申领.
func actionsFor(u account.User, state string, othersOpen bool) flow.Actions {
	out := Machine.Actions(state, string(u.Role)).Only(pageActions...)
	if state == StateProvinceRejected && u.Role == account.RoleCommissioner && !othersOpen {
		out = append(out, ActionRenew)
	}
	return out
}

// openOfTalent is true when the talent of application a has an application
// still open: the one application card_applications_open allows.
const openOfTalent = `EXISTS (SELECT 1 FROM card_applications o WHERE o.talent_id = a.talent_id
	AND o.state NOT IN ('` + StateIssued + `', '` + StateProvinceRejected + `'))`
